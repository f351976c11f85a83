#pragma once
/** The File > Open Recent list, kept in QSettings. */

#include <QObject>
#include <QStringList>

class QMenu;

namespace motifscope::ui {

/** Most recent first, at most kMaxFiles entries, persisted under `key` ("recentFiles" for micrographs). */
class RecentFiles : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxFiles = 10;

    explicit RecentFiles(QObject* parent = nullptr, const QString& key = QStringLiteral("recentFiles"),
                         const QString& menuTitle = QString());
    ~RecentFiles() override;

    QStringList files() const { return mFiles; }
    /** Moves `path` (made absolute) to the top of the list. */
    void add(const QString& path);
    void remove(const QString& path);
    void clear();
    /** The menu, rebuilt whenever the list changes; owned by this object. */
    QMenu* menu() const { return mMenu; }

Q_SIGNALS:
    void openRequested(const QString& path);
    void changed();

private:
    void store();
    void rebuildMenu();

    QString mKey;
    QStringList mFiles;
    QMenu* mMenu = nullptr;
};

} // namespace motifscope::ui
