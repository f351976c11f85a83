/** Tests of the 2-D layout and of the whole learner on synthetic feature clusters. */

#include <tbb/task_arena.h> // before Qt, whose emit macro clashes with TBB

#include "core/learn/embedding.h"
#include "core/learn/layout_forces.h"
#include "core/learn/learner.h"
#include "core/learn/metrics.h"
#include "core/util/progress.h"
#include "core/util/threads.h"

#include "test_support.h"

#include <chrono>
#include <cmath>
#include <random>
#include <thread>

using namespace motifscope;

namespace {

/** Gaussian clusters in 36-D with different scales and a correlated component, as Zernike features. */
Eigen::MatrixXf features36(int n, int clusters, unsigned seed, std::vector<int>& truth)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    const int d = 36;
    Eigen::MatrixXf centres(clusters, d);
    for (int i = 0; i < centres.size(); ++i)
        centres.data()[i] = 5.0f + 2.0f * g(rng);
    Eigen::MatrixXf x(n, d);
    truth.resize(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        const int c = (i * 7) % clusters;
        truth[std::size_t(i)] = c;
        const float shared = g(rng);
        for (int j = 0; j < d; ++j)
            x(i, j) = centres(c, j) + (0.2f + 0.15f * c) * g(rng) + 0.3f * shared * float(j % 3 == c % 3);
    }
    return x;
}

FuzzyGraph graphOf(const Eigen::MatrixXf& x) { return fuzzyGraph(nearestNeighbours(x, KnnParams{})); }

Eigen::MatrixX2f startOf(const Eigen::MatrixXf& x)
{
    return pcaStart(Eigen::MatrixXf(prepareForMetric(x, KnnMetric::Correlation)));
}

} // namespace

