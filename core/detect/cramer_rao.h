#pragma once
/**
 * The Cramer-Rao bound (CRB) of an atom column's position: the smallest standard deviation any
 * unbiased estimator of the position can reach on a given image, whatever its method.
 *
 * The image model is the one the joint fit uses (joint_fit.h): the target column and its
 * partners (close neighbours estimated together with it) as Gaussians of one width on a flat
 * background, sampled at pixel centres; other neighbours add their expected counts (they raise
 * the noise) but are taken as known. Each pixel's noise follows the image's noise model,
 * variance = gain * (mean - offset) + readVariance. The Fisher matrix sums over every pixel within
 * kBoundReachWidths widths of the target that lies on the image; its inverse's diagonal gives the
 * bound, with the amplitudes, the width, the background and the partners as nuisance parameters.
 */

#include "core/detect/joint_fit.h"
#include "core/detect/noise_model.h"

#include <span>

namespace motifscope {

constexpr double kBoundReachWidths = 5.0; ///< pixels farther than this hold no position information

/** One column of the image model: position (px) and amplitude above the background (image units). */
struct ModelColumn
{
    double x = 0.0;
    double y = 0.0;
    double amplitude = 0.0;
};

/**
 * CRB of `target`'s x and y on a `imageWidth` x `imageHeight` pixel grid. `partners` (the first
 * kMaxGroup - 1 of them; any more count as `others`) are estimated jointly with the target;
 * `others` only add their expected counts.
 * All columns have Gaussian std `width`; `background` is the flat level. Returns {0, 0} when the
 * Fisher matrix is singular (e.g. a column with no signal).
 */
PositionError cramerRaoBound(const ModelColumn& target, std::span<const ModelColumn> partners,
                             std::span<const ModelColumn> others, double width, double background,
                             const NoiseModel& noise, int imageWidth, int imageHeight);

} // namespace motifscope
