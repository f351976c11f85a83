// Synthetic micrographs: the planted truth must be exact (every later accuracy test trusts it): inside
// the image, separated, scaling with the area, every kind of site, defects labelled, the pentagon
// network's rings. The images themselves: test_synth.cpp.
#include "core/synth/synth.h"
#include "synth_options.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace motifscope;
using namespace motifscope::synth;
using motifscope::test::cleanSynthOptions;
using motifscope::test::synthOptions;

class TestSynthTruth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void truthInsideImageAndSeparated_data();
    void truthInsideImageAndSeparated();
    void columnCountScalesWithArea_data();
    void columnCountScalesWithArea();
    void mixedLatticeHasAllKinds();
    void nearestNeighbourPeakAtPeriod();
    void pointDefectsAreLabelled();
    void pentagonRings();
};

namespace {

/** Distance from each column to its nearest other column (brute force over a cell grid). */
std::vector<double> nearestDistances(const std::vector<TruthColumn>& truth, double cell)
{
    std::map<std::pair<int, int>, std::vector<int>> grid;
    for (int i = 0; i < static_cast<int>(truth.size()); ++i)
        grid[{int(std::floor(truth[i].x / cell)), int(std::floor(truth[i].y / cell))}].push_back(i);
    std::vector<double> nearest(truth.size(), 1e300);
    for (int i = 0; i < static_cast<int>(truth.size()); ++i) {
        const int cx = int(std::floor(truth[i].x / cell)), cy = int(std::floor(truth[i].y / cell));
        for (int dy = -2; dy <= 2; ++dy)
            for (int dx = -2; dx <= 2; ++dx) {
                auto it = grid.find({cx + dx, cy + dy});
                if (it == grid.end())
                    continue;
                for (int j : it->second)
                    if (j != i)
                        nearest[i] = std::min(nearest[i], std::hypot(truth[i].x - truth[j].x, truth[i].y - truth[j].y));
            }
    }
    return nearest;
}

} // namespace

void TestSynthTruth::truthInsideImageAndSeparated_data()
{
    QTest::addColumn<QString>("preset");
    QTest::newRow("mixed-lattice") << "mixed-lattice";
    QTest::newRow("pentagon-network") << "pentagon-network";
}

void TestSynthTruth::truthInsideImageAndSeparated()
{
    QFETCH(QString, preset);
    for (std::uint64_t seed : {1, 2, 3}) {
        const SynthResult r = synthesize(synthOptions(preset.toStdString(), 512, seed));
        QVERIFY(r.truth.size() > 1000);
        for (const TruthColumn& c : r.truth) {
            QVERIFY(c.x >= 0.0 && c.y >= 0.0 && c.x <= 511.0 && c.y <= 511.0);
            QVERIFY(c.label >= 0 && c.label < int(r.labelNames.size()));
            QVERIFY(c.species >= 0 && c.species < int(r.speciesNames.size()));
            QVERIFY(c.motif >= 0 && c.motif < int(r.motifNames.size()));
        }
        const std::vector<double> nearest = nearestDistances(r.truth, r.latticePeriod);
        const double closest = *std::min_element(nearest.begin(), nearest.end());
        QVERIFY2(closest >= 0.5 * r.latticePeriod, qPrintable(QString("closest pair %1 px").arg(closest)));
    }
}

void TestSynthTruth::columnCountScalesWithArea_data() { truthInsideImageAndSeparated_data(); }

void TestSynthTruth::columnCountScalesWithArea()
{
    QFETCH(QString, preset);
    const double small = double(synthesize(synthOptions(preset.toStdString(), 512, 4)).truth.size());
    const double large = double(synthesize(synthOptions(preset.toStdString(), 1024, 4)).truth.size());
    QVERIFY2(std::fabs(large / small / 4.0 - 1.0) < 0.15, qPrintable(QString("%1 vs %2").arg(small).arg(large)));
    // 512^2 holds of the order of 1500 columns at the default period.
    QVERIFY(small > 1200 && small < 2400);
}

