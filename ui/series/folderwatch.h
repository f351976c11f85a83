#pragma once
/**
 * "Follow folder": new micrographs in a folder, each reported once it is complete. A
 * QFileSystemWatcher says when the folder changed; a file counts as complete when its size and
 * modification time are the same at two looks `interval` apart (as `motifscope-cli watch` decides),
 * so a frame still being written by the microscope software is not read half-way.
 */

#include <QDateTime>
#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>

namespace motifscope::ui {

class FolderWatch : public QObject
{
    Q_OBJECT
public:
    explicit FolderWatch(QObject* parent = nullptr);

    /** Micrograph files (by extension, hidden files left out) in `folder`, sorted by name. */
    static QStringList micrographsIn(const QString& folder);

    /**
     * Follows `folder`: files already reported (`known`) are not reported again; the others are
     * reported by fileReady once complete. An empty folder stops following.
     */
    void follow(const QString& folder, const QStringList& known);
    void stop() { follow(QString(), {}); }
    bool isFollowing() const { return !mFolder.isEmpty(); }
    void setInterval(int milliseconds) { mPoll.setInterval(milliseconds); }
    /** `path` could not be read: it is reported again once it has changed (and is complete). */
    void retryWhenChanged(const QString& path);

Q_SIGNALS:
    /** `path` is complete: the same size and time at two looks. */
    void fileReady(const QString& path);

private:
    struct Seen
    {
        qint64 size = -1;
        QDateTime modified;
        bool operator==(const Seen&) const = default;
    };
    void look();

    QString mFolder;
    QFileSystemWatcher mWatcher;
    QTimer mPoll;               ///< runs while some file is not yet complete
    static Seen seenNow(const QString& path);

    QHash<QString, Seen> mPending;
    QHash<QString, Seen> mFailed; ///< files that could not be read, as they were then
    QSet<QString> mReported;
};

} // namespace motifscope::ui
