#pragma once
/** Which points of a 2-D embedding fall inside a rectangle or a freehand (lasso) polygon. */

#include <Eigen/Core>

#include <QPolygonF>
#include <QRectF>
#include <QVector>

namespace motifscope::ui {

/** Indices (ascending) of the rows of `points` inside `rect` (edges included), in the same coordinates. */
QVector<int> pointsInRect(const Eigen::MatrixX2f& points, const QRectF& rect);

/**
 * Indices (ascending) of the rows of `points` inside `polygon` by the even-odd rule (a
 * self-crossing lasso selects what a user sees enclosed). The polygon is closed implicitly;
 * fewer than 3 vertices select nothing.
 */
QVector<int> pointsInPolygon(const Eigen::MatrixX2f& points, const QPolygonF& polygon);

/** How a new selection combines with the old one. */
enum class SelectionOperation
{
    Replace,
    Add,      ///< union (Shift)
    Subtract, ///< old minus new (Ctrl)
};

/** Combines two ascending index lists; the result is ascending and free of duplicates. */
QVector<int> combineSelections(const QVector<int>& current, const QVector<int>& picked, SelectionOperation op);

} // namespace motifscope::ui
