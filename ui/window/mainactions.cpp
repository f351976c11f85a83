#include "ui/window/mainactions.h"

#include <QAction>
#include <QMainWindow>
#include <QMenuBar>
#include <QToolBar>
#include <QUndoStack>

namespace motifscope::ui {

namespace {

/** The desktop theme's icon when there is one, else MotifScope's own SVG. */
QIcon themedIcon(const QString& themeName, const QString& resource)
{
    return QIcon::fromTheme(themeName, QIcon(QStringLiteral(":/motifscope/icons/%1.svg").arg(resource)));
}

QAction* makeAction(QObject* parent, const QString& text, const QIcon& icon, const QList<QKeySequence>& keys,
                    const QString& tip)
{
    auto* action = new QAction(icon, text, parent);
    // A standard key that is the same as a listed one (ZoomOut is Ctrl+- on most desktops) would
    // register the key twice: Qt then calls it ambiguous and does nothing.
    QList<QKeySequence> unique;
    for (const QKeySequence& key : keys)
        if (!key.isEmpty() && !unique.contains(key))
            unique.append(key);
    action->setShortcuts(unique);
    action->setStatusTip(tip);
    QString toolTip = QString(text).remove(QLatin1Char('&'));
    if (!keys.isEmpty())
        toolTip += QStringLiteral(" (%1)").arg(keys.front().toString(QKeySequence::NativeText));
    action->setToolTip(toolTip);
    return action;
}

} // namespace

MainActions::MainActions(QMainWindow* window) : QObject(window), mWindow(window)
{
    open = makeAction(this, tr("&Open…"), themedIcon(QStringLiteral("document-open"), QStringLiteral("open")),
                      {QKeySequence::Open}, tr("Open a micrograph or a saved session (.motifscope)"));
    openSession = makeAction(this, tr("Open &Session…"), QIcon::fromTheme(QStringLiteral("document-open")), {},
                             tr("Open a saved session: micrograph, columns, motifs, hierarchy and view"));
    saveSession = makeAction(this, tr("&Save Session"), QIcon::fromTheme(QStringLiteral("document-save")),
                             {QKeySequence::Save}, tr("Save the columns, motifs, settings and view as a session"));
    saveSessionAs = makeAction(this, tr("Save Session &As…"), QIcon::fromTheme(QStringLiteral("document-save-as")),
                               {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)}, tr("Save the session under a new name"));
    exportFigure = makeAction(this, tr("Export &Figure…"), QIcon(), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)},
                              tr("Save an annotated figure (PNG, SVG or PDF) with legend and scale bar"));
    exportData = makeAction(this, tr("Export &Data…"), QIcon(), {},
                            tr("Save columns, features, motifs and hierarchy as CSV / JSON into a folder"));
    copyView = makeAction(this, tr("&Copy View"), QIcon::fromTheme(QStringLiteral("edit-copy")),
                          {QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C)}, tr("Copy the image view as a picture"));
    openSeries = makeAction(this, tr("Open Se&ries…"), QIcon(), {},
                            tr("Classify every frame of a folder or a stack against the motif dictionary"));
    loadDictionary = makeAction(this, tr("&Load Motif Dictionary…"), QIcon(), {},
                                tr("Read a motif dictionary (.motifdict) to classify series with"));
    saveDictionary = makeAction(this, tr("Save &Motif Dictionary…"), QIcon(), {},
                                tr("Save the motifs as you left them (names, colours, merges) as a motif "
                                   "dictionary for Open Series and motifscope-cli classify"));
    saveDictionary->setEnabled(false);
    quit = makeAction(this, tr("&Quit"), QIcon::fromTheme(QStringLiteral("application-exit")),
                      {QKeySequence::Quit}, tr("Quit MotifScope"));
    quit->setMenuRole(QAction::QuitRole);

    zoomIn = makeAction(this, tr("Zoom &In"), themedIcon(QStringLiteral("zoom-in"), QStringLiteral("zoom-in")),
                        {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence::ZoomIn}, tr("Zoom in"));
    zoomOut = makeAction(this, tr("Zoom &Out"), themedIcon(QStringLiteral("zoom-out"), QStringLiteral("zoom-out")),
                         {QKeySequence(Qt::CTRL | Qt::Key_Minus), QKeySequence::ZoomOut}, tr("Zoom out"));
    fitToWindow = makeAction(this, tr("&Fit to Window"),
                             themedIcon(QStringLiteral("zoom-fit-best"), QStringLiteral("zoom-fit")),
                             {QKeySequence(Qt::CTRL | Qt::Key_0)}, tr("Show the whole image"));
    actualSize = makeAction(this, tr("&Actual Pixels (100%)"),
                            themedIcon(QStringLiteral("zoom-original"), QStringLiteral("zoom-original")),
                            {QKeySequence(Qt::CTRL | Qt::Key_1)}, tr("One screen pixel per image pixel"));
    showScaleBar = makeAction(this, tr("&Scale Bar"), QIcon(), {}, tr("Show or hide the scale bar"));
    showScaleBar->setCheckable(true);
    showScaleBar->setChecked(true);
    resetContrast = makeAction(this, tr("&Reset Contrast"), QIcon(), {QKeySequence(Qt::CTRL | Qt::Key_R)},
                               tr("Automatic 0.5 % / 99.5 % contrast"));

    analyze = makeAction(this, tr("&Analyze"), themedIcon(QStringLiteral("system-run"), QStringLiteral("analyze")),
                         {QKeySequence(Qt::CTRL | Qt::Key_Return)},
                         tr("Detect the atom columns, learn their motifs, then build their hierarchy"));

    importColumns = makeAction(this, tr("&Import Columns…"), QIcon(), {QKeySequence(Qt::CTRL | Qt::Key_I)},
                               tr("Read atom columns from a CSV file (x, y, intensity)"));
    exportColumns = makeAction(this, tr("&Export Columns…"), QIcon(), {QKeySequence(Qt::CTRL | Qt::Key_E)},
                               tr("Save the atom columns as CSV (x, y, intensity, …)"));
    selectAllColumns = makeAction(this, tr("Select &All Columns"), QIcon(), {QKeySequence::SelectAll},
                                  tr("Select every atom column"));
    deleteColumns = makeAction(this, tr("&Delete Selected Columns"), QIcon::fromTheme(QStringLiteral("edit-delete")),
                               {QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)},
                               tr("Remove the selected atom columns"));
    detectColumns = makeAction(this, tr("&Detect Columns"), QIcon(QStringLiteral(":/motifscope/icons/detect.svg")),
                               {QKeySequence(Qt::CTRL | Qt::Key_D)},
                               tr("Find every atom column with the Detection panel's settings"));
    learnMotifs = makeAction(this, tr("&Learn Motifs"), QIcon(QStringLiteral(":/motifscope/icons/learn.svg")),
                             {QKeySequence(Qt::CTRL | Qt::Key_L)},
                             tr("Find the motifs of the columns with the Learn panel's settings"));
    buildHierarchy = makeAction(this, tr("Build &Hierarchy"), QIcon(QStringLiteral(":/motifscope/icons/hierarchy.svg")),
                                {QKeySequence(Qt::CTRL | Qt::Key_H)},
                                tr("Find the rings the columns form and how they compose into larger motifs"));
    editColumns = makeAction(this, tr("&Edit Columns"), QIcon(QStringLiteral(":/motifscope/icons/edit-columns.svg")),
                             {QKeySequence(Qt::Key_E)},
                             tr("Click to add or select columns, drag to move them or to select a region; "
                                "middle drag or Space + drag pans"));
    editColumns->setCheckable(true);
    snapColumns = makeAction(this, tr("&Snap Added Columns"), QIcon(), {},
                             tr("Move a column added by hand to the local intensity centre"));
    snapColumns->setCheckable(true);
    snapColumns->setChecked(true);
    showColumns = makeAction(this, tr("Show &Columns"), QIcon(), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)},
                             tr("Show or hide the atom-column markers"));
    showColumns->setCheckable(true);
    showColumns->setChecked(true);
    showContrastMask = makeAction(this, tr("Atomic Contrast &Mask"), QIcon(), {},
                                  tr("Tint the areas where the last detection found no atomic contrast (vacuum, "
                                     "amorphous support) and searched no columns"));
    showContrastMask->setCheckable(true);
    showContrastMask->setChecked(false);

    measureLine = makeAction(this, tr("&Line Profile"), QIcon(), {QKeySequence(Qt::Key_L)},
                             tr("Drag on the image to measure a distance (in the calibrated unit) and see the "
                                "intensity along the line in the Profile panel"));
    measureLine->setCheckable(true);
    setScale = makeAction(this, tr("Set &Scale…"), QIcon(), {},
                          tr("Give the image its pixel size: type it, or draw a line of known length"));
    userGuide = makeAction(this, tr("MotifScope &User Guide"), QIcon::fromTheme(QStringLiteral("help-contents")),
                           {QKeySequence(Qt::Key_F1)}, tr("Open the user guide: each step of an analysis"));
    shortcuts = makeAction(this, tr("&Keyboard Shortcuts"), QIcon(), {},
                           tr("Every keyboard shortcut of the window"));
    about = makeAction(this, tr("&About MotifScope"), QIcon(QStringLiteral(":/motifscope/icons/motifscope.svg")), {},
                       tr("Version and citation"));
    about->setMenuRole(QAction::AboutRole);
    aboutQt = makeAction(this, tr("About &Qt"), QIcon(), {}, tr("Qt version and licence"));
    aboutQt->setMenuRole(QAction::AboutQtRole);

    // Shortcuts work whichever child widget has focus.
    for (QAction* a : {open, saveSession, saveSessionAs, exportFigure, copyView, quit, zoomIn, zoomOut, fitToWindow, actualSize, resetContrast, analyze, importColumns,
                       exportColumns, selectAllColumns, deleteColumns, detectColumns, learnMotifs, buildHierarchy, editColumns,
                       measureLine, showColumns, userGuide})
        window->addAction(a);
    setImageActionsEnabled(false);
    setColumnActionsEnabled(false, false);
}

