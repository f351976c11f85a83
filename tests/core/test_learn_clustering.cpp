/** Tests of k-means, Gaussian mixtures, map segmentation, automatic class counts and the Rand index. */

#include "core/learn/clustering.h"
#include "core/learn/kmeans.h"
#include "core/learn/metrics.h"
#include "core/util/threads.h"

#include "test_support.h"

#include <random>

using namespace motifscope;

namespace {

/** Well-separated 2-D Gaussian clusters on a circle of radius 10, with different spreads and shapes. */
Eigen::MatrixXf blobs2d(int clusters, int perCluster, unsigned seed, std::vector<int>& truth)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    Eigen::MatrixXf x(clusters * perCluster, 2);
    truth.clear();
    for (int c = 0; c < clusters; ++c) {
        const float angle = 6.2831853f * float(c) / float(clusters);
        const float sx = 0.6f + 0.2f * float(c), sy = 0.4f + 0.1f * float(c % 2);
        for (int i = 0; i < perCluster; ++i) {
            const int r = c * perCluster + i;
            x(r, 0) = 10.0f * std::cos(angle) + sx * g(rng);
            x(r, 1) = 10.0f * std::sin(angle) + sy * g(rng) + 0.3f * x(r, 0) * 0.0f;
            truth.push_back(c);
        }
    }
    return x;
}

} // namespace

