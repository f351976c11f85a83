#pragma once
/** The one way work runs off the GUI thread: runs, busy flag, shared progress, cancel, one signal order. */

#include "ui/jobs/guardedwork.h"
#include "ui/jobs/jobrun.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

class QThreadPool;

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
#include <variant>

namespace motifscope::ui {

/**
 * The pool every BackgroundJob's work runs on. Not QThreadPool::globalInstance(): Qt 6.4's raster
 * engine splits large fills on the GUI thread into tasks on the global pool and waits for them, so
 * while jobs held its threads a paint of the window waited for one of them to end (0.4 s blocks
 * while learning 10^5 columns on 2 cores, motifscope-bench-live).
 */
QThreadPool* jobThreadPool();

/** How a run ended (cancelled, failed with a message, or neither) and how long its work took. */
struct RunEnding : WorkEnding
{
    double seconds = 0.0;
};

/**
 * Base of every background job. launch() starts a run of guarded work on the thread pool; a newer
 * launch() supersedes the running one (its progress is cancelled, its result dropped), cancel()
 * drops it at once. A run that is still the newest when its work returns ends on the GUI thread in
 * one fixed order: the subclass's outcome signals (its `deliver`), then busyChanged(false) unless
 * `deliver` started another run. The destructor cancels and waits for every worker still running.
 */
class BackgroundJob : public QObject
{
    Q_OBJECT
public:
    explicit BackgroundJob(QObject* parent = nullptr);
    ~BackgroundJob() override;

    /** From launch() until the run has delivered its outcome (or was cancelled). */
    bool isBusy() const { return mBusy; }
    /** Drops the running run: reportCancelled(), then busyChanged(false). Nothing arrives later. */
    void cancel();

Q_SIGNALS:
    /** The running run's progress (throttled, see JobRun). */
    void progressed(double fraction, const QString& stage);
    void busyChanged(bool busy);

protected:
    /**
     * Runs `work(JobRun&)` on the thread pool under runGuarded(`texts`); then, on the GUI thread,
     * `deliver(result, RunEnding)` if the run is still the newest. A cancellation noticed by the
     * work counts as cancelled.
     */
    template <typename Work, typename Deliver>
    void launch(Work work, Deliver deliver, FailureTexts texts);
    /** Calls `call` on the GUI thread if `run` is still the running run then (live previews). */
    void postWhileCurrent(const JobRun& run, std::function<void()> call);
    /** A worker is out, not yet delivered: busy, and not inside its own delivery. */
    bool isRunning() const { return mBusy && !mDelivering; }
    /** What the job says when cancel() drops a run (before busy goes off). */
    virtual void reportCancelled() {}

private:
    std::shared_ptr<JobRun> beginRun();
    void deliverRun(quint64 generation, const std::function<void()>& deliver);
    void keepWorker(const QFuture<void>& worker);
    void setBusy(bool busy);

    quint64 mGeneration = 0;
    bool mBusy = false;
    bool mDelivering = false;
    std::shared_ptr<JobRun> mRun;
    QList<QFuture<void>> mWorkers; ///< workers that may still be running (the destructor waits)
};

template <typename Work, typename Deliver>
void BackgroundJob::launch(Work work, Deliver deliver, FailureTexts texts)
{
    using Returned = std::invoke_result_t<Work&, JobRun&>;
    using Result = std::conditional_t<std::is_void_v<Returned>, std::monostate, Returned>;
    struct Ran
    {
        Result result{};
        RunEnding ending;
    };
    const std::shared_ptr<JobRun> run = beginRun();
    const QFuture<Ran> future = QtConcurrent::run(jobThreadPool(), [run, work = std::move(work), texts = std::move(texts)]() mutable {
        Ran ran;
        QElapsedTimer clock;
        clock.start();
        static_cast<WorkEnding&>(ran.ending) = runGuarded(
            [&] {
                if constexpr (std::is_void_v<Returned>)
                    work(*run);
                else
                    ran.result = work(*run);
                run->whole().throwIfCancelled();
            },
            texts);
        ran.ending.seconds = clock.elapsed() / 1000.0;
        return ran;
    });
    auto* watcher = new QFutureWatcher<Ran>(this);
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, generation = run->generation(), deliver = std::move(deliver)]() mutable {
                Ran ran = watcher->result(); // a copy: takeResult() would reset the future the destructor waits on
                watcher->deleteLater();
                deliverRun(generation, [&] { deliver(std::move(ran.result), ran.ending); });
            });
    keepWorker(QFuture<void>(future));
    watcher->setFuture(future);
}

} // namespace motifscope::ui
