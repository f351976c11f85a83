/**
 * The learning's exact results, pinned: speed-ups of the kNN search, the layout, k-means and the
 * 2-D classification must not move a neighbour, a position's last bit or a label (the motifs on
 * real images are sensitive to tiny changes). The hashes were recorded with the implementation
 * before those speed-ups (main at 4d59f64); they hold for x86-64 builds without AVX or FMA (the
 * matrix products' roundings follow the SIMD width) and are skipped elsewhere. Portable checks of
 * the same code paths follow: ties broken by index, nearest centres as a plain search finds them.
 */

#include "core/detect/column_detector.h"
#include "core/pipeline/motif_learning.h"

#include "learn_reference_runs.h"
#include "test_support.h"

#include <limits>

using namespace motifscope;

class TestLearnReference : public QObject
{
    Q_OBJECT

private slots:
    void resultsAsRecorded()
    {
#if !defined(__x86_64__) || defined(__AVX__) || defined(__FMA__)
        QSKIP("reference hashes were recorded on x86-64 with SSE2 only");
#endif
        const std::map<std::string, std::uint64_t> recorded = {
            {"classify2d", 0x35aeecaf5350d040ULL},
            {"kmeans", 0xe5274fae7bdbd75cULL},
            {"knn one level", 0x793cd950b2ac6efaULL},
            {"knn two levels", 0xb6f12625b0d3aa87ULL},
            {"layout", 0x9e10575a13b35e3fULL},
            {"layout in locality order", 0xbdf4f399c1277414ULL},
        };
        const std::map<std::string, std::uint64_t> now = reference::referenceHashes();
        for (const auto& [name, hash] : recorded) {
            QVERIFY2(now.count(name) == 1, name.c_str());
            QVERIFY2(now.at(name) == hash, name.c_str());
        }
    }

    /** Exact twins (distance 0) come first in each other's lists, in index order, in the inverted-file search. */
    void twinsFirstInIndexOrder()
    {
        // 300 distinct points, each 8 times (rows 300 apart): 7 twins at distance 0 among k = 10.
        const Eigen::MatrixXf distinct = reference::clusteredPoints(300, 36, 3, 5, false);
        Eigen::MatrixXf x(2400, 36);
        for (int i = 0; i < 2400; ++i)
            x.row(i) = distinct.row(i % 300);
        KnnParams params;
        params.exactLimit = 500; // the partition search (9 cells) and its refinement
        const KnnGraph g = nearestNeighbours(x, params);
        for (int i = 0; i < g.n; ++i) {
            int expected = i % 300;
            for (int s = 0; s < 7; ++s, expected += 300) {
                if (expected == i)
                    expected += 300;
                QCOMPARE(g.neighbour(i, s), expected);
                QCOMPARE(g.distance(i, s), 0.0f);
            }
            QVERIFY(g.distance(i, 7) > 0.0f);
        }
    }

    /** Each row's nearest centre as a plain search finds it: the first of equally near centres. */
    void nearestCentresAsPlainSearch()
    {
        const Eigen::MatrixXf x = reference::clusteredPoints(2500, 6, 4, 9); // over two 1,024-row blocks
        Eigen::MatrixXf centres(5, 6);
        centres << x.row(0), x.row(1), x.row(0), x.row(7), x.row(3); // centre 2 repeats centre 0
        std::vector<float> dist2;
        const std::vector<int> labels = nearestCentres(x, centres, &dist2);
        const Eigen::VectorXf norms = centres.rowwise().squaredNorm();
        const Eigen::MatrixXf cross = x * centres.transpose();
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            int best = 0;
            float value = std::numeric_limits<float>::infinity();
            for (int c = 0; c < 5; ++c)
                if (norms[c] - 2.0f * cross(r, c) < value)
                    value = norms[c] - 2.0f * cross(r, c), best = c;
            QCOMPARE(labels[std::size_t(r)], best);
            QVERIFY(labels[std::size_t(r)] != 2);
        }
        QCOMPARE(labels[0], 0);
        QCOMPARE(dist2[0], 0.0f);
    }

    /** The patch from a known spacing is the patch from the columns. */
    void patchSizeFromSpacing()
    {
        AtomColumns columns;
        for (int y = 0; y < 12; ++y)
            for (int x = 0; x < 12; ++x) {
                AtomColumn c;
                c.x = 10.0 + 7.3 * x + (y % 2) * 3.65;
                c.y = 10.0 + 6.1 * y;
                columns.push_back(c);
            }
        const double spacing = medianNearestNeighbourDistance(columns);
        QCOMPARE(featurePatchSize(0, spacing), featurePatchSize(0, columns));
        QVERIFY(featurePatchSize(0, 2.0 * spacing) > featurePatchSize(0, spacing));
        QCOMPARE(featurePatchSize(14, spacing), 15); // always odd
        QCOMPARE(featurePatchSize(9, 1000.0), 9);    // a requested size wins
    }
};

QTEST_GUILESS_MAIN(TestLearnReference)
#include "test_learn_reference.moc"
