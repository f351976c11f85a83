// Help and small gaps in the window (issue 16, point 10): F1 opens the user guide, a shortcut
// reference lists every key, Ctrl+- zooms out, a second running copy gets no false crash-recovery
// prompt and never touches the first copy's recovery file, a file that cannot open is reported
// before the unsaved-changes question, and library messages wait behind a Details box.
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/document/micrographdocument.h"
#include "core/io/writers.h"
#include "ui/views/imageview.h"
#include "ui/window/appsettings.h"
#include "ui/window/errortext.h"
#include "ui/window/helpdialogs.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QLockFile>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>

#include <memory>

using motifscope::test::runAndWait;
using motifscope::ui::MainWindow;

namespace {

bool writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestWindowHelp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void secondCopyGetsNoFalseRecoveryPrompt();
    void f1OpensTheUserGuide();
    void shortcutReferenceListsEveryKey();
    void ctrlMinusZoomsOut();
    void unreadableFileIsReportedBeforeTheQuestion();
    void libraryDetailWaitsBehindDetails();

private:
    std::unique_ptr<MainWindow> activeWindow();

    QTemporaryDir mDir;
    std::unique_ptr<QLockFile> mOtherCopy; ///< "another running copy" holding the first recovery slot
    QString mOtherRecovery;
};

void TestWindowHelp::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
    // Before any window exists: another copy of MotifScope runs and has autosaved its work.
    const QDir data(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    QVERIFY(QDir().mkpath(data.absolutePath()));
    mOtherCopy = std::make_unique<QLockFile>(data.filePath(QStringLiteral("recovery.lock")));
    QVERIFY(mOtherCopy->tryLock(0));
    mOtherRecovery = data.filePath(QStringLiteral("recovery.motifscope"));
    QVERIFY(writeBytes(mOtherRecovery, "the other copy's autosave"));
}

void TestWindowHelp::cleanupTestCase()
{
    QFile::remove(mOtherRecovery);
    mOtherCopy.reset();
}

std::unique_ptr<MainWindow> TestWindowHelp::activeWindow()
{
    auto window = std::make_unique<MainWindow>();
    window->setInteractive(false);
    window->show();
    window->activateWindow();
    if (!QTest::qWaitForWindowActive(window.get()))
        return nullptr;
    return window;
}

/**
 * The other copy holds recovery.lock: this copy writes a recovery file of its own, offers nothing
 * (the other copy's file is not a crash), and autosaving or closing leaves the other's file alone.
 */
void TestWindowHelp::secondCopyGetsNoFalseRecoveryPrompt()
{
    const QString mine = MainWindow::recoveryFilePath();
    QVERIFY(mine != mOtherRecovery);
    QVERIFY2(mine.endsWith(QStringLiteral("recovery-2.motifscope")), qPrintable(mine));
    auto window = activeWindow();
    QVERIFY(window);
    QVERIFY(!window->hasRecoveryToOffer());

    const QString image = mDir.filePath(QStringLiteral("grid.tif"));
    motifscope::writeTiffFloat32(motifscope::test::syntheticMicrograph(128, 128), image.toStdString());
    QVERIFY(runAndWait(window.get(), [&] { window->openFile(image); }));
    window->document()->setCalibration(motifscope::Calibration{0.05, 0.05, "nm"}); // an unsaved edit
    QVERIFY(window->document()->isModified());
    QSignalSpy autosaved(window.get(), &MainWindow::autosaved);
    QVERIFY(window->autosaveNow());
    QVERIFY(autosaved.wait(30000));
    QCOMPARE(autosaved.at(0).at(0).toString(), mine);
    QVERIFY(QFileInfo::exists(mine));
    window->setUnsavedChangesChoice(QMessageBox::Discard);
    QVERIFY(window->close());
    QVERIFY(!QFileInfo::exists(mine));
    QFile other(mOtherRecovery);
    QVERIFY(other.open(QIODevice::ReadOnly));
    QCOMPARE(other.readAll(), QByteArray("the other copy's autosave"));
}