void TestSynthTruth::mixedLatticeHasAllKinds()
{
    for (std::uint64_t seed : {1, 2, 3, 4, 5}) {
        const SynthResult r = synthesize(synthOptions("mixed-lattice", 1024, seed));
        int perLabel[3] = {0, 0, 0};
        int perMotif[4] = {0, 0, 0, 0};
        std::set<int> grains;
        int interior = 0;
        for (const TruthColumn& c : r.truth) {
            perLabel[c.label]++;
            perMotif[c.motif]++;
            grains.insert(c.grain);
            interior += !c.nearBoundary;
            // Site types belong to their lattices: hexagonal 0/1, square 2, centred rectangular 3.
            QCOMPARE(c.label, c.motif == 0 || c.motif == 1 ? 0 : c.motif - 1);
        }
        for (int n : perLabel)
            QVERIFY2(n >= 0.10 * r.truth.size(), qPrintable(QString("seed %1: %2 of %3").arg(seed).arg(n).arg(r.truth.size())));
        for (int n : perMotif)
            QVERIFY(n > 0);
        QVERIFY(perMotif[0] == perMotif[1] || std::abs(perMotif[0] - perMotif[1]) < 0.2 * perMotif[0]);
        QVERIFY(grains.size() >= 10);
        QVERIFY(interior > 0.6 * r.truth.size() && interior < int(r.truth.size()));
    }
}

void TestSynthTruth::nearestNeighbourPeakAtPeriod()
{
    for (const std::string preset : {"mixed-lattice", "pentagon-network"}) {
        const SynthResult r = synthesize(synthOptions(preset, 1024, 8));
        const std::vector<double> nearest = nearestDistances(r.truth, r.latticePeriod);
        std::vector<int> histogram(40, 0); // bins of 0.05 period up to 2 periods
        for (double d : nearest)
            if (d < 2.0 * r.latticePeriod)
                histogram[std::size_t(d / (0.05 * r.latticePeriod))]++;
        const std::size_t peak = std::size_t(std::max_element(histogram.begin(), histogram.end()) - histogram.begin());
        const double peakCentre = (peak + 0.5) * 0.05;
        // The mixed lattices are exact (peak bin holds 1.0); the network is disordered.
        const double tolerance = preset == "mixed-lattice" ? 0.05 : 0.12;
        QVERIFY2(std::fabs(peakCentre - 1.0) <= tolerance, qPrintable(QString("%1 peak at %2 periods").arg(preset.c_str()).arg(peakCentre)));
    }
}

/**
 * --defects: a share of the site-0 columns drawn at half height, at least 3 periods apart; they
 * are motif "dim A site" and exactly their nearest neighbours are "<site> next to a dim A site".
 */
void TestSynthTruth::pointDefectsAreLabelled()
{
    SynthOptions o = cleanSynthOptions("weak-sublattice", 512, 4);
    o.ratio = 0.5;
    const SynthResult plain = synthesize(o);
    o.defects = 0.05;
    const SynthResult r = synthesize(o);
    QCOMPARE(r.truth.size(), plain.truth.size());
    QCOMPARE(int(r.motifNames.size()), 5);
    QCOMPARE(r.motifNames[2], std::string("dim A site"));
    const double p = r.latticePeriod;
    std::vector<std::size_t> dim;
    for (std::size_t i = 0; i < r.truth.size(); ++i)
        if (r.truth[i].motif == 2) {
            QCOMPARE(r.truth[i].label, 0);
            dim.push_back(i);
        }
    QVERIFY2(dim.size() > 20, qPrintable(QString::number(dim.size())));
    auto pixel = [](const SynthResult& s, const TruthColumn& t) {
        return s.image.pixels[std::size_t(std::lround(t.y)) * std::size_t(s.image.width) + std::size_t(std::lround(t.x))];
    };
    for (std::size_t a : dim) {
        // Half the peak (the background and the neighbours' tails are the same in both images).
        const double drop = pixel(plain, plain.truth[a]) - pixel(r, r.truth[a]);
        QVERIFY2(drop > 0.35 * o.dose && drop < 0.55 * o.dose, qPrintable(QString::number(drop)));
        for (std::size_t b : dim)
            QVERIFY(a == b || std::hypot(r.truth[a].x - r.truth[b].x, r.truth[a].y - r.truth[b].y) >= 3.0 * p);
    }
    for (std::size_t i = 0; i < r.truth.size(); ++i) {
        double nearest = 1e300;
        for (std::size_t a : dim)
            if (a != i)
                nearest = std::min(nearest, std::hypot(r.truth[a].x - r.truth[i].x, r.truth[a].y - r.truth[i].y));
        const int motif = r.truth[i].motif;
        if (motif == 2)
            continue;
        QCOMPARE(motif >= 3, nearest < 1.25 * p);                      // neighbours of a dim column, and only they
        QCOMPARE(motif >= 3 ? motif - 3 : motif, plain.truth[i].motif); // their own site kept in the name
    }

    o.defects = 0.2;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthesize(o));
}

