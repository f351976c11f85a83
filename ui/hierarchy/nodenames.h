#pragma once
/**
 * Hierarchy node names in the user's words: the core names motifs by number ("square [-1 0 1 0]",
 * "cell [0.0.1]"); the window shows the user's motif names instead ("square: unassigned, Mo site,
 * Se2 site, Mo site", "cell: 2 × Mo site, Se2 site").
 */

#include "ui/document/columnset.h"

#include <QString>
#include <QStringList>

#include <string>

namespace motifscope::ui {

/**
 * `coreName` with each bracketed list of motif numbers written out: ring sequences (numbers apart
 * by spaces, "|" before the centres) in order, cell contents (numbers joined by ".") as counts.
 * Motif k reads motifNames[k] (or "motif k" beyond the list), -1 reads "unassigned".
 */
QString plainNodeName(const std::string& coreName, const QStringList& motifNames);

/** The names of the motifs of `table`, by id. */
QStringList motifNamesOf(const MotifTable& table);

/** What the numbers in the core's names mean, for a tool tip or a legend. */
QString nodeNameLegend();

} // namespace motifscope::ui
