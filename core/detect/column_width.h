#pragma once
/** The atom columns' Gaussian width, measured from the image before detection (sizes the matched filter). */

#include "core/image/float_image.h"

namespace motifscope {

/** The columns' width, and whether it came from the averaged peaks (single fits collapsed). */
struct ColumnWidthEstimate
{
    double width = 0.0;
    bool fromAverage = false;
};

/**
 * The Gaussian width (std, px) of the brightest columns: a Gaussian fit of up to 300 of the
 * strongest peaks in a central crop of at most 512 x 512, or their averaged peak where those fits
 * have collapsed (see below). The matched filter is sized from it. 0 when too few fits converge.
 */
ColumnWidthEstimate estimateColumnSigma(const FloatImage& raw, double period);

} // namespace motifscope
