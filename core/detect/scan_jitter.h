#pragma once
/** Horizontal scan-row jitter: estimated from the columns themselves and removed from their positions. */

#include "core/detect/atom_column.h"
#include "core/image/float_image.h"

#include <vector>

namespace motifscope {

struct ScanJitter
{
    /// Estimated horizontal displacement of each image row, pixels; measured only when reliable
    /// (reliability >= kScanJitterMinReliability), zero otherwise.
    std::vector<double> rowShift;
    double rms = 0.0;             ///< rms of rowShift over rows that carry columns (0 when not reliable)
    int rowsMeasured = 0;
    double reliability = 0.0;     ///< correlation of the shifts found in the left and right image halves
};

/** Jitter is corrected only when both image halves see the same row shifts at least this well. */
constexpr double kScanJitterMinReliability = 0.5;

/**
 * A STEM image is written row by row; instabilities shift whole rows sideways. Each column spans
 * several rows: the matched-filter shift of every row segment against the column's fitted
 * Gaussian samples the row shift j(y) minus the straight line that fits j over the column's rows:
 * its offset m_c is what the column's fitted x absorbed, its slope is what a tilted elliptical
 * probe (astigmatism) shows on every column and is not taken for jitter. All columns together give
 * a sparse least-squares problem for j(y), solved by conjugate gradients with a small ridge (ramps
 * and constants are unobservable, slow shifts weakly). Columns are then corrected by m_c.
 */
ScanJitter estimateScanJitter(const FloatImage& image, const AtomColumns& columns, double radius);

/**
 * The image with each row moved back by its estimated shift (linear interpolation, borders
 * clamped): what the specimen looked like without the jitter, for tests that a row shift would
 * fool (is a column round or an unresolved pair).
 */
FloatImage withoutScanJitter(const FloatImage& image, const ScanJitter& jitter);

/** Moves each column by minus its information-weighted mean row shift (rows within `radius`). */
void removeScanJitter(AtomColumns& columns, const ScanJitter& jitter, double radius);

} // namespace motifscope
