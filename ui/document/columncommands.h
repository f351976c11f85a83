#pragma once
/** The undoable edits of a document's atom columns: replace all, add, delete, move. */

#include "ui/document/micrographdocument.h"

#include <QPointF>
#include <QUndoCommand>

#include <vector>

namespace motifscope::ui {

/** Command ids for QUndoCommand::mergeWith. */
enum ColumnCommandId
{
    kReplaceColumnsId = 3001,
    kMoveColumnsId = 3002,
};

/** Replaces the whole column set (detection run, import); undo restores the previous set. */
class ReplaceColumnsCommand : public QUndoCommand
{
public:
    ReplaceColumnsCommand(MicrographDocument* document, ColumnSet columns, const QString& text,
                          bool mergeWithPrevious = false);
    void redo() override;
    void undo() override;
    int id() const override { return kReplaceColumnsId; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    MicrographDocument* mDocument;
    ColumnSet mBefore;
    ColumnSet mAfter;
    MotifTable mMotifsBefore; ///< new columns have no motifs: the table goes, undo brings it back
    std::vector<int> mSelectionBefore;
    bool mMergeWithPrevious;
};

/** Appends one column and selects it. */
class AddColumnCommand : public QUndoCommand
{
public:
    AddColumnCommand(MicrographDocument* document, const AtomColumn& column);
    void redo() override;
    void undo() override;

private:
    MicrographDocument* mDocument;
    AtomColumn mColumn;
    std::vector<int> mSelectionBefore;
};

/** Removes columns by index (sorted, unique); undo puts them back where they were, selected. */
class DeleteColumnsCommand : public QUndoCommand
{
public:
    DeleteColumnsCommand(MicrographDocument* document, std::vector<int> indices);
    void redo() override;
    void undo() override;

private:
    MicrographDocument* mDocument;
    std::vector<int> mIndices;
    ColumnSet mBefore; ///< everything known about the columns, for undo
    std::vector<int> mSelectionBefore;
};

/** Moves columns by a shift; consecutive moves of one drag merge (same dragId, same columns). */
class MoveColumnsCommand : public QUndoCommand
{
public:
    MoveColumnsCommand(MicrographDocument* document, std::vector<int> indices, double dx, double dy, int dragId);
    void redo() override;
    void undo() override;
    int id() const override { return kMoveColumnsId; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    MicrographDocument* mDocument;
    std::vector<int> mIndices;
    std::vector<QPointF> mFrom;
    std::vector<QPointF> mTo;
    std::vector<std::uint8_t> mEditsFrom; ///< the columns' hand-edit bits before and after the move
    std::vector<std::uint8_t> mEditsTo;
    int mDragId;
};

} // namespace motifscope::ui