void MainActions::attachUndoStack(QUndoStack* stack)
{
    undo = stack->createUndoAction(this, tr("&Undo"));
    undo->setShortcuts(QKeySequence::Undo);
    undo->setIcon(QIcon::fromTheme(QStringLiteral("edit-undo")));
    redo = stack->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    redo->setIcon(QIcon::fromTheme(QStringLiteral("edit-redo")));
    mWindow->addAction(undo);
    mWindow->addAction(redo);
}

void MainActions::buildMenus(QMenu* recentMenu, const QList<QAction*>& panelToggles, QMenu* recentSessionsMenu)
{
    QMenuBar* bar = mWindow->menuBar();
    QMenu* file = bar->addMenu(tr("&File"));
    file->addAction(open);
    file->addMenu(recentMenu);
    file->addAction(openSession);
    if (recentSessionsMenu)
        file->addMenu(recentSessionsMenu);
    file->addSeparator();
    file->addAction(saveSession);
    file->addAction(saveSessionAs);
    file->addSeparator();
    file->addAction(importColumns);
    file->addAction(exportColumns);
    file->addAction(exportFigure);
    file->addAction(exportData);
    file->addSeparator();
    file->addAction(openSeries);
    file->addAction(loadDictionary);
    file->addAction(saveDictionary);
    file->addSeparator();
    file->addAction(quit);

    QMenu* edit = bar->addMenu(tr("&Edit"));
    if (undo && redo) {
        edit->addAction(undo);
        edit->addAction(redo);
        edit->addSeparator();
    }
    edit->addAction(copyView);
    edit->addSeparator();
    edit->addAction(editColumns);
    edit->addAction(snapColumns);
    edit->addSeparator();
    edit->addAction(selectAllColumns);
    edit->addAction(deleteColumns);

    QMenu* view = bar->addMenu(tr("&View"));
    view->addAction(zoomIn);
    view->addAction(zoomOut);
    view->addAction(fitToWindow);
    view->addAction(actualSize);
    view->addSeparator();
    view->addAction(showScaleBar);
    view->addAction(showColumns);
    view->addAction(showContrastMask);
    view->addAction(resetContrast);
    view->addSeparator();
    QMenu* panels = view->addMenu(tr("&Panels"));
    for (QAction* toggle : panelToggles)
        panels->addAction(toggle);

    QMenu* image = bar->addMenu(tr("&Image"));
    image->addAction(setScale);
    image->addAction(measureLine);

    QMenu* analysis = bar->addMenu(tr("&Analysis"));
    analysis->addAction(detectColumns);
    analysis->addAction(learnMotifs);
    analysis->addAction(buildHierarchy);
    analysis->addAction(analyze);

    QMenu* help = bar->addMenu(tr("&Help"));
    help->addAction(userGuide);
    help->addAction(shortcuts);
    help->addSeparator();
    help->addAction(about);
    help->addAction(aboutQt);
}

