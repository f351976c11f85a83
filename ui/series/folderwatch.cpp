#include "ui/series/folderwatch.h"

#include <QDir>
#include <QFileInfo>

namespace motifscope::ui {

namespace {

/// Milliseconds between two looks at a file still being written (the CLI's `watch --interval` default).
constexpr int kDefaultIntervalMs = 100;

bool micrographName(const QString& name)
{
    static const QSet<QString> extensions = {
        QStringLiteral("tif"), QStringLiteral("tiff"), QStringLiteral("dm3"), QStringLiteral("dm4"),
        QStringLiteral("emd"), QStringLiteral("ser"),  QStringLiteral("mrc"), QStringLiteral("npy"),
        QStringLiteral("png"), QStringLiteral("jpg"),  QStringLiteral("jpeg"), QStringLiteral("bmp")};
    return !name.startsWith(QLatin1Char('.')) && extensions.contains(QFileInfo(name).suffix().toLower());
}

} // namespace

FolderWatch::FolderWatch(QObject* parent) : QObject(parent)
{
    mPoll.setInterval(kDefaultIntervalMs);
    connect(&mWatcher, &QFileSystemWatcher::directoryChanged, this, &FolderWatch::look);
    connect(&mWatcher, &QFileSystemWatcher::fileChanged, this, &FolderWatch::look);
    connect(&mPoll, &QTimer::timeout, this, &FolderWatch::look);
}

QStringList FolderWatch::micrographsIn(const QString& folder)
{
    QStringList out;
    const QFileInfoList entries = QDir(folder).entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
    for (const QFileInfo& f : entries)
        if (micrographName(f.fileName()))
            out.append(f.absoluteFilePath());
    return out;
}

void FolderWatch::follow(const QString& folder, const QStringList& known)
{
    const QStringList watched = mWatcher.directories() + mWatcher.files();
    if (!watched.isEmpty())
        mWatcher.removePaths(watched);
    mPoll.stop();
    mPending.clear();
    mFailed.clear();
    mReported = QSet<QString>(known.begin(), known.end());
    mFolder = folder;
    if (folder.isEmpty())
        return;
    mWatcher.addPath(folder);
    look();
}

FolderWatch::Seen FolderWatch::seenNow(const QString& path)
{
    const QFileInfo info(path);
    return {info.size(), info.lastModified()};
}

void FolderWatch::retryWhenChanged(const QString& path)
{
    if (!mReported.remove(path))
        return;
    mFailed.insert(path, seenNow(path));
    mWatcher.addPath(path); // a rewrite in place does not change the folder
}

void FolderWatch::look()
{
    if (mFolder.isEmpty())
        return;
    QHash<QString, Seen> now;
    for (const QString& path : micrographsIn(mFolder)) {
        if (mReported.contains(path))
            continue;
        const Seen seen = seenNow(path);
        if (mFailed.value(path) == seen)
            continue; // unchanged since it failed
        const auto before = mPending.constFind(path);
        if (seen.size > 0 && before != mPending.constEnd() && *before == seen) {
            mReported.insert(path);
            if (mFailed.remove(path))
                mWatcher.removePath(path);
            Q_EMIT fileReady(path);
        } else
            now.insert(path, seen);
    }
    mPending = now;
    if (mPending.isEmpty())
        mPoll.stop();
    else if (!mPoll.isActive())
        mPoll.start();
}

} // namespace motifscope::ui
