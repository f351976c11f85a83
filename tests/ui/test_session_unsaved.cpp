// Unsaved work in the real main window: the modified flag follows undo and saving, the
// unsaved-changes choice on close, autosave and recovery (interval and recent sessions from the
// settings), and cancelling a running job leaves the document as it was.
#include "session_window_test_support.h"
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/detect/detectionpanel.h"
#include "ui/document/micrographdocument.h"
#include "ui/learn/learnpanel.h"
#include "ui/window/mainwindow.h"
#include "ui/session/sessionconvert.h"
#include "ui/window/mainactions.h"
#include "ui/window/recentfiles.h"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>

#include <memory>

using namespace motifscope::test;
using motifscope::ui::ColumnSet;
using motifscope::ui::MainWindow;
using motifscope::ui::MicrographDocument;

class TestSessionUnsaved : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpSessionTests(mDir, mImagePath)); }
    void init() { QFile::remove(MainWindow::recoveryFilePath()); } // no recovery file from an earlier test
    void modifiedFollowsUndo();
    void unsavedChangesChoice();
    void autosaveAndRecovery();
    void cancelledJobsLeaveDocumentUnchanged();
    void autosaveIntervalAndRecentSessionsFromSettings();

private:
    QTemporaryDir mDir;
    QString mImagePath;
};

void TestSessionUnsaved::modifiedFollowsUndo()
{
    auto w = newWindow();
    QVERIFY(runAndWait(w.get(), [&] { w->openFile(mImagePath); }));
    MicrographDocument* doc = w->document();
    QVERIFY(!doc->isModified());
    QVERIFY(w->windowTitle().contains(QStringLiteral("[*]")));
    QVERIFY(!w->isWindowModified());
    QVERIFY(runAndWait(w.get(), [&] { w->actions()->detectColumns->trigger(); }));
    QVERIFY(doc->isModified());
    QVERIFY(w->isWindowModified());
    doc->undoStack()->undo();
    QVERIFY(!doc->isModified());
    QVERIFY(!w->isWindowModified());
    doc->undoStack()->redo();
    QVERIFY(w->isWindowModified());

    const QString path = mDir.filePath(QStringLiteral("modified.motifscope"));
    QVERIFY(runAndWait(w.get(), [&] { w->saveSessionAs(path); }));
    QVERIFY(!w->isWindowModified());
    doc->undoStack()->undo(); // before the saved state
    QVERIFY(w->isWindowModified());
    doc->undoStack()->redo(); // back at it
    QVERIFY(!w->isWindowModified());
    // Save (Ctrl+S) goes to the same file without asking.
    doc->deleteColumns({0});
    QVERIFY(w->isWindowModified());
    QVERIFY(runAndWait(w.get(), [&] { w->actions()->saveSession->trigger(); }));
    QVERIFY(!w->isWindowModified());
    QCOMPARE(motifscope::loadSession(path.toStdString()).columns.size(), doc->columns().size());
}

void TestSessionUnsaved::unsavedChangesChoice()
{
    auto w = newWindow();
    QVERIFY(runAndWait(w.get(), [&] { w->openFile(mImagePath); }));
    QVERIFY(runAndWait(w.get(), [&] { w->actions()->detectColumns->trigger(); }));
    MicrographDocument* doc = w->document();
    const std::size_t columns = doc->columns().size();
    QVERIFY(doc->isModified());

    // Cancel: the window stays, another file does not replace the work.
    w->setUnsavedChangesChoice(QMessageBox::Cancel);
    QVERIFY(!w->close());
    QVERIFY(w->isVisible());
    QVERIFY(!w->isBusy()); // nothing was started
    w->openFile(mImagePath);
    QVERIFY(!w->isBusy());
    QCOMPARE(doc->columns().size(), columns);

    // Save without a session file cannot save: the window stays open.
    w->setUnsavedChangesChoice(QMessageBox::Save);
    QVERIFY(!w->close());
    QVERIFY(w->isVisible());

    // Save with a file: saved first, closed once written.
    const QString path = mDir.filePath(QStringLiteral("on close.motifscope"));
    QVERIFY(runAndWait(w.get(), [&] { w->saveSessionAs(path); }));
    doc->deleteColumns({0, 1});
    QVERIFY(doc->isModified());
    QSignalSpy saved(w.get(), &MainWindow::sessionSaved);
    QVERIFY(!w->close()); // not yet: the save runs off the GUI thread
    QVERIFY(saved.wait(30000));
    QTRY_VERIFY(!w->isVisible());
    QCOMPARE(motifscope::loadSession(path.toStdString()).columns.size(), columns - 2);

    // Discard closes at once.
    auto d = newWindow();
    QVERIFY(runAndWait(d.get(), [&] { d->openFile(mImagePath); }));
    QVERIFY(runAndWait(d.get(), [&] { d->actions()->detectColumns->trigger(); }));
    d->setUnsavedChangesChoice(QMessageBox::Discard);
    QVERIFY(d->close());
}

