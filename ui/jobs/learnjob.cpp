#include "jobs/learnjob.h"

#include "detect/column_detector.h"
#include "document/motifedits.h"
#include "pipeline/motif_learning.h"
#include "util/progress.h"

#include "jobs/guardedwork.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <chrono>
#include <new>

namespace motifscope::ui {

/**
 * Each phase reports on its own Progress (core stages restart at 0), mapped onto one bar:
 * features 0-15%, learning 15-95%, averages 95-100%. cancel() cancels all three.
 */
struct LearnJob::Run
{
    using Report = std::function<void(double, const std::string&)>;
    Run(const Report& report)
        : features(mapped(report, 0.0, 0.15)), learning(mapped(report, 0.15, 0.95)),
          averages(mapped(report, 0.95, 1.0))
    {
    }
    static Progress::Callback mapped(Report report, double from, double to)
    {
        return
            [report, from, to](double f, const std::string& stage) { report(from + f * (to - from), stage); };
    }
    void cancel()
    {
        features.cancel();
        learning.cancel();
        averages.cancel();
    }
    /** True at most once per kSnapshotIntervalMs (the worker's snapshots are dropped in between). */
    bool snapshotDue()
    {
        const auto now = std::chrono::steady_clock::now().time_since_epoch();
        const long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
        if (ms - lastSnapshotMs.load() < kSnapshotIntervalMs)
            return false;
        lastSnapshotMs.store(ms);
        return true;
    }

    Progress features, learning, averages;
    std::atomic<long long> lastSnapshotMs{0};
};

namespace {

struct WorkResult
{
    LearnOutcome outcome;
    QString error;
    bool cancelled = false;
};

using SnapshotSink = std::function<void(LearnPreview)>;

WorkResult learnOffThread(std::shared_ptr<const Micrograph> image, ColumnSet set, LearnRequest request,
                          std::shared_ptr<LearnJob::Run> run, SnapshotSink sink)
{
    WorkResult work;
    QElapsedTimer clock;
    clock.start();
    const WorkEnding ending = runGuarded(
        [&] {
            const FloatImage raw = withFiniteValues(image->pixels.data(), image->width, image->height);
            MotifLearningParams params;
            params.features.nMax = request.nMax;
            params.features.patchSize = request.patchSize;
            params.learn = request.params;
            const MotifLearningSnapshot onSnapshot = [&](const std::vector<int>& rows, const Eigen::MatrixX2f& embedding,
                                                         const std::vector<int>& labels, int epoch) {
                if (run->snapshotDue())
                    sink(LearnPreview{embedding, rows, labels, epoch});
            };
            MotifLearning learned = learnColumnMotifs(
                raw, set.columns, params, MotifLearningProgress{&run->features, &run->learning, &run->averages},
                onSnapshot);

            set.classes = std::move(learned.motif);
            set.confidence = std::move(learned.confidence);
            set.map.assign(set.size(), MapPoint{});
            set.orientation = learned.features.orientation;
            set.conform();
            for (std::size_t r = 0; r < learned.learnedRows.size(); ++r)
                set.map[std::size_t(learned.learnedRows[r])] = MapPoint{
                    learned.learned.embedding(Eigen::Index(r), 0), learned.learned.embedding(Eigen::Index(r), 1)};
            work.outcome.table.patchSize = learned.patchSize;
            for (const Motif& m : learned.motifs)
                work.outcome.table.motifs.push_back(MotifEntry{
                    defaultMotifName(m.id), QColor(QString::fromStdString(m.colour)), m.averagePatch});
            work.outcome.columns = std::move(set);
            work.outcome.learned = int(learned.learnedRows.size());
            work.outcome.patchSize = learned.patchSize;
        },
        QStringLiteral("not enough memory to learn motifs"),
        QStringLiteral("unexpected error while learning motifs"));
    work.cancelled = ending.cancelled;
    work.error = ending.error;
    work.outcome.seconds = clock.elapsed() / 1000.0;
    return work;
}

} // namespace

LearnJob::LearnJob(QObject* parent) : QObject(parent) {}

LearnJob::~LearnJob()
{
    if (mRun)
        mRun->cancel();
    mFuture.waitForFinished();
}

void LearnJob::start(std::shared_ptr<const Micrograph> image, ColumnSet columns, const LearnRequest& request)
{
    if (!image || image->empty() || columns.empty())
        return;
    if (mRun)
        mRun->cancel(); // the older run stops soon; its result is dropped by generation
    const quint64 generation = ++mGeneration;
    // Everything reaches the GUI thread queued; the job outlives its runs (the destructor waits).
    mRun = std::make_shared<Run>([this, generation](double fraction, const std::string& stage) {
        const QString text = QString::fromStdString(stage);
        QMetaObject::invokeMethod(
            this,
            [this, generation, fraction, text] {
                if (generation == mGeneration && mBusy)
                    Q_EMIT progressed(fraction, text);
            },
            Qt::QueuedConnection);
    });
    SnapshotSink sink = [this, generation](LearnPreview preview) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, preview = std::move(preview)] {
                if (generation == mGeneration && mBusy)
                    Q_EMIT snapshotReady(preview);
            },
            Qt::QueuedConnection);
    };
    Q_EMIT started();
    setBusy(true);

    auto* watcher = new QFutureWatcher<WorkResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        WorkResult work = watcher->result();
        watcher->deleteLater();
        if (generation != mGeneration)
            return; // superseded or cancelled: nothing to report
        // Results first, then idle: whoever waits for "not busy" (--screenshot) sees them applied.
        if (work.cancelled) {
            setBusy(false);
            Q_EMIT cancelled();
        } else if (!work.error.isEmpty()) {
            setBusy(false);
            Q_EMIT failed(work.error);
        } else {
            mOutcome = std::move(work.outcome);
            Q_EMIT finished();
            setBusy(false);
        }
    });
    mRun->lastSnapshotMs.store(0);
    const QFuture<WorkResult> future = QtConcurrent::run(learnOffThread, std::move(image), std::move(columns),
                                                         request, mRun, std::move(sink));
    mFuture = QFuture<void>(future);
    watcher->setFuture(future);
}

void LearnJob::cancel()
{
    if (!mBusy)
        return;
    if (mRun)
        mRun->cancel();
    ++mGeneration;
    setBusy(false);
    Q_EMIT cancelled();
}

void LearnJob::setBusy(bool busy)
{
    if (busy == mBusy)
        return;
    mBusy = busy;
    Q_EMIT busyChanged(busy);
}

} // namespace motifscope::ui
