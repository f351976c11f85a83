#include "jobs/micrographloader.h"

#include "io/readers.h"

#include <QFile>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <new>

namespace motifscope::ui {

namespace {

/** What the worker thread hands back: a micrograph or a one-line error. */
struct LoadResult
{
    std::shared_ptr<const Micrograph> micrograph;
    QString error;
};

/** Runs on a pool thread: never throws, turns every failure into one line of text. */
LoadResult readOffThread(const QString& path)
{
    LoadResult result;
    const std::string nativePath = QFile::encodeName(path).toStdString();
    try {
        result.micrograph = std::make_shared<const Micrograph>(readMicrograph(nativePath));
    } catch (const IoError& e) {
        result.error = QString::fromStdString(e.what());
    } catch (const std::bad_alloc&) {
        result.error = QStringLiteral("%1: not enough memory to read this file").arg(path);
    } catch (const std::exception& e) {
        result.error = QStringLiteral("%1: %2").arg(path, QString::fromStdString(e.what()));
    } catch (...) {
        result.error = QStringLiteral("%1: unexpected error while reading").arg(path);
    }
    return result;
}

} // namespace

MicrographLoader::MicrographLoader(QObject* parent) : QObject(parent)
{
}

// Watchers are children and die with the loader; a read still running on the pool finishes and
// its result is dropped.
MicrographLoader::~MicrographLoader() = default;

void MicrographLoader::load(const QString& path)
{
    const quint64 generation = ++mGeneration;
    const bool wasBusy = isBusy();
    mPendingPath = path;
    Q_EMIT started(path);
    if (!wasBusy)
        Q_EMIT busyChanged(true);

    auto* watcher = new QFutureWatcher<LoadResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, path] {
        const LoadResult result = watcher->result();
        watcher->deleteLater();
        finish(generation, path, result.micrograph, result.error);
    });
    watcher->setFuture(QtConcurrent::run(readOffThread, path));
}

void MicrographLoader::cancel()
{
    if (!isBusy())
        return;
    ++mGeneration;
    mPendingPath.clear();
    Q_EMIT busyChanged(false);
}

void MicrographLoader::finish(quint64 generation, const QString& path,
                              std::shared_ptr<const Micrograph> micrograph, const QString& error)
{
    if (generation != mGeneration)
        return; // superseded by a newer load() or cancelled
    mPendingPath.clear();
    if (micrograph)
        Q_EMIT loaded(path, std::move(micrograph));
    else
        Q_EMIT failed(path, error);
    Q_EMIT busyChanged(false);
}

} // namespace motifscope::ui
