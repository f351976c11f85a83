// The real main window: loading off the GUI thread, errors, recent files, actions, panels, drops.
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/document/micrographdocument.h"
#include "ui/jobs/micrographloader.h"
#include "ui/panels/contrastpanel.h"
#include "ui/panels/imageinfopanel.h"
#include "ui/panels/statusreadout.h"
#include "ui/views/imageview.h"
#include "ui/window/appsettings.h"
#include "ui/window/errortext.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"
#include "ui/window/recentfiles.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QThreadPool>
#include <QTreeWidget>

#include <fstream>
#include <memory>

using motifscope::test::loadAndWait;
using motifscope::test::waitUntilIdle;
using motifscope::ui::MainWindow;
using motifscope::ui::MicrographDocument;

namespace {

const QString kSample = QString::fromStdString(motifscope::test::sourcePath("resources/MoSe2_80K_small_region.tif"));

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void startsEmpty();
    void showsInMemoryMicrograph();
    void loadsSampleFile();
    void loadsCalibratedSharedFile();
    void failedLoadKeepsPreviousImage_data();
    void failedLoadKeepsPreviousImage();
    void newerLoadSupersedesOlder();
    void cancelledLoadReportsNothing();
    void zoomActions();
    void contrastPanelEditsDocument();
    void imageInfoPanelShowsCalibration();
    void dropOpensFile();
    void recentFilesList();
    void analyzeStartsWork();
    void windowStateRoundTrips();

private:
    std::unique_ptr<MainWindow> mWindow;
    motifscope::test::TempDir mTemp;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location, not the user's
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
}

void TestMainWindow::init()
{
    mWindow = std::make_unique<MainWindow>();
    mWindow->show();
    QVERIFY(QTest::qWaitForWindowExposed(mWindow.get()));
}

void TestMainWindow::cleanup()
{
    mWindow.reset();
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
}

void TestMainWindow::startsEmpty()
{
    QVERIFY(!mWindow->document()->hasMicrograph());
    QVERIFY(!mWindow->isBusy());
    QCOMPARE(mWindow->windowTitle(), QStringLiteral("MotifScope"));
    QVERIFY(!mWindow->actions()->zoomIn->isEnabled());
    QVERIFY(mWindow->actions()->open->isEnabled());
    QCOMPARE(mWindow->size(), QSize(1280, 860));
    // The empty view is still drawn (dark background with a hint), never garbage.
    QVERIFY(motifscope::test::greyVariance(mWindow->grab().toImage()) > 0.0);
}

