/** Tests of the kNN graph and the fuzzy simplicial set. */

#include "core/learn/cross_products.h"
#include "core/learn/fuzzy_graph.h"
#include "core/learn/knn.h"
#include "core/util/progress.h"
#include "core/util/threads.h"

#include "test_support.h"

#include <cmath>
#include <random>
#include <set>

using namespace motifscope;

namespace {

/** `n` points in `clusters` Gaussian clusters in d dimensions; truth[i] = cluster. */
Eigen::MatrixXf clusteredFeatures(int n, int d, int clusters, unsigned seed, std::vector<int>& truth)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    Eigen::MatrixXf centres(clusters, d);
    for (int i = 0; i < centres.size(); ++i)
        centres.data()[i] = 10.0f + 3.0f * g(rng);
    Eigen::MatrixXf x(n, d);
    truth.resize(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        const int c = i % clusters;
        truth[std::size_t(i)] = c;
        for (int j = 0; j < d; ++j)
            x(i, j) = centres(c, j) + (0.3f + 0.2f * c) * g(rng);
    }
    return x;
}

} // namespace

class TestLearnGraph : public QObject
{
    Q_OBJECT

private slots:
    void crossProductsRoundAsTheScalarSum_data()
    {
        QTest::addColumn<int>("queries");
        QTest::addColumn<int>("candidates");
        QTest::addColumn<int>("features");
        QTest::newRow("one x one") << 1 << 1 << 1;
        QTest::newRow("5 x 17, 36 features") << 5 << 17 << 36;
        QTest::newRow("7 x 33, 37 features") << 7 << 33 << 37;
        QTest::newRow("128 x 2048, 36 features") << 128 << 2048 << 36;
    }
    void crossProductsRoundAsTheScalarSum()
    {
        // Both kernels (AVX2 where the CPU has it, and the portable one) give the bits of the
        // scalar sum 0 + a0 b0 + a1 b1 + ... for every product: the kNN is the same on any CPU.
        QFETCH(int, queries);
        QFETCH(int, candidates);
        QFETCH(int, features);
        std::mt19937 rng(11);
        std::normal_distribution<float> g;
        std::vector<float> q(std::size_t(queries) * features), c(std::size_t(candidates) * features);
        for (float& v : q)
            v = g(rng);
        for (float& v : c)
            v = 3.0f + g(rng);
        std::vector<const float*> rows(static_cast<std::size_t>(candidates));
        for (int j = 0; j < candidates; ++j)
            rows[std::size_t(j)] = c.data() + std::size_t(j) * features;
        CandidateBlock block;
        block.pack(rows.data(), candidates, features);
        QCOMPARE(block.stride % CandidateBlock::kPanel, 0);
        QVERIFY(block.stride >= candidates);
        for (const bool avx2 : {true, false}) {
            std::vector<float> out(std::size_t(queries) * block.stride, -1.0f);
            crossProductsWith(avx2, q.data(), queries, block, out.data());
            int differ = 0;
            for (int i = 0; i < queries; ++i)
                for (int j = 0; j < candidates; ++j) {
                    float sum = 0.0f;
                    for (int k = 0; k < features; ++k) {
                        volatile float product = q[std::size_t(i) * features + k] * c[std::size_t(j) * features + k];
                        sum = sum + product;
                    }
                    differ += out[std::size_t(i) * block.stride + j] != sum;
                }
            QVERIFY2(differ == 0, qPrintable(QString("%1 products differ (avx2 allowed: %2)").arg(differ).arg(avx2)));
        }
    }

