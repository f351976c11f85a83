// KdTree2D against brute force: the same k nearest, in the same order (distance, then index),
// on clustered points, on a lattice full of equal distances, and with fewer points than k.
#include "core/util/kd_tree_2d.h"

#include <QtTest>

#include <random>

using namespace motifscope;

namespace {

struct P
{
    double x, y;
};

std::vector<std::pair<double, int>> bruteForce(const std::vector<P>& points, double x, double y, int k, int exclude)
{
    std::vector<std::pair<double, int>> all;
    for (int j = 0; j < int(points.size()); ++j)
        if (j != exclude)
            all.push_back({(points[std::size_t(j)].x - x) * (points[std::size_t(j)].x - x) +
                               (points[std::size_t(j)].y - y) * (points[std::size_t(j)].y - y),
                           j});
    std::sort(all.begin(), all.end());
    all.resize(std::min<std::size_t>(all.size(), std::size_t(k)));
    return all;
}

void compareWithBruteForce(const std::vector<P>& points, int k)
{
    const KdTree2D<P> tree(points);
    std::vector<std::pair<double, int>> got(static_cast<std::size_t>(k));
    for (int i = 0; i < int(points.size()); ++i) {
        const int found = tree.nearest(points[std::size_t(i)].x, points[std::size_t(i)].y, k, i, got.data());
        const auto want = bruteForce(points, points[std::size_t(i)].x, points[std::size_t(i)].y, k, i);
        QCOMPARE(found, int(want.size()));
        for (int s = 0; s < found; ++s)
            QCOMPARE(got[std::size_t(s)], want[std::size_t(s)]);
    }
}

} // namespace

class TestKdTree : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clusteredPoints()
    {
        // Dense clouds with empty space between them, as on a map of motifs.
        std::mt19937 rng(3);
        std::normal_distribution<double> spread(0.0, 0.05);
        std::vector<P> points;
        const double centres[4][2] = {{0, 0}, {5, 1}, {2, 7}, {2.5, 3.5}};
        for (int c = 0; c < 4; ++c)
            for (int i = 0; i < 400 * (c + 1); ++i)
                points.push_back({centres[c][0] + spread(rng), centres[c][1] + spread(rng)});
        compareWithBruteForce(points, 15);
    }

    void latticeTiesGoToTheLowerIndex()
    {
        std::vector<P> points;
        for (int y = 0; y < 30; ++y)
            for (int x = 0; x < 30; ++x)
                points.push_back({double(x), double(y)});
        compareWithBruteForce(points, 6); // 4 neighbours at 1, 4 at sqrt 2: ties decide the last two
        compareWithBruteForce(points, 9);
    }

    void fewerPointsThanAsked()
    {
        const std::vector<P> points{{0, 0}, {1, 0}, {0, 2}};
        compareWithBruteForce(points, 15);
        const KdTree2D<P> empty(std::vector<P>{});
        std::pair<double, int> out[3];
        QCOMPARE(empty.nearest(0.0, 0.0, 3, -1, out), 0);
    }
};

QTEST_APPLESS_MAIN(TestKdTree)
#include "test_kd_tree.moc"
