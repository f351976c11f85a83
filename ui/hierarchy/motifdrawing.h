#pragma once
/** A representative occurrence of each hierarchy motif, as columns and bonds to draw. */

#include <QHash>
#include <QPair>
#include <QPointF>
#include <QPolygonF>
#include <QString>
#include <QVector>

#include <vector>

namespace motifscope {
struct HierarchyResult;
struct Point2;
} // namespace motifscope

namespace motifscope::ui {

/** One occurrence of a motif in image coordinates (pixels, y down). */
struct MotifDrawing
{
    QVector<QPointF> columns;           ///< column positions
    QVector<int> columnMotif;           ///< per column: its level-1 motif (colour), -1 = none
    QVector<QPair<int, int>> bonds;     ///< indices into columns
    QVector<QPolygonF> rings;           ///< ring outlines
    QVector<int> ringMotif;             ///< per ring: its level-1 motif
    bool isEmpty() const { return columns.isEmpty() && rings.isEmpty(); }
};

/**
 * For every motif id, the first occurrence found. Polygon route: level 1 a ring of that type,
 * level 2 an edge-sharing pair, level 3 a ring with its complete shell (matched by the same
 * canonical forms core builds). Cells route: level 1 one unit cell of that type, level 2 the first
 * defect cluster of that form (cells as outlines, `rings`, with their columns and bonds). Motifs
 * without an occurrence (or without points) are absent: the view draws a glyph for them.
 */
QHash<QString, MotifDrawing> representativeDrawings(const HierarchyResult& result, const std::vector<Point2>& points);

} // namespace motifscope::ui
