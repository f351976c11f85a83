#pragma once
/** Display contrast: intensity limits from percentiles of the finite pixels. */

#include <cstddef>
#include <utility>

namespace motifscope {

/**
 * The values at the `lowPercent` and `highPercent` percentiles (0..100) of the finite values in
 * data[0..count), from a subsample of at most about a million pixels. Returns (0, 1) when there is
 * no finite value; widens a zero-width range so callers can always divide by (high - low).
 */
std::pair<double, double> percentileLimits(const float* data, std::size_t count, double lowPercent, double highPercent);

/** The "nice" scale-bar length (1, 2 or 5 times a power of ten) not longer than `maxLength`. */
double niceScaleBarLength(double maxLength);

} // namespace motifscope
