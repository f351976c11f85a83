/** The motif gallery by keyboard alone: move, extend the selection, rename, merge, select all. */
#include "ui/learn/motifgallery.h"
#include "ui/learn/motifgallerymodel.h"

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QListView>
#include <QMainWindow>
#include <QSignalSpy>
#include <QTest>

using motifscope::ui::MotifGallery;
using motifscope::ui::MotifSummary;

namespace {

QVector<MotifSummary> sixMotifs()
{
    QVector<MotifSummary> motifs;
    const int ids[] = {4, 0, 9, 2, 7, 5};
    for (int i = 0; i < 6; ++i) {
        MotifSummary s;
        s.id = ids[i];
        s.name = QStringLiteral("Motif %1").arg(ids[i]);
        s.colour = QColor::fromHsv(60 * i, 200, 200);
        s.count = 600 - 100 * i;
        s.fraction = s.count / 2100.0;
        motifs.append(s);
    }
    return motifs;
}

} // namespace

class TestGalleryKeyboard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void arrowsMoveTheCurrentMotifAndTheSelection();
    void f2Renames();
    void shiftArrowsThenCtrlMMerge();
    void galleryKeysDoNotReachWindowShortcuts();

private:
    QMainWindow* mWindow = nullptr;
    MotifGallery* mGallery = nullptr;
    QAction* mWindowSelectAll = nullptr;
    QAction* mWindowDelete = nullptr;
};

void TestGalleryKeyboard::init()
{
    // The gallery inside a window whose own Select All and Delete act on something else (the columns).
    mWindow = new QMainWindow;
    mGallery = new MotifGallery;
    mWindow->setCentralWidget(mGallery);
    mWindowSelectAll = mWindow->addAction(QStringLiteral("Select All Columns"));
    mWindowSelectAll->setShortcut(QKeySequence::SelectAll);
    mWindowDelete = mWindow->addAction(QStringLiteral("Delete Columns"));
    mWindowDelete->setShortcut(QKeySequence::Delete);
    mWindow->resize(420, 500); // two cards a row at most: Down moves to another row
    mGallery->setMotifs(sixMotifs());
    mWindow->show();
    QApplication::setActiveWindow(mWindow);
    QVERIFY(QTest::qWaitForWindowActive(mWindow));
    mGallery->view()->setFocus();
    QTRY_VERIFY(mGallery->view()->hasFocus());
}

void TestGalleryKeyboard::cleanup()
{
    delete mWindow;
    mWindow = nullptr;
}

void TestGalleryKeyboard::arrowsMoveTheCurrentMotifAndTheSelection()
{
    QListView* view = mGallery->view();
    QSignalSpy current(mGallery, &MotifGallery::currentMotifChanged);
    mGallery->setCurrentMotif(4);
    QTest::keyClick(view, Qt::Key_Right);
    QCOMPARE(mGallery->currentMotif(), 0);
    QCOMPARE(mGallery->selectedMotifs(), QVector<int>{0}); // the selection follows the current motif
    QCOMPARE(current.last().at(0).toInt(), 0);

    // Down goes to the card below: further along the list than one step, same column.
    const QRect before = view->visualRect(view->currentIndex());
    QTest::keyClick(view, Qt::Key_Down);
    const QRect after = view->visualRect(view->currentIndex());
    QVERIFY2(after.top() > before.top(), "Down stays on the row");
    QCOMPARE(after.left(), before.left());
    QVERIFY(mGallery->currentMotif() != 0);
    QCOMPARE(mGallery->selectedMotifs(), QVector<int>{mGallery->currentMotif()});
    QTest::keyClick(view, Qt::Key_Up);
    QCOMPARE(mGallery->currentMotif(), 0);

    QTest::keyClick(view, Qt::Key_End);
    QCOMPARE(mGallery->currentMotif(), 5);
    QTest::keyClick(view, Qt::Key_Home);
    QCOMPARE(mGallery->currentMotif(), 4);
    QCOMPARE(mGallery->selectedMotifs(), QVector<int>{4});
}

void TestGalleryKeyboard::f2Renames()
{
    QListView* view = mGallery->view();
    mGallery->setCurrentMotif(9);
    QSignalSpy rename(mGallery, &MotifGallery::renameRequested);
    QTest::keyClick(view, Qt::Key_F2);
    auto* editor = view->findChild<QLineEdit*>();
    QVERIFY(editor);
    QTRY_VERIFY(editor->isVisible());
    QCOMPARE(editor->text(), QStringLiteral("Motif 9"));
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("Grain boundary"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(rename.count(), 1);
    QCOMPARE(rename.at(0).at(0).toInt(), 9);
    QCOMPARE(rename.at(0).at(1).toString(), QStringLiteral("Grain boundary"));
}

void TestGalleryKeyboard::shiftArrowsThenCtrlMMerge()
{
    QListView* view = mGallery->view();
    mGallery->setCurrentMotif(0);
    QSignalSpy merge(mGallery, &MotifGallery::mergeRequested);
    QTest::keyClick(view, Qt::Key_M, Qt::ControlModifier); // one motif selected: nothing to merge
    QCOMPARE(merge.count(), 0);
    QTest::keyClick(view, Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(mGallery->currentMotif(), 9);
    QCOMPARE(mGallery->selectedMotifs(), (QVector<int>{0, 9}));
    QTest::keyClick(view, Qt::Key_M, Qt::ControlModifier);
    QCOMPARE(merge.count(), 1);
    QCOMPARE(merge.at(0).at(0).value<QVector<int>>(), (QVector<int>{0, 9}));
}

void TestGalleryKeyboard::galleryKeysDoNotReachWindowShortcuts()
{
    QListView* view = mGallery->view();
    QSignalSpy selectAll(mWindowSelectAll, &QAction::triggered);
    QSignalSpy remove(mWindowDelete, &QAction::triggered);
    mGallery->setCurrentMotif(2);
    QTest::keyClick(view, Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(mGallery->selectedMotifs(), (QVector<int>{4, 0, 9, 2, 7, 5}));
    QTest::keyClick(view, Qt::Key_Delete);
    QCOMPARE(selectAll.count(), 0);
    QCOMPARE(remove.count(), 0);
    QCOMPARE(mGallery->motifs().size(), 6);

    // Outside the gallery the window's shortcuts work: the zero counts above are the gallery's doing.
    QTest::keyClick(mWindow, Qt::Key_Delete);
    QCOMPARE(remove.count(), 1);
    QTest::keyClick(mWindow, Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(selectAll.count(), 1);
}

QTEST_MAIN(TestGalleryKeyboard)
#include "test_gallery_keyboard.moc"
