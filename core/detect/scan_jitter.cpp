#include "detect/scan_jitter.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace motifscope {

namespace {

/** One row segment of one column: its intensity mass and centroid offset from the fitted x. */
struct RowSample
{
    int row;
    float weight;
    float offset;
};

template<typename Select>
std::vector<double> solveRowShifts(const std::vector<RowSample>& samples, int span, int height, Select selected)
{
    // Fixed point: j(y) = sum_c w_c(y) [offset_c(y) + m_c(j)] / sum_c w_c(y).
    const std::size_t n = samples.size() / std::size_t(span);
    const std::size_t rows = std::size_t(height);
    std::vector<double> shift(rows, 0.0), next(rows, 0.0), rowWeight(rows, 0.0);
    std::vector<double> columnMean(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        if (selected(i))
            for (int k = 0; k < span; ++k)
                rowWeight[std::size_t(samples[i * span + std::size_t(k)].row)] += samples[i * span + std::size_t(k)].weight;
    // Few iterations on purpose: slowly varying shifts are weakly observable (each column's own
    // mean absorbs them), so more iterations mostly amplify noise there.
    for (int iteration = 0; iteration < 4; ++iteration) {
        for (std::size_t i = 0; i < n; ++i) {
            double sw = 0.0, sj = 0.0;
            for (int k = 0; k < span; ++k) {
                const RowSample& s = samples[i * span + std::size_t(k)];
                sw += s.weight;
                sj += s.weight * shift[std::size_t(s.row)];
            }
            columnMean[i] = sw > 0.0 ? sj / sw : 0.0;
        }
        std::fill(next.begin(), next.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            if (!selected(i))
                continue;
            for (int k = 0; k < span; ++k) {
                const RowSample& s = samples[i * span + std::size_t(k)];
                next[std::size_t(s.row)] += s.weight * (s.offset + columnMean[i]);
            }
        }
        double mean = 0.0, measured = 0.0;
        for (std::size_t y = 0; y < next.size(); ++y)
            if (rowWeight[y] > 0.0) {
                next[y] /= rowWeight[y];
                mean += next[y];
                measured += 1.0;
            }
        mean = measured > 0 ? mean / measured : 0.0;
        for (std::size_t y = 0; y < next.size(); ++y)
            shift[y] = rowWeight[y] > 0.0 ? next[y] - mean : 0.0; // a constant shift is not observable
    }
    return shift;
}

} // namespace

ScanJitter estimateScanJitter(const FloatImage& image, const AtomColumns& columns, double radius)
{
    ScanJitter result;
    result.rowShift.assign(std::size_t(image.height), 0.0);
    const int r = std::max(1, int(std::ceil(radius)));
    const int span = 2 * r + 1;
    const std::size_t n = columns.size();
    // Row samples per column, in a flat array: span entries per column (weight 0 = unused).
    std::vector<RowSample> samples(n * std::size_t(span), RowSample{0, 0.0f, 0.0f});
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            const AtomColumn& c = columns[i];
            if (c.refinement != Refinement::GaussianFit)
                continue;
            const int cx = int(std::lround(c.x)), cy = int(std::lround(c.y));
            if (cx - r - 1 < 0 || cx + r + 1 >= image.width || cy - r < 0 || cy + r >= image.height)
                continue;
            for (int k = 0; k < span; ++k) {
                const int y = cy - r + k;
                const double dy = y - c.y;
                const double halfWidth = std::sqrt(std::max(0.0, radius * radius - dy * dy));
                if (halfWidth < 1.0)
                    continue;
                double mass = 0.0, moment = 0.0;
                for (int x = int(std::ceil(c.x - halfWidth)); x <= int(std::floor(c.x + halfWidth)); ++x) {
                    const double v = std::max(0.0, double(image.at(x, y)) - c.background);
                    mass += v;
                    moment += v * (x - c.x);
                }
                if (mass > 0.0)
                    samples[i * span + std::size_t(k)] = {y, float(mass), float(moment / mass)};
            }
        }
    });

    result.rowShift = solveRowShifts(samples, span, image.height, [](std::size_t) { return true; });
    // Split-half reliability: jitter estimated from the left and right halves of the image must
    // agree, otherwise what was found is noise and nothing is corrected.
    const auto left = solveRowShifts(samples, span, image.height,
                                     [&](std::size_t i) { return columns[i].x < 0.5 * image.width; });
    const auto right = solveRowShifts(samples, span, image.height,
                                      [&](std::size_t i) { return columns[i].x >= 0.5 * image.width; });
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (int y = 0; y < image.height; ++y) {
        sab += left[std::size_t(y)] * right[std::size_t(y)];
        saa += left[std::size_t(y)] * left[std::size_t(y)];
        sbb += right[std::size_t(y)] * right[std::size_t(y)];
    }
    result.reliability = saa > 0.0 && sbb > 0.0 ? sab / std::sqrt(saa * sbb) : 0.0;
    double sq = 0.0;
    for (double v : result.rowShift)
        if (v != 0.0)
            sq += v * v, ++result.rowsMeasured;
    result.rms = result.rowsMeasured ? std::sqrt(sq / result.rowsMeasured) : 0.0;
    return result;
}

void removeScanJitter(AtomColumns& columns, const ScanJitter& jitter, double radius)
{
    const int r = std::max(1, int(std::ceil(radius)));
    const int height = int(jitter.rowShift.size());
    for (AtomColumn& c : columns) {
        if (c.refinement != Refinement::GaussianFit || c.width <= 0.0f)
            continue;
        // The fitted x is the Gaussian-weighted mean of the shifted rows.
        double sw = 0.0, sj = 0.0;
        for (int y = int(std::lround(c.y)) - r; y <= int(std::lround(c.y)) + r; ++y) {
            if (y < 0 || y >= height)
                continue;
            const double w = std::exp(-0.5 * (y - c.y) * (y - c.y) / (double(c.width) * c.width));
            sw += w;
            sj += w * jitter.rowShift[std::size_t(y)];
        }
        if (sw > 0.0)
            c.x -= sj / sw;
    }
}

} // namespace motifscope
