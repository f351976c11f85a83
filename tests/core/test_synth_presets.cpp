// The synthetic presets for the detection failure classes (weak-sublattice, nanoparticle,
// isolated-atoms, dumbbells): their truth must match their images, since detection-quality tests
// score against it. Checked on noise-free images: every truth column is a bright spot, the designed
// ratios and separations are what the image shows, the support film is texture but not truth, and
// the same options give the same bytes. (How well detection does on them is tested elsewhere.)
#include "core/synth/synth.h"
#include "synth_options.h"
#include "synth_pixels.h"

#include <QtTest>

#include <tbb/global_control.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <numeric>

using namespace motifscope;
using namespace motifscope::synth;
using motifscope::test::cleanSynthOptions;
using motifscope::test::synthOptions;
using motifscope::test::pixelAt;
using motifscope::test::sameBits;

class TestSynthPresets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void presetsAndBadOptions();
    void sameOptionsSameBytes_data();
    void sameOptionsSameBytes();
    void truthInsideImageWithNames_data();
    void truthInsideImageWithNames();
    void truthSitsOnBrightSpots_data();
    void truthSitsOnBrightSpots();
    void weakSublatticePeakRatio_data();
    void weakSublatticePeakRatio();
    void dumbbellPairSeparation_data();
    void dumbbellPairSeparation();
    void nanoparticleOnFilmWithVacuum();
    void isolatedAtomsOnGradient();
    void lowDoseIsAccepted();
};

namespace {

/** Mean of the image on a circle of `radius` around (x, y) (points outside the image skipped). */
double ringMean(const Micrograph& image, double x, double y, double radius)
{
    double sum = 0.0;
    int n = 0;
    for (int k = 0; k < 32; ++k) {
        const double px = x + radius * std::cos(k * M_PI / 16.0), py = y + radius * std::sin(k * M_PI / 16.0);
        if (px < 0.0 || py < 0.0 || px > image.width - 1.0 || py > image.height - 1.0)
            continue;
        sum += pixelAt(image, px, py);
        ++n;
    }
    return n ? sum / n : 0.0;
}

/** Smallest pixel in the square of half-width `reach` around (x, y). */
double localMinimum(const Micrograph& image, double x, double y, int reach)
{
    const int cx = static_cast<int>(std::lround(x)), cy = static_cast<int>(std::lround(y));
    double least = 1e300;
    for (int iy = std::max(0, cy - reach); iy <= std::min(image.height - 1, cy + reach); ++iy)
        for (int ix = std::max(0, cx - reach); ix <= std::min(image.width - 1, cx + reach); ++ix)
            least = std::min(least, double(image.pixels[static_cast<std::size_t>(iy) * image.width + ix]));
    return least;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    const std::size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + mid, values.end());
    return values[mid];
}

/** Index of the nearest other truth column (brute force: the presets here are small). */
int nearestOther(const std::vector<TruthColumn>& truth, std::size_t i)
{
    int best = -1;
    double bestD = 1e300;
    for (std::size_t j = 0; j < truth.size(); ++j) {
        const double d = std::hypot(truth[j].x - truth[i].x, truth[j].y - truth[i].y);
        if (j != i && d < bestD) {
            bestD = d;
            best = static_cast<int>(j);
        }
    }
    return best;
}

const char* const kNewPresets[] = {"weak-sublattice", "nanoparticle", "isolated-atoms", "dumbbells"};

void addPresetRows()
{
    QTest::addColumn<QString>("preset");
    for (const char* p : kNewPresets)
        QTest::newRow(p) << QString::fromLatin1(p);
}

} // namespace

