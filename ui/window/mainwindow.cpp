#include "ui/window/mainwindow.h"

#include "core/detect/column_detector.h"
#include "ui/detect/columnfiles.h"
#include "ui/detect/detectionpanel.h"
#include "ui/dialogs/setscaledialog.h"
#include "ui/document/micrographdocument.h"
#include "core/io/readers.h"
#include "ui/jobs/hierarchyjob.h"
#include "ui/jobs/micrographloader.h"
#include "ui/learn/featurespanel.h"
#include "ui/learn/learnpanel.h"
#include "ui/panels/contrastpanel.h"
#include "ui/panels/imageinfopanel.h"
#include "ui/panels/layerpanel.h"
#include "ui/panels/statusreadout.h"
#include "ui/session/sessionconvert.h"
#include "ui/session/sessionjob.h"
#include "ui/tools/columnedittool.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/contrastmaskoverlay.h"
#include "ui/views/hierarchyoverlay.h"
#include "ui/views/imageview.h"
#include "ui/views/localdisorderoverlay.h"
#include "ui/window/analysiscontroller.h"
#include "ui/window/appsettings.h"
#include "ui/window/errortext.h"
#include "ui/window/helpdialogs.h"
#include "ui/window/mainactions.h"
#include "ui/window/recentfiles.h"
#include "ui/text/plural.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QSpinBox>
#include <QStatusBar>

#include <algorithm>
#include <cmath>
#include <numeric>

