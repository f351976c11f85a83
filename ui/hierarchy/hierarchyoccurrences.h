#pragma once
/** Where a hierarchy node occurs on the image, and the motif layer: shapes in image coordinates. */

#include "core/detect/atom_column.h"
#include "core/hierarchy/hierarchy.h"

#include <QPolygonF>
#include <QString>
#include <QVector>

namespace motifscope::ui {

/**
 * Outlines of every occurrence of motif `id` ("L<level>-<index>"). Polygon route: level 1 = its
 * counted rings, level 2 = the two rings of each matching pair, level 3 = the rings of the
 * matching centres. Cells route: level 1 = its unit cells (parallelograms), level 2 = one outline
 * per defect cluster of that form (the union of its cells). A cells result without counted cells
 * (older data) outlines a small square around each column of a level-1 type and nothing above.
 */
QVector<QPolygonF> hierarchyOccurrences(const HierarchyResult& result, const AtomColumns& columns, const QString& id);

/** The parallelogram of one counted cell of the cells route, image coordinates, closed. */
QPolygonF cellOutline(const LatticeCells& cells, const LatticeCell& cell);

/** Every counted ring (polygon route) or counted cell (cells route) with its level-1 motif index. */
struct MotifShapes
{
    QVector<QPolygonF> shapes;
    QVector<int> motif;
};

/** The shapes the motif layer fills: what level 1 counts, each with its level-1 motif. */
MotifShapes hierarchyMotifShapes(const HierarchyResult& result, const AtomColumns& columns);

} // namespace motifscope::ui
