#pragma once
/** Physical units for calibrations given in metres by the instrument file. */

#include "core/io/micrograph.h"

namespace motifscope {

/**
 * Calibration from pixel sizes in metres. The unit is nm, µm or mm, whichever makes the field of
 * view (width x pixel size) at least 1 and below 1000 of it: a 64 px image at 6.3 nm/px stays in
 * nm, a 512 px image at 5.3 nm/px (2.7 µm across) is given in µm, as instrument software shows it.
 * Non-finite or non-positive sizes give an uncalibrated result.
 */
Calibration calibrationFromMetres(double pixelSizeX, double pixelSizeY, int width);

} // namespace motifscope
