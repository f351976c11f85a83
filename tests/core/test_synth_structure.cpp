// Presets of structure that varies: graphene grains of overlapping light atoms, a lattice whose
// strain grows across the image (strain-gradient), and the options that add structural disorder to
// any preset (displacement, vacancies, an amorphous band). Their truth must match their images;
// the same options give the same bytes. (test_synth_presets.cpp: the detection failure classes.)
#include "core/synth/synth.h"
#include "synth_options.h"
#include "synth_pixels.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace motifscope;
using namespace motifscope::synth;
using motifscope::test::cleanSynthOptions;
using motifscope::test::pixelAt;
using motifscope::test::sameBits;
using motifscope::test::synthOptions;

class TestSynthStructure : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void grapheneGrainsOfOverlappingAtoms();
    void strainGradientStretchesTheCellAcross();
    void structuralDisorderOptions();
};

void TestSynthStructure::grapheneGrainsOfOverlappingAtoms()
{
    const SynthOptions o = cleanSynthOptions("graphene", 384, 4);
    const SynthResult r = synthesize(o);
    const SynthResult again = synthesize(o);
    QVERIFY(sameBits(r.image.pixels, again.image.pixels));
    QCOMPARE(r.motifNames.size(), std::size_t(2));
    QVERIFY(std::fabs(r.columnSigma - 0.28 * r.latticePeriod) < 1e-12); // the wide low-voltage probe
    const double period = r.latticePeriod;
    int grains = 0, atBoundary = 0, threeBonds = 0, inner = 0, overBonded = 0;
    for (std::size_t i = 0; i < r.truth.size(); ++i) {
        const TruthColumn& a = r.truth[i];
        grains = std::max(grains, a.grain + 1);
        atBoundary += a.label == 1;
        QCOMPARE(a.label, a.nearBoundary ? 1 : 0);
        int bonds = 0;
        for (std::size_t j = 0; j < r.truth.size(); ++j) {
            if (j == i)
                continue;
            const double d = std::hypot(r.truth[j].x - a.x, r.truth[j].y - a.y);
            QVERIFY2(d >= 0.75 * period - 1e-9, qPrintable(QString("atoms %1 px apart").arg(d)));
            bonds += d < 1.05 * period;
        }
        overBonded += bonds > 3 && !a.nearBoundary; // across a boundary bonds may be 0.75-1 long
        // Inside a grain and away from the border, a carbon has three bonds (a few just beyond
        // 1.5 bonds of another grain lost a neighbour to the boundary).
        if (!a.nearBoundary && std::min({a.x, a.y, 383.0 - a.x, 383.0 - a.y}) > 1.5 * period) {
            ++inner;
            threeBonds += bonds == 3;
        }
    }
    QVERIFY(grains >= 4);
    QVERIFY(atBoundary > 50);
    QVERIFY(inner > 300);
    QCOMPARE(overBonded, 0);
    QVERIFY2(threeBonds >= 0.97 * inner, qPrintable(QString("%1 of %2").arg(threeBonds).arg(inner)));
    // Neighbours overlap: halfway along a bond the image holds well over a third of a peak.
    const TruthColumn& a = r.truth[r.truth.size() / 2];
    for (const TruthColumn& b : r.truth) {
        const double d = std::hypot(b.x - a.x, b.y - a.y);
        if (d > 0.1 && d < 1.05 * period && a.grain == b.grain) {
            const double mid = pixelAt(r.image, 0.5 * (a.x + b.x), 0.5 * (a.y + b.y)) / o.dose;
            QVERIFY2(mid > 0.35, qPrintable(QString::number(mid)));
            break;
        }
    }
}


namespace {

/** Median distance from each truth column of `label` to its nearest column of the other label, by third of the width. */
std::array<double, 3> bondLengthByThird(const SynthResult& r, int size)
{
    std::array<std::vector<double>, 3> d;
    for (const TruthColumn& a : r.truth) {
        if (a.label != 0)
            continue;
        double best = 1e300;
        for (const TruthColumn& b : r.truth)
            if (b.label == 1)
                best = std::min(best, std::hypot(a.x - b.x, a.y - b.y));
        d[std::size_t(std::clamp(int(3.0 * a.x / size), 0, 2))].push_back(best);
    }
    std::array<double, 3> out{};
    for (std::size_t k = 0; k < 3; ++k) {
        std::nth_element(d[k].begin(), d[k].begin() + std::ptrdiff_t(d[k].size() / 2), d[k].end());
        out[k] = d[k][d[k].size() / 2];
    }
    return out;
}

} // namespace