void TestSynthPresets::presetsAndBadOptions()
{
    const auto names = presetNames();
    for (const char* p : kNewPresets)
        QVERIFY2(std::find(names.begin(), names.end(), p) != names.end(), p);
    QVERIFY(std::find(names.begin(), names.end(), "low-dose") == names.end()); // that is --dose

    auto throws = [](SynthOptions o) {
        try {
            synthesize(o);
        } catch (const std::invalid_argument& e) {
            return QString::fromLatin1(e.what());
        }
        return QString();
    };
    SynthOptions o = synthOptions("weak-sublattice", 64, 1);
    for (double bad : {0.01, 0.049, 1.01, 7.0, -0.2, std::nan("")}) {
        o.ratio = bad;
        QVERIFY2(throws(o).contains("ratio"), qPrintable(QString::number(bad)));
    }
    o.ratio = 0.05;
    QVERIFY(throws(o).isEmpty());
    o = synthOptions("mixed-lattice", 64, 1);
    o.ratio = 0.3;
    QVERIFY(throws(o).contains("weak-sublattice"));

    o = synthOptions("dumbbells", 64, 1);
    for (double bad : {0.5, 0.99, 4.01, 10.0, std::nan("")}) {
        o.pairSigma = bad;
        QVERIFY2(throws(o).contains("pair sigma"), qPrintable(QString::number(bad)));
    }
    o.pairSigma = 4.0;
    QVERIFY(throws(o).isEmpty());
    o = synthOptions("weak-sublattice", 64, 1);
    o.pairSigma = 2.0;
    QVERIFY(throws(o).contains("dumbbells"));
}

void TestSynthPresets::sameOptionsSameBytes_data() { addPresetRows(); }

void TestSynthPresets::sameOptionsSameBytes()
{
    QFETCH(QString, preset);
    SynthOptions o = synthOptions(preset.toStdString(), 256, 11);
    const SynthResult a = synthesize(o);
    SynthResult b;
    {
        tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        b = synthesize(o);
    }
    QVERIFY(sameBits(a.image.pixels, b.image.pixels));
    QCOMPARE(a.truth.size(), b.truth.size());
    for (std::size_t i = 0; i < a.truth.size(); ++i) {
        QVERIFY(std::memcmp(&a.truth[i].x, &b.truth[i].x, sizeof(double)) == 0);
        QVERIFY(std::memcmp(&a.truth[i].y, &b.truth[i].y, sizeof(double)) == 0);
        QCOMPARE(a.truth[i].label, b.truth[i].label);
    }
    QCOMPARE(a.image.metadata, b.image.metadata);

    o.seed = 12;
    const SynthResult c = synthesize(o);
    QVERIFY(!sameBits(a.image.pixels, c.image.pixels));
    QVERIFY(a.truth.size() != c.truth.size() || a.truth[0].x != c.truth[0].x);

    // The preset's own option changes the bytes too.
    o.seed = 11;
    if (preset == "weak-sublattice")
        o.ratio = 0.4;
    else if (preset == "dumbbells")
        o.pairSigma = 3.0;
    else
        return;
    QVERIFY(!sameBits(a.image.pixels, synthesize(o).image.pixels));
}

void TestSynthPresets::truthInsideImageWithNames_data() { addPresetRows(); }

void TestSynthPresets::truthInsideImageWithNames()
{
    QFETCH(QString, preset);
    for (std::uint64_t seed : {1, 2, 3}) {
        const SynthResult r = synthesize(synthOptions(preset.toStdString(), 512, seed));
        QVERIFY(r.truth.size() > 50);
        QVERIFY(!r.labelNames.empty() && !r.speciesNames.empty() && !r.motifNames.empty());
        std::vector<int> perLabel(r.labelNames.size(), 0);
        double nearestBorder = 1e300;
        for (const TruthColumn& c : r.truth) {
            QVERIFY(c.x >= 0.0 && c.y >= 0.0 && c.x <= 511.0 && c.y <= 511.0);
            QVERIFY(c.label >= 0 && c.label < int(r.labelNames.size()));
            QVERIFY(c.species >= 0 && c.species < int(r.speciesNames.size()));
            QVERIFY(c.motif >= 0 && c.motif < int(r.motifNames.size()));
            QCOMPARE(c.grain, 0);
            perLabel[std::size_t(c.label)]++;
            nearestBorder = std::min({nearestBorder, c.x, c.y, 511.0 - c.x, 511.0 - c.y});
        }
        for (int n : perLabel) // every label occurs
            QVERIFY(n > 0);
        // Lattices fill the image: columns whose centre is inside are truth, even at the very edge.
        if (preset == "weak-sublattice" || preset == "dumbbells")
            QVERIFY2(nearestBorder < 0.25 * r.latticePeriod, qPrintable(QString::number(nearestBorder)));
        QCOMPARE(QString::fromStdString(r.image.metadata.at("Synth.Columns")), QString::number(r.truth.size()));
        QVERIFY(std::fabs(r.columnSigma - 0.13 * r.latticePeriod) < 1e-12);
    }
}

