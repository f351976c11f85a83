// Disorder column by column (core/disorder/local_disorder): the local motif entropy is 0 inside a
// region of one motif, log2(K) where K motifs mix evenly, and rises across a boundary; |psi_6| per
// column is 1 in a perfect triangular lattice and lower where the neighbourhood is distorted.
#include "core/disorder/local_disorder.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace motifscope;
using namespace motifscope::disorder;

namespace {

/** A square lattice of spacing 10 (n x n points); motif 0 left of x = split, else motif 1 (or mixed). */
void squareLattice(int n, double split, bool mixRight, std::vector<Point2>& points, std::vector<int>& labels)
{
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
            points.push_back({10.0 * i + 5.0, 10.0 * j + 5.0});
            const bool right = points.back().x > split;
            labels.push_back(!right ? 0 : mixRight ? ((i + j) % 2 == 0 ? 1 : 2) : 1);
        }
}

} // namespace

class TestLocalDisorder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void entropyZeroInsideAndLog2KWhereMixed();
    void entropyPeaksAtTheBoundary();
    void psi6OfPerfectAndDistortedLattices();
    void undefinedWhereThereIsTooLittle();
};

void TestLocalDisorder::entropyZeroInsideAndLog2KWhereMixed()
{
    std::vector<Point2> points;
    std::vector<int> labels;
    squareLattice(40, 200.0, true, points, labels);
    const double radius = localEntropyRadius(points);
    QVERIFY(std::abs(radius - 25.0) < 1e-9); // 2.5 spacings
    const std::vector<double> h = localMotifEntropy(points, labels, radius);
    QCOMPARE(h.size(), points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (points[i].x < 200.0 - radius - 1.0)
            QCOMPARE(h[i], 0.0); // all motif 0
        else if (points[i].x > 200.0 + radius + 1.0)
            QVERIFY2(std::abs(h[i] - 1.0) < 0.03, qPrintable(QString::number(h[i]))); // motifs 1 and 2, a checkerboard
    }
}

void TestLocalDisorder::entropyPeaksAtTheBoundary()
{
    std::vector<Point2> points;
    std::vector<int> labels;
    squareLattice(40, 200.0, false, points, labels);
    const std::vector<double> h = localMotifEntropy(points, labels, localEntropyRadius(points));
    // Along one row: 0 far left, rising to about 1 bit at the boundary, 0 far right.
    const int row = 20 * 40;
    double peak = 0.0;
    int peakAt = -1;
    for (int i = 0; i < 40; ++i)
        if (h[std::size_t(row + i)] > peak)
            peak = h[std::size_t(row + i)], peakAt = i;
    QVERIFY2(peak > 0.95, qPrintable(QString::number(peak)));
    QVERIFY(std::abs(points[std::size_t(row + peakAt)].x - 200.0) < 10.0);
    QCOMPARE(h[std::size_t(row)], 0.0);
    QCOMPARE(h[std::size_t(row + 39)], 0.0);
}

void TestLocalDisorder::psi6OfPerfectAndDistortedLattices()
{
    // A triangular lattice bonded to its six neighbours; then the same with random displacements.
    const int n = 20;
    std::vector<Point2> points;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i)
            points.push_back({10.0 * i + 5.0 * (j % 2), 10.0 * std::sqrt(3.0) / 2.0 * j});
    std::vector<std::pair<int, int>> bonds;
    for (std::size_t a = 0; a < points.size(); ++a)
        for (std::size_t b = a + 1; b < points.size(); ++b)
            if (std::hypot(points[a].x - points[b].x, points[a].y - points[b].y) < 10.5)
                bonds.emplace_back(int(a), int(b));
    const std::vector<double> perfect = bondOrderPerPoint(points, bonds, 6);
    const std::size_t inner = std::size_t(10 * n + 10);
    QVERIFY(std::abs(perfect[inner] - 1.0) < 1e-9);
    std::mt19937 rng(3);
    std::normal_distribution<double> jitter(0.0, 1.5);
    for (Point2& p : points)
        p.x += jitter(rng), p.y += jitter(rng);
    const std::vector<double> distorted = bondOrderPerPoint(points, bonds, 6);
    double mean = 0.0;
    int count = 0;
    for (double v : distorted)
        if (std::isfinite(v))
            mean += v, ++count;
    mean /= count;
    QVERIFY2(mean < 0.9 && mean > 0.3, qPrintable(QString::number(mean)));
}

void TestLocalDisorder::undefinedWhereThereIsTooLittle()
{
    const std::vector<Point2> points = {{0, 0}, {100, 0}, {0, 100}};
    const std::vector<double> h = localMotifEntropy(points, {0, 1, 0}, 10.0);
    for (double v : h)
        QVERIFY(std::isnan(v)); // fewer than three labelled columns in each window
    QVERIFY(std::isnan(bondOrderPerPoint(points, {{0, 1}}, 6)[0])); // one bond
    QVERIFY(localMotifEntropy({}, {}, 10.0).empty());
}

QTEST_GUILESS_MAIN(TestLocalDisorder)
#include "test_local_disorder.moc"
