#include "ui/jobs/learnjob.h"

#include "core/detect/column_detector.h"
#include "ui/document/motifedits.h"
#include "core/pipeline/motif_learning.h"
#include "core/util/progress.h"

#include <QElapsedTimer>

#include <atomic>

namespace motifscope::ui {

namespace {

/** True at most once per LearnJob::kSnapshotIntervalMs (the worker's snapshots are dropped in between). */
class SnapshotClock
{
public:
    SnapshotClock() { mClock.start(); }
    bool due()
    {
        const qint64 now = mClock.elapsed();
        if (now - mLast.load() < LearnJob::kSnapshotIntervalMs)
            return false;
        mLast.store(now);
        return true;
    }

private:
    QElapsedTimer mClock;
    std::atomic<qint64> mLast{-LearnJob::kSnapshotIntervalMs};
};

using SnapshotSink = std::function<void(LearnPreview)>;

/**
 * Each phase reports on its own part of the bar (core stages restart at 0): features 0-15%,
 * learning 15-95%, averages 95-100%.
 */
LearnOutcome learnOffThread(const FloatImage& raw, ColumnSet set, const LearnRequest& request, JobRun& run,
                            const SnapshotSink& sink)
{
    LearnOutcome outcome;
    MotifLearningParams params;
    params.features.nMax = request.nMax;
    params.features.patchSize = request.patchSize;
    params.learn = request.params;
    params.refineClasses = request.refineClasses;
    params.learn.snapshotSeconds = LearnJob::kLayoutSnapshotMs / 1000.0; // the live map's pace
    SnapshotClock clock;
    const MotifLearningSnapshot onSnapshot = [&](const std::vector<int>& rows, const Eigen::MatrixX2f& embedding,
                                                 const std::vector<int>& labels, int epoch) {
        if (clock.due())
            sink(LearnPreview{embedding, rows, labels, epoch});
    };
    const MotifLearningProgress progress{&run.part(0.0, 0.15), &run.part(0.15, 0.95), &run.part(0.95, 1.0)};
    MotifLearning learned = learnColumnMotifs(raw, set.columns, params, progress, onSnapshot);

    set.classes = std::move(learned.motif);
    set.confidence = std::move(learned.confidence);
    set.map.assign(set.size(), MapPoint{});
    set.orientation = learned.features.orientation;
    set.conform();
    for (std::size_t r = 0; r < learned.learnedRows.size(); ++r)
        set.map[std::size_t(learned.learnedRows[r])] =
            MapPoint{learned.learned.embedding(Eigen::Index(r), 0), learned.learned.embedding(Eigen::Index(r), 1)};
    outcome.table.patchSize = learned.patchSize;
    for (const Motif& m : learned.motifs)
        outcome.table.motifs.push_back(
            MotifEntry{defaultMotifName(m.id), QColor(QString::fromStdString(m.colour)), m.averagePatch});
    outcome.columns = std::move(set);
    outcome.learned = int(learned.learnedRows.size());
    outcome.patchSize = learned.patchSize;
    return outcome;
}

} // namespace

void LearnJob::start(std::shared_ptr<const FloatImage> image, ColumnSet columns, const LearnRequest& request)
{
    if (!image || image->data.empty() || columns.empty())
        return;
    runStep(
        [this, image = std::move(image), columns = std::move(columns), request](JobRun& run) mutable {
            const SnapshotSink sink = [this, &run](LearnPreview preview) {
                postWhileCurrent(run, [this, preview = std::move(preview)] { Q_EMIT snapshotReady(preview); });
            };
            return learnOffThread(*image, std::move(columns), request, run, sink);
        },
        [this](LearnOutcome outcome, double seconds) {
            mOutcome = std::move(outcome);
            mOutcome.seconds = seconds;
        },
        {QStringLiteral("not enough memory to learn motifs"), QStringLiteral("unexpected error while learning motifs")});
}

} // namespace motifscope::ui
