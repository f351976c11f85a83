#include "ui/document/columncommands.h"

#include <QCoreApplication>

namespace motifscope::ui {

namespace {

QString plural(std::size_t n, const char* one, const char* many)
{
    return n == 1 ? QCoreApplication::translate("ColumnCommands", one)
                  : QCoreApplication::translate("ColumnCommands", many).arg(n);
}

} // namespace

// --- replace -------------------------------------------------------------------------------------

ReplaceColumnsCommand::ReplaceColumnsCommand(MicrographDocument* document, ColumnSet columns, const QString& text,
                                             bool mergeWithPrevious)
    : QUndoCommand(text), mDocument(document), mBefore(document->columnSet()), mAfter(std::move(columns)),
      mMotifsBefore(document->motifTable()), mSelectionBefore(document->selection()), mMergeWithPrevious(mergeWithPrevious)
{
}

void ReplaceColumnsCommand::redo()
{
    mDocument->applyMotifState(mAfter, MotifTable{}, {});
}

void ReplaceColumnsCommand::undo()
{
    mDocument->applyMotifState(mBefore, mMotifsBefore, mSelectionBefore);
}

bool ReplaceColumnsCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const ReplaceColumnsCommand*>(other);
    if (!next->mMergeWithPrevious)
        return false;
    mAfter = next->mAfter;
    return true;
}

// --- add -----------------------------------------------------------------------------------------

AddColumnCommand::AddColumnCommand(MicrographDocument* document, const AtomColumn& column)
    : QUndoCommand(QCoreApplication::translate("ColumnCommands", "Add Column")), mDocument(document),
      mColumn(column), mSelectionBefore(document->selection())
{
}

void AddColumnCommand::redo()
{
    ColumnSet set = mDocument->columnSet();
    set.append(mColumn);
    const int added = int(set.columns.size()) - 1;
    set.markEdited(std::size_t(added), kColumnAddedByHand);
    mDocument->applyColumnSet(std::move(set), {added});
}

void AddColumnCommand::undo()
{
    ColumnSet set = mDocument->columnSet();
    if (set.columns.empty())
        return;
    set.erase({int(set.size()) - 1});
    mDocument->applyColumnSet(std::move(set), mSelectionBefore);
}

// --- delete --------------------------------------------------------------------------------------

DeleteColumnsCommand::DeleteColumnsCommand(MicrographDocument* document, std::vector<int> indices)
    : QUndoCommand(plural(indices.size(), "Delete Column", "Delete %1 Columns")), mDocument(document),
      mIndices(std::move(indices)), mBefore(document->columnSet()), mSelectionBefore(document->selection())
{
}

void DeleteColumnsCommand::redo()
{
    ColumnSet set = mDocument->columnSet();
    set.erase(mIndices);
    mDocument->applyColumnSet(std::move(set), {});
}

void DeleteColumnsCommand::undo()
{
    // Commands undo in stack order: the document is as this command's redo left it.
    mDocument->applyColumnSet(mBefore, mIndices);
}

// --- move ----------------------------------------------------------------------------------------

MoveColumnsCommand::MoveColumnsCommand(MicrographDocument* document, std::vector<int> indices, double dx,
                                       double dy, int dragId)
    : QUndoCommand(plural(indices.size(), "Move Column", "Move %1 Columns")), mDocument(document),
      mIndices(std::move(indices)), mDragId(dragId)
{
    const AtomColumns& columns = document->columns();
    for (int i : mIndices) {
        mFrom.emplace_back(columns[i].x, columns[i].y);
        mTo.emplace_back(columns[i].x + dx, columns[i].y + dy);
        const std::uint8_t before = document->columnSet().editsOf(std::size_t(i));
        mEditsFrom.push_back(before);
        mEditsTo.push_back(std::uint8_t(before | kColumnMovedByHand));
    }
}

void MoveColumnsCommand::redo()
{
    mDocument->applyPositions(mIndices, mTo, mEditsTo);
}

void MoveColumnsCommand::undo()
{
    mDocument->applyPositions(mIndices, mFrom, mEditsFrom);
}

bool MoveColumnsCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const MoveColumnsCommand*>(other);
    if (mDragId == 0 || next->mDragId != mDragId || next->mIndices != mIndices)
        return false;
    mTo = next->mTo;
    return true;
}

} // namespace motifscope::ui
