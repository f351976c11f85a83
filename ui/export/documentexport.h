#pragma once
/** The document as a figure (ui/figure) and as data files (core/pipeline writers); plain functions, run off the GUI thread. */

#include "ui/figure/figure.h"
#include "ui/session/sessionconvert.h"
#include "ui/views/columnvaluemap.h"

#include <QRect>
#include <QStringList>

namespace motifscope::ui {

/**
 * What renderFigure draws for `content` (micrograph, motif-coloured columns, legend, averages and
 * the hierarchy summary). A non-empty `region` (image pixels) crops to it: the columns inside it,
 * shifted to its corner, and the motif counts of those columns. A `map` with one value per column
 * (the Disorder dock's map on the image) is drawn under the markers with its colour bar.
 */
FigureContent figureContentOf(const SessionContent& content, const QRect& region = QRect(),
                              const ColumnValueMap* map = nullptr);

/**
 * Writes into `folder` (created when missing) the files of docs/CLI.md that the document has:
 * columns.csv, features.csv (Zernike invariants computed now with the learning settings),
 * embedding.csv and motifs.json after learning, hierarchy.json when built. Returns the file names
 * written; IoError naming the file on failure.
 */
QStringList writeDataFolder(const SessionContent& content, const QString& folder);

} // namespace motifscope::ui
