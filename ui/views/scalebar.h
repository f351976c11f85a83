#pragma once
/** The scale bar drawn in a corner of the image view: length choice and painting. */

#include "io/micrograph.h"

#include <QString>

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

/** Draws the bar and its label in the bottom-left of `area`, readable on any image. */
void paintScaleBar(QPainter& painter, const QRect& area, const ScaleBar& bar);

} // namespace motifscope::ui
