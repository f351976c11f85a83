#pragma once
/** Horizontal scan-row jitter: estimated from the columns themselves and removed from their positions. */

#include "detect/atom_column.h"
#include "detect/image_filters.h"

#include <vector>

namespace motifscope {

struct ScanJitter
{
    std::vector<double> rowShift; ///< estimated horizontal displacement of each image row, pixels
    double rms = 0.0;             ///< rms of rowShift over rows that carry columns
    int rowsMeasured = 0;
    double reliability = 0.0;     ///< correlation of the shifts found in the left and right image halves
};

/** Jitter is corrected only when both image halves see the same row shifts at least this well. */
constexpr double kScanJitterMinReliability = 0.5;

/**
 * A STEM image is written row by row; instabilities shift whole rows sideways. Each column spans
 * several rows, so within a column's window the centroid of every row segment, compared with the
 * column's fitted x, samples the row shift j(y) minus the column's own average shift. Solving for
 * j(y) over all columns at once (a fixed-point iteration: j(y) = mean over columns of
 * [row centroid - fitted x + column's mean shift]) recovers the jitter up to a constant. Columns
 * are then corrected by their own mean shift (x -= weighted mean of j over their rows).
 */
ScanJitter estimateScanJitter(const FloatImage& image, const AtomColumns& columns, double radius);

/** Moves each column by minus its window-weighted mean row shift (rows within `radius`). */
void removeScanJitter(AtomColumns& columns, const ScanJitter& jitter, double radius);

} // namespace motifscope