    void exactMatchesBruteForce_data()
    {
        QTest::addColumn<int>("metric");
        QTest::newRow("correlation") << int(KnnMetric::Correlation);
        QTest::newRow("euclidean") << int(KnnMetric::Euclidean);
    }
    void exactMatchesBruteForce()
    {
        QFETCH(int, metric);
        std::vector<int> truth;
        const Eigen::MatrixXf x = clusteredFeatures(700, 36, 3, 7, truth);
        KnnParams p;
        p.k = 10;
        p.metric = KnnMetric(metric);
        const KnnGraph fast = nearestNeighbours(x, p);
        const KnnGraph slow = bruteForceNeighbours(x, 10, KnnMetric(metric));
        QCOMPARE(fast.n, 700);
        int mismatches = 0;
        for (int i = 0; i < fast.n; ++i)
            for (int s = 0; s < 10; ++s) {
                QVERIFY(fast.neighbour(i, s) != i);
                QVERIFY(std::abs(fast.distance(i, s) - slow.distance(i, s)) <= 1e-4f * (1.0f + slow.distance(i, s)));
                if (s > 0)
                    QVERIFY(fast.distance(i, s) >= fast.distance(i, s - 1));
                mismatches += fast.neighbour(i, s) != slow.neighbour(i, s);
            }
        // Identical up to near-ties, where float rounding of the two formulas may swap neighbours.
        QVERIFY2(mismatches < 20, qPrintable(QString::number(mismatches)));
    }

    void correlationIgnoresOffsetAndScale()
    {
        // 1 - Pearson r is unchanged by a * x + b per row.
        std::vector<int> truth;
        Eigen::MatrixXf x = clusteredFeatures(300, 12, 2, 3, truth);
        const KnnGraph a = bruteForceNeighbours(x, 5, KnnMetric::Correlation);
        for (int i = 0; i < x.rows(); ++i)
            x.row(i) = x.row(i) * (1.0f + 0.01f * float(i % 7)) + Eigen::RowVectorXf::Constant(x.cols(), float(i % 5));
        KnnParams p;
        p.k = 5;
        const KnnGraph b = nearestNeighbours(x, p);
        int same = 0;
        for (std::size_t t = 0; t < a.indices.size(); ++t)
            same += a.indices[t] == b.indices[t];
        QVERIFY(same > int(0.97 * double(a.indices.size())));
        // Correlation distance of a row and its negation is 2, of equal rows 0.
        Eigen::MatrixXf pair(3, 4);
        pair << 1, 2, 3, 4, -1, -2, -3, -4, 2, 4, 6, 8;
        const KnnGraph c = bruteForceNeighbours(pair, 2, KnnMetric::Correlation);
        QCOMPARE(c.neighbour(0, 0), 2);
        QVERIFY(std::abs(c.distance(0, 0)) < 1e-6f);
        QVERIFY(std::abs(c.distance(0, 1) - 2.0f) < 1e-5f);
    }

    void approximateSearchIsAccurateAndDeterministic_data()
    {
        QTest::addColumn<int>("singleLevelCells");
        QTest::newRow("one level of cells") << 1024;
        QTest::newRow("two levels (as above 262,144 points)") << 8; // 46 cells: 7 coarse, each split
    }

    void approximateSearchIsAccurateAndDeterministic()
    {
        QFETCH(int, singleLevelCells);
        std::vector<int> truth;
        const Eigen::MatrixXf x = clusteredFeatures(12000, 36, 4, 11, truth);
        KnnParams exact;
        exact.exactLimit = 20000;
        KnnParams approx;
        approx.exactLimit = 1000; // force the partition search
        approx.singleLevelCells = singleLevelCells;
        const KnnGraph reference = nearestNeighbours(x, exact);
        KnnGraph one, two;
        {
            ThreadLimit limit(1);
            one = nearestNeighbours(x, approx);
        }
        {
            ThreadLimit limit(2);
            two = nearestNeighbours(x, approx);
        }
        QVERIFY(one.indices == two.indices);
        QVERIFY(one.distances == two.distances);
        long long found = 0, sameClass = 0;
        for (int i = 0; i < one.n; ++i) {
            const std::set<int> truthSet(reference.indices.begin() + std::ptrdiff_t(i) * 10,
                                         reference.indices.begin() + std::ptrdiff_t(i + 1) * 10);
            for (int s = 0; s < 10; ++s) {
                found += truthSet.count(one.neighbour(i, s));
                sameClass += truth[std::size_t(one.neighbour(i, s))] == truth[std::size_t(i)];
            }
        }
        const double recall = double(found) / (10.0 * one.n);
        qInfo("approximate kNN recall %.3f", recall);
        QVERIFY(recall > 0.5);                       // isotropic 36-D noise is the hardest case
        QCOMPARE(sameClass, 10LL * one.n);           // but every neighbour is in the right cluster
    }