/** Registers resources.qrc: its initialiser is not pulled from a static library on its own. */
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace motifscope::ui {

namespace {

constexpr int kMessageTimeoutMs = 8000;

/** The first local file among dragged URLs ("" when there is none). */
QString droppedFile(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            return url.toLocalFile();
    return {};
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), mDocument(new MicrographDocument(this)),
      mAnalysis(new AnalysisController(mDocument, this)), mLoader(new MicrographLoader(this)),
      mView(new ImageView), mContrast(new ContrastPanel), mInfo(new ImageInfoPanel),
      mRecent(new RecentFiles(this)), mActions((initResources(), new MainActions(this)))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("MotifScope"));
    setWindowIcon(QIcon(QStringLiteral(":/motifscope/icons/motifscope.svg")));
    setAcceptDrops(true);
    resize(1280, 860);

    mView->setDocument(mDocument);
    mContrast->setDocument(mDocument);
    mInfo->setDocument(mDocument);
    setCentralWidget(mView);
    mReadout = new StatusReadout(statusBar(), mDocument, mView);

    QDockWidget* displayDock = addPanel(mContrast, tr("Display"), QStringLiteral("displayDock"));
    QDockWidget* infoDock = addPanel(mInfo, tr("Image"), QStringLiteral("imageDock"));
    mDetection = new DetectionPanel;
    mDetection->setController(mAnalysis);
    mDetection->setDocument(mDocument);
    QDockWidget* detectionDock = addPanel(mDetection, tr("Detection"), QStringLiteral("detectionDock"));
    tabifyDockWidget(infoDock, detectionDock);
    detectionDock->raise();
    mActions->attachUndoStack(mDocument->undoStack());
    QList<QAction*> panelToggles{displayDock->toggleViewAction(), infoDock->toggleViewAction(),
                                 detectionDock->toggleViewAction()};
    wireColumnTools();
    wireLearning(); // adds its docks to the right of these
    wireHierarchy(); // a tab beside the map and motifs
    wireSeries();    // motif dictionaries and Open Series
    // Layers: each overlay shown, faded or sized, so the atoms can show through the markers.
    auto* layers = new LayerPanel;
    layers->setColumnLayer(mColumnOverlay, mActions->showColumns);
    layers->addLayer(tr("Motif layer and outlines"), mHierarchyOverlay, mHierarchyOverlay->motifLayerAction(),
                     QStringLiteral("hierarchy"));
    tabifyDockWidget(infoDock, addPanel(layers, tr("Layers"), QStringLiteral("layersDock")));
    wireMeasuring(); // line tool, Profile and Results docks
    detectionDock->raise();
    wireSessions();
    for (QDockWidget* dock : findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly))
        if (!panelToggles.contains(dock->toggleViewAction()))
            panelToggles.append(dock->toggleViewAction());
    mActions->buildMenus(mRecent->menu(), panelToggles, mRecentSessions->menu());
    mActions->buildToolBar();
    // The contrast controls need little height; the property tree gets the rest.
    resizeDocks({displayDock, infoDock}, {displayDock->sizeHint().height(), 10 * displayDock->sizeHint().height()},
                Qt::Vertical);
    resizeDocks({displayDock}, {280}, Qt::Horizontal);

    connect(mActions->open, &QAction::triggered, this, &MainWindow::showOpenDialog);
    connect(mActions->quit, &QAction::triggered, this, &QWidget::close);
    connect(mActions->zoomIn, &QAction::triggered, mView, &ImageView::zoomIn);
    connect(mActions->zoomOut, &QAction::triggered, mView, &ImageView::zoomOut);
    connect(mActions->fitToWindow, &QAction::triggered, mView, &ImageView::fitToWindow);
    connect(mActions->actualSize, &QAction::triggered, mView, &ImageView::zoomToActualSize);
    connect(mActions->showScaleBar, &QAction::toggled, mView, &ImageView::setScaleBarVisible);
    connect(mActions->resetContrast, &QAction::triggered, mDocument, &MicrographDocument::resetContrast);
    connect(mActions->analyze, &QAction::triggered, this, &MainWindow::requestAnalysis);
    connect(mActions->learnMotifs, &QAction::triggered, this, &MainWindow::learnMotifs);
    connect(mActions->about, &QAction::triggered, this, &MainWindow::showAbout);
    connect(mActions->userGuide, &QAction::triggered, this, &MainWindow::showUserGuide);
    connect(mActions->shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(mActions->setScale, &QAction::triggered, this, &MainWindow::showSetScaleDialog);
    connect(mActions->exportFigure, &QAction::triggered, this, &MainWindow::showExportFigureDialog);
    connect(mActions->exportData, &QAction::triggered, this, &MainWindow::showExportDataDialog);
    connect(mActions->copyView, &QAction::triggered, this, &MainWindow::copyViewToClipboard);
    connect(mActions->aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    connect(mRecent, &RecentFiles::openRequested, this, &MainWindow::openFile);

    connect(mLoader, &MicrographLoader::started, this, &MainWindow::updateBusy); // a newer file to name
    connect(mLoader, &MicrographLoader::loaded, this, &MainWindow::onLoaded);
    connect(mLoader, &MicrographLoader::failed, this, &MainWindow::onLoadFailed);
    connect(mLoader, &MicrographLoader::busyChanged, this, &MainWindow::updateBusy);
    connect(mDocument, &MicrographDocument::micrographChanged, this, &MainWindow::onMicrographChanged);
    connect(mAnalysis, &AnalysisController::busyChanged, this, &MainWindow::updateBusy); // Analyze between steps

    const QSettings settings(settingsOrganisation(), settingsApplication());
    mLastDirectory = settings.value(QStringLiteral("lastDirectory")).toString();
    statusBar()->showMessage(tr("Ready"), kMessageTimeoutMs);
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::addPanel(QWidget* panel, const QString& title, const QString& objectName)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(panel);
    dock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable
                      | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    return dock;
}

void MainWindow::wireColumnTools()
{
    auto* maskOverlay = new ContrastMaskOverlay(this); // under the columns
    mView->addOverlay(maskOverlay);
    mDetection->setContrastMaskOverlay(maskOverlay);
    connect(mActions->showContrastMask, &QAction::toggled, maskOverlay, &ImageOverlay::setVisible);
    mLocalDisorderOverlay = new LocalDisorderOverlay(this); // under the column markers too
    mLocalDisorderOverlay->setDocument(mDocument);
    mView->addOverlay(mLocalDisorderOverlay);
    mColumnOverlay = new ColumnOverlay;
    mColumnOverlay->setDocument(mDocument);
    mView->addOverlay(mColumnOverlay);
    mEditTool = new ColumnEditTool(mDocument, mColumnOverlay, this);
    mDetection->setColumnOverlay(mColumnOverlay); // "Colour by uncertainty"

    connect(mActions->detectColumns, &QAction::triggered, this, &MainWindow::detectColumns);
    connect(mActions->importColumns, &QAction::triggered, this, &MainWindow::showImportColumnsDialog);
    connect(mActions->exportColumns, &QAction::triggered, this, &MainWindow::showExportColumnsDialog);
    connect(mActions->editColumns, &QAction::toggled, this, &MainWindow::setColumnEditing);
    connect(mActions->snapColumns, &QAction::toggled, mEditTool, &ColumnEditTool::setSnapping);
    connect(mActions->showColumns, &QAction::toggled, mColumnOverlay, &ImageOverlay::setVisible);
    connect(mActions->deleteColumns, &QAction::triggered, mDocument, &MicrographDocument::deleteSelectedColumns);
    connect(mActions->selectAllColumns, &QAction::triggered, mDocument, [this] {
        std::vector<int> all(mDocument->columns().size());
        std::iota(all.begin(), all.end(), 0);
        mDocument->setSelection(std::move(all));
    });
    connect(mDocument, &MicrographDocument::columnsChanged, this, &MainWindow::onColumnsOrSelectionChanged);
    connect(mDocument, &MicrographDocument::selectionChanged, this, &MainWindow::onColumnsOrSelectionChanged);

    connect(mDetection, &DetectionPanel::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 2 * kMessageTimeoutMs); });
    connect(mDetection, &DetectionPanel::detectionFailed, this,
            [this](const QString& message) {
                reportError(tr("Column detection failed"), tr("Column detection failed: %1").arg(message));
            });
    connect(mDetection, &DetectionPanel::busyChanged, this, &MainWindow::updateBusy);
}

