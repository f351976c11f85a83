#pragma once
/** One detected atom column and what its refinement measured. */

#include <cstdint>
#include <vector>

namespace motifscope {

/** How a column's position was obtained. */
enum class Refinement : std::uint8_t
{
    None = 0,          ///< integer peak pixel (refinement off, or added by hand)
    CentreOfMass = 1,  ///< intensity-weighted centroid (also the fallback when a fit fails)
    GaussianFit = 2,   ///< 2-D Gaussian least-squares fit converged
};

struct AtomColumn
{
    double x = 0.0;          ///< pixels, origin at the top-left pixel's centre
    double y = 0.0;
    float intensity = 0.0f;  ///< peak height above the local background (fit amplitude when fitted)
    float width = 0.0f;      ///< Gaussian standard deviation in pixels (0 when not fitted)
    float background = 0.0f; ///< local background level under the column
    float residual = 0.0f;   ///< RMS fit residual relative to the amplitude (0 when not fitted)
    Refinement refinement = Refinement::None;
    /// Standard error of the position in pixels (per axis, the larger of x and y), from the fit's
    /// Fisher information under the image's noise model; 0 when not fitted.
    float positionSigma = 0.0f;
};

using AtomColumns = std::vector<AtomColumn>;

} // namespace motifscope