void TestSynthPresets::truthSitsOnBrightSpots_data() { addPresetRows(); }

void TestSynthPresets::truthSitsOnBrightSpots()
{
    // Noise-free: the pixel at each truth column stands above the image 0.45 period around it.
    QFETCH(QString, preset);
    const SynthOptions o = cleanSynthOptions(preset.toStdString(), 512, 5);
    const SynthResult r = synthesize(o);
    int weakOnes = 0, weakBright = 0;
    for (const TruthColumn& c : r.truth) {
        const double contrast = (pixelAt(r.image, c.x, c.y) - ringMean(r.image, c.x, c.y, 0.45 * r.latticePeriod)) / o.dose;
        // Nanoparticle surface columns are as weak as the film's speckle by design: most, not all, stand out.
        if (preset == "nanoparticle" && c.label == 1) {
            ++weakOnes;
            weakBright += contrast > 0.0;
            continue;
        }
        // B columns peak at 0.2 x A; the particle's columns next to its surface at about 0.2.
        const double least = (preset == "weak-sublattice" && c.label == 1) || preset == "nanoparticle" ? 0.08 : 0.3;
        QVERIFY2(contrast > least, qPrintable(QString("(%1, %2) label %3: contrast %4")
                                                  .arg(c.x).arg(c.y).arg(c.label).arg(contrast)));
    }
    if (preset == "nanoparticle") {
        QVERIFY(weakOnes > 20);
        QVERIFY2(weakBright >= 0.9 * weakOnes, qPrintable(QString("%1 of %2").arg(weakBright).arg(weakOnes)));
    }
    // Where the columns stand apart, the brightest pixel near a column is at most a pixel from it.
    if (preset == "weak-sublattice" || preset == "isolated-atoms") {
        for (const TruthColumn& c : r.truth) {
            const int cx = int(std::lround(c.x)), cy = int(std::lround(c.y));
            int bx = cx, by = cy;
            for (int y = std::max(0, cy - 3); y <= std::min(511, cy + 3); ++y)
                for (int x = std::max(0, cx - 3); x <= std::min(511, cx + 3); ++x)
                    if (r.image.pixels[std::size_t(y) * 512 + x] > r.image.pixels[std::size_t(by) * 512 + bx])
                        bx = x, by = y;
            QVERIFY2(std::hypot(bx - c.x, by - c.y) <= 1.0, qPrintable(QString("(%1, %2)").arg(c.x).arg(c.y)));
        }
    }
}

void TestSynthPresets::weakSublatticePeakRatio_data()
{
    QTest::addColumn<double>("ratio");
    for (double ratio : {0.05, 0.1, 0.2, 0.5, 1.0})
        QTest::newRow(qPrintable(QString::number(ratio))) << ratio;
}

void TestSynthPresets::weakSublatticePeakRatio()
{
    QFETCH(double, ratio);
    SynthOptions o = cleanSynthOptions("weak-sublattice", 512, 3);
    o.ratio = ratio;
    const SynthResult r = synthesize(o);
    QCOMPARE(QString::fromStdString(r.image.metadata.at("Synth.Ratio")), QString::number(ratio));
    // Peak above the local background (the cell's darkest pixel), corrected for the sub-pixel offset.
    std::vector<double> peaks[2];
    int counts[2] = {0, 0};
    const double s2 = 2.0 * r.columnSigma * r.columnSigma;
    for (const TruthColumn& c : r.truth) {
        counts[c.label]++;
        const double dx = std::lround(c.x) - c.x, dy = std::lround(c.y) - c.y;
        const double background = localMinimum(r.image, c.x, c.y, int(r.latticePeriod));
        peaks[c.label].push_back((pixelAt(r.image, c.x, c.y) - background) * std::exp((dx * dx + dy * dy) / s2));
    }
    // One B per A: away from the border the two sublattices are equally many.
    QVERIFY2(std::abs(counts[0] - counts[1]) < 0.05 * counts[0], qPrintable(QString("%1 A, %2 B").arg(counts[0]).arg(counts[1])));
    const double measured = median(peaks[1]) / median(peaks[0]);
    QVERIFY2(std::fabs(measured / ratio - 1.0) < 0.10, qPrintable(QString("measured ratio %1").arg(measured)));
    // A to B is the period; A to A is sqrt(2) periods.
    for (std::size_t i = 0; i < r.truth.size(); i += 37) {
        const int j = nearestOther(r.truth, i);
        QVERIFY(std::fabs(std::hypot(r.truth[j].x - r.truth[i].x, r.truth[j].y - r.truth[i].y) - r.latticePeriod) < 1e-6);
        QVERIFY(r.truth[j].label != r.truth[i].label);
    }
}