void TestSynthTruth::pentagonRings()
{
    for (std::uint64_t seed : {1, 2, 3}) {
        const SynthResult r = synthesize(synthOptions("pentagon-network", 512, seed));
        const double bond = r.latticePeriod;
        QVERIFY(r.rings.size() > 300);
        QCOMPARE(r.ringFilled.size(), r.rings.size());
        QCOMPARE(r.ringCentre.size(), r.rings.size());

        std::vector<int> centreOwner(r.truth.size(), -1);
        double radiusSum = 0.0;
        std::vector<double> radii;
        std::set<std::pair<int, int>> edges;
        int filled = 0;
        for (std::size_t k = 0; k < r.rings.size(); ++k) {
            const std::vector<int>& ring = r.rings[k];
            QCOMPARE(ring.size(), std::size_t(5));
            QCOMPARE(std::set<int>(ring.begin(), ring.end()).size(), std::size_t(5));
            double cx = 0.0, cy = 0.0;
            for (int v : ring) {
                QCOMPARE(r.truth[v].label, 0);
                cx += r.truth[v].x / 5.0;
                cy += r.truth[v].y / 5.0;
            }
            double radius = 0.0;
            for (int m = 0; m < 5; ++m) {
                const TruthColumn& a = r.truth[ring[m]];
                const TruthColumn& b = r.truth[ring[(m + 1) % 5]];
                radius += std::hypot(a.x - cx, a.y - cy) / 5.0;
                // Consecutive members are bonded: about one bond length apart (angular order).
                const double length = std::hypot(a.x - b.x, a.y - b.y);
                QVERIFY2(length > 0.75 * bond && length < 1.3 * bond, qPrintable(QString("bond %1").arg(length / bond)));
                edges.insert({std::min(ring[m], ring[(m + 1) % 5]), std::max(ring[m], ring[(m + 1) % 5])});
            }
            radii.push_back(radius);
            radiusSum += radius;
            if (r.ringFilled[k]) {
                ++filled;
                const int centre = r.ringCentre[k];
                QVERIFY(centre >= 0);
                QCOMPARE(r.truth[centre].label, 1);
                QVERIFY(std::hypot(r.truth[centre].x - cx, r.truth[centre].y - cy) < 0.2 * bond);
                QCOMPARE(centreOwner[centre], -1);
                centreOwner[centre] = int(k);
            } else {
                QCOMPARE(r.ringCentre[k], -1);
            }
        }
        const double meanRadius = radiusSum / r.rings.size();
        for (double radius : radii) // an equilateral-ish pentagon of side b has circumradius ~0.85 b
            QVERIFY(std::fabs(radius / meanRadius - 1.0) < 0.15);
        QVERIFY(meanRadius > 0.75 * bond && meanRadius < 1.0 * bond);
        for (std::size_t i = 0; i < r.truth.size(); ++i) // every centre column belongs to one filled ring
            QCOMPARE(r.truth[i].label == 1, centreOwner[i] >= 0);
        const double fraction = double(filled) / r.rings.size();
        QVERIFY2(fraction >= 0.30 - 1e-3 && fraction <= 0.40 + 1e-3, qPrintable(QString("filled %1").arg(fraction)));

        // Level 2: rings sharing an edge. Every interior edge is shared by exactly two rings, so all
        // three kinds of pairs (hollow-hollow, hollow-filled, filled-filled) appear.
        std::map<std::pair<int, int>, std::vector<int>> ringsOfEdge;
        for (std::size_t k = 0; k < r.rings.size(); ++k)
            for (int m = 0; m < 5; ++m) {
                const int a = r.rings[k][m], b = r.rings[k][(m + 1) % 5];
                ringsOfEdge[{std::min(a, b), std::max(a, b)}].push_back(int(k));
            }
        int pairs[3] = {0, 0, 0};
        for (const auto& [edge, owners] : ringsOfEdge) {
            QVERIFY(owners.size() <= 2);
            if (owners.size() == 2)
                pairs[r.ringFilled[owners[0]] + r.ringFilled[owners[1]]]++;
        }
        QVERIFY(pairs[0] > 0 && pairs[1] > 0 && pairs[2] > 0);
        // Interior four-valent vertices join four rings, three-valent ones three.
        std::map<int, int> ringsPerVertex;
        for (const auto& ring : r.rings)
            for (int v : ring)
                ringsPerVertex[v]++;
        int three = 0, four = 0;
        for (const auto& [v, count] : ringsPerVertex) {
            QVERIFY(count <= 4);
            three += count == 3;
            four += count == 4;
        }
        QVERIFY(three > 1.5 * four && three < 2.5 * four); // two three-valent per four-valent vertex
    }
}

QTEST_GUILESS_MAIN(TestSynthTruth)
#include "test_synth_truth.moc"
