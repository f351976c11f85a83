#pragma once
/** Errors for people: one plain line, with the library's own words kept for a Details box. */

#include <QString>

class QMessageBox;
class QWidget;

namespace motifscope::ui {

struct ErrorText
{
    QString summary; ///< "/data/sample.tif: cannot open the TIFF file": the file and the problem, one line
    QString details; ///< the whole message with the library's complaint; "" when there is nothing more
};

/**
 * Splits an error message ("path: problem (libtiff: detail)") into a one-line summary without the
 * library's detail, and the full text as details.
 */
ErrorText friendlyError(const QString& message);

/** A warning box (not yet shown) with the summary as text and the details behind "Show Details…". */
QMessageBox* makeErrorBox(QWidget* parent, const QString& title, const QString& message);

/**
 * Why `path` cannot be opened, found without reading it all ("" when it looks openable): missing,
 * unreadable, empty, or a micrograph whose first bytes are not of the format its extension names.
 * Checked before the unsaved-changes question, so that question is asked only for a file that can open.
 */
QString openProblem(const QString& path, bool session);

} // namespace motifscope::ui
