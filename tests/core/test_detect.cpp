// Column detection on images with known truth rendered here (independent of the synth presets):
// lattices of Gaussian columns at sub-pixel positions, rotated, with noise and background.
#include "core/detect/column_detector.h"
#include "core/detect/columns_csv.h"
#include "core/detect/lattice_period.h"
#include "core/detect/peak_finder.h"
#include "core/image/finite_image.h"
#include "core/io/readers.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "synth_truth_match.h"
#include "core/util/progress.h"
#include "test_support.h"

#include <QtTest>

#include <opencv2/core.hpp>

#include <cmath>
#include <fstream>
#include <random>

using namespace motifscope;

namespace {

struct Truth
{
    double x, y, amplitude;
};

/** A rotated lattice (square, or honeycomb with two species) of Gaussian columns, plus noise. */
struct Scene
{
    Micrograph image;
    std::vector<Truth> truth;
};

Scene renderLattice(int size, double spacing, double angleDeg, bool honeycomb, double noise, unsigned seed,
                    double sigmaFraction = 0.13)
{
    Scene s;
    s.image.width = s.image.height = size;
    s.image.pixels.assign(std::size_t(size) * size, 0.0f);
    s.image.dtype = "float32";
    const double a = angleDeg * M_PI / 180.0;
    const double ca = std::cos(a), sa = std::sin(a);
    const double sigma = sigmaFraction * spacing;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> offset(0.0, spacing);
    const double ox = offset(rng), oy = offset(rng);
    // Lattice vectors: square (spacing), or honeycomb with nearest-neighbour distance `spacing`.
    std::vector<std::array<double, 3>> basis; // (bx, by, amplitude) in lattice frame
    double a1x, a1y, a2x, a2y;
    if (honeycomb) {
        const double lc = spacing * std::sqrt(3.0);
        a1x = lc, a1y = 0, a2x = lc / 2, a2y = lc * std::sqrt(3.0) / 2;
        basis = {{0, 0, 1.0}, {lc / 2, lc / (2 * std::sqrt(3.0)), 0.55}};
    } else {
        a1x = spacing, a1y = 0, a2x = 0, a2y = spacing;
        basis = {{0, 0, 1.0}};
    }
    const int range = int(2 * size / spacing) + 4;
    for (int i = -range; i <= range; ++i) {
        for (int j = -range; j <= range; ++j) {
            for (const auto& b : basis) {
                const double lx = i * a1x + j * a2x + b[0] + ox, ly = i * a1y + j * a2y + b[1] + oy;
                const double x = size / 2.0 + ca * lx - sa * ly, y = size / 2.0 + sa * lx + ca * ly;
                if (x < 0 || y < 0 || x > size - 1 || y > size - 1)
                    continue;
                s.truth.push_back({x, y, b[2]});
                const int r = int(std::ceil(4 * sigma));
                for (int py = std::max(0, int(y) - r); py <= std::min(size - 1, int(y) + r + 1); ++py)
                    for (int px = std::max(0, int(x) - r); px <= std::min(size - 1, int(x) + r + 1); ++px)
                        s.image.at(px, py) += float(b[2] * std::exp(-((px - x) * (px - x) + (py - y) * (py - y))
                                                                    / (2 * sigma * sigma)));
            }
        }
    }
    std::normal_distribution<double> gauss(0.0, noise);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            s.image.at(x, y) += float(0.2 + 0.1 * x / size + gauss(rng)); // background slope + noise
    return s;
}

struct Score
{
    double f1 = 0, rmse = 0;
    int matched = 0;
};

/**
 * Greedy one-to-one matching within `tolerance` (each truth column in turn takes its nearest free found one). Precision counts found columns
 * and recall counts true columns farther than `margin` from the border.
 */
Score score(const AtomColumns& found, const std::vector<Truth>& truth, double tolerance, int size, double margin)
{
    auto inside = [&](double x, double y) {
        return x >= margin && y >= margin && x <= size - 1 - margin && y <= size - 1 - margin;
    };
    const std::vector<int> matchOfTruth = test::matchInTurn(truth, found, tolerance);
    std::vector<int> matchOfFound(found.size(), -1);
    for (std::size_t t = 0; t < truth.size(); ++t)
        if (matchOfTruth[t] >= 0)
            matchOfFound[std::size_t(matchOfTruth[t])] = int(t);
    int truthInside = 0, truthMatched = 0, foundInside = 0, foundMatched = 0;
    double sq = 0;
    for (std::size_t t = 0; t < truth.size(); ++t) {
        if (!inside(truth[t].x, truth[t].y))
            continue;
        ++truthInside;
        if (matchOfTruth[t] >= 0) {
            const double distance = test::pointDistance(found[std::size_t(matchOfTruth[t])], truth[t]);
            ++truthMatched, sq += distance * distance;
        }
    }
    for (std::size_t i = 0; i < found.size(); ++i) {
        if (!inside(found[i].x, found[i].y))
            continue;
        ++foundInside;
        foundMatched += matchOfFound[i] >= 0;
    }
    Score s;
    s.matched = truthMatched;
    const double precision = foundInside ? double(foundMatched) / foundInside : 0;
    const double recall = truthInside ? double(truthMatched) / truthInside : 0;
    s.f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    s.rmse = truthMatched ? std::sqrt(sq / truthMatched) : 1e9;
    return s;
}

} // namespace