void MainWindow::updateBusy()
{
    // The readout names the work that matters most to the user.
    if (mLoader->isBusy())
        mReadout->setBusy(true, tr("Loading %1…").arg(QFileInfo(mLoader->pendingPath()).fileName()));
    else if (mDetection->isBusy())
        mReadout->setBusy(true, tr("Detecting columns…"));
    else if (mAnalysis->learnJob()->isBusy())
        mReadout->setBusy(true, tr("Learning motifs…"));
    else if (mAnalysis->hierarchyJob()->isBusy())
        mReadout->setBusy(true, tr("Building the hierarchy…"));
    else if (mSessionJob && mSessionJob->isBusy())
        mReadout->setBusy(true, tr("Working on the session…"));
    else
        mReadout->setBusy(false);
    const bool busy = isBusy();
    if (busy == mWasBusy)
        return;
    mWasBusy = busy;
    Q_EMIT busyChanged(busy);
}

void MainWindow::onColumnsOrSelectionChanged()
{
    mActions->setColumnActionsEnabled(!mDocument->columns().empty(), !mDocument->selection().empty());
}

bool MainWindow::isBusy() const
{
    return mLoader->isBusy() || mAnalysis->isBusy() || (mSessionJob && mSessionJob->isBusy()) || mExportsRunning > 0;
}

void MainWindow::detectColumns()
{
    if (!mDocument->hasMicrograph())
        return;
    mDetection->run();
}

void MainWindow::setColumnEditing(bool editing)
{
    mView->setTool(editing ? mEditTool : nullptr);
    if (editing)
        mView->setFocus();
    if (mActions->editColumns->isChecked() != editing)
        mActions->editColumns->setChecked(editing);
}

void MainWindow::reportError(const QString& title, const QString& message)
{
    statusBar()->showMessage(friendlyError(message).summary, 2 * kMessageTimeoutMs);
    if (!mInteractive)
        return;
    QMessageBox* box = makeErrorBox(this, title, message); // the library's words behind Show Details
    box->setObjectName(QStringLiteral("errorBox"));
    box->open();
}

void MainWindow::importColumnsFrom(const QString& path)
{
    const QString error = importColumnsCsv(*mDocument, path);
    if (!error.isEmpty()) {
        reportError(tr("Could not import columns"), error);
        return;
    }
    statusBar()->showMessage(tr("Imported %1 from %2").arg(columnCount((long long)mDocument->columns().size()), QFileInfo(path).fileName()),
                             kMessageTimeoutMs);
}

