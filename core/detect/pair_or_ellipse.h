#pragma once
/**
 * Dumbbells or an elliptical probe? Both make every column of a crystal look elongated along one
 * direction, and column by column the split test (joint_fit.h) cannot tell them apart: a pair of
 * round Gaussians closer than 2 widths and one elliptical Gaussian differ only in the fourth moment
 * along the axis (a pair's profile is flatter). Averaged over all the columns the test split,
 * rotated onto their pair axis with the neighbours subtracted, the difference is plain: both models
 * are fitted to the average and the pairs stand only when two round Gaussians fit it clearly
 * better than one elliptical Gaussian.
 */

#include "core/detect/atom_column.h"
#include "core/image/float_image.h"

#include <vector>

namespace motifscope {

/** One column the split test made two: its members as fitted, and the background under them. */
struct SplitCandidate
{
    double x1 = 0.0, y1 = 0.0, x2 = 0.0, y2 = 0.0;
    double background = 0.0;
};

struct PairOrEllipse
{
    bool pairs = true;          ///< two round Gaussians fit the average clearly better
    double pairCost = 0.0;      ///< residual sum of squares of the average, pair model
    double ellipseCost = 0.0;   ///< the same, one elliptical Gaussian
    double improvement = 0.0;   ///< (ellipseCost - pairCost) / the average's residual variance
    int averaged = 0;           ///< candidates averaged
};

/**
 * The verdict on `candidates` (at most a few thousand are averaged). `modelled` holds every column
 * as currently modelled, the candidates' members included; all but a candidate's own members are
 * subtracted as round Gaussians of their fitted widths (`typicalWidth` when not fitted).
 * Fewer than 10 candidates: pairs = true (too few to average; the crystal prior decides).
 */
PairOrEllipse pairsOrEllipse(const FloatImage& image, const AtomColumns& modelled,
                             const std::vector<SplitCandidate>& candidates, double typicalWidth);

} // namespace motifscope
