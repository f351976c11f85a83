#pragma once
/** Sub-pixel refinement of atom-column positions: centre of mass, then a 2-D Gaussian fit. */

#include "detect/atom_column.h"
#include "detect/image_filters.h"

namespace motifscope {

class Progress;

struct RefineParams
{
    double radius = 4.0;        ///< pixels used around each column (circular window)
    double sigmaGuess = 2.0;    ///< starting Gaussian width in pixels
    double maxShift = 2.0;      ///< a fit moving farther than this from the centre of mass is rejected
    int comIterations = 3;      ///< re-centred centre-of-mass passes
    bool gaussianFit = true;    ///< false: stop after the centre of mass
};

/**
 * Refines `columns` in place against `image` (the raw, unsmoothed pixels), in parallel. Each column
 * first moves to the centroid of its background-subtracted window; then a Levenberg-Marquardt fit
 * of A exp(-r^2 / 2 s^2) + B gives position, amplitude, width, background and residual. A fit that
 * diverges (moves more than maxShift, non-positive amplitude, absurd width) falls back to the
 * centre of mass. Columns too close to the border for a window keep what they have.
 */
void refineColumns(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress);

} // namespace motifscope