void MainWindow::exportColumnsTo(const QString& path)
{
    const QString error = exportColumnsCsv(*mDocument, path);
    if (!error.isEmpty()) {
        reportError(tr("Could not export columns"), error);
        return;
    }
    statusBar()->showMessage(tr("Saved %1 to %2").arg(columnCount((long long)mDocument->columns().size()), QFileInfo(path).fileName()),
                             kMessageTimeoutMs);
}

void MainWindow::showImportColumnsDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Columns"), mLastDirectory,
                                                      tr("Column tables (*.csv);;All files (*)"));
    if (!path.isEmpty())
        importColumnsFrom(path);
}

void MainWindow::showExportColumnsDialog()
{
    QString suggestion = mLastDirectory;
    if (!mDocument->filePath().isEmpty()) {
        const QFileInfo info(mDocument->filePath());
        suggestion = info.absoluteDir().filePath(info.completeBaseName() + QStringLiteral("_columns.csv"));
    }
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export Columns"), suggestion, tr("Column tables (*.csv)"));
    if (!path.isEmpty())
        exportColumnsTo(path);
}

void MainWindow::openFile(const QString& path)
{
    if (path.isEmpty())
        return;
    if (isSessionFile(path)) {
        openSession(path);
        return;
    }
    // Unsaved work is put at risk only for a file that can open: check it before asking.
    if (mDocument->isModified()) {
        const QString problem = openProblem(path, false);
        if (!problem.isEmpty()) {
            onLoadFailed(path, problem);
            return;
        }
    }
    whenChangesHandled([this, path] { mLoader->load(path); });
}

void MainWindow::showOpenDialog()
{
    const QString micrographs = QString::fromLatin1(supportedExtensionsPattern());
    const QString filter = tr("Micrographs and sessions (%1 *.motifscope);;Micrographs (%1);;MotifScope sessions "
                              "(*.motifscope);;All files (*)")
                               .arg(micrographs);
    const QString path = QFileDialog::getOpenFileName(this, tr("Open"), mLastDirectory, filter);
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::onLoaded(const QString& path, std::shared_ptr<const Micrograph> micrograph)
{
    mDocument->setMicrograph(std::move(micrograph), path);
    mLastDirectory = QFileInfo(path).absolutePath();
    if (mInteractive) {
        mRecent->add(path);
        QSettings settings(settingsOrganisation(), settingsApplication());
        settings.setValue(QStringLiteral("lastDirectory"), mLastDirectory);
    }
    const Micrograph& m = mDocument->micrograph();
    statusBar()->showMessage(tr("Opened %1 (%2, %3 × %4)")
                                 .arg(QFileInfo(path).fileName(), QString::fromStdString(m.format))
                                 .arg(m.width)
                                 .arg(m.height),
                             kMessageTimeoutMs);
    Q_EMIT loadFinished(path, true, QString());
}

void MainWindow::onLoadFailed(const QString& path, const QString& message)
{
    // The document is untouched: whatever was open stays open. People read one plain line; the
    // library's own words wait behind Show Details.
    statusBar()->showMessage(friendlyError(message).summary, 2 * kMessageTimeoutMs);
    if (mInteractive) {
        QMessageBox* box = makeErrorBox(this, tr("Could not open file"), message);
        box->setObjectName(QStringLiteral("loadErrorBox"));
        box->open(); // window-modal, does not block: tests and --screenshot keep running
    }
    Q_EMIT loadFinished(path, false, message);
}

void MainWindow::onMicrographChanged()
{
    // Per-image learning settings start automatic (a session sets its own after this); the
    // method, seed and Zernike order are habits and stay.
    mLearn->classesBox()->setValue(0);
    mFeatures->setPatchSize(0);
    updateTitle();
    mActions->setImageActionsEnabled(mDocument->hasMicrograph());
}

void MainWindow::showAbout()
{
    const QString text =
        tr("<h3>MotifScope %1</h3>"
           "<p>Unsupervised learning of motifs and their hierarchies in atomic-resolution micrographs.</p>"
           "<p>Built with Qt %2 (running on Qt %3).</p>"
           "<p>If you use MotifScope in published work, please cite:<br>"
           "J. Dan, X. Zhao, S. Ning, J. Lu, K. P. Loh, Q. He, N. D. Loh, S. J. Pennycook, "
           "<i>Learning motifs and their hierarchies in atomic resolution microscopy</i>, "
           "Sci. Adv. <b>8</b>, eabk1005 (2022). "
           "<a href=\"https://doi.org/10.1126/sciadv.abk1005\">doi:10.1126/sciadv.abk1005</a></p>")
            .arg(QStringLiteral(MOTIFSCOPE_VERSION), QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion()));
    QMessageBox::about(this, tr("About MotifScope"), text);
}

