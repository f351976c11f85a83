#include "core/detect/noise_model.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace motifscope {

namespace {

constexpr int kBins = 24;             ///< local-mean bins (quantiles of the sampled pixels)
constexpr double kClip = 3.0;            ///< outliers beyond this many standard deviations are dropped
/// E[r^2 | |r| < 3 sigma] / sigma^2 for normal r: 1 - 2 * 3 phi(3) / 0.9973.
constexpr double kClipCorrection = 0.9733;
/// The kernel [1 -2 1] x [1 -2 1] multiplies white-noise variance by 36.
constexpr double kKernelGain = 36.0;
/// Ranges of at least this many samples are partitioned into bins in parallel.
constexpr std::size_t kParallelSamples = 1 << 16;
/// Images of more pixels than this are sampled every step-th pixel of every step-th row.
constexpr double kSampledPixels = 400000.0;

struct Sample
{
    float ring;   ///< sum of the 16 pixels around the 3 x 3 support (sort key)
    float level;  ///< variance-weighted mean of the 3 x 3 pixels
    float square; ///< squared residual / 36: an unbiased estimate of the local variance
};

/** Samples, left uninitialised until written (each row by one task, no zero-filling pass before). */
struct Samples
{
    std::unique_ptr<Sample[]> data;
    std::size_t count = 0;
    Sample* begin() const { return data.get(); }
    Sample* end() const { return data.get() + count; }
};

/**
 * Reorders samples so that bin b (b in [firstBin, lastBin)) holds, at [b * perBin, (b + 1) * perBin)
 * (the last bin up to the end), the samples of those ring ranks: nth_element at the middle cut,
 * then each side. Bins [firstBin, lastBin) must start at firstBin * perBin.
 */
void partitionIntoBins(Samples& samples, int firstBin, int lastBin, std::size_t perBin)
{
    if (lastBin - firstBin < 2)
        return;
    const int middle = (firstBin + lastBin) / 2;
    Sample* const begin = samples.begin() + firstBin * perBin;
    Sample* const end = lastBin == kBins ? samples.end() : samples.begin() + lastBin * perBin;
    std::nth_element(begin, samples.begin() + middle * perBin, end,
                     [](const Sample& a, const Sample& b) { return a.ring < b.ring; });
    // The two sides are disjoint ranges: each is reordered as it would be alone.
    auto lower = [&] { partitionIntoBins(samples, firstBin, middle, perBin); };
    auto upper = [&] { partitionIntoBins(samples, middle, lastBin, perBin); };
    if (std::size_t(end - begin) >= kParallelSamples)
        tbb::parallel_invoke(lower, upper);
    else
        lower(), upper();
}

/** One sample per step x step pixels, row by row (the same positions and order for any thread count). */
Samples noiseSamples(const FloatImage& raw, int step)
{
    const int perRow = (raw.width - 5) / step + 1, rows = (raw.height - 5) / step + 1;
    Samples samples;
    samples.count = std::size_t(perRow) * std::size_t(rows);
    samples.data.reset(new Sample[samples.count]);
    tbb::parallel_for(0, rows, [&](int row) {
        const int y = 2 + row * step;
        Sample* out = samples.begin() + std::size_t(row) * std::size_t(perRow);
        for (int x = 2; x + 2 < raw.width; x += step) {
            const float c = raw.at(x, y);
            const float edges = raw.at(x, y - 1) + raw.at(x - 1, y) + raw.at(x + 1, y) + raw.at(x, y + 1);
            const float corners = raw.at(x - 1, y - 1) + raw.at(x + 1, y - 1) + raw.at(x - 1, y + 1) + raw.at(x + 1, y + 1);
            const double r = corners - 2.0 * edges + 4.0 * c;
            const double level = (corners + 4.0 * edges + 16.0 * c) / 36.0;
            float ring = 0.0f;
            for (int i = -2; i <= 2; ++i)
                ring += raw.at(x + i, y - 2) + raw.at(x + i, y + 2);
            for (int j = -1; j <= 1; ++j)
                ring += raw.at(x - 2, y + j) + raw.at(x + 2, y + j);
            *out++ = {ring, float(level), float(r * r / kKernelGain)};
        }
    });
    return samples;
}

/** A bin's mean level and its variance: mean square clipped at 3 standard deviations, three times. */
void binStatistics(const Sample* first, const Sample* last, double& mean, double& variance)
{
    const std::size_t count = std::size_t(last - first);
    double m = 0.0;
    for (const Sample* s = first; s != last; ++s)
        m += s->level;
    mean = m / double(count);
    // Column edges are rare, large outliers; the clipped normal keeps 97.3% of its variance.
    variance = 0.0;
    for (const Sample* s = first; s != last; ++s)
        variance += s->square;
    variance /= double(count);
    for (int it = 0; it < 3 && variance > 0.0; ++it) {
        double sum = 0.0;
        std::size_t kept = 0;
        for (const Sample* s = first; s != last; ++s)
            if (s->square <= kClip * kClip * variance) {
                sum += s->square;
                ++kept;
            }
        variance = kept ? sum / double(kept) / kClipCorrection : variance;
    }
}

} // namespace

