#pragma once
/** Sub-pixel refinement of atom-column positions: centre of mass, then a 2-D Gaussian fit. */

#include "core/detect/atom_column.h"
#include "core/detect/noise_model.h"
#include "core/image/float_image.h"

namespace motifscope {

class Progress;

struct RefineParams
{
    double radius = 4.0;        ///< pixels used around each column (circular window)
    double sigmaGuess = 2.0;    ///< starting Gaussian width in pixels
    /// The columns' width when known from elsewhere (low dose, DetectionParams::columnWidth): the
    /// joint fit's typical width instead of the median of the single fits. 0 = from the fits.
    double columnWidth = 0.0;
    double maxShift = 2.0;      ///< a fit moving farther than this from the centre of mass is rejected
    int comIterations = 3;      ///< re-centred centre-of-mass passes
    bool gaussianFit = true;    ///< false: stop after the centre of mass
    /// Fit overlapping columns together (joint_fit.h): close pairs as one group, farther
    /// neighbours subtracted, a few sweeps. Needs gaussianFit.
    bool jointFit = true;
    int jointSweeps = 3;        ///< block coordinate descent sweeps (after the first, only columns with neighbours)
    /// With jointFit: split a lone column that two Gaussians fit significantly better (an
    /// unresolved dumbbell) when the pair recurs across the image (splitUnresolvedPairs,
    /// joint_fit.h) and, averaged, the split columns are pairs rather than an elliptical probe
    /// (pair_or_ellipse.h). Detection runs the test on the image with the scan jitter taken out,
    /// and turns it on by itself when its first result holds such pairs (DetectionParams::splitPairs).
    bool splitPairs = false;
    /// The image's noise (variance against mean): fit weights and positionSigma. Unknown when
    /// gain and readVariance are both 0; then the variance is estimated from each fit's residual.
    NoiseModel noise;

    bool noiseKnown() const { return noise.gain > 0.0 || noise.readVariance > 0.0; }
};

/**
 * Refines `columns` in place against `image` (the raw, unsmoothed pixels), in parallel. Each column
 * first moves to the centroid of its background-subtracted window; then a Levenberg-Marquardt fit
 * of A exp(-r^2 / 2 s^2) + B gives position, amplitude, width, background and residual. A fit that
 * diverges (moves more than maxShift, non-positive amplitude, absurd width) falls back to the
 * centre of mass. Columns too close to the border for a window keep what they have.
 * With jointFit, refineJointly (joint_fit.h) then refits overlapping columns together.
 * Every fitted column gets its positionSigma (Fisher information under params.noise).
 */
void refineColumns(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress);

} // namespace motifscope
