// medianNearestNeighbourDistance (cells, rings searched outward, in parallel) against brute force
// on random, clustered and lattice points; on far-flung points (few occupied cells in a huge extent,
// and rings that stop before the nearest neighbour) against pinned values of the earlier serial
// implementation (a hash map of cells, every ring searched whole).
#include "core/detect/neighbour_spacing.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace motifscope;

namespace {

double bruteForceMedian(const AtomColumns& c)
{
    std::vector<double> nearest(c.size(), std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < c.size(); ++i)
        for (std::size_t j = 0; j < c.size(); ++j)
            if (j != i)
                nearest[i] = std::min(nearest[i], std::hypot(c[j].x - c[i].x, c[j].y - c[i].y));
    std::nth_element(nearest.begin(), nearest.begin() + std::ptrdiff_t(nearest.size() / 2), nearest.end());
    return nearest[nearest.size() / 2];
}

AtomColumns uniform(int n, double width, double height, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    AtomColumns c(std::size_t(n), AtomColumn{});
    for (auto& a : c)
        a.x = width * u(rng), a.y = height * u(rng);
    return c;
}

/** Exactly equal (QCOMPARE on doubles allows a relative 1e-12). */
void compareExactly(double got, double want)
{
    QVERIFY2(got == want, qPrintable(QString("%1 instead of %2").arg(got, 0, 'g', 17).arg(want, 0, 'g', 17)));
}

} // namespace

class TestNeighbourSpacing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fewPoints()
    {
        compareExactly(medianNearestNeighbourDistance({}), 0.0);
        compareExactly(medianNearestNeighbourDistance(AtomColumns(1)), 0.0);
        AtomColumns two(2);
        two[1].x = 3.0, two[1].y = 4.0;
        compareExactly(medianNearestNeighbourDistance(two), 5.0);
    }

    void randomPointsAsBruteForce()
    {
        for (unsigned seed = 1; seed <= 6; ++seed) {
            const AtomColumns c = uniform(int(200 * seed), 300.0 * seed, 170.0, seed);
            compareExactly(medianNearestNeighbourDistance(c), bruteForceMedian(c));
        }
    }

    void clustersAsBruteForce()
    {
        // Dense clusters in an empty field: the cells (from the mean density) are far too big for
        // them and far too small for the gaps between them.
        AtomColumns c = uniform(600, 30.0, 30.0, 11);
        const AtomColumns far = uniform(500, 4000.0, 3000.0, 12);
        c.insert(c.end(), far.begin(), far.end());
        for (auto& a : uniform(300, 10.0, 10.0, 13))
            c.push_back({a.x + 2000.0, a.y - 500.0});
        compareExactly(medianNearestNeighbourDistance(c), bruteForceMedian(c));
    }

    void latticeAsBruteForce()
    {
        // Equal distances everywhere, points exactly on cell boundaries, duplicates (distance 0).
        AtomColumns c;
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 50; ++x)
                c.push_back({x * 3.0 + (y % 2) * 1.5, y * 2.598});
        compareExactly(medianNearestNeighbourDistance(c), bruteForceMedian(c));
        c.insert(c.end(), c.begin(), c.begin() + 1200);
        compareExactly(medianNearestNeighbourDistance(c), 0.0);
    }

    void farFlungAsBefore()
    {
        // Points along a line 10^7 and 10^9 px long: the cells' extent is kept sparse; on the longer
        // line most points have no neighbour within 63 rings of cells (infinite, as before).
        auto onALine = [](int n, double length, unsigned seed) {
            AtomColumns c = uniform(n, length, 1.0, seed);
            for (auto& a : c)
                a.y *= 0.5;
            return c;
        };
        compareExactly(medianNearestNeighbourDistance(onALine(20000, 1e7, 4)), 0x1.5414144c825p+7);
        compareExactly(medianNearestNeighbourDistance(onALine(1000, 1e9, 3)), std::numeric_limits<double>::infinity());
    }
};

QTEST_GUILESS_MAIN(TestNeighbourSpacing)
#include "test_neighbour_spacing.moc"
