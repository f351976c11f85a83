#include "document/columncommands.h"

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
      mSelectionBefore(document->selection()), mMergeWithPrevious(mergeWithPrevious)
{
}

void ReplaceColumnsCommand::redo()
{
    mDocument->applyColumnSet(mAfter, {});
}

void ReplaceColumnsCommand::undo()
{
    mDocument->applyColumnSet(mBefore, mSelectionBefore);
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
    set.columns.push_back(mColumn);
    if (!set.classes.empty())
        set.classes.push_back(-1);
    const int added = int(set.columns.size()) - 1;
    mDocument->applyColumnSet(std::move(set), {added});
}

void AddColumnCommand::undo()
{
    ColumnSet set = mDocument->columnSet();
    if (set.columns.empty())
        return;
    set.columns.pop_back();
    if (!set.classes.empty())
        set.classes.pop_back();
    mDocument->applyColumnSet(std::move(set), mSelectionBefore);
}

// --- delete --------------------------------------------------------------------------------------

DeleteColumnsCommand::DeleteColumnsCommand(MicrographDocument* document, std::vector<int> indices)
    : QUndoCommand(plural(indices.size(), "Delete Column", "Delete %1 Columns")), mDocument(document),
      mIndices(std::move(indices)), mSelectionBefore(document->selection())
{
    const ColumnSet& set = document->columnSet();
    for (int i : mIndices) {
        mRemoved.push_back(set.columns[i]);
        mRemovedClasses.push_back(set.classOf(i));
    }
}

void DeleteColumnsCommand::redo()
{
    const ColumnSet& old = mDocument->columnSet();
    ColumnSet set;
    set.columns.reserve(old.size());
    std::size_t next = 0; // position in mIndices (sorted)
    for (std::size_t i = 0; i < old.size(); ++i) {
        if (next < mIndices.size() && mIndices[next] == int(i)) {
            ++next;
            continue;
        }
        set.columns.push_back(old.columns[i]);
        if (!old.classes.empty())
            set.classes.push_back(old.classOf(i));
    }
    mDocument->applyColumnSet(std::move(set), {});
}

void DeleteColumnsCommand::undo()
{
    ColumnSet set = mDocument->columnSet();
    const bool withClasses = !set.classes.empty() || std::any_of(mRemovedClasses.begin(), mRemovedClasses.end(),
                                                                 [](int c) { return c >= 0; });
    if (withClasses)
        set.classes.resize(set.columns.size(), -1);
    // Ascending indices: each insertion lands where the column was before the deletion.
    for (std::size_t k = 0; k < mIndices.size(); ++k) {
        const auto at = std::min<std::size_t>(mIndices[k], set.columns.size());
        set.columns.insert(set.columns.begin() + std::ptrdiff_t(at), mRemoved[k]);
        if (withClasses)
            set.classes.insert(set.classes.begin() + std::ptrdiff_t(at), mRemovedClasses[k]);
    }
    mDocument->applyColumnSet(std::move(set), mIndices);
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
    }
}

void MoveColumnsCommand::redo()
{
    mDocument->applyPositions(mIndices, mTo);
}

void MoveColumnsCommand::undo()
{
    mDocument->applyPositions(mIndices, mFrom);
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
