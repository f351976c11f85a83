#pragma once
/** The main window's actions, menus and toolbar, in one place so the window stays small. */

#include <QObject>

class QAction;
class QMainWindow;
class QMenu;
class QToolBar;

namespace motifscope::ui {

/** Creates every QAction with its shortcut and icon; MainWindow connects them. */
class MainActions : public QObject
{
    Q_OBJECT
public:
    explicit MainActions(QMainWindow* window);

    QAction* open = nullptr;
    QAction* quit = nullptr;
    QAction* zoomIn = nullptr;
    QAction* zoomOut = nullptr;
    QAction* fitToWindow = nullptr;
    QAction* actualSize = nullptr;
    QAction* showScaleBar = nullptr;
    QAction* resetContrast = nullptr;
    QAction* analyze = nullptr;
    QAction* about = nullptr;
    QAction* aboutQt = nullptr;

    /** File, View, Analysis and Help menus; `recentMenu` goes under File, `panelToggles` under View. */
    void buildMenus(QMenu* recentMenu, const QList<QAction*>& panelToggles);
    QToolBar* buildToolBar();
    /** Actions that need an image are enabled only when there is one. */
    void setImageActionsEnabled(bool enabled);

private:
    QMainWindow* mWindow;
};

} // namespace motifscope::ui
