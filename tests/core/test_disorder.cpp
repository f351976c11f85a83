/** Disorder measures on data built here with a known answer: entropies, continuity, ring statistics, psi_m. */

#include "core/disorder/disorder.h"

#include <QtTest>

#include <cmath>
#include <numbers>
#include <random>

using namespace motifscope;
using namespace motifscope::disorder;

namespace {

bool contains(const Interval& ci, double v)
{
    return ci.lo <= v && v <= ci.hi;
}

/** `perBlob` points in each of `blobs` round Gaussian blobs (sigma 1) on a circle of radius `radius`. */
void gaussianBlobs(int blobs, int perBlob, double radius, std::vector<Point2>& map, std::vector<int>& labels)
{
    std::mt19937 rng(5);
    std::normal_distribution<double> g(0.0, 1.0);
    for (int b = 0; b < blobs; ++b) {
        const double t = 2.0 * std::numbers::pi * b / blobs;
        for (int i = 0; i < perBlob; ++i) {
            map.push_back({radius * std::cos(t) + g(rng), radius * std::sin(t) + g(rng)});
            labels.push_back(b);
        }
    }
}

/** `n` points spread evenly along a curved band (a half circle of radius 50, width 2), cut into `classes` equal arcs. */
void continuousBand(int n, int classes, std::vector<Point2>& map, std::vector<int>& labels)
{
    std::mt19937 rng(6);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int i = 0; i < n; ++i) {
        const double s = u(rng), r = 50.0 + 2.0 * (u(rng) - 0.5), t = std::numbers::pi * s;
        map.push_back({r * std::cos(t), r * std::sin(t)});
        labels.push_back(std::min(classes - 1, int(s * classes)));
    }
}

/** A HierarchyResult holding only bonds, for psi_m. */
std::vector<std::pair<int, int>> latticeBonds(const std::vector<Point2>& p, double bond)
{
    std::vector<std::pair<int, int>> bonds;
    for (std::size_t i = 0; i < p.size(); ++i)
        for (std::size_t j = i + 1; j < p.size(); ++j)
            if (std::hypot(p[i].x - p[j].x, p[i].y - p[j].y) < 1.1 * bond)
                bonds.emplace_back(int(i), int(j));
    return bonds;
}

} // namespace

class TestDisorder : public QObject
{
    Q_OBJECT
private slots:
    void entropyOfKnownFractions();
    void entropyIntervalContainsThePlantedValue();
    void continuityOfSeparatedBlobsIsNearZero();
    void continuityOfOneContinuousRangeIsNearOne();
    void continuityRisesAsTheGapFills();
    void continuityWithinAMotifFollowsAGradient();
    void continuityWithinAMotifFollowsARiseAndFall();
    void continuityOfGrainsWithOffsetMapPointsIsNearZero();
    void continuityIgnoresAFewPointsStrungBetweenClouds();
    void bondOrderOfPerfectLattices();
    void ringStatisticsOfTheTruncatedSquareTiling();
    void sameInputSameBytes();
};

void TestDisorder::entropyOfKnownFractions()
{
    QCOMPARE(entropyBits({5, 5}), 1.0);
    QCOMPARE(entropyBits({3, 3, 3, 3}), 2.0);
    QCOMPARE(entropyBits({7, 0}), 0.0);
    QCOMPARE(entropyBits({}), 0.0);
    QVERIFY(std::fabs(entropyBits({2, 1, 1}) - 1.5) < 1e-12);
    QCOMPARE(motifsCovering95({90, 6, 4}), 2);
    QCOMPARE(motifsCovering95({95, 3, 2}), 1);
    QCOMPARE(motifsCovering95({25, 25, 25, 25}), 4);
    QCOMPARE(motifsCovering95({}), 0);
}