void TestWindowHelp::f1OpensTheUserGuide()
{
    auto window = activeWindow();
    QVERIFY(window);
    QCOMPARE(window->actions()->userGuide->shortcut(), QKeySequence(Qt::Key_F1));
    QTest::keyClick(window.get(), Qt::Key_F1);
    auto* dialog = window->findChild<QDialog*>(QStringLiteral("userGuideDialog"));
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    auto* browser = dialog->findChild<QTextBrowser*>(QStringLiteral("userGuide"));
    QVERIFY(browser);
    const QString text = browser->toPlainText();
    // The guide of this build, rendered: headings as text, not Markdown marks.
    QVERIFY2(text.contains(QStringLiteral("MotifScope user guide")), qPrintable(text.left(200)));
    QVERIFY(text.contains(QStringLiteral("Detect columns")));
    QVERIFY(text.contains(QStringLiteral("Set Scale")));
    QVERIFY(!text.contains(QStringLiteral("## ")));
    QFile source(QString::fromStdString(motifscope::test::sourcePath("docs/user-guide.md")));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QCOMPARE(motifscope::ui::userGuideMarkdown(), QString::fromUtf8(source.readAll()));
    // F1 again raises the same window.
    QTest::keyClick(window.get(), Qt::Key_F1);
    QCOMPARE(window->findChildren<QDialog*>(QStringLiteral("userGuideDialog")).size(), 1);
    QVERIFY(dialog->grab().save(QStringLiteral("/tmp/gui-user-guide.png")));
}

void TestWindowHelp::shortcutReferenceListsEveryKey()
{
    auto window = activeWindow();
    QVERIFY(window);
    window->actions()->shortcuts->trigger();
    auto* dialog = window->findChild<QDialog*>(QStringLiteral("shortcutsDialog"));
    QVERIFY(dialog && dialog->isVisible());
    auto* table = dialog->findChild<QTableWidget*>(QStringLiteral("shortcutsTable"));
    QVERIFY(table);
    QStringList rows;
    for (int r = 0; r < table->rowCount(); ++r)
        rows << table->item(r, 0)->text() + QLatin1Char('=') + table->item(r, 1)->text();
    int withKeys = 0;
    for (QAction* a : window->actions()->findChildren<QAction*>()) {
        if (a->shortcuts().isEmpty())
            continue;
        ++withKeys;
        const QString name = QString(a->text()).remove(QLatin1Char('&')).remove(QStringLiteral("…"));
        const QString key = a->shortcuts().front().toString(QKeySequence::NativeText);
        QVERIFY2(std::any_of(rows.begin(), rows.end(),
                             [&](const QString& row) { return row.startsWith(name + QLatin1Char('=')) && row.contains(key); }),
                 qPrintable(name + QStringLiteral(" ") + key));
    }
    QVERIFY(withKeys >= 20);
    QVERIFY(rows.join(QLatin1Char('\n')).contains(QStringLiteral("Zoom Out=Ctrl+-")));
}

