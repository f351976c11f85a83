#pragma once
/**
 * OpenCV's separable Gaussian blur of float images runs on one thread. This splits the rows into
 * strips blurred in parallel (TBB): a strip is a view into the whole image, so OpenCV reads the
 * real pixels beyond its edges and the result equals the whole-image blur pixel for pixel.
 * For detection's internals only (OpenCV types in the interface).
 */

#include <opencv2/core.hpp>

namespace motifscope {

/**
 * dst = src blurred by a Gaussian of standard deviation `sigma` over a (2 radius + 1)^2 kernel,
 * borders reflected. dst may be src (then a copy of src is read).
 */
void parallelGaussianBlur(const cv::Mat& src, cv::Mat& dst, double sigma, int radius);

} // namespace motifscope
