#include "jobs/hierarchyjob.h"

#include "document/columnset.h"
#include "jobs/guardedwork.h"
#include "pipeline/full_analysis.h"
#include "util/progress.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <new>

namespace motifscope::ui {

namespace {

struct WorkResult
{
    HierarchyOutcome outcome;
    QString error;
    bool cancelled = false;
};

WorkResult buildOffThread(std::vector<Point2> points, std::vector<int> labels, quint64 revision,
                          std::shared_ptr<Progress> progress)
{
    WorkResult work;
    work.outcome.revision = revision;
    QElapsedTimer clock;
    clock.start();
    const WorkEnding ending = runGuarded(
        [&] {
            const std::vector<int>* useLabels = labels.empty() ? nullptr : &labels;
            auto result = std::make_shared<HierarchyResult>(buildHierarchy(
                points, useLabels, HierarchyParams{}, HierarchyRoute::Automatic, progress.get(), &work.outcome.reason));
            progress->throwIfCancelled();
            work.outcome.result = std::move(result);
        },
        QStringLiteral("not enough memory to build the hierarchy"),
        QStringLiteral("unexpected error while building the hierarchy"));
    work.cancelled = ending.cancelled;
    work.error = ending.error;
    work.outcome.seconds = clock.elapsed() / 1000.0;
    return work;
}

} // namespace

HierarchyJob::HierarchyJob(QObject* parent) : QObject(parent) {}

HierarchyJob::~HierarchyJob()
{
    if (mProgress)
        mProgress->cancel();
    mFuture.waitForFinished();
}

void HierarchyJob::start(const ColumnSet& columns, quint64 revision)
{
    if (columns.empty())
        return;
    if (mProgress)
        mProgress->cancel();
    const quint64 generation = ++mGeneration;
    std::vector<Point2> points;
    points.reserve(columns.size());
    for (const AtomColumn& c : columns.columns)
        points.push_back(Point2{c.x, c.y});
    std::vector<int> labels;
    const bool learned = columns.classes.size() == columns.size()
                         && std::any_of(columns.classes.begin(), columns.classes.end(), [](int c) { return c >= 0; });
    if (learned)
        labels = columns.classes;

    mProgress = std::make_shared<Progress>([this, generation](double fraction, const std::string& stage) {
        const QString text = QString::fromStdString(stage);
        QMetaObject::invokeMethod(
            this,
            [this, generation, fraction, text] {
                if (generation == mGeneration && mBusy)
                    Q_EMIT progressed(fraction, text);
            },
            Qt::QueuedConnection);
    });
    setBusy(true);
    auto* watcher = new QFutureWatcher<WorkResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        WorkResult work = watcher->result();
        watcher->deleteLater();
        if (generation != mGeneration)
            return;
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
    const QFuture<WorkResult> future =
        QtConcurrent::run(buildOffThread, std::move(points), std::move(labels), revision, mProgress);
    mFuture = QFuture<void>(future);
    watcher->setFuture(future);
}

void HierarchyJob::cancel()
{
    if (!mBusy)
        return;
    if (mProgress)
        mProgress->cancel();
    ++mGeneration;
    setBusy(false);
    Q_EMIT cancelled();
}

void HierarchyJob::setBusy(bool busy)
{
    if (busy == mBusy)
        return;
    mBusy = busy;
    Q_EMIT busyChanged(busy);
}

} // namespace motifscope::ui