void TestSessionUnsaved::autosaveAndRecovery()
{
    QCOMPARE(newWindow()->autosaveTimer()->interval(), 3 * 60 * 1000); // default: every 3 minutes
    QVERIFY(newWindow()->autosaveTimer()->isActive());
    const QString recovery = MainWindow::recoveryFilePath();
    QVERIFY(recovery.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));

    auto a = newWindow();
    QVERIFY(openDetectLearn(*a, mImagePath));
    QVERIFY(!QFileInfo::exists(recovery));
    const QString sessionPath = mDir.filePath(QStringLiteral("recovered.motifscope"));
    QVERIFY(runAndWait(a.get(), [&] { a->saveSessionAs(sessionPath); }));
    QVERIFY(!a->autosaveNow()); // nothing unsaved: nothing to write
    a->document()->assignColumnsToMotif({3, 4}, a->document()->columnSet().classOf(3) == 0 ? 1 : 0);
    a->document()->renameMotif(1, QStringLiteral("edge"));
    QSignalSpy autosaved(a.get(), &MainWindow::autosaved);
    QVERIFY(a->autosaveNow());
    QVERIFY(autosaved.wait(30000));
    QVERIFY2(autosaved.at(0).at(1).toBool(), qPrintable(autosaved.at(0).at(2).toString()));
    QVERIFY(QFileInfo::exists(recovery));

    // "After a crash": a new window recovers the autosaved work, unsaved, belonging to the session.
    auto b = newWindow();
    QVERIFY(runAndWait(b.get(), [&] { QVERIFY(b->recoverAutosave()); }));
    compareDocuments(*a->document(), *b->document());
    if (QTest::currentTestFailed())
        return;
    QVERIFY(b->document()->isModified());
    QVERIFY(b->isWindowModified());
    QCOMPARE(b->document()->sessionPath(), sessionPath);
    // A clean save removes the recovery file.
    QVERIFY(runAndWait(b.get(), [&] { b->actions()->saveSession->trigger(); }));
    QVERIFY(!b->document()->isModified());
    QVERIFY(!QFileInfo::exists(recovery));
    QVERIFY(!b->recoverAutosave());
}

void TestSessionUnsaved::cancelledJobsLeaveDocumentUnchanged()
{
    auto w = newWindow();
    QVERIFY(openDetectLearn(*w, mImagePath));
    MicrographDocument* doc = w->document();
    const ColumnSet before = doc->columnSet();
    const auto tableBefore = doc->motifTable();
    const int undoSteps = doc->undoStack()->count();
    const bool modified = doc->isModified();
    // A detection run on top of the learned motifs, cancelled while it runs (Cancel button).
    QVERIFY(runAndWait(w.get(), [&] {
        w->actions()->detectColumns->trigger();
        QVERIFY(w->isBusy());
        QVERIFY(w->detectionPanel()->cancelButton()->isEnabled());
        QTest::mouseClick(w->detectionPanel()->cancelButton(), Qt::LeftButton);
    }));
    QVERIFY(!w->isBusy());
    // And a learning run, cancelled the same way.
    QVERIFY(runAndWait(w.get(), [&] {
        w->learnPanel()->seedBox()->setValue(11);
        w->actions()->learnMotifs->trigger();
        QVERIFY(w->isBusy());
        QTest::mouseClick(w->learnPanel()->cancelButton(), Qt::LeftButton);
    }));
    compareColumns(before, doc->columnSet());
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(doc->motifTable().size(), tableBefore.size());
    for (int id = 0; id < tableBefore.size(); ++id)
        QCOMPARE(doc->motifTable().motifs[std::size_t(id)].name, tableBefore.motifs[std::size_t(id)].name);
    QCOMPARE(doc->undoStack()->count(), undoSteps);
    QCOMPARE(doc->isModified(), modified);
}

void TestSessionUnsaved::autosaveIntervalAndRecentSessionsFromSettings()
{
    {
        QSettings settings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication());
        settings.setValue(QStringLiteral("autosave/intervalMinutes"), 0.5);
        settings.setValue(QStringLiteral("recentSessions"), QStringList{QStringLiteral("/data/a.motifscope")});
        settings.setValue(QStringLiteral("recentFiles"), QStringList{QStringLiteral("/data/a.tif")});
    }
    auto w = newWindow();
    QCOMPARE(w->autosaveTimer()->interval(), 30000);
    QCOMPARE(w->recentSessions()->files(), QStringList{QStringLiteral("/data/a.motifscope")});
    QCOMPARE(w->recentFiles()->files(), QStringList{QStringLiteral("/data/a.tif")});
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
}

QTEST_MAIN(TestSessionUnsaved)
#include "test_session_unsaved.moc"
