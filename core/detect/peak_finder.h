#pragma once
/** Candidate atom columns: local maxima, non-maximum suppression and automatic thresholds. */

#include "core/image/float_image.h"

#include <vector>

namespace motifscope {

class Progress;

/** A local maximum of the filtered image, at an integer pixel. */
struct PeakCandidate
{
    int x = 0;
    int y = 0;
    float height = 0.0f; ///< value of the filtered image there
};

/**
 * Pixels strictly greater than their 8 neighbours (ties resolved towards the lower index) and above
 * `minHeight`, in row-major order. Rows are scanned in parallel; the result does not depend on the
 * number of threads.
 */
std::vector<PeakCandidate> findLocalMaxima(const FloatImage& signal, float minHeight, const Progress* progress);

/**
 * Greedy non-maximum suppression: candidates by decreasing height, each kept unless a kept one lies
 * closer than `minSeparation` pixels. O(N) with a spatial hash. Result sorted by height, descending.
 */
std::vector<PeakCandidate> suppressNonMaxima(std::vector<PeakCandidate> candidates, double minSeparation);

/** Otsu's threshold of a set of values (256 bins between min and max). */
float otsuThreshold(const std::vector<float>& values);

} // namespace motifscope
