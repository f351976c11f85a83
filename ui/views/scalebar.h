#pragma once
/** The scale bar drawn in a corner of the image view: length choice and painting. */

#include "core/io/micrograph.h"

#include <QPointF>
#include <QRectF>
#include <QString>

#include <vector>

class QPainter;
class QRect;

namespace motifscope::ui {

/** A scale bar to draw: a round length in some unit and how long that is on screen. */
struct ScaleBar
{
    double length = 0.0;       ///< 1, 2 or 5 x 10^n, in `unit`
    QString unit;              ///< "nm", "µm", ... or "px" for an uncalibrated image
    double widgetLength = 0.0; ///< on-screen length in widget pixels
    bool isValid() const { return length > 0.0 && widgetLength > 0.0; }
    QString label() const;     ///< "2 nm"
};

/**
 * The longest round scale bar (1, 2, 5 x 10^n) no longer than `maxWidgetLength` widget pixels at
 * `zoom` widget pixels per image pixel, in the calibration's unit, or in a neighbouring SI unit
 * (pm, nm, µm, mm) when that gives a number between 1 and 500. Uncalibrated images get pixels.
 */
ScaleBar chooseScaleBar(const Calibration& calibration, double zoom, double maxWidgetLength);

/** The size of the bar's backing box (label, bar and padding) in the painter's font. */
QSizeF scaleBarBoxSize(const QPainter& painter, const ScaleBar& bar);

/**
 * Where the box goes in `area`: the corner that hides the fewest of `columns` (widget positions of
 * the columns in view, markers of `markerRadius`), bottom-left when several hide none
 * (placeInEmptiestCorner, core/render: the figure and overlay.png use the same rule).
 */
QRectF placeScaleBar(const QRect& area, const QSizeF& box, const std::vector<QPointF>& columns, double markerRadius);

/** Draws the bar and its label in `box` (from placeScaleBar), readable on any image. */
void paintScaleBar(QPainter& painter, const QRectF& box, const ScaleBar& bar);

} // namespace motifscope::ui
