// The map while the main window learns: it moves on screen before the result arrives, the event
// loop keeps turning, and Cancel stops the worker (issue 20: the GUI stays responsive while
// learning). Behaviour with generous bounds, not a benchmark (that is motifscope-bench-live).
#include "live_map_probe.h"
#include "synth_options.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/document/micrographdocument.h"
#include "ui/jobs/backgroundjob.h"
#include "ui/jobs/learnjob.h"
#include "ui/learn/embeddingplot.h"
#include "ui/learn/learnpanel.h"
#include "ui/window/appsettings.h"
#include "ui/window/mainwindow.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QThreadPool>
#include <QUndoStack>

#include <algorithm>
#include <memory>

using motifscope::test::LiveMapProbe;
using motifscope::ui::LearnPanel;
using motifscope::ui::MainWindow;

namespace {

/**
 * Large enough for a layout that lasts several snapshot intervals on a fast machine (107,000
 * columns: 0.6 s of layout, 5-7 live maps on a 2026 EPYC; at 2048^2 the layout took 0.15 s there,
 * a single interval, and the test saw 2 maps), small enough for a quick test.
 */
constexpr int kImageSize = 4096;
/** No turn of the event loop may wait longer than this while learning (a hang guard, 5x the goal). */
constexpr qint64 kMaxBlockMs = 500;

} // namespace

class TestLiveMap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void mapMovesWhileLearningWithoutBlocking();
    void cancelInTheLayoutStopsTheWorker();
    void cleanupTestCase();

private:
    std::unique_ptr<MainWindow> mWindow;
};

void TestLiveMap::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
    mWindow = std::make_unique<MainWindow>();
    mWindow->setInteractive(false);
    mWindow->resize(1200, 800);
    mWindow->show();
    QVERIFY(QTest::qWaitForWindowExposed(mWindow.get()));
    mWindow->document()->setMicrograph(motifscope::test::mixedLattice(kImageSize, 1).image, QStringLiteral("live.tif"));
    QVERIFY(motifscope::test::runAndWait(mWindow.get(), [&] { mWindow->detectColumns(); }));
    QVERIFY(mWindow->document()->columns().size() > 20000);
}

void TestLiveMap::cleanupTestCase()
{
    mWindow.reset();
}

void TestLiveMap::mapMovesWhileLearningWithoutBlocking()
{
    LearnPanel* panel = mWindow->learnPanel();
    LiveMapProbe probe(mWindow->embeddingPlot());
    qint64 finishedAt = -1;
    connect(panel->job(), &motifscope::ui::LearnJob::finished, this, [&] { finishedAt = probe.elapsedMs(); });
    probe.start();
    QVERIFY(motifscope::test::runAndWait(mWindow.get(), [&] { mWindow->learnMotifs(); }));
    QTest::qWait(200); // the final map's paint
    probe.stop();
    QVERIFY(finishedAt > 0);
    QVERIFY(!mWindow->document()->motifTable().empty());

    // Several maps were on screen before the result, each with other positions than the one before
    // (the probe keeps a paint only when its positions changed), none of them the final map.
    const auto& frames = probe.frames();
    QVERIFY(!frames.empty());
    const std::uint64_t finalHash = frames.back().hash;
    const auto live = std::count_if(frames.begin(), frames.end(),
                                    [&](const LiveMapProbe::Frame& f) { return f.ms < finishedAt && f.hash != finalHash; });
    qInfo("%d live maps before the result, the event loop blocked for at most %lld ms", int(live),
          (long long)probe.longestGap(0, finishedAt));
    QVERIFY2(live >= 3, qPrintable(QStringLiteral("%1 live maps before the result").arg(live)));
    QCOMPARE(frames.back().points, mWindow->embeddingPlot()->pointCount());

    // The event loop kept turning while the worker learned.
    const qint64 longest = probe.longestGap(0, finishedAt);
    QVERIFY2(longest < kMaxBlockMs, qPrintable(QStringLiteral("the GUI was blocked for %1 ms").arg(longest)));
}

void TestLiveMap::cancelInTheLayoutStopsTheWorker()
{
    mWindow->document()->undoStack()->undo(); // the columns without motifs
    QVERIFY(mWindow->document()->motifTable().empty());
    LearnPanel* panel = mWindow->learnPanel();
    QSignalSpy previews(panel, &LearnPanel::previewChanged);
    mWindow->learnMotifs();
    QVERIFY(previews.wait(motifscope::test::kJobTimeoutMs)); // the layout is running
    QVERIFY(mWindow->isBusy());
    QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
    QVERIFY(!mWindow->isBusy()); // the window lets go at once
    // and the worker stops soon after (it checks the flag every layout epoch)
    QTRY_VERIFY_WITH_TIMEOUT(motifscope::ui::jobThreadPool()->activeThreadCount() == 0, 3000);
    const int afterCancel = int(previews.count());
    QTest::qWait(200);
    QCOMPARE(int(previews.count()), afterCancel); // no snapshot lands after the cancel
    QVERIFY(mWindow->document()->motifTable().empty());
}

QTEST_MAIN(TestLiveMap)
#include "test_live_map.moc"