void TestDisorder::entropyIntervalContainsThePlantedValue()
{
    // Labels drawn with fractions 1/2, 1/4, 1/4 (1.5 bits) and some unassigned columns, which do not count.
    std::mt19937 rng(11);
    std::discrete_distribution<int> pick({2.0, 1.0, 1.0, 0.6});
    std::vector<int> labels(6000);
    for (int& l : labels) {
        l = pick(rng);
        if (l == 3)
            l = -1;
    }
    const Estimate e = labelEntropy(labels, BootstrapPlan{}, 1);
    QVERIFY2(std::fabs(e.value - 1.5) < 0.02, qPrintable(QString::number(e.value)));
    QVERIFY2(contains(e.ci, 1.5), qPrintable(QString("[%1, %2]").arg(e.ci.lo).arg(e.ci.hi)));
    QVERIFY(e.ci.hi - e.ci.lo < 0.05 && e.ci.hi - e.ci.lo > 0.001);
}

void TestDisorder::continuityOfSeparatedBlobsIsNearZero()
{
    std::vector<Point2> map;
    std::vector<int> labels;
    gaussianBlobs(4, 1500, 20.0, map, labels); // centres 28 sigma apart
    const Estimate c = motifContinuity(map, labels, BootstrapPlan{});
    QVERIFY2(c.value < 0.05, qPrintable(QString::number(c.value)));
    QVERIFY(c.ci.lo <= c.value && c.value <= c.ci.hi);
    // One motif: nothing lies between motifs.
    std::vector<int> one(labels.size(), 0);
    QCOMPARE(motifContinuity(map, one, BootstrapPlan{}).value, 0.0);
}

void TestDisorder::continuityOfOneContinuousRangeIsNearOne()
{
    for (int classes : {2, 4, 8}) {
        std::vector<Point2> map;
        std::vector<int> labels;
        continuousBand(6000, classes, map, labels);
        const Estimate c = motifContinuity(map, labels, BootstrapPlan{});
        QVERIFY2(c.value > 0.8, qPrintable(QString("%1 classes: %2").arg(classes).arg(c.value)));
    }
}

void TestDisorder::continuityRisesAsTheGapFills()
{
    // Two blobs joined by a bridge of uniformly spread points; more bridge points, shallower valley.
    double previous = -1.0;
    for (int bridge : {0, 100, 400, 1600}) {
        std::vector<Point2> map;
        std::vector<int> labels;
        gaussianBlobs(2, 2000, 6.0, map, labels);
        std::mt19937 rng(9);
        std::uniform_real_distribution<double> u(-6.0, 6.0), w(-1.0, 1.0);
        for (int i = 0; i < bridge; ++i) {
            const double x = u(rng);
            map.push_back({x, w(rng)});
            labels.push_back(x < 0 ? 1 : 0); // blob 0 sits at +6, blob 1 at -6
        }
        const double c = motifContinuity(map, labels, BootstrapPlan{}).value;
        QVERIFY2(c > previous, qPrintable(QString("bridge %1: %2 after %3").arg(bridge).arg(c).arg(previous)));
        previous = c;
    }
    QVERIFY(previous > 0.5);
}

void TestDisorder::continuityWithinAMotifFollowsAGradient()
{
    // Four separated blobs on the map, the columns on a 60 x 100 grid of the image. Map noise that
    // does not depend on where the column is: near 0. One blob whose map point moves with x (a
    // strain gradient) with a tenth of its spread as noise: its columns read about 0.99.
    std::vector<Point2> map, positions;
    std::vector<int> labels;
    gaussianBlobs(4, 1500, 20.0, map, labels);
    for (std::size_t i = 0; i < map.size(); ++i)
        positions.push_back({double(i % 60) * 10.0, double(i / 60) * 10.0});
    const Estimate noise = motifContinuity(map, labels, BootstrapPlan{}, &positions, &labels);
    QVERIFY2(noise.value < 0.05, qPrintable(QString::number(noise.value)));
    std::mt19937 random(4);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<Point2> graded = map;
    std::vector<int> one(map.size(), 0);
    for (std::size_t i = 0; i < map.size(); ++i)
        graded[i] = {positions[i].x / 60.0 + 0.1 * std::sqrt(3.0) * normal(random), normal(random) * 0.01};
    const std::map<int, double> within = continuityWithinMotifs(graded, one, positions);
    QVERIFY2(within.at(0) > 0.95, qPrintable(QString::number(within.at(0))));
    // One motif: no valley to measure, but the gradient is a continuum.
    QVERIFY(motifContinuity(graded, one, BootstrapPlan{}).value == 0.0);
    QVERIFY(motifContinuity(graded, one, BootstrapPlan{}, &positions, &one).value > 0.95);
}

