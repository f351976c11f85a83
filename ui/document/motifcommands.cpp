#include "ui/document/motifcommands.h"

namespace motifscope::ui {

ChangeMotifsCommand::ChangeMotifsCommand(MicrographDocument* document, ColumnSet columns, MotifTable table,
                                         const QString& text)
    : QUndoCommand(text), mDocument(document), mColumnsBefore(document->columnSet()),
      mColumnsAfter(std::move(columns)), mTableBefore(document->motifTable()), mTableAfter(std::move(table))
{
}

void ChangeMotifsCommand::redo()
{
    // The same columns before and after: the selection stays as it is.
    mDocument->applyMotifState(mColumnsAfter, mTableAfter, mDocument->selection(), true);
}

void ChangeMotifsCommand::undo()
{
    mDocument->applyMotifState(mColumnsBefore, mTableBefore, mDocument->selection(), true);
}

} // namespace motifscope::ui