class TestLearnEmbedding : public QObject
{
    Q_OBJECT

private slots:
    void pcaStartScale()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = features36(500, 3, 1, truth);
        const Eigen::MatrixX2f y = pcaStart(x);
        QVERIFY(std::abs(y.cwiseAbs().maxCoeff() - 10.0f) < 1e-4f);
        QVERIFY(std::abs(y.col(0).mean()) < 1e-3f);
        QVERIFY(y.col(0).squaredNorm() >= y.col(1).squaredNorm()); // first axis has the most variance
    }

    void forceTablesMatchTheGradients()
    {
        // Both stages' kernels; the tables read the coefficients within 1e-3 of UMAP's closed forms.
        for (const LayoutKernel kernel : {LayoutKernel{1.0f, 1.0f}, LayoutKernel{1.929f, 0.7915f}}) {
            const learn::LayoutForces forces(kernel.a, kernel.b);
            double worst = 0.0;
            for (double d2 = 1e-6; d2 < 1e6; d2 *= 1.0137) {
                const double powB = std::pow(d2, double(kernel.b));
                const double attract = -2.0 * kernel.a * kernel.b * powB / d2 / (1.0 + kernel.a * powB);
                const double repel = 2.0 * kernel.b / ((0.001 + d2) * (1.0 + kernel.a * powB));
                worst = std::max(worst, std::abs(forces.attract(float(d2)) / attract - 1.0));
                worst = std::max(worst, std::abs(forces.repel(float(d2)) / repel - 1.0));
            }
            QVERIFY2(worst < 1e-3, qPrintable(QString::number(worst)));
            // Coincident points: finite coefficients (the offset, zero, makes the force zero).
            QVERIFY(std::isfinite(forces.attract(0.0f)) && std::isfinite(forces.repel(0.0f)));
        }
    }

    void reproducible_data()
    {
        QTest::addColumn<int>("localityOrderAbove");
        QTest::newRow("points in the caller's order") << 131072;
        QTest::newRow("points renumbered for locality") << 0;
    }

    void reproducible()
    {
        QFETCH(int, localityOrderAbove);
        std::vector<int> truth;
        const Eigen::MatrixXf x = features36(3000, 3, 2, truth);
        const FuzzyGraph g = graphOf(x);
        const Eigen::MatrixX2f start = startOf(x);
        EmbeddingParams p;
        p.epochs = 60;
        p.seed = 17;
        p.localityOrderAbove = localityOrderAbove;
        Eigen::MatrixX2f a, b, c;
        {
            ThreadLimit limit(1);
            a = embedGraph(g, start, p);
        }
        {
            ThreadLimit limit(2);
            b = embedGraph(g, start, p);
        }
        Eigen::MatrixX2f four;
        {
            ThreadLimit limit(4); // more threads than this machine's cores
            tbb::task_arena(4).execute([&] { four = embedGraph(g, start, p); });
        }
        QVERIFY(a.allFinite());
        QCOMPARE(std::memcmp(a.data(), b.data(), sizeof(float) * std::size_t(a.size())), 0); // identical bits
        QCOMPARE(std::memcmp(a.data(), four.data(), sizeof(float) * std::size_t(a.size())), 0);
        p.seed = 18;
        c = embedGraph(g, start, p);
        QVERIFY((a - c).cwiseAbs().maxCoeff() > 1e-3f);
    }

    void clustersSeparate_data()
    {
        QTest::addColumn<int>("localityOrderAbove");
        QTest::newRow("points in the caller's order") << 131072;
        QTest::newRow("points renumbered for locality (as above 131,072)") << 0;
    }

    void clustersSeparate()
    {
        QFETCH(int, localityOrderAbove);
        std::vector<int> truth;
        const Eigen::MatrixXf x = features36(4000, 4, 3, truth);
        EmbeddingParams p;
        p.epochs = 150;
        p.localityOrderAbove = localityOrderAbove; // renumbered, the layout must come back in the caller's order
        const Eigen::MatrixX2f y = embedGraph(graphOf(x), startOf(x), p);
        // Each cluster's radius (rms distance to its centroid) is far below the closest centroid gap.
        Eigen::MatrixX2d centroid = Eigen::MatrixX2d::Zero(4, 2);
        Eigen::Vector4d spread = Eigen::Vector4d::Zero(), count = Eigen::Vector4d::Zero();
        for (int i = 0; i < 4000; ++i) {
            centroid.row(truth[std::size_t(i)]) += y.row(i).cast<double>();
            count[truth[std::size_t(i)]] += 1;
        }
        for (int c = 0; c < 4; ++c)
            centroid.row(c) /= count[c];
        for (int i = 0; i < 4000; ++i)
            spread[truth[std::size_t(i)]] += (y.row(i).cast<double>() - centroid.row(truth[std::size_t(i)])).squaredNorm();
        double gap = 1e9;
        for (int c = 0; c < 4; ++c)
            for (int t = c + 1; t < 4; ++t)
                gap = std::min(gap, (centroid.row(c) - centroid.row(t)).norm());
        for (int c = 0; c < 4; ++c) {
            const double radius = std::sqrt(spread[c] / count[c]);
            QVERIFY2(radius * 3 < gap, qPrintable(QString("radius %1 gap %2").arg(radius).arg(gap)));
        }
    }

    void snapshotsAndCancellation()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = features36(1500, 3, 4, truth);
        const FuzzyGraph g = graphOf(x);
        EmbeddingParams p;
        p.epochs = 50;
        p.snapshotEvery = 10;
        std::vector<int> epochs;
        embedGraph(g, startOf(x), p, nullptr, [&](const Eigen::MatrixX2f& y, int epoch) {
            QCOMPARE(int(y.rows()), 1500);
            epochs.push_back(epoch);
        });
        QCOMPARE(epochs, std::vector<int>({10, 20, 30, 40, 50}));

        // By the clock instead: a snapshot after an epoch that ended the interval after the last
        // one (here each snapshot sleeps longer than the interval: from the first on, every epoch
        // has one), only the final one when the interval is longer than the layout, and the same
        // layout either way.
        EmbeddingParams timed = p;
        timed.snapshotSeconds = 0.001;
        epochs.clear();
        const Eigen::MatrixX2f byTime = embedGraph(g, startOf(x), timed, nullptr, [&](const Eigen::MatrixX2f&, int epoch) {
            epochs.push_back(epoch);
            std::this_thread::sleep_for(std::chrono::milliseconds(3));
        });
        QVERIFY(epochs.size() >= 2);
        for (std::size_t k = 1; k < epochs.size(); ++k)
            QCOMPARE(epochs[k], epochs[k - 1] + 1);
        QCOMPARE(epochs.back(), 50);
        timed.snapshotSeconds = 1000.0;
        epochs.clear();
        const Eigen::MatrixX2f rare = embedGraph(g, startOf(x), timed, nullptr, [&](const Eigen::MatrixX2f&, int epoch) {
            epochs.push_back(epoch);
        });
        QCOMPARE(epochs, std::vector<int>({50}));
        QVERIFY(byTime == rare);

        Progress progress;
        int seen = 0;
        QVERIFY_THROWS_EXCEPTION(OperationCancelled, embedGraph(g, startOf(x), p, &progress, [&](const Eigen::MatrixX2f&, int) {
                                     if (++seen == 2)
                                         progress.cancel();
                                 }));
        QCOMPARE(seen, 2);
    }

    void learnerFindsClusters_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<int>("clusters");
        QTest::newRow("segment 3") << int(ClusterMethod::Segment) << 3;
        QTest::newRow("segment 5") << int(ClusterMethod::Segment) << 5;
        QTest::newRow("gmm 4") << int(ClusterMethod::Gmm) << 4;
        QTest::newRow("kmeans 4") << int(ClusterMethod::Kmeans) << 4;
    }
    void learnerFindsClusters()
    {
        QFETCH(int, method);
        QFETCH(int, clusters);
        std::vector<int> truth;
        const Eigen::MatrixXf x = features36(5000, clusters, 10 + unsigned(clusters), truth);
        LearnParams p;
        p.method = ClusterMethod(method);
        p.epochs = 100;
        std::vector<int> snapshotEpochs;
        double stageFraction = 0.0;
        Progress progress([&](double f, const std::string&) { stageFraction = std::max(stageFraction, f); });
        const LearnResult r = learnMotifs(x, p, &progress, [&](const Eigen::MatrixX2f& y, const std::vector<int>& labels, int epoch) {
            QCOMPARE(labels.size(), std::size_t(y.rows()));
            snapshotEpochs.push_back(epoch);
        });
        QCOMPARE(r.classes, clusters);
        const double ari = adjustedRandIndex(r.labels, truth);
        QVERIFY2(ari >= 0.95, qPrintable(QString::number(ari)));
        QCOMPARE(r.confidence.size(), truth.size());
        QCOMPARE(int(r.embedding.rows()), 5000);
        QVERIFY(std::is_sorted(snapshotEpochs.begin(), snapshotEpochs.end()));
        QCOMPARE(snapshotEpochs.back(), 100);
        QVERIFY(snapshotEpochs.size() >= 5);
        QCOMPARE(stageFraction, 1.0);
    }

    void learnerCancels()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = features36(2000, 3, 5, truth);
        Progress progress;
        progress.cancel();
        QVERIFY_THROWS_EXCEPTION(OperationCancelled, learnMotifs(x, LearnParams{}, &progress));
    }

    void fixedClassCount()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = features36(3000, 4, 6, truth);
        LearnParams p;
        p.classes = 2;
        p.epochs = 80;
        QCOMPARE(learnMotifs(x, p).classes, 2);
        p.method = ClusterMethod::Kmeans;
        p.classes = 4;
        QCOMPARE(adjustedRandIndex(learnMotifs(x, p).labels, truth), 1.0);
    }
};

QTEST_GUILESS_MAIN(TestLearnEmbedding)
#include "test_learn_embedding.moc"
