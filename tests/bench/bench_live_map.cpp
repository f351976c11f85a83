// Benchmark of the main window while it learns (issue 20: "the GUI stays responsive while learning
// 10^5 columns, live map updates at >= 5 per second"). Not a test: it measures, never asserts.
//   motifscope-bench-live [--size 4096] [--seed 1] [--shot PNG] [--no-cancel]
// The real MainWindow (offscreen) on a synthetic mixed-lattice image: Detect Columns, then Learn
// Motifs while a 10 ms timer on the GUI thread measures its own lateness and the map's canvas
// counts paints that show new positions (tests/live_map_probe.h). Then two more runs cancelled,
// once while it searches neighbours and once during the layout: how long until the window is idle
// and until the worker has stopped. Prints one JSON object.
#include "live_map_probe.h"
#include "synth_options.h"

#include "core/synth/synth.h"
#include "ui/document/micrographdocument.h"
#include "ui/jobs/backgroundjob.h"
#include "ui/jobs/learnjob.h"
#include "ui/learn/embeddingplot.h"
#include "ui/learn/learnpanel.h"
#include "ui/window/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPushButton>
#include <QThreadPool>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

using namespace motifscope;

namespace {

/** Runs the event loop until `done()` (checked every 5 ms) or `timeoutMs`; false on timeout. */
template <typename Done>
bool spinUntil(Done done, int timeoutMs = 600000)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

/** When (ms on the probe's clock) each progress stage of the learn job was first reported. */
struct StageTimes
{
    std::map<std::string, qint64> first;
    qint64 at(const std::string& stage, qint64 otherwise) const
    {
        const auto it = first.find(stage);
        return it == first.end() ? otherwise : it->second;
    }
};

struct CancelTiming
{
    qint64 idleMs = -1, workerStoppedMs = -1;
    bool documentUnchanged = false;
};

/** Starts learning, cancels once `stage` has run `afterMs`, and times the window and the worker. */
CancelTiming cancelDuring(ui::MainWindow& window, const QString& stage, int afterMs, const QString& shot)
{
    ui::LearnPanel* panel = window.learnPanel();
    QElapsedTimer clock;
    qint64 stageSeen = -1;
    const auto connection = QObject::connect(panel->job(), &ui::LearnJob::progressed, &window,
                                             [&](double, const QString& s) {
                                                 if (stageSeen < 0 && s == stage)
                                                     stageSeen = clock.elapsed();
                                             });
    clock.start();
    window.learnMotifs();
    spinUntil([&] { return !window.isBusy() || (stageSeen >= 0 && clock.elapsed() >= stageSeen + afterMs); });
    QObject::disconnect(connection);
    CancelTiming t;
    if (!window.isBusy())
        return t; // finished before the cancel was due
    if (!shot.isEmpty())
        window.grab().save(shot);
    QElapsedTimer since;
    since.start();
    panel->cancelButton()->click();
    spinUntil([&] { return !window.isBusy(); });
    t.idleMs = since.elapsed();
    spinUntil([&] { return motifscope::ui::jobThreadPool()->activeThreadCount() == 0; }, 60000);
    t.workerStoppedMs = since.elapsed();
    const auto& classes = window.document()->columnSet().classes;
    t.documentUnchanged = std::all_of(classes.begin(), classes.end(), [](int c) { return c < 0; });
    return t;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int size = 4096;
    std::uint64_t seed = 1;
    QString shot;
    bool cancelRuns = true;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--size") && i + 1 < argc)
            size = std::max(256, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = std::strtoull(argv[++i], nullptr, 10);
        else if (!std::strcmp(argv[i], "--shot") && i + 1 < argc)
            shot = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(argv[i], "--no-cancel"))
            cancelRuns = false;
    }

    ui::MainWindow window;
    window.setInteractive(false);
    window.resize(1600, 1000);
    window.show();
    app.processEvents();

    QElapsedTimer clock;
    clock.start();
    window.document()->setMicrograph(test::mixedLattice(size, seed).image, QStringLiteral("bench.tif"));
    const qint64 synthMs = clock.restart();
    window.detectColumns();
    spinUntil([&] { return !window.isBusy(); });
    const qint64 detectMs = clock.restart();
    const long long columns = (long long)window.document()->columns().size();