double filteredNoiseSigma(double variance, double s)
{
    // sum of squared weights of a normalised 2-D Gaussian of std s: 1 / (4 pi s^2).
    const double sumSquares = s > 0.3 ? 1.0 / (4.0 * M_PI * s * s) : 1.0;
    return std::sqrt(std::max(0.0, variance) * sumSquares);
}

NoiseModel estimateNoiseModel(const FloatImage& raw)
{
    NoiseModel model;
    if (raw.width < 8 || raw.height < 8)
        return model;
    // Pixels are binned by the mean of the ring around the residual's 3 x 3 support (independent of
    // its noise, so the binning selects no noise), and each bin's level is the mean of the 3 x 3
    // pixels weighted as the residual weighs their variances (w^2 / 36): an unbiased level for it.
    const int step = std::max(1, int(std::sqrt(double(raw.width) * raw.height / kSampledPixels)));
    Samples samples = noiseSamples(raw, step);
    if (samples.count < std::size_t(kBins) * 20)
        return model;
    // Only the bins' membership matters (each bin's sums do not depend on order within it): split
    // into kBins quantile groups by recursive selection, O(n log kBins) instead of a full sort.
    const std::size_t perBin = samples.count / kBins;
    partitionIntoBins(samples, 0, kBins, perBin);

    // Per bin: mean level and trimmed variance (each bin's sums in the samples' order).
    std::vector<double> binMean(kBins), binVariance(kBins), binWeight(kBins);
    tbb::parallel_for(0, kBins, [&](int b) {
        const std::size_t lo = std::size_t(b) * perBin, hi = b + 1 == kBins ? samples.count : lo + perBin;
        binStatistics(samples.begin() + lo, samples.begin() + hi, binMean[std::size_t(b)], binVariance[std::size_t(b)]);
        binWeight[std::size_t(b)] = double(hi - lo);
    });

    // Weighted least squares of variance = a * mean + c; relative weights (variance grows with mean).
    // Bins where no count fell (variance 0 at a tiny mean) carry no weight of their own.
    const double largest = *std::max_element(binVariance.begin(), binVariance.end());
    if (!(largest > 0.0))
        return model;
    const double varianceFloor = 1e-3 * largest;
    double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int b = 0; b < kBins; ++b) {
        const double v = std::max(varianceFloor, binVariance[b]);
        const double w = binWeight[b] / (v * v);
        sw += w;
        sx += w * binMean[b];
        sy += w * binVariance[b];
        sxx += w * binMean[b] * binMean[b];
        sxy += w * binMean[b] * binVariance[b];
    }
    const double det = sw * sxx - sx * sx;
    double a = det > 0 ? (sw * sxy - sx * sy) / det : 0.0;
    double c = 0.0;
    if (!(a > 0.0) || !std::isfinite(a)) {
        a = 0.0;
        c = sy / sw; // signal-independent noise only
    } else {
        c = (sy - a * sx) / sw;
    }
    model.gain = a;
    // Write the line as gain * (mean - offset) + readVariance with readVariance >= 0.
    if (c >= 0.0) {
        model.offset = 0.0;
        model.readVariance = c;
    } else {
        model.offset = -c / a;
        model.readVariance = 0.0;
    }
    model.minimumVariance = *std::min_element(binVariance.begin(), binVariance.end());
    return model;
}

} // namespace motifscope
