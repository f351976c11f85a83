#pragma once
/** The main window's actions, menus and toolbar, in one place so the window stays small. */

#include <QObject>

class QAction;
class QMainWindow;
class QMenu;
class QToolBar;
class QUndoStack;

namespace motifscope::ui {

/** Creates every QAction with its shortcut and icon; MainWindow connects them. */
class MainActions : public QObject
{
    Q_OBJECT
public:
    explicit MainActions(QMainWindow* window);

    QAction* open = nullptr;          ///< micrographs and sessions
    QAction* openSession = nullptr;   ///< sessions only
    QAction* saveSession = nullptr;
    QAction* saveSessionAs = nullptr;
    QAction* exportFigure = nullptr;
    QAction* exportData = nullptr;
    QAction* copyView = nullptr;
    QAction* openSeries = nullptr;     ///< a folder or TIFF stack, classified against the motif dictionary
    QAction* loadDictionary = nullptr; ///< a .motifdict for Open Series
    QAction* saveDictionary = nullptr; ///< the document's motifs as a .motifdict (needs learned motifs)
    QAction* quit = nullptr;
    QAction* zoomIn = nullptr;
    QAction* zoomOut = nullptr;
    QAction* fitToWindow = nullptr;
    QAction* actualSize = nullptr;
    QAction* showScaleBar = nullptr;
    QAction* resetContrast = nullptr;
    QAction* analyze = nullptr;
    QAction* importColumns = nullptr;
    QAction* exportColumns = nullptr;
    QAction* undo = nullptr;          ///< made by attachUndoStack()
    QAction* redo = nullptr;          ///< made by attachUndoStack()
    QAction* selectAllColumns = nullptr;
    QAction* deleteColumns = nullptr;
    QAction* detectColumns = nullptr;
    QAction* learnMotifs = nullptr;   ///< needs columns
    QAction* buildHierarchy = nullptr; ///< needs columns
    QAction* editColumns = nullptr;   ///< checkable: the column edit tool on the image view
    QAction* measureLine = nullptr;   ///< checkable: the line tool (length and intensity profile)
    QAction* snapColumns = nullptr;   ///< checkable: added columns snap to the intensity centre
    QAction* showColumns = nullptr;   ///< checkable: the column overlay
    QAction* showContrastMask = nullptr; ///< checkable: where detection found no atomic contrast (off)
    QAction* setScale = nullptr;      ///< Image > Set Scale: pixel size and unit
    QAction* userGuide = nullptr;     ///< F1
    QAction* shortcuts = nullptr;     ///< Help > Keyboard Shortcuts
    QAction* about = nullptr;
    QAction* aboutQt = nullptr;

    /** Undo / Redo actions following `stack` (call before buildMenus). */
    void attachUndoStack(QUndoStack* stack);
    /**
     * File, Edit, View, Image, Analysis and Help menus; `recentMenu` (micrographs) and `recentSessionsMenu`
     * (may be null) go under File, `panelToggles` under View.
     */
    void buildMenus(QMenu* recentMenu, const QList<QAction*>& panelToggles, QMenu* recentSessionsMenu = nullptr);
    QToolBar* buildToolBar();
    /** Actions that need an image are enabled only when there is one. */
    void setImageActionsEnabled(bool enabled);
    /** Export, Select All and Learn Motifs need columns; Delete needs a selection. */
    void setColumnActionsEnabled(bool haveColumns, bool haveSelection);

private:
    QMainWindow* mWindow;
};

} // namespace motifscope::ui