void TestMainWindow::showsInMemoryMicrograph()
{
    QSignalSpy changed(mWindow->document(), &MicrographDocument::micrographChanged);
    mWindow->document()->setMicrograph(motifscope::test::syntheticMicrograph(300, 200), QStringLiteral("/x/synth.tif"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(mWindow->windowTitle(), QStringLiteral("synth.tif[*] — MotifScope")); // [*]: unsaved changes
    QVERIFY(!mWindow->isWindowModified());
    QVERIFY(mWindow->actions()->zoomIn->isEnabled());
    QVERIFY(mWindow->imageView()->isFitMode());
    QCOMPARE(mWindow->statusReadout()->imageLabel()->text(), QStringLiteral("300 × 200  float32"));
    QVERIFY(mWindow->statusReadout()->zoomLabel()->text().startsWith(QStringLiteral("Zoom ")));
    const QImage shot = mWindow->grab().toImage();
    QCOMPARE(shot.size(), mWindow->size());
    QVERIFY(motifscope::test::greyVariance(shot) > 10.0);
}

void TestMainWindow::loadsSampleFile()
{
    QSignalSpy busy(mWindow.get(), &MainWindow::busyChanged);
    QSignalSpy changed(mWindow->document(), &MicrographDocument::micrographChanged);
    const auto [ok, message] = loadAndWait(*mWindow, kSample);
    if (!ok && message.contains(QStringLiteral("not implemented")))
        QSKIP(qPrintable(QStringLiteral("TIFF reader not available yet: ") + message));
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(busy.count(), 2);
    QCOMPARE(busy.at(0).at(0).toBool(), true);
    QCOMPARE(busy.at(1).at(0).toBool(), false);
    QVERIFY(!mWindow->statusReadout()->busyIndicator()->isVisible());
    QCOMPARE(changed.count(), 1);
    const motifscope::Micrograph& m = mWindow->document()->micrograph();
    QCOMPARE(m.width, 512);
    QCOMPARE(m.height, 512);
    QCOMPARE(QString::fromStdString(m.dtype), QStringLiteral("float32"));
    QCOMPARE(mWindow->document()->filePath(), kSample);
    QCOMPARE(mWindow->recentFiles()->files().value(0), QFileInfo(kSample).absoluteFilePath());
    QVERIFY(mWindow->statusBar()->currentMessage().contains(QStringLiteral("MoSe2_80K_small_region.tif")));
    QVERIFY(motifscope::test::greyVariance(mWindow->imageView()->grab().toImage()) > 10.0);
}

void TestMainWindow::loadsCalibratedSharedFile()
{
    MOTIFSCOPE_SHARED_FILE(path, "formats/STEM_image.dm3");
    const auto [ok, message] = loadAndWait(*mWindow, QString::fromStdString(path));
    QVERIFY2(ok, qPrintable(message));
    const motifscope::Micrograph& m = mWindow->document()->micrograph();
    QCOMPARE(m.width, 68);
    QCOMPARE(QString::fromStdString(m.dtype), QStringLiteral("uint32"));
    QVERIFY(std::abs(m.calibration.pixelSizeX - 0.24853801727294922) < 1e-6);
    QCOMPARE(mWindow->statusReadout()->imageLabel()->text(), QStringLiteral("68 × 68  uint32"));
    const motifscope::ui::ScaleBar bar = mWindow->imageView()->scaleBar();
    QVERIFY(bar.isValid());
    QCOMPARE(bar.unit, QStringLiteral("nm"));
    // Cursor over pixel (0, 0): calibrated position and the first pixel value from expected.json.
    motifscope::ui::ImageView* view = mWindow->imageView();
    const QPointF at = view->mapFromImage(QPointF(0.1, -0.2));
    QMouseEvent move(QEvent::MouseMove, at, view->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(view, &move);
    QCOMPARE(mWindow->statusReadout()->cursorLabel()->text(), QStringLiteral("x 0, y 0 (0.0 nm, 0.0 nm)  value 33121"));
}

void TestMainWindow::failedLoadKeepsPreviousImage_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing") << QStringLiteral("missing.tif") << QByteArray() << QStringLiteral("no such file");
    QTest::newRow("empty") << QStringLiteral("empty.tif") << QByteArray("") << QStringLiteral("empty");
    QTest::newRow("unknown format") << QStringLiteral("notes.xyz") << QByteArray("hello, not a micrograph")
                                    << QStringLiteral("unrecognised file format");
    QTest::newRow("truncated TIFF") << QStringLiteral("cut.tif") << QByteArray("II*\0\x08\0\0\0\x10\0", 10)
                                    << QString();
}

void TestMainWindow::failedLoadKeepsPreviousImage()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString path = QString::fromStdString(mTemp.file(fileName.toStdString()));
    if (!content.isNull()) {
        std::ofstream out(path.toStdString(), std::ios::binary);
        out.write(content.constData(), content.size());
    }
    mWindow->document()->setMicrograph(motifscope::test::syntheticMicrograph(64, 64), QStringLiteral("before.tif"));
    const auto before = mWindow->document()->snapshot();
    QSignalSpy changed(mWindow->document(), &MicrographDocument::micrographChanged);

    const auto [ok, message] = loadAndWait(*mWindow, path);
    QVERIFY(!ok);
    QVERIFY2(message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY(!message.contains(QLatin1Char('\n')));
    // The previous image is untouched and still shown.
    QCOMPARE(changed.count(), 0);
    QVERIFY(mWindow->document()->snapshot() == before);
    QCOMPARE(mWindow->document()->filePath(), QStringLiteral("before.tif"));
    QVERIFY(!mWindow->isBusy());
    // Reported in the status bar and in a message box with the one-line error; a reading
    // library's own words (libtiff's) wait behind the box's Details.
    const motifscope::ui::ErrorText plain = motifscope::ui::friendlyError(message);
    QVERIFY(!plain.summary.contains(QStringLiteral("libtiff")));
    QVERIFY(plain.summary.startsWith(path + QStringLiteral(": ")));
    QCOMPARE(mWindow->statusBar()->currentMessage(), plain.summary);
    auto* box = mWindow->findChild<QMessageBox*>(QStringLiteral("loadErrorBox"));
    QVERIFY(box);
    QCOMPARE(box->text(), plain.summary);
    QCOMPARE(box->detailedText(), plain.details);
    if (message.contains(QStringLiteral("libtiff")))
        QCOMPARE(box->detailedText(), message);
    else
        QCOMPARE(box->text(), message);
    QVERIFY(box->isVisible());
    box->close();
    QVERIFY(!mWindow->recentFiles()->files().contains(QFileInfo(path).absoluteFilePath()));
}

void TestMainWindow::newerLoadSupersedesOlder()
{
    QSignalSpy finished(mWindow.get(), &MainWindow::loadFinished);
    QSignalSpy busy(mWindow.get(), &MainWindow::busyChanged);
    const QString first = QString::fromStdString(mTemp.file("first-missing.tif"));
    const QString second = QString::fromStdString(mTemp.file("second-missing.tif"));
    mWindow->setInteractive(false);
    mWindow->openFile(first);
    mWindow->openFile(second);
    QVERIFY(mWindow->isBusy());
    QVERIFY(finished.wait(10000));
    QTest::qWait(100); // give the first job time to report, were it (wrongly) still listened to
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toString(), second);
    QCOMPARE(busy.count(), 2); // one busy period for both requests
    QVERIFY(mWindow->findChild<QMessageBox*>() == nullptr);
}

void TestMainWindow::cancelledLoadReportsNothing()
{
    motifscope::ui::MicrographLoader loader;
    QSignalSpy busy(&loader, &motifscope::ui::MicrographLoader::busyChanged);
    QSignalSpy loaded(&loader, &motifscope::ui::MicrographLoader::loaded);
    QSignalSpy failed(&loader, &motifscope::ui::MicrographLoader::failed);
    loader.load(kSample);
    QVERIFY(loader.isBusy());
    QCOMPARE(loader.pendingPath(), kSample);
    loader.cancel();
    QVERIFY(!loader.isBusy());
    QCOMPARE(busy.count(), 2);
    QCOMPARE(busy.at(1).at(0).toBool(), false);
    motifscope::ui::jobThreadPool()->waitForDone(20000); // the read itself runs to its end...
    QTest::qWait(50);
    QCOMPARE(loaded.count(), 0); // ...and its result is dropped
    QCOMPARE(failed.count(), 0);
    // The loader is reusable afterwards.
    loader.load(QString::fromStdString(mTemp.file("nothing-here.tif")));
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.at(0).at(1).toString().contains(QStringLiteral("no such file")));
}