    // The measured run.
    test::LiveMapProbe probe(window.embeddingPlot());
    StageTimes stages;
    int snapshots = 0;
    qint64 finishedAt = -1;
    ui::LearnPanel* panel = window.learnPanel();
    QObject::connect(panel->job(), &ui::LearnJob::progressed, &window, [&](double, const QString& s) {
        stages.first.emplace(s.toStdString(), probe.elapsedMs());
    });
    QObject::connect(panel, &ui::LearnPanel::previewChanged, &window,
                     [&](const ui::LearnPreview&) { ++snapshots; });
    QObject::connect(panel->job(), &ui::LearnJob::finished, &window, [&] { finishedAt = probe.elapsedMs(); });
    probe.start();
    window.learnMotifs();
    const qint64 startCallMs = probe.elapsedMs(); // what the click itself costs the GUI thread
    spinUntil([&] { return !window.isBusy(); });
    const qint64 idleAt = probe.elapsedMs();
    spinUntil([&] { return probe.elapsedMs() > idleAt + 300; }); // the last repaints
    probe.stop();

    const qint64 layoutFrom = stages.at("embedding", -1);
    const qint64 layoutTo = stages.at("clustering", finishedAt);
    const int layoutFrames = layoutFrom >= 0 ? probe.framesBetween(layoutFrom, layoutTo) : 0;
    const double layoutSeconds = layoutFrom >= 0 ? double(layoutTo - layoutFrom) / 1000.0 : 0.0;
    // The result is applied in the slots of finished(), before the probe's own: a block that ended
    // at or after finishedAt is the apply, one that ended before it happened while learning.
    const qint64 workEnd = finishedAt >= 0 ? finishedAt : idleAt;

    CancelTiming knnCancel, layoutCancel;
    if (cancelRuns) {
        window.document()->undoStack()->undo(); // columns without motifs again
        knnCancel = cancelDuring(window, QStringLiteral("neighbours"), 200, QString());
        // Well into the layout (the shot shows the map taking shape).
        layoutCancel = cancelDuring(window, QStringLiteral("embedding"), std::max(200, int(layoutSeconds * 600)), shot);
    }

    std::printf("{\"size\": %d, \"seed\": %llu, \"columns\": %lld, \"synth_s\": %.2f, \"detect_s\": %.2f,\n", size,
                (unsigned long long)seed, columns, synthMs / 1000.0, detectMs / 1000.0);
    std::printf("  \"start_call_ms\": %lld, \"learn_s\": %.2f, \"stages_s\": {", (long long)startCallMs,
                workEnd / 1000.0);
    bool firstStage = true;
    for (const auto& [name, ms] : stages.first) {
        std::printf("%s\"%s\": %.2f", firstStage ? "" : ", ", name.c_str(), ms / 1000.0);
        firstStage = false;
    }
    std::printf("},\n  \"snapshots_received\": %d, \"new_map_paints\": %d,\n", snapshots, int(probe.frames().size()));
    std::printf("  \"layout_s\": %.2f, \"layout_new_map_paints\": %d, \"layout_map_updates_per_s\": %.1f,\n",
                layoutSeconds, layoutFrames, layoutSeconds > 0 ? layoutFrames / layoutSeconds : 0.0);
    std::printf("  \"longest_block_ms_while_learning\": %lld, \"longest_block_ms_during_layout\": %lld,\n",
                (long long)probe.longestGap(0, workEnd), (long long)probe.longestGap(layoutFrom, layoutTo));
    std::printf("  \"longest_block_ms_applying_result\": %lld, \"late_ticks_over_100ms\": [",
                (long long)probe.longestGap(workEnd, INT64_MAX));
    bool firstGap = true;
    for (const auto& g : probe.lateTicks())
        if (g.gapMs > 100) {
            std::printf("%s[%.2f, %lld]", firstGap ? "" : ", ", g.ms / 1000.0, (long long)g.gapMs);
            firstGap = false;
        }
    std::printf("],\n");
    auto cancelRow = [](const char* name, const CancelTiming& t, bool last) {
        std::printf("  \"%s\": {\"idle_ms\": %lld, \"worker_stopped_ms\": %lld, \"document_unchanged\": %s}%s\n", name,
                    (long long)t.idleMs, (long long)t.workerStoppedMs, t.documentUnchanged ? "true" : "false",
                    last ? "" : ",");
    };
    cancelRow("cancel_in_neighbours", knnCancel, false);
    cancelRow("cancel_in_layout", layoutCancel, true);
    std::printf("}\n");
    return 0;
}