    void cancellation()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = clusteredFeatures(3000, 36, 3, 5, truth);
        Progress progress;
        progress.cancel();
        QVERIFY_THROWS_EXCEPTION(OperationCancelled, nearestNeighbours(x, KnnParams{}, &progress));
        KnnParams approx;
        approx.exactLimit = 1000;
        QVERIFY_THROWS_EXCEPTION(OperationCancelled, nearestNeighbours(x, approx, &progress));
    }

    void fuzzyGraphProperties()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = clusteredFeatures(2000, 36, 3, 9, truth);
        const KnnGraph knn = nearestNeighbours(x, KnnParams{});
        // Bandwidths: the directed memberships of each point sum to log2(k).
        const LocalScales scales = localScales(knn);
        for (int i = 0; i < knn.n; ++i) {
            double sum = 0.0;
            for (int s = 0; s < knn.k; ++s)
                sum += directedWeight(knn, scales, i, s);
            QVERIFY2(std::abs(sum - std::log2(10.0)) < 1e-3, qPrintable(QString::number(sum)));
            QCOMPARE(scales.rho[std::size_t(i)], knn.distance(i, 0));
            QCOMPARE(directedWeight(knn, scales, i, 0), 1.0f);
        }
        const FuzzyGraph g = fuzzyGraph(knn);
        QCOMPARE(g.n, knn.n);
        std::set<std::pair<int, int>> seen;
        for (std::size_t e = 0; e < g.edgeCount(); ++e) {
            QVERIFY(g.head[e] < g.tail[e]);                       // each undirected edge once
            QVERIFY(seen.insert({g.head[e], g.tail[e]}).second);  // no duplicates
            QVERIFY(g.weight[e] > 0.0f && g.weight[e] <= 1.0f);
        }
        // Every kNN edge is present, with weight >= its directed membership (fuzzy union).
        for (int i = 0; i < knn.n; ++i)
            for (int s = 0; s < knn.k; ++s) {
                const int j = knn.neighbour(i, s);
                const std::pair<int, int> key{std::min(i, j), std::max(i, j)};
                const auto it = std::lower_bound(g.head.begin(), g.head.end(), key.first);
                bool found = false;
                for (auto e = std::size_t(it - g.head.begin()); e < g.edgeCount() && g.head[e] == key.first; ++e)
                    if (g.tail[e] == key.second) {
                        found = true;
                        QVERIFY(g.weight[e] >= directedWeight(knn, scales, i, s) - 1e-6f);
                    }
                QVERIFY(found || directedWeight(knn, scales, i, s) < 1e-6f);
            }
        // Symmetric union: p + q - pq of two known memberships.
        KnnGraph tiny;
        tiny.n = 3;
        tiny.k = 2;
        tiny.indices = {1, 2, 0, 2, 0, 1};
        tiny.distances = {0.1f, 0.3f, 0.1f, 0.2f, 0.2f, 0.3f};
        const FuzzyGraph t = fuzzyGraph(tiny);
        QCOMPARE(int(t.edgeCount()), 3);
        const LocalScales ts = localScales(tiny);
        const float w02 = directedWeight(tiny, ts, 0, 1), w20 = directedWeight(tiny, ts, 2, 0);
        QVERIFY(std::abs(t.weight[1] - (w02 + w20 - w02 * w20)) < 1e-6f); // edge (0, 2)
        QCOMPARE(t.head[1], 0);
        QCOMPARE(t.tail[1], 2);
    }
};

QTEST_GUILESS_MAIN(TestLearnGraph)
#include "test_learn_graph.moc"