void TestMainWindow::zoomActions()
{
    mWindow->document()->setMicrograph(motifscope::test::syntheticMicrograph(256, 256));
    motifscope::ui::ImageView* view = mWindow->imageView();
    motifscope::ui::MainActions* actions = mWindow->actions();
    QVERIFY(actions->zoomIn->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Equal)));
    QVERIFY(actions->zoomIn->shortcuts().contains(QKeySequence(QKeySequence::ZoomIn)));
    QVERIFY(actions->zoomOut->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Minus)));
    QCOMPARE(actions->fitToWindow->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_0));
    QCOMPARE(actions->actualSize->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_1));

    const double fit = view->zoom();
    actions->zoomIn->trigger();
    QVERIFY(std::abs(view->zoom() - fit * motifscope::ui::ImageView::kZoomStep) < 1e-9);
    actions->actualSize->trigger();
    QCOMPARE(view->zoom(), 1.0);
    QVERIFY(mWindow->statusReadout()->zoomLabel()->text().contains(QStringLiteral("100%")));
    actions->zoomOut->trigger();
    QVERIFY(std::abs(view->zoom() - 1.0 / motifscope::ui::ImageView::kZoomStep) < 1e-9);
    actions->fitToWindow->trigger();
    QVERIFY(view->isFitMode());
    QCOMPARE(view->zoom(), fit);
    actions->showScaleBar->trigger();
    QVERIFY(!view->isScaleBarVisible());
}

void TestMainWindow::contrastPanelEditsDocument()
{
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(motifscope::test::rampMicrograph(100, 100));
    motifscope::ui::ContrastPanel* panel = mWindow->contrastPanel();
    QCOMPARE(panel->lowSpin()->value(), 0.5);
    QCOMPARE(panel->highSpin()->value(), 99.5);
    QSignalSpy contrast(doc, &MicrographDocument::contrastChanged);
    panel->lowSpin()->setValue(5.0);
    QCOMPARE(contrast.count(), 1);
    QCOMPARE(doc->displaySettings().lowPercent, 5.0);
    QVERIFY(std::abs(doc->displayLow() - 500.0) <= 1.0);
    panel->gammaSpin()->setValue(0.5);
    QCOMPARE(doc->displaySettings().gamma, 0.5);
    panel->resetButton()->click();
    QCOMPARE(doc->displaySettings(), motifscope::ui::DisplaySettings{});
    QCOMPARE(panel->lowSpin()->value(), 0.5); // the panel follows the document
    QCOMPARE(panel->gammaSpin()->value(), 1.0);
    doc->setContrastPercentiles(2.0, 97.0);
    QCOMPARE(panel->highSpin()->value(), 97.0);
}

