#include "core/detect/peak_finder.h"

#include "core/util/progress.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace motifscope {

std::vector<PeakCandidate> findLocalMaxima(const FloatImage& signal, float minHeight, const Progress* progress)
{
    const int w = signal.width;
    const int h = signal.height;
    if (w < 3 || h < 3)
        return {};
    // One bucket per band of rows, concatenated in order: deterministic for any thread count.
    const int band = 64;
    const int bands = (h - 2 + band - 1) / band;
    std::vector<std::vector<PeakCandidate>> perBand(bands);
    tbb::parallel_for(0, bands, [&](int b) {
        if (cancelled(progress))
            return;
        const int y0 = 1 + b * band;
        const int y1 = std::min(h - 1, y0 + band);
        auto& out = perBand[b];
        for (int y = y0; y < y1; ++y) {
            const float* up = &signal.data[std::size_t(y - 1) * w];
            const float* row = &signal.data[std::size_t(y) * w];
            const float* down = &signal.data[std::size_t(y + 1) * w];
            for (int x = 1; x + 1 < w; ++x) {
                const float v = row[x];
                if (v <= minHeight)
                    continue;
                // Strictly greater than the neighbours before it, at least equal to those after.
                if (v > up[x - 1] && v > up[x] && v > up[x + 1] && v > row[x - 1] && v >= row[x + 1]
                    && v >= down[x - 1] && v >= down[x] && v >= down[x + 1])
                    out.push_back({x, y, v});
            }
        }
    });
    throwIfCancelled(progress);
    // The outermost rows and columns: a column whose centre lies within a pixel of the edge peaks
    // there. Compared with the neighbours inside the image, with the same tie rule.
    auto isBorderMaximum = [&](int x, int y) {
        const float v = signal.at(x, y);
        if (v <= minHeight)
            return false;
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
                const int nx = x + dx, ny = y + dy;
                if ((dx == 0 && dy == 0) || nx < 0 || ny < 0 || nx >= w || ny >= h)
                    continue;
                const bool before = dy < 0 || (dy == 0 && dx < 0);
                const float n = signal.at(nx, ny);
                if (before ? !(v > n) : !(v >= n))
                    return false;
            }
        return true;
    };
    std::vector<PeakCandidate> all;
    for (int x = 0; x < w; ++x)
        if (isBorderMaximum(x, 0))
            all.push_back({x, 0, signal.at(x, 0)});
    for (int b = 0; b < bands; ++b) {
        const int y0 = 1 + b * band;
        const int y1 = std::min(h - 1, y0 + band);
        // Merge the band's interior maxima with its rows' two border pixels, in row-major order.
        std::size_t k = 0;
        const auto& inner = perBand[b];
        for (int y = y0; y < y1; ++y) {
            if (isBorderMaximum(0, y))
                all.push_back({0, y, signal.at(0, y)});
            while (k < inner.size() && inner[k].y == y)
                all.push_back(inner[k++]);
            if (isBorderMaximum(w - 1, y))
                all.push_back({w - 1, y, signal.at(w - 1, y)});
        }
    }
    for (int x = 0; x < w; ++x)
        if (isBorderMaximum(x, h - 1))
            all.push_back({x, h - 1, signal.at(x, h - 1)});
    return all;
}

std::vector<PeakCandidate> suppressNonMaxima(std::vector<PeakCandidate> candidates, double minSeparation)
{
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const PeakCandidate& a, const PeakCandidate& b) { return a.height > b.height; });
    if (minSeparation <= 0.0)
        return candidates;
    const double minSq = minSeparation * minSeparation;
    // Kept peaks in cells at least one separation wide over the candidates' bounding box (wider
    // when the peaks are few over a large extent: about two candidates per cell at most), a linked
    // list per cell (head per cell, next per kept peak): a look is 3 x 3 cells and no hashing.
    double x0 = 0.0, y0 = 0.0, x1 = 0.0, y1 = 0.0;
    if (!candidates.empty()) {
        x0 = x1 = candidates.front().x;
        y0 = y1 = candidates.front().y;
    }
    for (const PeakCandidate& c : candidates)
        x0 = std::min(x0, double(c.x)), x1 = std::max(x1, double(c.x)), y0 = std::min(y0, double(c.y)),
        y1 = std::max(y1, double(c.y));
    const double cell = std::max(minSeparation, std::sqrt((x1 - x0 + 1.0) * (y1 - y0 + 1.0) / (2.0 * double(candidates.size()) + 1.0)));
    const long long nx = (long long)std::floor((x1 - x0) / cell) + 1, ny = (long long)std::floor((y1 - y0) / cell) + 1;
    std::vector<int> head(std::size_t(nx * ny), -1), next;
    next.reserve(candidates.size() / 2);
    std::vector<PeakCandidate> kept;
    kept.reserve(candidates.size() / 2);
    for (const PeakCandidate& c : candidates) {
        const long long cx = (long long)std::floor((c.x - x0) / cell), cy = (long long)std::floor((c.y - y0) / cell);
        bool free = true;
        for (long long gy = std::max(0LL, cy - 1); gy <= std::min(ny - 1, cy + 1) && free; ++gy)
            for (long long gx = std::max(0LL, cx - 1); gx <= std::min(nx - 1, cx + 1) && free; ++gx)
                for (int k = head[std::size_t(gy * nx + gx)]; k >= 0; k = next[std::size_t(k)]) {
                    const double ex = kept[std::size_t(k)].x - c.x;
                    const double ey = kept[std::size_t(k)].y - c.y;
                    if (ex * ex + ey * ey < minSq) {
                        free = false;
                        break;
                    }
                }
        if (free) {
            const std::size_t cellIndex = std::size_t(cy * nx + cx);
            next.push_back(head[cellIndex]);
            head[cellIndex] = int(kept.size());
            kept.push_back(c);
        }
    }
    return kept;
}

float otsuThreshold(const std::vector<float>& values)
{
    if (values.empty())
        return 0.0f;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    const double minV = *lo, maxV = *hi;
    if (!(maxV > minV))
        return float(minV);
    constexpr int bins = 256;
    std::vector<double> hist(bins, 0.0);
    for (float v : values)
        hist[std::min(bins - 1, int((v - minV) / (maxV - minV) * bins))] += 1.0;
    double total = double(values.size()), sumAll = 0.0;
    for (int i = 0; i < bins; ++i)
        sumAll += i * hist[i];
    double weightLow = 0.0, sumLow = 0.0, bestVar = -1.0;
    int best = 0;
    for (int i = 0; i < bins; ++i) {
        weightLow += hist[i];
        sumLow += i * hist[i];
        const double weightHigh = total - weightLow;
        if (weightLow == 0.0 || weightHigh == 0.0)
            continue;
        const double meanLow = sumLow / weightLow;
        const double meanHigh = (sumAll - sumLow) / weightHigh;
        const double between = weightLow * weightHigh * (meanLow - meanHigh) * (meanLow - meanHigh);
        if (between > bestVar) {
            bestVar = between;
            best = i;
        }
    }
    return float(minV + (best + 1) * (maxV - minV) / bins);
}

} // namespace motifscope
