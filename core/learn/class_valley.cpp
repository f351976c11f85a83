#include "core/learn/class_valley.h"

#include <algorithm>
#include <cmath>

namespace motifscope {

namespace {

constexpr double kBinsPerBandwidth = 4.0; ///< histogram bins per kernel bandwidth
constexpr int kMostBins = 8192;           ///< wider bins beyond this (very long tails)

} // namespace

OddsValley oddsValley(std::vector<float> odds, int minSide)
{
    const std::size_t n = odds.size();
    const auto positives = std::count_if(odds.begin(), odds.end(), [](float v) { return v > 0.0f; });
    if (positives < minSide || std::ptrdiff_t(n) - positives < minSide)
        return {};
    std::sort(odds.begin(), odds.end());
    double mean = 0.0, squares = 0.0;
    for (float v : odds)
        mean += v;
    mean /= double(n);
    for (float v : odds)
        squares += (v - mean) * (v - mean);
    const double sd = std::sqrt(squares / double(n - 1));
    const double iqr = odds[3 * n / 4] - odds[n / 4];
    const double spread = iqr > 0.0 ? std::min(sd, iqr / 1.349) : sd;
    const double bandwidth = 0.9 * spread * std::pow(double(n), -0.2);
    if (!(bandwidth > 0.0))
        return {};
    // Histogram from the lowest to the highest value (0 falls on a bin edge), then the kernel.
    const double lo = std::min<double>(odds.front(), 0.0), hi = std::max<double>(odds.back(), 0.0);
    double width = bandwidth / kBinsPerBandwidth;
    if ((hi - lo) / width > kMostBins)
        width = (hi - lo) / kMostBins;
    const int below = int(std::ceil(-lo / width)), above = int(std::ceil(hi / width));
    if (below == 0 || above == 0) // every value on one side of 0 (only with minSide 0)
        return {};
    const int bins = below + above;
    std::vector<double> count(std::size_t(bins) + 1, 0.0);
    for (float v : odds)
        count[std::size_t(std::clamp(int(std::floor(v / width)) + below, 0, bins - 1))] += 1.0;
    const int reach = int(std::ceil(3.0 * bandwidth / width));
    std::vector<double> kernel(std::size_t(reach) + 1);
    for (int d = 0; d <= reach; ++d)
        kernel[std::size_t(d)] = std::exp(-0.5 * std::pow(d * width / bandwidth, 2));
    std::vector<double> density(std::size_t(bins), 0.0);
    for (int b = 0; b < bins; ++b) {
        if (count[std::size_t(b)] == 0.0)
            continue;
        for (int d = -reach; d <= reach; ++d)
            if (b + d >= 0 && b + d < bins)
                density[std::size_t(b + d)] += count[std::size_t(b)] * kernel[std::size_t(std::abs(d))];
    }
    // Bins [0, below) hold the negative side, [below, bins) the positive side.
    const auto peakB = std::max_element(density.begin(), density.begin() + below);
    const auto peakA = std::max_element(density.begin() + below, density.end());
    const double valley = *std::min_element(peakB, peakA + 1);
    const double lower = std::min(*peakA, *peakB);
    if (!(lower > 0.0))
        return {};
    // A kernel-weighted count c has variance sum k^2 ~ c x (mean weight, about 0.7) under Poisson
    // sampling; the ratio's relative variance is the sum of the two counts' relative variances.
    constexpr double kMeanWeight = 0.7;
    const double ratio = valley / lower;
    const double relative = std::sqrt(kMeanWeight / std::max(valley, 1e-12) + kMeanWeight / lower);
    return {ratio, std::min(1.0, ratio * relative)};
}

} // namespace motifscope
