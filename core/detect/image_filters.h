#pragma once
/** Image filters used by column detection, on plain float images (no OpenCV types in the interface). */

#include "util/large_page_allocator.h"

#include <vector>

namespace motifscope {

/** A float image: width * height values, row-major. */
struct FloatImage
{
    int width = 0;
    int height = 0;
    std::vector<float, LargePageAllocator<float>> data;

    FloatImage() = default;
    FloatImage(int w, int h, float value = 0.0f) : width(w), height(h), data(std::size_t(w) * h, value) {}
    float at(int x, int y) const { return data[std::size_t(y) * width + x]; }
    float& at(int x, int y) { return data[std::size_t(y) * width + x]; }
};

/** Gaussian blur with standard deviation `sigma` pixels, borders reflected. */
FloatImage gaussianBlur(const FloatImage& image, double sigma);

/** A wide Gaussian blur (slowly varying background), computed on a shrunken copy for speed. */
FloatImage smoothBackground(const FloatImage& image, double sigma);

/** Copy with non-finite pixels (NaN, inf) replaced by the median of the finite ones. */
FloatImage withFiniteValues(const float* pixels, int width, int height);

/**
 * Standard deviation of additive noise in an image, robust to smooth structure: the median absolute
 * response of a discrete Laplacian-of-differences kernel (Immerkaer 1996) scaled for Gaussian noise.
 */
double estimateNoiseSigma(const FloatImage& image);

} // namespace motifscope