class TestDetect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void periodIsEstimated_data();
    void periodIsEstimated();
    void powerProfileIsTheComplexTransforms_data();
    void powerProfileIsTheComplexTransforms();
    void findsColumnsToSubPixel_data();
    void findsColumnsToSubPixel();
    void synthMixedLatticeAccuracy_data();
    void synthMixedLatticeAccuracy();
    void refinementBeatsIntegerPositions();
    void noiseOnlyImageGivesFewColumns();
    void columnsLieInsideTheImage();
    void nonFiniteImagesDoNotBreakDetection();
    void suppressionKeepsTheHighest();
    void otsuSplitsTwoPopulations();
    void cancelStopsDetection();
    void csvRoundTrip();
};

void TestDetect::periodIsEstimated_data()
{
    QTest::addColumn<double>("spacing");
    QTest::addColumn<double>("angle");
    QTest::addColumn<bool>("honeycomb");
    QTest::newRow("square 12px 0deg") << 12.0 << 0.0 << false;
    QTest::newRow("square 9.3px 27deg") << 9.3 << 27.0 << false;
    QTest::newRow("square 21px 61deg") << 21.0 << 61.0 << false;
    QTest::newRow("honeycomb 10px 13deg") << 10.0 << 13.0 << true;
    QTest::newRow("honeycomb 16px 44deg") << 16.0 << 44.0 << true;
}

void TestDetect::periodIsEstimated()
{
    QFETCH(double, spacing);
    QFETCH(double, angle);
    QFETCH(bool, honeycomb);
    const Scene s = renderLattice(384, spacing, angle, honeycomb, 0.03, 11);
    const double period = estimateLatticePeriod(s.image);
    QVERIFY2(std::abs(period / spacing - 1.0) < 0.05, qPrintable(QStringLiteral("estimated %1").arg(period)));
}

void TestDetect::powerProfileIsTheComplexTransforms_data()
{
    QTest::addColumn<int>("side");
    QTest::newRow("power of two (packed, in place)") << 256;
    QTest::newRow("other even side (complex output)") << 250;
}