QToolBar* MainActions::buildToolBar()
{
    QToolBar* toolBar = mWindow->addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setMovable(false);
    toolBar->setIconSize(QSize(22, 22));
    toolBar->setToolButtonStyle(Qt::ToolButtonIconOnly);
    toolBar->addAction(open);
    toolBar->addAction(saveSession);
    toolBar->addSeparator();
    toolBar->addAction(zoomIn);
    toolBar->addAction(zoomOut);
    toolBar->addAction(fitToWindow);
    toolBar->addAction(actualSize);
    toolBar->addSeparator();
    toolBar->addAction(detectColumns);
    toolBar->addAction(learnMotifs);
    toolBar->addAction(buildHierarchy);
    toolBar->addAction(editColumns);
    toolBar->addAction(analyze);
    return toolBar;
}

void MainActions::setImageActionsEnabled(bool enabled)
{
    for (QAction* a : {zoomIn, zoomOut, fitToWindow, actualSize, resetContrast, setScale, analyze, importColumns,
                       detectColumns, editColumns, measureLine, saveSession, saveSessionAs, exportFigure, exportData,
                       copyView})
        a->setEnabled(enabled);
}

void MainActions::setColumnActionsEnabled(bool haveColumns, bool haveSelection)
{
    exportColumns->setEnabled(haveColumns);
    selectAllColumns->setEnabled(haveColumns);
    learnMotifs->setEnabled(haveColumns);
    buildHierarchy->setEnabled(haveColumns);
    deleteColumns->setEnabled(haveSelection);
}

} // namespace motifscope::ui
