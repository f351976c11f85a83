#pragma once
/** Bootstrap resampling with a fixed seed: the same input gives the same intervals on any thread count. */

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace motifscope::disorder {

/** A 95% interval [lo, hi]; both NaN when the measure is not defined. */
struct Interval
{
    double lo = 0.0;
    double hi = 0.0;
};

/** How the intervals are drawn: `resamples` resamples of the items with replacement. */
struct BootstrapPlan
{
    int resamples = 200;
    std::uint64_t seed = 18;
};

/** The 2.5% and 97.5% quantiles (linear interpolation) of the finite values; NaN when there are none. */
Interval percentileInterval(std::vector<double> values);

/**
 * Resamples `category` (one entry per item, each in 0..categories-1) with replacement, plan.resamples
 * times; returns per resample the count of each category. `stream` separates the random sequences of
 * different measures so that adding one measure does not move another's interval. With few items
 * per category the items are drawn one by one, otherwise the counts as a chain of binomials (the
 * same multinomial distribution either way).
 */
std::vector<std::vector<double>> resampledCounts(const std::vector<int>& category, int categories,
                                                 const BootstrapPlan& plan, std::uint64_t stream);

/**
 * Resamples the rows of `values` (items x width, row-major) with replacement; returns per resample
 * the column sums over the drawn rows. Beyond 2,000 items, 2,000 blocks of consecutive rows are
 * resampled instead (a block bootstrap: wider, never narrower, when neighbours are correlated).
 */
std::vector<std::vector<double>> resampledSums(const std::vector<double>& values, int width,
                                               const BootstrapPlan& plan, std::uint64_t stream);

/** The interval of `statistic` evaluated on every resample. */
Interval intervalOf(const std::vector<std::vector<double>>& resamples,
                    const std::function<double(const std::vector<double>&)>& statistic);

} // namespace motifscope::disorder
