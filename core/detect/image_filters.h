#pragma once
/** Image filters used by column detection, on plain float images (no OpenCV types in the interface). */

#include "core/image/float_image.h"

namespace motifscope {

/** Gaussian blur with standard deviation `sigma` pixels, borders reflected. */
FloatImage gaussianBlur(const FloatImage& image, double sigma);

/** A wide Gaussian blur (slowly varying background), computed on a shrunken copy for speed. */
FloatImage smoothBackground(const FloatImage& image, double sigma);

/**
 * Standard deviation of additive noise in an image, robust to smooth structure: the median absolute
 * response of a discrete Laplacian-of-differences kernel (Immerkaer 1996) scaled for Gaussian noise.
 */
double estimateNoiseSigma(const FloatImage& image);

} // namespace motifscope
