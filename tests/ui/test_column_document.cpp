// Columns in MicrographDocument: every undo command round-trips (redo, undo, redo), drags merge,
// the selection follows edits, and each change emits the expected signals.
#include "test_support.h"
#include "ui_test_support.h"

#include "ui/document/micrographdocument.h"

#include <QSignalSpy>
#include <QUndoStack>

#include <memory>

using motifscope::AtomColumn;
using motifscope::AtomColumns;
using motifscope::ui::ColumnSet;
using motifscope::ui::MicrographDocument;

namespace {

AtomColumn column(double x, double y, float intensity = 1.0f)
{
    AtomColumn c;
    c.x = x;
    c.y = y;
    c.intensity = intensity;
    return c;
}

/** Three columns at (10,10), (20,10), (30,10), classes 0, 1, 2. */
ColumnSet threeColumns()
{
    ColumnSet set;
    set.columns = {column(10, 10, 1), column(20, 10, 2), column(30, 10, 3)};
    set.classes = {0, 1, 2};
    return set;
}

std::vector<double> xs(const MicrographDocument& doc)
{
    std::vector<double> v;
    for (const AtomColumn& c : doc.columns())
        v.push_back(c.x);
    return v;
}

} // namespace

class TestColumnDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void replaceIsOneUndoStep();
    void replaceMergesOnlyWhenAsked();
    void addSelectsTheNewColumn();
    void deleteRestoresOrderAndClasses();
    void deleteIgnoresBadIndices();
    void moveRoundTrips();
    void dragMergesIntoOneStep();
    void selectionIsSortedAndValidated();
    void newMicrographClearsColumns();

private:
    std::unique_ptr<MicrographDocument> mDoc;
};

void TestColumnDocument::init()
{
    mDoc = std::make_unique<MicrographDocument>();
    mDoc->setMicrograph(motifscope::test::syntheticMicrograph(64, 48));
}

void TestColumnDocument::replaceIsOneUndoStep()
{
    QSignalSpy changed(mDoc.get(), &MicrographDocument::columnsChanged);
    const quint64 revision = mDoc->columnsRevision();
    mDoc->replaceColumns(threeColumns(), QStringLiteral("Detect Columns"));
    QCOMPARE(changed.count(), 1);
    QVERIFY(mDoc->columnsRevision() > revision);
    QCOMPARE(mDoc->columns().size(), std::size_t(3));
    QCOMPARE(mDoc->undoStack()->count(), 1);
    QCOMPARE(mDoc->undoStack()->undoText(), QStringLiteral("Detect Columns"));
    mDoc->undoStack()->undo();
    QCOMPARE(changed.count(), 2);
    QVERIFY(mDoc->columns().empty());
    mDoc->undoStack()->redo();
    QCOMPARE(xs(*mDoc), (std::vector<double>{10, 20, 30}));
    QCOMPARE(mDoc->columnSet().classes, (std::vector<int>{0, 1, 2}));
}

void TestColumnDocument::replaceMergesOnlyWhenAsked()
{
    mDoc->replaceColumns(threeColumns(), QStringLiteral("Detect Columns"));
    ColumnSet fewer;
    fewer.columns = {column(5, 5)};
    mDoc->replaceColumns(fewer, QStringLiteral("Adjust Detection"), true);
    QCOMPARE(mDoc->undoStack()->count(), 1); // folded into the detection run
    QCOMPARE(mDoc->columns().size(), std::size_t(1));
    mDoc->replaceColumns(threeColumns(), QStringLiteral("Import Columns"));
    QCOMPARE(mDoc->undoStack()->count(), 2);
    mDoc->undoStack()->undo();
    QCOMPARE(mDoc->columns().size(), std::size_t(1));
    mDoc->undoStack()->undo();
    QVERIFY(mDoc->columns().empty());
}

void TestColumnDocument::addSelectsTheNewColumn()
{
    mDoc->replaceColumns(threeColumns(), QStringLiteral("Detect"));
    mDoc->setSelection({0});
    QSignalSpy selection(mDoc.get(), &MicrographDocument::selectionChanged);
    mDoc->addColumn(column(40.25, 12.5));
    QCOMPARE(mDoc->columns().size(), std::size_t(4));
    QCOMPARE(mDoc->columns().back().x, 40.25);
    QCOMPARE(mDoc->columnSet().classOf(3), -1); // classes stay aligned, new column unclassified
    QCOMPARE(mDoc->columnSet().classes.size(), std::size_t(4));
    QCOMPARE(mDoc->selection(), std::vector<int>{3});
    QCOMPARE(selection.count(), 1);
    mDoc->undoStack()->undo();
    QCOMPARE(mDoc->columns().size(), std::size_t(3));
    QCOMPARE(mDoc->selection(), std::vector<int>{0});
    mDoc->undoStack()->redo();
    QCOMPARE(mDoc->columns().size(), std::size_t(4));
    QCOMPARE(mDoc->columns()[3].y, 12.5);
}

