#pragma once
/** Where a hierarchy node occurs on the image: one outline per occurrence, in image coordinates. */

#include "detect/atom_column.h"
#include "hierarchy/hierarchy.h"

#include <QPolygonF>
#include <QString>
#include <QVector>

namespace motifscope::ui {

/**
 * Outlines of every occurrence of motif `id` ("L<level>-<index>"): level 1 = its counted rings,
 * level 2 = the two rings of each matching pair, level 3 = the rings of the matching centres; when
 * there are no rings (cells route), a small square around each column of that level-1 type.
 */
QVector<QPolygonF> hierarchyOccurrences(const HierarchyResult& result, const AtomColumns& columns, const QString& id);

} // namespace motifscope::ui
