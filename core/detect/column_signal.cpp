#include "core/detect/column_signal.h"

#include "core/detect/background.h"
#include "core/detect/image_filters.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

namespace motifscope {

ColumnSignal columnSignal(const FloatImage& raw, double smoothing, double period)
{
    return columnSignal(raw, smoothing, columnBackground(raw, period));
}

ColumnSignal columnSignal(const FloatImage& raw, double smoothing, FloatImage background)
{
    if (background.width != raw.width || background.height != raw.height)
        throw std::invalid_argument("column signal: the background differs in size from the image");
    ColumnSignal signal;
    signal.smoothing = smoothing;
    signal.height = gaussianBlur(raw, smoothing);
    signal.background = std::move(background);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, signal.height.data.size(), std::size_t(1) << 16),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t i = range.begin(); i != range.end(); ++i)
                              signal.height.data[i] -= signal.background.data[i];
                      });
    return signal;
}

double peakSignificance(double height, double level, const NoiseModel& noise, double smoothing)
{
    const double variance = noise.variance(level);
    if (!(variance > 0.0))
        return height > 0.0 ? std::numeric_limits<double>::infinity() : 0.0;
    const double footprint = smoothing > 0.3 ? 4.0 * M_PI * smoothing * smoothing : 1.0; // 1 / sum of squared weights
    if (!(noise.gain > 0.0))
        return height / std::sqrt(variance / footprint);
    // Smoothed value = gain * N / footprint with N ~ Poisson(lambda), matching the variance.
    const double lambda = variance * footprint / (noise.gain * noise.gain);
    const double n = lambda + height * footprint / noise.gain;
    if (!(n > lambda))
        return n < lambda ? -std::sqrt(2.0 * (lambda - n)) : 0.0;
    return std::sqrt(2.0 * (n * std::log(n / lambda) - (n - lambda)));
}

double automaticSignificance(std::size_t pixels, double smoothing)
{
    const double footprint = 4.0 * M_PI * std::max(0.5, smoothing * smoothing);
    const double tests = std::max(1.0, double(pixels) / footprint);
    const double tail = 0.1 / tests; // wanted P(Z > z)
    // Solve 0.5 erfc(z / sqrt 2) = tail by bisection (monotone; z in [0, 40]).
    double lo = 0.0, hi = 40.0;
    for (int it = 0; it < 60; ++it) {
        const double mid = 0.5 * (lo + hi);
        (0.5 * std::erfc(mid / std::sqrt(2.0)) > tail ? lo : hi) = mid;
    }
    return std::max(4.0, 0.5 * (lo + hi));
}

AtomColumns candidatesToColumns(const std::vector<PeakCandidate>& peaks, const ColumnSignal& signal)
{
    AtomColumns columns;
    columns.reserve(peaks.size());
    for (const PeakCandidate& p : peaks) {
        AtomColumn c;
        c.x = p.x;
        c.y = p.y;
        c.intensity = p.height;
        c.background = signal.background.at(p.x, p.y);
        columns.push_back(c);
    }
    // Row-major order: stable, readable output independent of heights.
    std::sort(columns.begin(), columns.end(), [](const AtomColumn& a, const AtomColumn& b) {
        return a.y != b.y ? a.y < b.y : a.x < b.x;
    });
    return columns;
}

} // namespace motifscope
