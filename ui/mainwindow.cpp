#include "mainwindow.h"

#include "document/micrographdocument.h"
#include "io/readers.h"
#include "jobs/micrographloader.h"
#include "panels/contrastpanel.h"
#include "panels/imageinfopanel.h"
#include "panels/statusreadout.h"
#include "views/imageview.h"
#include "window/appsettings.h"
#include "window/mainactions.h"
#include "window/recentfiles.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>

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
    : QMainWindow(parent), mDocument(new MicrographDocument(this)), mLoader(new MicrographLoader(this)),
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
    mActions->buildMenus(mRecent->menu(), {displayDock->toggleViewAction(), infoDock->toggleViewAction()});
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
    connect(mActions->about, &QAction::triggered, this, &MainWindow::showAbout);
    connect(mActions->aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    connect(mRecent, &RecentFiles::openRequested, this, &MainWindow::openFile);

    connect(mLoader, &MicrographLoader::started, this, &MainWindow::onLoadStarted);
    connect(mLoader, &MicrographLoader::loaded, this, &MainWindow::onLoaded);
    connect(mLoader, &MicrographLoader::failed, this, &MainWindow::onLoadFailed);
    connect(mLoader, &MicrographLoader::busyChanged, this, [this](bool busy) {
        if (!busy)
            mReadout->setBusy(false);
        Q_EMIT busyChanged(busy);
    });
    connect(mDocument, &MicrographDocument::micrographChanged, this, &MainWindow::onMicrographChanged);

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

bool MainWindow::isBusy() const
{
    return mLoader->isBusy();
}

void MainWindow::openFile(const QString& path)
{
    if (path.isEmpty())
        return;
    mLoader->load(path);
}

void MainWindow::showOpenDialog()
{
    const QString filter = tr("Micrographs (%1);;All files (*)").arg(QString::fromLatin1(supportedExtensionsPattern()));
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Micrograph"), mLastDirectory, filter);
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::onLoadStarted(const QString& path)
{
    mReadout->setBusy(true, tr("Loading %1…").arg(QFileInfo(path).fileName()));
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
    // The document is untouched: whatever was open stays open.
    statusBar()->showMessage(message, 2 * kMessageTimeoutMs);
    if (mInteractive) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Could not open file"), message, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("loadErrorBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // window-modal, does not block: tests and --screenshot keep running
    }
    Q_EMIT loadFinished(path, false, message);
}

void MainWindow::onMicrographChanged()
{
    const QString name = mDocument->displayName();
    setWindowTitle(name.isEmpty() ? QStringLiteral("MotifScope") : QStringLiteral("%1 — MotifScope").arg(name));
    setWindowFilePath(mDocument->filePath());
    mActions->setImageActionsEnabled(mDocument->hasMicrograph());
}

void MainWindow::requestAnalysis()
{
    statusBar()->showMessage(tr("Analysis is not available yet in this version of MotifScope"),
                             2 * kMessageTimeoutMs);
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

void MainWindow::restoreWindowState()
{
    const QSettings settings(settingsOrganisation(), settingsApplication());
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const QVariant scaleBar = settings.value(QStringLiteral("view/scaleBar"));
    if (scaleBar.isValid())
        mActions->showScaleBar->setChecked(scaleBar.toBool());
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
    saveWindowState();
    mLoader->cancel();
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