void TestDisorder::continuityWithinAMotifFollowsARiseAndFall()
{
    // One motif on a 60 x 100 grid whose map point follows a strain that rises to the image's
    // middle and falls again (sin(pi x / W)), a tenth of its spread as noise: no plane explains it
    // (the linear fit read 0.00), the smooth trend does.
    std::mt19937 random(4);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<Point2> map, positions;
    for (int i = 0; i < 6000; ++i) {
        positions.push_back({double(i % 60) * 10.0, double(i / 60) * 10.0});
        const double bump = std::sin(std::numbers::pi * positions.back().x / 590.0);
        map.push_back({bump + 0.03 * normal(random), 0.03 * normal(random)});
    }
    const std::vector<int> one(map.size(), 0);
    const double c = continuityWithinMotifs(map, one, positions).at(0);
    QVERIFY2(c > 0.9, qPrintable(QString::number(c)));
    QVERIFY(continuityWithinMotifs(map, one, positions, 1).at(0) < 0.05);
    QVERIFY(motifContinuity(map, one, BootstrapPlan{}, &positions, &one).value > 0.9);
}

void TestDisorder::continuityOfGrainsWithOffsetMapPointsIsNearZero()
{
    // One lattice motif in two grains (left and right of a band of other columns 3 spacings wide)
    // whose map points differ by one noise spread: a step, not a continuum. A plane across the
    // image "explained" part of the step (0.08); one offset per spatial patch leaves nothing.
    std::mt19937 random(8);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<Point2> map, positions;
    for (int i = 0; i < 6000; ++i) {
        const double x = double(i % 60) * 10.0, y = double(i / 60) * 10.0;
        if (x >= 280.0 && x <= 300.0)
            continue; // the boundary band: columns of another motif, not on this motif's map
        positions.push_back({x, y});
        map.push_back({(x < 290.0 ? 0.0 : 1.0) + normal(random), normal(random)});
    }
    const std::vector<int> one(map.size(), 0);
    const double plane = continuityWithinMotifs(map, one, positions, 1).at(0);
    const double c = motifContinuity(map, one, BootstrapPlan{}, &positions, &one).value;
    QVERIFY2(c < 0.02, qPrintable(QString("%1 (plane %2)").arg(c).arg(plane)));
}

void TestDisorder::continuityIgnoresAFewPointsStrungBetweenClouds()
{
    // Two compact motifs 30 sigma apart, and six points strung between them (edge columns on the
    // map): a path of neighbours joins the clouds, yet almost no columns lie between them.
    std::vector<Point2> map;
    std::vector<int> labels;
    gaussianBlobs(2, 1500, 15.0, map, labels);
    for (int s = 1; s <= 6; ++s) {
        map.push_back({-12.0 + 24.0 * s / 7.0, 0.0});
        labels.push_back(s <= 3 ? 1 : 0);
    }
    const double c = motifContinuity(map, labels, BootstrapPlan{}).value;
    QVERIFY2(c < 0.05, qPrintable(QString::number(c)));
}