/** The profile equals, bit for bit, one summed in the same order from the full complex transform. */
void TestDetect::powerProfileIsTheComplexTransforms()
{
    QFETCH(int, side);
    const Scene s = renderLattice(300, 9.3, 27.0, false, 0.05, 4);
    const FloatImage image = withFiniteValues(s.image);
    const int x0 = (image.width - side) / 2, y0 = (image.height - side) / 2;
    cv::Mat crop(side, side, CV_32F);
    double mean = 0.0;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
            mean += image.at(x0 + x, y0 + y);
    mean /= double(side) * side;
    std::vector<double> window(std::size_t(side), 0.0);
    for (int i = 0; i < side; ++i)
        window[std::size_t(i)] = 0.5 - 0.5 * std::cos(2.0 * M_PI * (i + 0.5) / side);
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
            crop.at<float>(y, x) =
                float((image.at(x0 + x, y0 + y) - mean) * window[std::size_t(x)] * window[std::size_t(y)]);
    cv::Mat spectrum;
    cv::dft(crop, spectrum, cv::DFT_COMPLEX_OUTPUT);
    const int half = side / 2;
    std::vector<double> expected(std::size_t(half) + 1, 0.0);
    std::vector<int> count(std::size_t(half) + 1, 0);
    for (int v = 0; v < side; ++v)
        for (int u = 0; u < side; ++u) {
            const int fx = u <= half ? u : u - side, fy = v <= half ? v : v - side;
            const int r = int(std::lround(std::sqrt(double(fx * fx + fy * fy))));
            if (r > half)
                continue;
            const cv::Vec2f c = spectrum.at<cv::Vec2f>(v, u);
            expected[std::size_t(r)] += double(c[0]) * c[0] + double(c[1]) * c[1];
            ++count[std::size_t(r)];
        }
    for (int r = 0; r <= half; ++r)
        expected[std::size_t(r)] = count[std::size_t(r)] ? expected[std::size_t(r)] / count[std::size_t(r)] : 0.0;
    const std::vector<double> profile = radialPowerProfile(image, side);
    QCOMPARE(profile.size(), expected.size());
    for (std::size_t r = 0; r < profile.size(); ++r)
        QVERIFY2(profile[r] == expected[r], qPrintable(QStringLiteral("r = %1: %2 against %3")
                                                           .arg(r).arg(profile[r], 0, 'g', 17).arg(expected[r], 0, 'g', 17)));
}

void TestDetect::findsColumnsToSubPixel_data()
{
    QTest::addColumn<double>("spacing");
    QTest::addColumn<double>("angle");
    QTest::addColumn<bool>("honeycomb");
    QTest::addColumn<double>("noise");
    QTest::newRow("square clean") << 12.0 << 17.0 << false << 0.02;
    QTest::newRow("square noisy") << 12.0 << 33.0 << false << 0.08;
    QTest::newRow("honeycomb two species") << 11.0 << 8.0 << true << 0.04;
}

void TestDetect::findsColumnsToSubPixel()
{
    QFETCH(double, spacing);
    QFETCH(double, angle);
    QFETCH(bool, honeycomb);
    QFETCH(double, noise);
    const Scene s = renderLattice(400, spacing, angle, honeycomb, noise, 5);
    const DetectionResult r = detectColumns(s.image, DetectionParams{});
    const Score sc = score(r.columns, s.truth, 0.3 * spacing, 400, spacing);
    qInfo("%zu columns, F1 %.4f, RMSE %.3f px, period %.2f", r.columns.size(), sc.f1, sc.rmse, r.used.period);
    QVERIFY2(sc.f1 >= 0.995, qPrintable(QString::number(sc.f1)));
    QVERIFY2(sc.rmse <= 0.1, qPrintable(QString::number(sc.rmse)));
}

void TestDetect::synthMixedLatticeAccuracy_data()
{
    QTest::addColumn<double>("dose");
    QTest::addColumn<double>("jitter");
    QTest::addColumn<double>("maxRmse");
    QTest::addColumn<double>("astigmatism");
    // Moderate dose (200 counts at a bright column peak) without and with 0.3 px rms scan-row jitter
    // (truth holds the unjittered positions, so jitter the corrector cannot see stays as error).
    QTest::newRow("dose 200") << 200.0 << 0.0 << 0.1 << 1.0;
    QTest::newRow("dose 200, jitter 0.3 px") << 200.0 << 0.3 << 0.1 << 1.0;
    QTest::newRow("dose 1000") << 1000.0 << 0.0 << 0.05 << 1.0;
    QTest::newRow("dose 1000, jitter 0.3 px") << 1000.0 << 0.3 << 0.075 << 1.0;
    // Low dose: the row shifts are measured less well; the correction must still help, not hurt.
    QTest::newRow("dose 50") << 50.0 << 0.0 << 0.15 << 1.0;
    QTest::newRow("dose 50, jitter 0.3 px") << 50.0 << 0.3 << 0.2 << 1.0;
    // An astigmatic probe (every column elliptical, axes 1.5:1, tilted): the column shapes must
    // not be taken for a ramp of row shifts that shears the lattice (the real PZO image).
    QTest::newRow("dose 200, jitter 0.3 px, astigmatic 1.5") << 200.0 << 0.3 << 0.12 << 1.5;
}

