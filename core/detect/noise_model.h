#pragma once
/**
 * The image's noise as a function of its local mean, estimated from the image itself:
 * variance = gain * (mean - offset) + readVariance (shot noise with a detector gain plus read noise).
 */

#include "core/image/float_image.h"

namespace motifscope {

struct NoiseModel
{
    double gain = 0.0;         ///< variance per unit of mean above offset (1 for raw Poisson counts)
    double offset = 0.0;       ///< mean level at which the shot noise vanishes (detector dark level)
    double readVariance = 0.0; ///< variance that does not depend on the signal
    double minimumVariance = 0.0; ///< floor: the smallest variance measured anywhere in the image

    /** Variance of one raw pixel whose expected value is `mean`. */
    double variance(double mean) const
    {
        const double v = gain * (mean - offset) + readVariance;
        return v > minimumVariance ? v : minimumVariance;
    }
};

/**
 * Estimates the noise model: each sampled pixel's high-pass residual (a kernel blind to planes and
 * quadratics) is binned by the pixel's local mean; the variance in each bin is a trimmed mean of
 * squares (robust to column edges), and a straight line variance(mean) is fitted over the bins by
 * weighted least squares. Works for integer counts at a fraction of a count per pixel.
 */
NoiseModel estimateNoiseModel(const FloatImage& raw);

/** Standard deviation of Gaussian-filtered (std `s` px) white noise of variance `variance`. */
double filteredNoiseSigma(double variance, double s);

} // namespace motifscope
