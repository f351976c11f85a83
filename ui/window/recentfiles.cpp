#include "ui/window/recentfiles.h"

#include "ui/window/appsettings.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>

namespace motifscope::ui {

RecentFiles::RecentFiles(QObject* parent, const QString& key, const QString& menuTitle)
    : QObject(parent), mKey(key), mMenu(new QMenu(menuTitle.isEmpty() ? tr("Open &Recent") : menuTitle))
{
    mMenu->setIcon(QIcon::fromTheme(QStringLiteral("document-open-recent")));
    const QSettings settings(settingsOrganisation(), settingsApplication());
    mFiles = settings.value(mKey).toStringList();
    mFiles.removeAll(QString());
    mFiles.removeDuplicates();
    while (mFiles.size() > kMaxFiles)
        mFiles.removeLast();
    rebuildMenu();
}

RecentFiles::~RecentFiles()
{
    delete mMenu;
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    mFiles.removeAll(absolute);
    mFiles.prepend(absolute);
    while (mFiles.size() > kMaxFiles)
        mFiles.removeLast();
    store();
}

void RecentFiles::remove(const QString& path)
{
    if (mFiles.removeAll(QDir::cleanPath(QFileInfo(path).absoluteFilePath())) > 0)
        store();
}

void RecentFiles::clear()
{
    if (mFiles.isEmpty())
        return;
    mFiles.clear();
    store();
}

void RecentFiles::store()
{
    QSettings settings(settingsOrganisation(), settingsApplication());
    settings.setValue(mKey, mFiles);
    rebuildMenu();
    Q_EMIT changed();
}

void RecentFiles::rebuildMenu()
{
    mMenu->clear();
    for (int i = 0; i < mFiles.size(); ++i) {
        const QString& path = mFiles[i];
        // "&1 name" gives keyboard access to the first nine entries.
        const QString prefix = i < 9 ? QStringLiteral("&%1  ").arg(i + 1) : QStringLiteral("    ");
        QString name = QFileInfo(path).fileName();
        name.replace(QLatin1Char('&'), QStringLiteral("&&"));
        QAction* action = mMenu->addAction(prefix + name);
        action->setToolTip(path);
        action->setStatusTip(path);
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT openRequested(path); });
    }
    if (!mFiles.isEmpty())
        mMenu->addSeparator();
    QAction* clearAction = mMenu->addAction(tr("&Clear Menu"), this, &RecentFiles::clear);
    clearAction->setEnabled(!mFiles.isEmpty());
    mMenu->setEnabled(true);
}

} // namespace motifscope::ui
