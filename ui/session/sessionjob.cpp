#include "session/sessionjob.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <new>

namespace motifscope::ui {

namespace {

/** What the pool thread hands back: the loaded content (loads only) or a one-line error. */
struct SessionWork
{
    std::shared_ptr<const SessionContent> content;
    QString error;
};

/** Runs `work` and turns every failure into one line naming `path`. */
template <typename Work>
SessionWork guarded(const QString& path, const char* doing, Work work)
{
    SessionWork result;
    try {
        work(result);
    } catch (const IoError& e) {
        result.error = QString::fromStdString(e.what());
    } catch (const std::bad_alloc&) {
        result.error = QStringLiteral("%1: not enough memory to %2").arg(path, QString::fromLatin1(doing));
    } catch (const std::exception& e) {
        result.error = QStringLiteral("%1: %2").arg(path, QString::fromStdString(e.what()));
    } catch (...) {
        result.error = QStringLiteral("%1: unexpected error while trying to %2").arg(path, QString::fromLatin1(doing));
    }
    return result;
}

} // namespace

SessionJob::SessionJob(QObject* parent) : QObject(parent)
{
}

SessionJob::~SessionJob() = default;

void SessionJob::setBusy(bool busy)
{
    if (busy == mBusy)
        return;
    mBusy = busy;
    Q_EMIT busyChanged(busy);
}

bool SessionJob::save(SessionContent content, const QString& path, int tag)
{
    if (mBusy)
        return false;
    setBusy(true);
    auto* watcher = new QFutureWatcher<SessionWork>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path, tag] {
        const SessionWork work = watcher->result();
        watcher->deleteLater();
        mBusy = false; // free for what the result starts; busyChanged(false) once it is handled
        if (work.error.isEmpty())
            Q_EMIT saved(path, tag);
        else
            Q_EMIT failed(path, work.error, tag);
        if (!mBusy)
            Q_EMIT busyChanged(false);
    });
    auto shared = std::make_shared<const SessionContent>(std::move(content));
    watcher->setFuture(QtConcurrent::run([shared, path] {
        return guarded(path, "save the session", [&](SessionWork&) { writeSessionFile(*shared, path); });
    }));
    return true;
}

bool SessionJob::load(const QString& path, int tag)
{
    if (mBusy)
        return false;
    setBusy(true);
    auto* watcher = new QFutureWatcher<SessionWork>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path, tag] {
        const SessionWork work = watcher->result();
        watcher->deleteLater();
        mBusy = false;
        if (work.error.isEmpty() && work.content)
            Q_EMIT loaded(path, work.content, tag);
        else
            Q_EMIT failed(path, work.error, tag);
        if (!mBusy)
            Q_EMIT busyChanged(false);
    });
    watcher->setFuture(QtConcurrent::run([path] {
        return guarded(path, "open the session", [&](SessionWork& out) {
            out.content = std::make_shared<const SessionContent>(readSessionFile(path));
        });
    }));
    return true;
}

} // namespace motifscope::ui