void TestDetect::synthMixedLatticeAccuracy()
{
    QFETCH(double, dose);
    QFETCH(double, jitter);
    QFETCH(double, maxRmse);
    QFETCH(double, astigmatism);
    synth::SynthOptions o = test::synthOptions("mixed-lattice", 768, 21, dose);
    o.jitter = jitter;
    o.astigmatism = astigmatism;
    const synth::SynthResult scene = synth::synthesize(o);
    std::vector<Truth> truth;
    for (const auto& t : scene.truth)
        truth.push_back({t.x, t.y, 1.0});
    const DetectionResult r = detectColumns(scene.image, DetectionParams{});
    const Score sc = score(r.columns, truth, 0.3 * scene.latticePeriod, o.size, scene.latticePeriod);
    qInfo("dose %.0f jitter %.1f: %zu columns, F1 %.4f, RMSE %.3f px, jitter removed %.2f px", dose, jitter,
          r.columns.size(), sc.f1, sc.rmse, r.scanJitterRms);
    QVERIFY2(sc.f1 >= 0.995, qPrintable(QString::number(sc.f1)));
    QVERIFY2(sc.rmse <= maxRmse, qPrintable(QString::number(sc.rmse)));
    QVERIFY(std::abs(r.used.period / scene.latticePeriod - 1.0) < 0.03);
}

void TestDetect::refinementBeatsIntegerPositions()
{
    const Scene s = renderLattice(300, 12.0, 21.0, false, 0.03, 9);
    DetectionParams p;
    p.refine = false;
    const Score raw = score(detectColumns(s.image, p).columns, s.truth, 3.6, 300, 12);
    const Score refined = score(detectColumns(s.image, DetectionParams{}).columns, s.truth, 3.6, 300, 12);
    QVERIFY(raw.rmse > 0.25); // integer positions: about 0.4 px
    QVERIFY(refined.rmse < raw.rmse / 4);
}

// A column cut by the border can fit to a centre beyond it: on the bundled MoSe2 sample the joint
// fit put 27 of 389 columns 1-4.5 px above the top row (atoms outside the field of view).
void TestDetect::columnsLieInsideTheImage()
{
    const Micrograph image = readMicrograph(test::sourcePath("resources/MoSe2_80K_small_region.tif"));
    const auto r = detectColumns(image, DetectionParams{});
    QVERIFY2(r.columns.size() >= 350, qPrintable(QString::number(r.columns.size())));
    int outside = 0;
    for (const AtomColumn& c : r.columns)
        outside += c.x < -0.5 || c.y < -0.5 || c.x > image.width - 0.5 || c.y > image.height - 0.5;
    QCOMPARE(outside, 0);
}

void TestDetect::noiseOnlyImageGivesFewColumns()
{
    Scene s = renderLattice(256, 12.0, 0.0, false, 0.05, 3);
    // Empty the right half (a hole in the specimen): no column may be reported there.
    for (int y = 0; y < 256; ++y)
        for (int x = 128; x < 256; ++x)
            s.image.at(x, y) = 0.2f + float((x * 7 + y * 13) % 11) * 0.005f;
    DetectionParams p;
    p.period = 12.0;
    const auto r = detectColumns(s.image, p);
    int inHole = 0;
    for (const auto& c : r.columns)
        inHole += c.x > 134;
    QCOMPARE(inHole, 0);
    QVERIFY(r.columns.size() > 150);
}

void TestDetect::nonFiniteImagesDoNotBreakDetection()
{
    Scene s = renderLattice(200, 10.0, 5.0, false, 0.02, 4);
    for (int i = 0; i < 200; ++i)
        s.image.at(i, 100) = std::numeric_limits<float>::quiet_NaN();
    s.image.at(3, 3) = std::numeric_limits<float>::infinity();
    const auto r = detectColumns(s.image, DetectionParams{});
    QVERIFY(r.columns.size() > 300);
    for (const auto& c : r.columns)
        QVERIFY(std::isfinite(c.x) && std::isfinite(c.y) && std::isfinite(c.intensity));
}