void TestMainWindow::imageInfoPanelShowsCalibration()
{
    motifscope::Micrograph m = motifscope::test::syntheticMicrograph(100, 50, 0.02, "nm");
    m.metadata["Microscope.Voltage"] = "80000";
    mWindow->document()->setMicrograph(std::move(m));
    QTreeWidget* tree = mWindow->imageInfoPanel()->tree();
    auto find = [tree](const QString& name) {
        const auto items = tree->findItems(name, Qt::MatchExactly | Qt::MatchRecursive, 0);
        return items.isEmpty() ? QString() : items.front()->text(1);
    };
    QCOMPARE(find(QStringLiteral("Size")), QStringLiteral("100 × 50 px"));
    QCOMPARE(find(QStringLiteral("Pixel size")), QStringLiteral("0.02 nm"));
    QCOMPARE(find(QStringLiteral("Field of view")), QStringLiteral("2 × 1 nm"));
    QCOMPARE(find(QStringLiteral("Microscope.Voltage")), QStringLiteral("80000"));
}

void TestMainWindow::dropOpensFile()
{
    const QString path = QString::fromStdString(mTemp.file("dropped.xyz"));
    std::ofstream(path.toStdString()) << "not an image";
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPoint at(400, 300);
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(mWindow.get(), &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy finished(mWindow.get(), &MainWindow::loadFinished);
    mWindow->setInteractive(false);
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(mWindow.get(), &drop);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.at(0).at(0).toString(), path);

    QMimeData text;
    text.setText(QStringLiteral("just text"));
    QDragEnterEvent refuse(at, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refuse.ignore();
    QApplication::sendEvent(mWindow.get(), &refuse);
    QVERIFY(!refuse.isAccepted());
}

void TestMainWindow::recentFilesList()
{
    motifscope::ui::RecentFiles* recent = mWindow->recentFiles();
    recent->clear();
    for (int i = 0; i < 12; ++i)
        recent->add(QStringLiteral("/data/image%1.tif").arg(i));
    recent->add(QStringLiteral("/data/image5.tif")); // moves to the top, no duplicate
    QStringList files = recent->files();
    QCOMPARE(files.size(), motifscope::ui::RecentFiles::kMaxFiles);
    QCOMPARE(files.front(), QStringLiteral("/data/image5.tif"));
    QCOMPARE(files.count(QStringLiteral("/data/image5.tif")), 1);
    QVERIFY(!files.contains(QStringLiteral("/data/image0.tif"))); // the oldest fell off
    // Persisted: a fresh list reads the same entries; the menu holds them plus "Clear Menu".
    motifscope::ui::RecentFiles reread;
    QCOMPARE(reread.files(), files);
    QCOMPARE(reread.menu()->actions().size(), files.size() + 2);
    QSignalSpy open(&reread, &motifscope::ui::RecentFiles::openRequested);
    reread.menu()->actions().at(1)->trigger();
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.at(0).at(0).toString(), files.at(1));
    recent->clear();
    QVERIFY(recent->files().isEmpty());
    QVERIFY(motifscope::ui::RecentFiles().files().isEmpty());
}

void TestMainWindow::analyzeStartsWork()
{
    // Without an image there is nothing to analyse; with one, Analyze starts detection at once.
    mWindow->requestAnalysis();
    QVERIFY(!mWindow->isBusy());
    mWindow->document()->setMicrograph(motifscope::test::syntheticMicrograph(256, 192));
    mWindow->actions()->analyze->trigger();
    QVERIFY(mWindow->isBusy());
    QVERIFY(waitUntilIdle(mWindow.get(), 120000));
    QVERIFY(!mWindow->document()->columns().empty());
}

void TestMainWindow::windowStateRoundTrips()
{
    mWindow->resize(900, 700);
    mWindow->actions()->showScaleBar->setChecked(false);
    mWindow->saveWindowState();
    MainWindow other;
    other.restoreWindowState();
    QCOMPARE(other.size(), QSize(900, 700));
    QVERIFY(!other.actions()->showScaleBar->isChecked());
    QVERIFY(!other.imageView()->isScaleBarVisible());
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