void TestSynthStructure::strainGradientStretchesTheCellAcross()
{
    // The truth's strain rises from 0 (left edge) to the maximum (right edge), linearly in x; the
    // columns' spacing grows with it; a ramp of 0 is a step at the centre; the options are its own.
    SynthOptions o = synthOptions("strain-gradient", 384, 2);
    const SynthResult r = synthesize(o);
    QVERIFY(r.truth.size() > 500);
    int heavy = 0;
    for (const TruthColumn& c : r.truth) {
        QVERIFY(std::fabs(c.strain - 0.3 * c.x / 383.0) < 1e-9);
        heavy += c.label == 0;
    }
    QVERIFY(std::abs(2 * heavy - int(r.truth.size())) < int(r.truth.size()) / 10); // two species, alike in number
    const std::array<double, 3> bond = bondLengthByThird(r, 384);
    QVERIFY2(bond[0] < bond[1] && bond[1] < bond[2] && bond[0] > 0.95 * r.latticePeriod,
             qPrintable(QString("%1 %2 %3").arg(bond[0]).arg(bond[1]).arg(bond[2])));
    QCOMPARE(QString::fromStdString(r.image.metadata.at("Synth.Strain")), QString("0.3"));

    o.strain = 0.2;
    o.strainRamp = 0.0;
    for (const TruthColumn& c : synthesize(o).truth)
        QCOMPARE(c.strain, c.x < 191.5 ? 0.0 : 0.2);
    SynthOptions same = synthOptions("strain-gradient", 256, 9);
    QVERIFY(sameBits(synthesize(same).image.pixels, synthesize(same).image.pixels));

    auto refused = [](SynthOptions bad) {
        try {
            synthesize(bad);
        } catch (const std::invalid_argument&) {
            return true;
        }
        return false;
    };
    o = synthOptions("strain-gradient", 64, 1);
    for (double bad : {0.005, 0.51, -0.1, std::nan("")}) {
        o.strain = bad;
        QVERIFY(refused(o));
    }
    o = synthOptions("strain-gradient", 64, 1);
    o.strainRamp = 1.5;
    QVERIFY(refused(o));
    o = synthOptions("mixed-lattice", 64, 1);
    o.strain = 0.2;
    QVERIFY(refused(o));
    o = synthOptions("mixed-lattice", 64, 1);
    o.strainRamp = 0.5;
    QVERIFY(refused(o));
}

void TestSynthStructure::structuralDisorderOptions()
{
    // Displacements move the truth, vacancies remove a share, an amorphous band replaces the
    // columns left of it by as many placed at random; at 0 nothing changes.
    const SynthOptions clean = synthOptions("weak-sublattice", 384, 4);
    const SynthResult a = synthesize(clean);
    SynthOptions o = clean;
    o.displacement = 0.0;
    QVERIFY(sameBits(a.image.pixels, synthesize(o).image.pixels));

    o.displacement = 0.1;
    const SynthResult moved = synthesize(o);
    QCOMPARE(moved.truth.size(), a.truth.size());
    double rms = 0.0;
    for (std::size_t i = 0; i < a.truth.size(); ++i)
        rms += std::pow(moved.truth[i].x - a.truth[i].x, 2);
    rms = std::sqrt(rms / double(a.truth.size())) / a.latticePeriod;
    QVERIFY2(rms > 0.08 && rms < 0.12, qPrintable(QString::number(rms)));

    o = clean;
    o.vacancies = 0.2;
    const double kept = double(synthesize(o).truth.size()) / double(a.truth.size());
    QVERIFY2(kept > 0.75 && kept < 0.85, qPrintable(QString::number(kept)));

    o = clean;
    o.amorphous = 0.25;
    const SynthResult am = synthesize(o);
    const int amorphousLabel = int(am.labelNames.size()) - 1;
    QCOMPARE(am.labelNames.back(), std::string("amorphous"));
    int inBand = 0, amorphous = 0;
    for (const TruthColumn& c : a.truth)
        inBand += c.x < 0.25 * 384;
    for (const TruthColumn& c : am.truth) {
        if (c.label == amorphousLabel) {
            ++amorphous;
            QVERIFY(c.x < 0.25 * 384);
        } else
            QVERIFY(c.x >= 0.25 * 384);
    }
    QVERIFY2(amorphous > 0.9 * inBand && amorphous <= inBand, qPrintable(QString("%1 of %2").arg(amorphous).arg(inBand)));

    o = synthOptions("pentagon-network", 128, 1);
    o.vacancies = 0.1;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthesize(o));
}

QTEST_GUILESS_MAIN(TestSynthStructure)
#include "test_synth_structure.moc"