void TestDetect::suppressionKeepsTheHighest()
{
    std::vector<PeakCandidate> c = {{10, 10, 1.0f}, {12, 10, 2.0f}, {30, 30, 0.5f}, {31, 30, 0.4f}};
    const auto kept = suppressNonMaxima(c, 3.0);
    QCOMPARE(kept.size(), std::size_t(2));
    QCOMPARE(kept[0].x, 12);
    QCOMPARE(kept[1].x, 30);
}

void TestDetect::otsuSplitsTwoPopulations()
{
    std::vector<float> v;
    for (int i = 0; i < 100; ++i)
        v.push_back(1.0f + 0.01f * (i % 10)), v.push_back(5.0f + 0.01f * (i % 10));
    const float t = otsuThreshold(v);
    QVERIFY(t > 1.09f && t <= 5.0f);
}

void TestDetect::cancelStopsDetection()
{
    const Scene s = renderLattice(512, 10.0, 3.0, false, 0.03, 2);
    Progress progress;
    progress.cancel();
    QVERIFY_THROWS_EXCEPTION(OperationCancelled, detectColumns(s.image, DetectionParams{}, &progress));

    std::vector<double> reports;
    Progress watched([&](double f, const std::string&) { reports.push_back(f); });
    detectColumns(s.image, DetectionParams{}, &watched);
    QVERIFY(reports.size() >= 3);
    QCOMPARE(reports.back(), 1.0);
    QVERIFY(std::is_sorted(reports.begin(), reports.end()));
}

void TestDetect::csvRoundTrip()
{
    const Scene s = renderLattice(160, 10.0, 12.0, false, 0.02, 8);
    auto r = detectColumns(s.image, DetectionParams{});
    QVERIFY(r.columns.size() > 3);
    // Position sigmas as the fit gives them (and one column without: added by hand).
    for (std::size_t i = 0; i < r.columns.size(); ++i)
        r.columns[i].positionSigma = i == 1 ? 0.0f : 0.0123f + 0.001f * float(i % 17);
    test::TempDir dir;
    writeColumnsCsv(r.columns, dir.file("c.csv"));
    {
        std::ifstream in(dir.file("c.csv"));
        std::string header;
        std::getline(in, header);
        QCOMPARE(header, std::string("x,y,intensity,width,background,residual,refinement,sigma_px"));
    }
    const AtomColumns back = readColumnsCsv(dir.file("c.csv"));
    QCOMPARE(back.size(), r.columns.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
        QVERIFY(std::abs(back[i].x - r.columns[i].x) < 1e-4);
        QVERIFY(std::abs(back[i].y - r.columns[i].y) < 1e-4);
        QVERIFY(std::abs(back[i].positionSigma - r.columns[i].positionSigma) <= 1e-4f * r.columns[i].positionSigma);
    }
    QCOMPARE(back[1].positionSigma, 0.0f);
    // Files without sigma_px (older files, other programs) read as "not known"; columns in any order.
    {
        std::ofstream old(dir.file("old.csv"));
        old << "y,x,intensity\n2.5,1.25,7\n4,3,8\n";
    }
    const AtomColumns plain = readColumnsCsv(dir.file("old.csv"));
    QCOMPARE(plain.size(), std::size_t(2));
    QCOMPARE(plain[0].x, 1.25);
    QCOMPARE(plain[0].positionSigma, 0.0f);
    {
        std::ofstream negative(dir.file("negative.csv"));
        negative << "x,y,sigma_px\n1,2,0.1\n3,4,-0.1\n";
    }
    QVERIFY_THROWS_EXCEPTION(IoError, readColumnsCsv(dir.file("negative.csv")));
    {
        std::ofstream bad(dir.file("bad.csv"));
        bad << "x,y\n1,2\n3,abc\n";
    }
    QVERIFY_THROWS_EXCEPTION(IoError, readColumnsCsv(dir.file("bad.csv")));
}

QTEST_GUILESS_MAIN(TestDetect)
#include "test_detect.moc"
