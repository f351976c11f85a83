#pragma once
/** The undoable step of every motif edit: learn, rename, recolour, merge, split, assign. */

#include "ui/document/micrographdocument.h"

#include <QUndoCommand>

namespace motifscope::ui {

/**
 * Swaps the document's columns and motif table between the state before and after one edit.
 * The after state is computed once, before the push (averages included), so undo and redo are
 * immediate and give the same result every time.
 */
class ChangeMotifsCommand : public QUndoCommand
{
public:
    ChangeMotifsCommand(MicrographDocument* document, ColumnSet columns, MotifTable table, const QString& text);
    void redo() override;
    void undo() override;

private:
    MicrographDocument* mDocument;
    ColumnSet mColumnsBefore, mColumnsAfter;
    MotifTable mTableBefore, mTableAfter;
};

} // namespace motifscope::ui
