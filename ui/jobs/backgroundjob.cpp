#include "ui/jobs/backgroundjob.h"

#include <QThreadPool>

namespace motifscope::ui {

QThreadPool* jobThreadPool()
{
    static QThreadPool pool; // idealThreadCount() threads, as the global pool has
    return &pool;
}

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob()
{
    if (mRun)
        mRun->cancel();
    for (QFuture<void>& worker : mWorkers)
        worker.waitForFinished(); // the workers post to this object until they return
}

void BackgroundJob::cancel()
{
    if (!mBusy)
        return;
    if (mRun)
        mRun->cancel();
    ++mGeneration;
    reportCancelled();
    setBusy(false);
}

std::shared_ptr<JobRun> BackgroundJob::beginRun()
{
    if (mRun)
        mRun->cancel(); // the older run stops soon; its result is dropped by generation
    const quint64 generation = ++mGeneration;
    auto run = std::make_shared<JobRun>(generation, [this, generation] {
        QMetaObject::invokeMethod(
            this,
            [this, generation] {
                if (!mRun || mRun->generation() != generation || generation != mGeneration || !mBusy)
                    return;
                double fraction = 0.0;
                std::string stage;
                mRun->takeLatest(fraction, stage);
                Q_EMIT progressed(fraction, QString::fromStdString(stage));
            },
            Qt::QueuedConnection);
    });
    mRun = run;
    setBusy(true);
    return run;
}

void BackgroundJob::postWhileCurrent(const JobRun& run, std::function<void()> call)
{
    QMetaObject::invokeMethod(
        this,
        [this, generation = run.generation(), call = std::move(call)] {
            if (generation == mGeneration && mBusy)
                call();
        },
        Qt::QueuedConnection);
}

void BackgroundJob::deliverRun(quint64 generation, const std::function<void()>& deliver)
{
    if (generation != mGeneration)
        return; // superseded or cancelled: nothing to report
    mDelivering = true;
    deliver();
    mDelivering = false;
    if (generation == mGeneration) // deliver did not start another run
        setBusy(false);
}

void BackgroundJob::keepWorker(const QFuture<void>& worker)
{
    mWorkers.removeIf([](const QFuture<void>& w) { return w.isFinished(); });
    mWorkers.append(worker);
}

void BackgroundJob::setBusy(bool busy)
{
    if (busy == mBusy)
        return;
    mBusy = busy;
    Q_EMIT busyChanged(busy);
}

} // namespace motifscope::ui