void TestDisorder::bondOrderOfPerfectLattices()
{
    std::vector<Point2> hex, square;
    for (int j = 0; j < 20; ++j)
        for (int i = 0; i < 20; ++i) {
            hex.push_back({i + 0.5 * (j % 2), j * std::sqrt(3.0) / 2.0});
            square.push_back({double(i), double(j)});
        }
    const Estimate hex6 = bondOrientationalOrder(hex, latticeBonds(hex, 1.0), 6, BootstrapPlan{});
    const Estimate square4 = bondOrientationalOrder(square, latticeBonds(square, 1.0), 4, BootstrapPlan{});
    const Estimate square6 = bondOrientationalOrder(square, latticeBonds(square, 1.0), 6, BootstrapPlan{});
    QVERIFY(std::fabs(hex6.value - 1.0) < 1e-9);
    QVERIFY(std::fabs(square4.value - 1.0) < 1e-9);
    // psi_6 of a square site: 0 with 4 bonds, 1/3 at an edge (3 bonds), 0 at a corner (2 bonds at 90 degrees).
    QVERIFY(square6.value < 0.06);
    QVERIFY(contains(hex6.ci, 1.0));
    QVERIFY(!bondOrientationalOrder(square, {}, 6, BootstrapPlan{}).defined());
}

void TestDisorder::ringStatisticsOfTheTruncatedSquareTiling()
{
    // The 4.8.8 tiling (unit bonds): every square has four octagon neighbours, m(4) = 8; every
    // octagon four squares and four octagons, m(8) = 6. <n> = 6, mu2 = 4, and n m(n) = 4 n + 16,
    // the Aboav-Weaire line with a = 2 exactly (slope 6 - a, intercept 6 a + mu2).
    const double period = 1.0 + std::sqrt(2.0), r = std::sqrt(0.5);
    std::vector<Point2> points;
    for (int j = 0; j < 40; ++j)
        for (int i = 0; i < 40; ++i)
            for (const auto& [dx, dy] : {std::pair{r, 0.0}, {0.0, r}, {-r, 0.0}, {0.0, -r}})
                points.push_back({i * period + dx, j * period + dy});
    HierarchyParams params;
    params.bondCutoff = 1.2;
    const HierarchyResult h = buildPolygonHierarchy(points, nullptr, params);
    const RingStatistics s = ringStatistics(h, BootstrapPlan{});
    QCOMPARE(s.sizes, (std::vector<int>{4, 8}));
    // Border octagons are not counted, so squares are slightly more than half: mean a little below 6.
    QVERIFY2(std::fabs(s.mean.value - (4.0 * s.fractions[0].value + 8.0 * s.fractions[1].value)) < 1e-9, "mean");
    QVERIFY2(std::fabs(s.mean.value - 6.0) < 0.1, qPrintable(QString::number(s.mean.value)));
    QVERIFY2(std::fabs(s.variance.value - 4.0) < 0.05, qPrintable(QString::number(s.variance.value)));
    QVERIFY(contains(s.mean.ci, s.mean.value));
    // Rings at the border miss some counted neighbours, so the fit is near, not at, a = 2.
    QVERIFY2(std::fabs(s.aboavWeaireA.value - 2.0) < 0.15, qPrintable(QString::number(s.aboavWeaireA.value)));
    QVERIFY2(std::fabs(s.aboavWeaireSlope - 4.0) < 0.15, qPrintable(QString::number(s.aboavWeaireSlope)));
    QVERIFY(contains(s.aboavWeaireA.ci, s.aboavWeaireA.value));
    QVERIFY(std::fabs(s.fractions[0].value - 0.5) < 0.03);
}

void TestDisorder::sameInputSameBytes()
{
    std::vector<Point2> map;
    std::vector<int> labels;
    gaussianBlobs(3, 500, 10.0, map, labels);
    const HierarchyResult h = buildPolygonHierarchy(map, &labels, HierarchyParams{});
    const DisorderInput in{&map, &labels, &h, &map, &labels};
    const std::string a = disorderJsonText(measureDisorder(in)), b = disorderJsonText(measureDisorder(in));
    QCOMPARE(a, b);
    QVERIFY(a.find("\"motif_entropy_bits_ci\": [") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestDisorder)
#include "test_disorder.moc"