void MainWindow::showSetScaleDialog()
{
    if (!mDocument->hasMicrograph())
        return;
    // The known distance starts at something on this image: two selected columns, or the spacing.
    const AtomColumns& columns = mDocument->columns();
    const std::vector<int>& selection = mDocument->selection();
    double pixels = 100.0;
    QString from = tr("a round number (select two columns to measure their distance)");
    if (selection.size() == 2) {
        const AtomColumn& a = columns[std::size_t(selection[0])];
        const AtomColumn& b = columns[std::size_t(selection[1])];
        pixels = std::hypot(a.x - b.x, a.y - b.y);
        from = tr("the two selected columns");
    } else if (columns.size() >= 2) {
        pixels = medianNearestNeighbourDistance(columns);
        from = tr("the columns' typical spacing (select two columns to measure their distance)");
    }
    auto* dialog = new SetScaleDialog(mDocument->micrograph().calibration, pixels, from, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const Calibration c = dialog->calibration();
        mDocument->setCalibration(c);
        statusBar()->showMessage(c.isCalibrated() ? tr("Scale set: 1 pixel = %1 %2")
                                                        .arg(QString::number(c.pixelSizeX, 'g', 6),
                                                             QString::fromStdString(c.unit))
                                                  : tr("Scale removed: lengths in pixels"),
                                 kMessageTimeoutMs);
    });
    dialog->open();
}

void MainWindow::showUserGuide()
{
    if (!mGuide)
        mGuide = makeUserGuideDialog(this);
    mGuide->show();
    mGuide->raise();
    mGuide->activateWindow();
}

void MainWindow::showShortcuts()
{
    if (!mShortcuts)
        mShortcuts = makeShortcutsDialog(this, mActions->findChildren<QAction*>());
    mShortcuts->show();
    mShortcuts->raise();
}

void MainWindow::restoreWindowState()
{
    const QSettings settings(settingsOrganisation(), settingsApplication());
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    mLayoutRestored = restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const QVariant scaleBar = settings.value(QStringLiteral("view/scaleBar"));
    if (scaleBar.isValid())
        mActions->showScaleBar->setChecked(scaleBar.toBool());
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (mLayoutRestored || mDocksSized)
        return;
    // First show without a saved layout: the left docks (map, motifs, hierarchy) get about a
    // quarter of the window (29 %), so a 1600 px wide window shows three motif cards per row.
    mDocksSized = true;
    if (QDockWidget* map = findChild<QDockWidget*>(QStringLiteral("embeddingDock")))
        resizeDocks({map}, {std::clamp(width() * 29 / 100, 360, 520)}, Qt::Horizontal);
}

void MainWindow::saveWindowState() const
{
    QSettings settings(settingsOrganisation(), settingsApplication());
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("view/scaleBar"), mActions->showScaleBar->isChecked());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!mCloseApproved && mDocument->isModified()) {
        const QMessageBox::StandardButton choice = askAboutUnsavedChanges();
        if (choice != QMessageBox::Save && choice != QMessageBox::Discard) {
            event->ignore();
            return;
        }
        if (choice == QMessageBox::Save) {
            event->ignore(); // closes once the file is written (and not at all when that fails)
            mAfterSave = [this] {
                mCloseApproved = true;
                QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);
            };
            if (!saveSession())
                mAfterSave = {};
            return;
        }
    }
    mCloseApproved = false;
    removeRecoveryFile(); // closed on purpose: nothing to recover next time
    saveWindowState();
    mLoader->cancel();
    mDetection->cancel(); // and its pending live update
    mAnalysis->cancelAll();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    openFile(path);
}

} // namespace motifscope::ui
