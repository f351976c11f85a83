/** Motif edits keep the registered averages right without resampling every member (ui/document/motifedits). */

#include "ui/document/motifedits.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace motifscope;
using namespace motifscope::ui;

namespace {

/** A 160 x 160 image of random bright blobs, 120 columns in 3 motifs with random orientations and map points. */
struct Scene
{
    FloatImage image{160, 160};
    MotifState state;
};

Scene makeScene()
{
    Scene s;
    std::mt19937 random(7);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    for (int y = 0; y < s.image.height; ++y)
        for (int x = 0; x < s.image.width; ++x)
            s.image.data[std::size_t(y) * s.image.width + x] =
                float(std::sin(0.31 * x) * std::cos(0.17 * y) + 0.2 * std::sin(0.05 * x * y)) + 0.1f * unit(random);
    ColumnSet& set = s.state.columns;
    for (int i = 0; i < 120; ++i) {
        AtomColumn c;
        c.x = 20.0 + 120.0 * unit(random);
        c.y = 20.0 + 120.0 * unit(random);
        set.columns.push_back(c);
        const int motif = i % 3;
        set.classes.push_back(motif);
        set.confidence.push_back(1.0f);
        set.orientation.push_back(6.28f * unit(random));
        set.map.push_back({float(motif * 10) + unit(random), unit(random) + (i % 2 ? 3.0f : 0.0f)});
    }
    s.state.table.patchSize = 9;
    for (int id = 0; id < 3; ++id)
        s.state.table.motifs.push_back({defaultMotifName(id), QColor(Qt::red), {}});
    updateAverages(s.state, s.image, {0, 1, 2});
    return s;
}

/** Largest difference between the kept averages and averages resampled from the members. */
double differenceFromResampled(const MotifState& state, const FloatImage& image)
{
    MotifState fresh = state;
    std::vector<int> all;
    for (int id = 0; id < state.table.size(); ++id)
        all.push_back(id);
    updateAverages(fresh, image, all);
    double worst = 0.0;
    for (int id = 0; id < state.table.size(); ++id) {
        const auto& kept = state.table.motifs[std::size_t(id)].averagePatch;
        const auto& resampled = fresh.table.motifs[std::size_t(id)].averagePatch;
        if (kept.size() != resampled.size())
            return 1e9;
        for (std::size_t p = 0; p < kept.size(); ++p)
            worst = std::max(worst, std::fabs(double(kept[p]) - double(resampled[p])));
    }
    return worst;
}

} // namespace

class TestMotifEdits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mergeCombinesAverages()
    {
        const Scene s = makeScene();
        const MotifState merged = mergedMotifs(s.state, {2, 0});
        QCOMPARE(merged.table.size(), 2);
        QCOMPARE(membersOf(merged.columns, 0), 80LL);
        QVERIFY2(differenceFromResampled(merged, s.image) < 1e-5, qPrintable(QString::number(differenceFromResampled(merged, s.image))));
        // Not trivially equal: the merged average differs from both of the averages merged.
        double change = 0.0;
        for (std::size_t p = 0; p < merged.table.motifs[0].averagePatch.size(); ++p)
            change += std::fabs(merged.table.motifs[0].averagePatch[p] - s.state.table.motifs[0].averagePatch[p]);
        QVERIFY(change > 1e-3);
    }

    void assignmentMovesOnlyItsColumns()
    {
        const Scene s = makeScene();
        // From motifs 0 and 2 into 1, one index twice, one column already in motif 1.
        MotifState after = assignedToMotif(s.state, {0, 2, 5, 5, 1, 11}, 1);
        QCOMPARE(membersOf(after.columns, 1), 44LL);
        updateAveragesForMoves(after, s.state, s.image, {0, 2, 5, 5, 1, 11});
        QVERIFY2(differenceFromResampled(after, s.image) < 1e-5, qPrintable(QString::number(differenceFromResampled(after, s.image))));
        // Every member of a motif moved out: its average becomes zero, as resampling gives.
        std::vector<int> allOfTwo;
        for (int i = 2; i < 120; i += 3)
            allOfTwo.push_back(i);
        MotifState emptied = assignedToMotif(s.state, allOfTwo, 0);
        updateAveragesForMoves(emptied, s.state, s.image, allOfTwo);
        QCOMPARE(membersOf(emptied.columns, 2), 0LL);
        QVERIFY(differenceFromResampled(emptied, s.image) < 1e-5);
    }

    void splitSamplesTheNewHalf()
    {
        const Scene s = makeScene();
        MotifState after = splitMotif(s.state, 1);
        QCOMPARE(after.table.size(), 4);
        std::vector<int> moved;
        for (std::size_t i = 0; i < after.columns.size(); ++i)
            if (after.columns.classOf(i) == 3)
                moved.push_back(int(i));
        QVERIFY(!moved.empty() && moved.size() < 40);
        updateAveragesForMoves(after, s.state, s.image, moved);
        QVERIFY2(differenceFromResampled(after, s.image) < 1e-5, qPrintable(QString::number(differenceFromResampled(after, s.image))));
    }
};

QTEST_GUILESS_MAIN(TestMotifEdits)
#include "test_motif_edits.moc"