void TestSynthPresets::dumbbellPairSeparation_data()
{
    QTest::addColumn<double>("pairSigma");
    for (double s : {1.0, 1.5, 2.5, 4.0})
        QTest::newRow(qPrintable(QString::number(s))) << s;
}

void TestSynthPresets::dumbbellPairSeparation()
{
    QFETCH(double, pairSigma);
    // A long period, so that each pair's image is free of its neighbours' tails.
    SynthOptions o = cleanSynthOptions("dumbbells", 512, 7);
    o.pairSigma = pairSigma;
    o.period = 60.0;
    const SynthResult r = synthesize(o);
    const double separation = pairSigma * r.columnSigma;
    std::vector<double> measured;
    for (std::size_t i = 0; i < r.truth.size(); ++i) {
        const TruthColumn& a = r.truth[i];
        if (a.label != 0 || std::min({a.x, a.y, 511.0 - a.x, 511.0 - a.y}) < separation + 1.0)
            continue; // (a partner may lie outside the image)
        // Its partner: the nearest column, of the other label, exactly pairSigma sigmas away.
        const TruthColumn& b = r.truth[std::size_t(nearestOther(r.truth, i))];
        QCOMPARE(b.label, 1);
        QVERIFY(std::fabs(std::hypot(a.x - b.x, a.y - b.y) - separation) < 1e-9);

        // The image: second moments of the pair's signal; two Gaussians of heights 1 and 0.7 and
        // sigma s, d apart, spread along their axis by s^2 + d^2 (1 x 0.7) / 1.7^2, across by s^2.
        // Summed within 3 sigma of either column (the nearest other pair's columns are 5 sigma off).
        const double mx = 0.5 * (a.x + b.x), my = 0.5 * (a.y + b.y);
        const double disc = 3.0 * r.columnSigma, reach = disc + 0.5 * separation;
        if (mx < reach || my < reach || mx > 511.0 - reach || my > 511.0 - reach)
            continue;
        const double background = localMinimum(r.image, mx, my, int(reach));
        double m0 = 0, mxs = 0, mys = 0, mxx = 0, myy = 0, mxy = 0;
        for (int y = int(std::ceil(my - reach)); y <= int(std::floor(my + reach)); ++y)
            for (int x = int(std::ceil(mx - reach)); x <= int(std::floor(mx + reach)); ++x) {
                if (std::hypot(x - a.x, y - a.y) > disc && std::hypot(x - b.x, y - b.y) > disc)
                    continue;
                const double w = r.image.pixels[std::size_t(y) * 512 + x] - background;
                const double dx = x - mx, dy = y - my;
                m0 += w, mxs += w * dx, mys += w * dy, mxx += w * dx * dx, myy += w * dy * dy, mxy += w * dx * dy;
            }
        const double cx = mxs / m0, cy = mys / m0;
        const double vxx = mxx / m0 - cx * cx, vyy = myy / m0 - cy * cy, vxy = mxy / m0 - cx * cy;
        const double spread = std::sqrt((vxx - vyy) * (vxx - vyy) + 4.0 * vxy * vxy); // largest minus smallest eigenvalue
        measured.push_back(std::sqrt(spread) * 1.7 / std::sqrt(0.7));
    }
    QVERIFY(measured.size() > 20);
    const double d = median(measured);
    QVERIFY2(std::fabs(d / separation - 1.0) < 0.05,
             qPrintable(QString("measured %1 px, planted %2 px").arg(d).arg(separation)));
}