/** Ctrl+- once meant two shortcuts of one action (Qt calls that ambiguous and does nothing). */
void TestWindowHelp::ctrlMinusZoomsOut()
{
    auto window = activeWindow();
    QVERIFY(window);
    for (QAction* a : window->actions()->findChildren<QAction*>()) {
        const QList<QKeySequence> keys = a->shortcuts();
        for (qsizetype i = 0; i < keys.size(); ++i)
            QVERIFY2(!keys.mid(i + 1).contains(keys[i]), qPrintable(a->text()));
    }
    window->document()->setMicrograph(motifscope::test::syntheticMicrograph(256, 256));
    window->imageView()->zoomToActualSize();
    const double before = window->imageView()->zoom();
    QSignalSpy ambiguous(window->actions()->zoomOut, &QAction::triggered);
    QTest::keyClick(window.get(), Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(ambiguous.count(), 1);
    QVERIFY2(window->imageView()->zoom() < before, qPrintable(QString::number(window->imageView()->zoom())));
    const double out = window->imageView()->zoom();
    QTest::keyClick(window.get(), Qt::Key_Equal, Qt::ControlModifier);
    QVERIFY(window->imageView()->zoom() > out);
}

/**
 * With unsaved work, opening a file that cannot open reports the problem and asks nothing: the
 * work stays (the non-interactive window answers Cancel, which before this meant no report at all).
 */
void TestWindowHelp::unreadableFileIsReportedBeforeTheQuestion()
{
    auto window = activeWindow();
    QVERIFY(window);
    window->document()->setMicrograph(motifscope::test::syntheticMicrograph(64, 64), QStringLiteral("work.tif"));
    window->document()->setCalibration(motifscope::Calibration{0.1, 0.1, "nm"});
    QVERIFY(window->document()->isModified());
    window->setUnsavedChangesChoice(QMessageBox::Cancel);

    const QString text = mDir.filePath(QStringLiteral("notes.tif"));
    QVERIFY(writeBytes(text, "these are notes, not a micrograph"));
    QSignalSpy finished(window.get(), &MainWindow::loadFinished);
    window->openFile(text);
    QCOMPARE(finished.count(), 1);
    QVERIFY(!finished.at(0).at(1).toBool());
    const QString message = finished.at(0).at(2).toString();
    QVERIFY2(message.contains(QStringLiteral("not a TIFF file")), qPrintable(message));
    QCOMPARE(window->statusBar()->currentMessage(), message);
    QVERIFY(!window->isBusy());
    QCOMPARE(window->document()->filePath(), QStringLiteral("work.tif"));

    // A session that is not there: reported the same way.
    QSignalSpy opened(window.get(), &MainWindow::sessionOpened);
    window->openFile(mDir.filePath(QStringLiteral("gone.motifscope")));
    QCOMPARE(opened.count(), 1);
    QVERIFY(opened.at(0).at(2).toString().contains(QStringLiteral("no such file")));

    // A readable file still asks first (Cancel: nothing is loaded).
    const QString sample = QString::fromStdString(motifscope::test::sourcePath("resources/MoSe2_80K_small_region.tif"));
    finished.clear();
    window->openFile(sample);
    QVERIFY(!window->isBusy());
    QCOMPARE(finished.count(), 0);
    QCOMPARE(window->document()->filePath(), QStringLiteral("work.tif"));
}

/** "file: problem (libtiff: ...)": the box and the status bar say the problem, Details hold the rest. */
void TestWindowHelp::libraryDetailWaitsBehindDetails()
{
    const QString message = QStringLiteral("/data/a b/scan.tif: cannot read the TIFF file (libtiff: Not a TIFF or MDI file, "
                                           "bad magic number 25960 (0x6568))");
    const motifscope::ui::ErrorText e = motifscope::ui::friendlyError(message);
    QCOMPARE(e.summary, QStringLiteral("/data/a b/scan.tif: cannot read the TIFF file"));
    QCOMPARE(e.details, message);
    const QString plain = QStringLiteral("/data/scan.tif: no such file");
    QCOMPARE(motifscope::ui::friendlyError(plain).summary, plain);
    QVERIFY(motifscope::ui::friendlyError(plain).details.isEmpty());

    // Through the window: a TIFF header with nothing after it, the library's complaint behind Details.
    auto window = std::make_unique<MainWindow>(); // interactive: the box is shown
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    const QString cut = mDir.filePath(QStringLiteral("cut.tif"));
    QVERIFY(writeBytes(cut, QByteArray("II*\0\x08\0\0\0\x10\0", 10)));
    QSignalSpy finished(window.get(), &MainWindow::loadFinished);
    window->openFile(cut);
    QVERIFY(finished.wait(20000));
    const QString full = finished.at(0).at(2).toString();
    auto* box = window->findChild<QMessageBox*>(QStringLiteral("loadErrorBox"));
    QVERIFY(box);
    QCOMPARE(box->text(), motifscope::ui::friendlyError(full).summary);
    QVERIFY2(!box->text().contains(QStringLiteral("libtiff")), qPrintable(box->text()));
    if (full.contains(QStringLiteral("libtiff")))
        QCOMPARE(box->detailedText(), full);
    QCOMPARE(window->statusBar()->currentMessage(), box->text());
    box->close();
}

QTEST_MAIN(TestWindowHelp)
#include "test_window_help.moc"
