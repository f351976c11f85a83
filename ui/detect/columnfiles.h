#pragma once
/** Importing and exporting the document's columns as CSV (`x,y,intensity,...`, see CLI.md). */

#include <QString>

namespace motifscope::ui {

class MicrographDocument;

/**
 * Reads columns from the CSV at `path` into the document as one undoable step. Returns "" on
 * success, else a one-line message naming the file and the problem (nothing changes then).
 */
QString importColumnsCsv(MicrographDocument& document, const QString& path);

/** Writes the document's columns to `path` atomically; "" on success, else the one-line error. */
QString exportColumnsCsv(const MicrographDocument& document, const QString& path);

} // namespace motifscope::ui