void TestSynthPresets::nanoparticleOnFilmWithVacuum()
{
    for (std::uint64_t seed : {1, 2, 3, 4}) {
        const SynthOptions o = cleanSynthOptions("nanoparticle", 512, seed);
        const SynthResult r = synthesize(o);
        const double p = r.latticePeriod;
        const QString where = QString("seed %1").arg(seed);

        // One compact particle 40-60% of the image wide (its area as a disc's diameter).
        double cx = 0, cy = 0;
        for (const TruthColumn& c : r.truth)
            cx += c.x, cy += c.y;
        cx /= r.truth.size(), cy /= r.truth.size();
        const double columnArea = std::sqrt(8.0 / 3.0) * std::sqrt(4.0 / 3.0) * p * p / 2.0; // fcc [110]
        const double diameter = 2.0 * std::sqrt(r.truth.size() * columnArea / M_PI);
        QVERIFY2(diameter > 0.38 * 512 && diameter < 0.62 * 512, qPrintable(where + QString(": %1 px").arg(diameter)));
        for (const TruthColumn& c : r.truth)
            QVERIFY(std::hypot(c.x - cx, c.y - cy) < 0.8 * diameter);

        // Surface columns are those missing one of their six neighbours (4 at p, 2 at 1.155 p).
        std::vector<double> peak[2];
        for (std::size_t i = 0; i < r.truth.size(); ++i) {
            const TruthColumn& c = r.truth[i];
            int neighbours = 0;
            for (const TruthColumn& o2 : r.truth) {
                const double d = std::hypot(o2.x - c.x, o2.y - c.y);
                neighbours += d > 0.5 * p && d < 1.25 * p;
            }
            QCOMPARE(c.label, neighbours < 6 ? 1 : 0);
            QCOMPARE(c.motif, c.label);
            peak[c.label].push_back(pixelAt(r.image, c.x, c.y) - ringMean(r.image, c.x, c.y, 0.45 * p));
        }
        QVERIFY(peak[1].size() > 30 && peak[0].size() > peak[1].size());
        // Thicker towards the centre: edge columns are much weaker than the interior's.
        const double edge = median(peak[1]), interior = median(peak[0]);
        QVERIFY2(edge < 0.5 * interior, qPrintable(where + QString(": edge %1, interior %2").arg(edge).arg(interior)));

        // Vacuum: the corner beyond the film's edge holds only the flat dark level and no column.
        const std::string corner = r.image.metadata.at("Synth.VacuumCorner");
        const bool right = corner.find("right") != std::string::npos, bottom = corner.find("bottom") != std::string::npos;
        const double leg = 0.15 * 512;
        double vacuumMax = 0, vacuumMin = 1e300;
        for (int y = 0; y < 512; ++y)
            for (int x = 0; x < 512; ++x) {
                const double fromX = right ? 511 - x : x, fromY = bottom ? 511 - y : y;
                if (fromX + fromY > leg)
                    continue;
                const double v = r.image.pixels[std::size_t(y) * 512 + x];
                vacuumMax = std::max(vacuumMax, v), vacuumMin = std::min(vacuumMin, v);
            }
        QVERIFY2(vacuumMax - vacuumMin < 1e-3 * o.dose && vacuumMax < 0.02 * o.dose,
                 qPrintable(where + QString(": vacuum %1 .. %2").arg(vacuumMin).arg(vacuumMax)));
        for (const TruthColumn& c : r.truth)
            QVERIFY((right ? 511 - c.x : c.x) + (bottom ? 511 - c.y : c.y) > 0.3 * 512);

        // Film: a speckle of no lattice, away from particle and vacuum (the corner opposite the
        // vacuum), whose brightest bumps reach the weak edge columns' height.
        std::vector<double> film;
        const int x0 = right ? 8 : 512 - 8 - 80, y0 = bottom ? 8 : 512 - 8 - 80;
        for (int y = y0; y < y0 + 80; ++y)
            for (int x = x0; x < x0 + 80; ++x)
                if (std::hypot(x - cx, y - cy) > 0.5 * diameter + 2 * p)
                    film.push_back(r.image.pixels[std::size_t(y) * 512 + x]);
        QVERIFY(film.size() > 2000);
        const double level = median(film);
        std::sort(film.begin(), film.end());
        const double bumps = film[std::size_t(0.99 * film.size())] - level;
        QVERIFY2(level > 0.05 * o.dose, qPrintable(where + QString(": film level %1").arg(level)));
        QVERIFY2(bumps > 0.5 * edge && bumps < 2.0 * interior,
                 qPrintable(where + QString(": film bumps %1, edge columns %2").arg(bumps).arg(edge)));
        QVERIFY(std::stoi(r.image.metadata.at("Synth.FilmAtoms")) > 10 * int(r.truth.size()));
    }
}