class TestLearnClustering : public QObject
{
    Q_OBJECT

private slots:
    void randIndex()
    {
        const std::vector<int> a = {0, 0, 1, 1, 2, 2, 2, 1};
        std::vector<int> permuted;
        for (int v : a)
            permuted.push_back((v + 1) % 3 + 5);
        QCOMPARE(adjustedRandIndex(a, a), 1.0);
        QCOMPARE(adjustedRandIndex(a, permuted), 1.0);
        // Hand-computed: {0,0,1,1} vs {0,1,1,1}: index 1, expected 2*3/6 = 1, max 2.5 -> 0;
        // {0,0,0,1,1,1} vs {0,0,1,1,2,2}: index 2, expected 6*3/15 = 1.2, max 4.5 -> 0.8/3.3.
        QVERIFY(std::abs(adjustedRandIndex({0, 0, 1, 1}, {0, 1, 1, 1})) < 1e-12);
        QVERIFY(std::abs(adjustedRandIndex({0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 2, 2}) - 0.8 / 3.3) < 1e-12);
        std::mt19937 rng(3);
        std::uniform_int_distribution<int> pick(0, 3);
        std::vector<int> r1(20000), r2(20000);
        for (auto& v : r1)
            v = pick(rng);
        for (auto& v : r2)
            v = pick(rng);
        QVERIFY(std::abs(adjustedRandIndex(r1, r2)) < 0.01);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, adjustedRandIndex({0}, {0, 1}));
    }

    void kmeansIsDeterministic()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = blobs2d(4, 2500, 1, truth);
        KMeansResult one, two, other;
        {
            ThreadLimit limit(1);
            one = kmeans(x, 4, 42);
        }
        {
            ThreadLimit limit(2);
            two = kmeans(x, 4, 42);
        }
        QVERIFY(one.labels == two.labels);
        QVERIFY(one.centres == two.centres);
        QCOMPARE(one.inertia, two.inertia);
        QCOMPARE(adjustedRandIndex(one.labels, truth), 1.0);
        other = kmeans(x, 4, 43);
        QCOMPARE(adjustedRandIndex(other.labels, truth), 1.0);
    }

    void gmmRecoversMeans()
    {
        // Three 3-D Gaussians with known means and correlated covariances.
        std::mt19937 rng(5);
        std::normal_distribution<double> g;
        Eigen::MatrixXd means(3, 3);
        means << 0, 0, 0, 6, 1, -2, -3, 7, 4;
        Eigen::MatrixXf x(9000, 3);
        for (int i = 0; i < 9000; ++i) {
            const int c = i % 3;
            const double u = g(rng), v = g(rng), w = g(rng);
            const Eigen::Vector3d e(u, 0.8 * u + 0.6 * v, 0.5 * w * (1 + c));
            x.row(i) = (means.row(c).transpose() + e).cast<float>().transpose();
        }
        const GaussianMixture gmm = fitGaussianMixture(x, 3, 9);
        for (int c = 0; c < 3; ++c) {
            double best = 1e9;
            for (int t = 0; t < 3; ++t)
                best = std::min(best, (gmm.means.row(t) - means.row(c)).norm());
            QVERIFY2(best < 0.1, qPrintable(QString::number(best)));
        }
        QVERIFY(std::abs(gmm.weights.sum() - 1.0) < 1e-9);
        const Eigen::MatrixXd post = mixturePosteriors(gmm, x);
        QVERIFY((post.rowwise().sum().array() - 1.0).abs().maxCoeff() < 1e-9);
        // A correlated covariance is recovered (off-diagonal 0.8 for every component).
        for (int t = 0; t < 3; ++t)
            QVERIFY(std::abs(gmm.covariances[std::size_t(t)](0, 1) - 0.8) < 0.1);
    }

    void automaticClassCount_data()
    {
        QTest::addColumn<int>("clusters");
        QTest::newRow("2") << 2;
        QTest::newRow("3") << 3;
        QTest::newRow("4") << 4;
    }
    void automaticClassCount()
    {
        QFETCH(int, clusters);
        std::vector<int> truth;
        const Eigen::MatrixXf x = blobs2d(clusters, 600, unsigned(clusters), truth);
        const Clustering km = clusterKmeans(x, 0, 1);
        QCOMPARE(km.classes, clusters);
        QCOMPARE(adjustedRandIndex(km.labels, truth), 1.0);
        const Clustering gmm = clusterGmm(x, 0, 1);
        QCOMPARE(gmm.classes, clusters);
        QCOMPARE(adjustedRandIndex(gmm.labels, truth), 1.0);
        for (float c : gmm.confidence)
            QVERIFY(c > 0.5f && c <= 1.0f);
        const Clustering seg = segmentMap(x);
        QCOMPARE(seg.classes, clusters);
        QCOMPARE(adjustedRandIndex(seg.labels, truth), 1.0);
        for (float c : seg.confidence)
            QVERIFY(c >= 0.0f && c <= 1.0f);
    }

    void singleClusterIsOneClass()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = blobs2d(1, 3000, 8, truth);
        QCOMPARE(clusterKmeans(x, 0, 1).classes, 1);
        QCOMPARE(clusterGmm(x, 0, 1).classes, 1);
        QCOMPARE(segmentMap(x).classes, 1);
    }

    void segmentationDoesNotSplitAFragmentedCluster()
    {
        // One class drawn as three touching lobes (what a 2-D map often makes of one lattice),
        // and a second class far away: two classes.
        std::mt19937 rng(4);
        std::normal_distribution<float> g;
        Eigen::MatrixXf x(4000, 2);
        std::vector<int> truth;
        for (int i = 0; i < 4000; ++i) {
            if (i < 3000) {
                const int lobe = i % 3;
                x(i, 0) = 1.2f * float(lobe) + 0.35f * g(rng);
                x(i, 1) = 0.5f * float(lobe % 2) + 0.35f * g(rng);
                truth.push_back(0);
            } else {
                x(i, 0) = 12.0f + 0.4f * g(rng);
                x(i, 1) = 5.0f + 0.4f * g(rng);
                truth.push_back(1);
            }
        }
        const Clustering seg = segmentMap(x);
        QCOMPARE(seg.classes, 2);
        QCOMPARE(adjustedRandIndex(seg.labels, truth), 1.0);
        QCOMPARE(seg.labels[0], 0); // the largest class is class 0
    }

    void gmmKeepsFlatClustersWhole()
    {
        // Embedded motifs are flat-topped and curved, not Gaussian: a uniform square, a uniform
        // ring arc, and a Gaussian blob, well apart. ICL alone models the flat shapes with several
        // Gaussians; the automatic count must still be three.
        std::mt19937 rng(11);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        std::normal_distribution<float> g;
        Eigen::MatrixXf x(6000, 2);
        std::vector<int> truth;
        for (int i = 0; i < 6000; ++i) {
            const int c = i % 3;
            if (c == 0) {
                x(i, 0) = 4.0f * u(rng);
                x(i, 1) = 4.0f * u(rng);
            } else if (c == 1) {
                const float angle = 3.0f * u(rng), radius = 5.0f + 0.5f * u(rng);
                x(i, 0) = 14.0f + radius * std::cos(angle);
                x(i, 1) = radius * std::sin(angle);
            } else {
                x(i, 0) = 2.0f + 0.4f * g(rng);
                x(i, 1) = 14.0f + 0.4f * g(rng);
            }
            truth.push_back(c);
        }
        const Clustering gmm = clusterGmm(x, 0, 3);
        QCOMPARE(gmm.classes, 3);
        QVERIFY(adjustedRandIndex(gmm.labels, truth) > 0.99);
        // Asked for more classes, GMM gives them: the joining is only for the automatic count.
        QCOMPARE(clusterGmm(x, 5, 3).classes, 5);
    }

    void smallGroupsMerge()
    {
        std::vector<int> truth;
        Eigen::MatrixXf x = blobs2d(2, 2000, 2, truth);
        // Three stray points far from everything: fewer than 5 points, they join a large class.
        x.conservativeResize(4003, 2);
        x.row(4000) << 30, 30;
        x.row(4001) << 30.2f, 30;
        x.row(4002) << -30, 30;
        const Clustering seg = segmentMap(x);
        QCOMPARE(seg.classes, 2);
        for (int l : seg.labels)
            QVERIFY(l == 0 || l == 1);
    }
};

QTEST_GUILESS_MAIN(TestLearnClustering)
#include "test_learn_clustering.moc"