void TestColumnDocument::deleteRestoresOrderAndClasses()
{
    mDoc->replaceColumns(threeColumns(), QStringLiteral("Detect"));
    mDoc->setSelection({2, 0});
    QCOMPARE(mDoc->selection(), (std::vector<int>{0, 2}));
    mDoc->deleteSelectedColumns();
    QCOMPARE(xs(*mDoc), std::vector<double>{20});
    QCOMPARE(mDoc->columnSet().classes, std::vector<int>{1});
    QVERIFY(mDoc->selection().empty());
    QCOMPARE(mDoc->undoStack()->undoText(), QStringLiteral("Delete 2 Columns"));
    mDoc->undoStack()->undo();
    QCOMPARE(xs(*mDoc), (std::vector<double>{10, 20, 30}));
    QCOMPARE(mDoc->columnSet().classes, (std::vector<int>{0, 1, 2}));
    QCOMPARE(mDoc->columns()[2].intensity, 3.0f);
    QCOMPARE(mDoc->selection(), (std::vector<int>{0, 2})); // what was deleted is selected again
    mDoc->undoStack()->redo();
    QCOMPARE(xs(*mDoc), std::vector<double>{20});
}

void TestColumnDocument::deleteIgnoresBadIndices()
{
    mDoc->replaceColumns(threeColumns(), QStringLiteral("Detect"));
    const int steps = mDoc->undoStack()->count();
    mDoc->deleteColumns({-1, 3, 99});
    QCOMPARE(mDoc->undoStack()->count(), steps); // nothing valid: no command
    mDoc->deleteColumns({1, 1, 7});
    QCOMPARE(xs(*mDoc), (std::vector<double>{10, 30}));
}

void TestColumnDocument::moveRoundTrips()
{
    mDoc->replaceColumns(threeColumns(), QStringLiteral("Detect"));
    mDoc->setSelection({1, 2});
    mDoc->moveColumns({1, 2}, 1.5, -2.25);
    QCOMPARE(xs(*mDoc), (std::vector<double>{10, 21.5, 31.5}));
    QCOMPARE(mDoc->columns()[1].y, 7.75);
    QCOMPARE(mDoc->selection(), (std::vector<int>{1, 2})); // a move keeps the selection
    mDoc->undoStack()->undo();
    QCOMPARE(xs(*mDoc), (std::vector<double>{10, 20, 30}));
    QCOMPARE(mDoc->columns()[1].y, 10.0);
    mDoc->undoStack()->redo();
    QCOMPARE(xs(*mDoc), (std::vector<double>{10, 21.5, 31.5}));
    // A zero or non-finite shift is no edit at all.
    const int steps = mDoc->undoStack()->count();
    mDoc->moveColumns({0}, 0.0, 0.0);
    mDoc->moveColumns({0}, std::nan(""), 1.0);
    QCOMPARE(mDoc->undoStack()->count(), steps);
}

void TestColumnDocument::dragMergesIntoOneStep()
{
    mDoc->replaceColumns(threeColumns(), QStringLiteral("Detect"));
    const int steps = mDoc->undoStack()->count();
    for (int i = 0; i < 10; ++i)
        mDoc->moveColumns({0}, 0.5, 0.25, 7);
    QCOMPARE(mDoc->undoStack()->count(), steps + 1);
    QCOMPARE(mDoc->columns()[0].x, 15.0);
    QCOMPARE(mDoc->columns()[0].y, 12.5);
    mDoc->moveColumns({0}, 1.0, 0.0, 8); // another drag: its own step
    mDoc->moveColumns({1}, 1.0, 0.0, 8); // other columns: its own step
    QCOMPARE(mDoc->undoStack()->count(), steps + 3);
    mDoc->undoStack()->undo();
    mDoc->undoStack()->undo();
    QCOMPARE(mDoc->columns()[0].x, 15.0);
    mDoc->undoStack()->undo();
    QCOMPARE(mDoc->columns()[0].x, 10.0);
    QCOMPARE(mDoc->columns()[0].y, 10.0);
}

void TestColumnDocument::selectionIsSortedAndValidated()
{
    mDoc->replaceColumns(threeColumns(), QStringLiteral("Detect"));
    QSignalSpy selection(mDoc.get(), &MicrographDocument::selectionChanged);
    mDoc->setSelection({2, 2, -4, 0, 11});
    QCOMPARE(mDoc->selection(), (std::vector<int>{0, 2}));
    QVERIFY(mDoc->isSelected(2));
    QVERIFY(!mDoc->isSelected(1));
    mDoc->setSelection({0, 2}); // unchanged: no signal
    QCOMPARE(selection.count(), 1);
    QCOMPARE(mDoc->undoStack()->count(), 1); // selecting is not an edit
    mDoc->replaceColumns(ColumnSet{}, QStringLiteral("Clear"));
    QVERIFY(mDoc->selection().empty());
    QCOMPARE(selection.count(), 2);
}

void TestColumnDocument::newMicrographClearsColumns()
{
    mDoc->replaceColumns(threeColumns(), QStringLiteral("Detect"));
    mDoc->setSelection({1});
    QSignalSpy changed(mDoc.get(), &MicrographDocument::columnsChanged);
    QSignalSpy selection(mDoc.get(), &MicrographDocument::selectionChanged);
    mDoc->setMicrograph(motifscope::test::syntheticMicrograph(32, 32));
    QVERIFY(mDoc->columns().empty());
    QVERIFY(mDoc->selection().empty());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(selection.count(), 1);
    QCOMPARE(mDoc->undoStack()->count(), 0);
}

QTEST_GUILESS_MAIN(TestColumnDocument)
#include "test_column_document.moc"