void TestSynthPresets::isolatedAtomsOnGradient()
{
    for (std::uint64_t seed : {1, 2, 3}) {
        const SynthOptions o = cleanSynthOptions("isolated-atoms", 512, seed);
        const SynthResult r = synthesize(o);
        const QString where = QString("seed %1").arg(seed);
        // One atom per 2000 px^2, at least 2.5 periods apart, one label.
        QCOMPARE(int(r.truth.size()), int(std::lround(512.0 * 512.0 / 2000.0)));
        for (std::size_t i = 0; i < r.truth.size(); ++i) {
            QCOMPARE(r.truth[i].label, 0);
            const TruthColumn& n = r.truth[std::size_t(nearestOther(r.truth, i))];
            QVERIFY(std::hypot(n.x - r.truth[i].x, n.y - r.truth[i].y) >= 2.5 * r.latticePeriod);
        }
        // The background (block medians, atoms excluded by the median) rises at least 3x across the image.
        double lowest = 1e300, highest = 0;
        for (int by = 0; by < 512; by += 32)
            for (int bx = 0; bx < 512; bx += 32) {
                std::vector<double> block;
                for (int y = by; y < by + 32; ++y)
                    for (int x = bx; x < bx + 32; ++x)
                        block.push_back(r.image.pixels[std::size_t(y) * 512 + x]);
                const double m = median(block);
                lowest = std::min(lowest, m), highest = std::max(highest, m);
            }
        QVERIFY2(highest >= 3.0 * lowest, qPrintable(where + QString(": background %1 .. %2").arg(lowest).arg(highest)));
        QVERIFY2(highest <= 6.0 * lowest, qPrintable(where + QString(": background %1 .. %2").arg(lowest).arg(highest)));
        // The film is speckled: neighbouring pixels differ, even in the thinnest region.
        std::vector<double> steps;
        for (int y = 1; y < 511; y += 3)
            for (int x = 1; x < 511; x += 3) {
                bool nearAtom = false;
                for (const TruthColumn& c : r.truth)
                    nearAtom = nearAtom || std::hypot(c.x - x, c.y - y) < 4.0 * r.columnSigma;
                if (!nearAtom)
                    steps.push_back(std::fabs(r.image.pixels[std::size_t(y) * 512 + x] - r.image.pixels[std::size_t(y) * 512 + x + 2]));
            }
        QVERIFY2(median(steps) > 0.1 * lowest, qPrintable(where + QString(": speckle %1").arg(median(steps))));
        // The atoms stand well above it.
        for (const TruthColumn& c : r.truth)
            QVERIFY(pixelAt(r.image, c.x, c.y) - ringMean(r.image, c.x, c.y, 4.0 * r.columnSigma) > 0.5 * o.dose);
    }
}

void TestSynthPresets::lowDoseIsAccepted()
{
    // Low dose is the --dose option on any preset: 0.5 .. 10 counts at a bright peak.
    for (const char* preset : kNewPresets) {
        SynthOptions o = synthOptions(preset, 256, 9);
        o.dose = 0.5;
        const SynthResult noisy = synthesize(o);
        o.noise = false;
        const SynthResult expected = synthesize(o);
        double sum = 0, expectedSum = 0;
        for (std::size_t i = 0; i < noisy.image.pixels.size(); ++i) {
            QVERIFY(noisy.image.pixels[i] >= 0.0f && noisy.image.pixels[i] == std::floor(noisy.image.pixels[i]));
            sum += noisy.image.pixels[i];
            expectedSum += expected.image.pixels[i];
        }
        // Poisson: the total count is within 5 standard deviations of its mean.
        QVERIFY2(std::fabs(sum - expectedSum) < 5.0 * std::sqrt(expectedSum) + 1.0,
                 qPrintable(QString("%1: %2 counts, expected %3").arg(preset).arg(sum).arg(expectedSum)));
    }
}

QTEST_GUILESS_MAIN(TestSynthPresets)
#include "test_synth_presets.moc"
