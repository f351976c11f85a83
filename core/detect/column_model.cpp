#include "core/detect/column_model.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace motifscope {

namespace {

constexpr double kReachWidths = 4.0; ///< a Gaussian is negligible beyond this many std
constexpr int kBandRows = 64;        ///< image rows per parallel task

/** One column as drawn: centre, amplitude, std. */
struct Spot
{
    double x, y, amplitude, width;
};

} // namespace

void subtractColumns(FloatImage& image, const AtomColumns& columns, double fallbackWidth, double blur)
{
    if (image.width <= 0 || image.height <= 0)
        return;
    // Spots sorted by row band of their top edge; a band's task draws every spot reaching it.
    std::vector<Spot> spots;
    spots.reserve(columns.size());
    double maxReach = 0.0;
    for (const AtomColumn& c : columns) {
        const double own = c.refinement == Refinement::GaussianFit && c.width > 0.0f ? c.width : fallbackWidth;
        if (!(own > 0.0) || !std::isfinite(c.x) || !std::isfinite(c.y) || !std::isfinite(c.intensity))
            continue;
        const double s2 = own * own + std::max(0.0, blur) * std::max(0.0, blur);
        spots.push_back({c.x, c.y, c.intensity * own * own / s2, std::sqrt(s2)});
        maxReach = std::max(maxReach, kReachWidths * spots.back().width);
    }
    std::sort(spots.begin(), spots.end(), [](const Spot& a, const Spot& b) { return a.y < b.y; });
    const int bands = (image.height + kBandRows - 1) / kBandRows;
    tbb::parallel_for(tbb::blocked_range<int>(0, bands), [&](const tbb::blocked_range<int>& range) {
        std::vector<double> ex; // per task, reused for every spot
        for (int band = range.begin(); band != range.end(); ++band) {
            const int rowBegin = band * kBandRows, rowEnd = std::min(image.height, rowBegin + kBandRows);
            auto first = std::lower_bound(spots.begin(), spots.end(), rowBegin - maxReach - 1.0,
                                          [](const Spot& s, double y) { return s.y < y; });
            for (auto it = first; it != spots.end() && it->y <= rowEnd + maxReach + 1.0; ++it) {
                const Spot& s = *it;
                const int reach = int(std::ceil(kReachWidths * s.width));
                const int x0 = std::max(0, int(std::floor(s.x)) - reach), x1 = std::min(image.width - 1, int(std::ceil(s.x)) + reach);
                const int y0 = std::max(rowBegin, int(std::floor(s.y)) - reach), y1 = std::min(rowEnd - 1, int(std::ceil(s.y)) + reach);
                if (x0 > x1 || y0 > y1)
                    continue;
                const double inv2s2 = 1.0 / (2.0 * s.width * s.width);
                ex.resize(std::size_t(x1 - x0 + 1));
                for (int x = x0; x <= x1; ++x)
                    ex[std::size_t(x - x0)] = s.amplitude * std::exp(-(x - s.x) * (x - s.x) * inv2s2);
                for (int y = y0; y <= y1; ++y) {
                    const double fy = std::exp(-(y - s.y) * (y - s.y) * inv2s2);
                    float* row = &image.data[std::size_t(y) * image.width];
                    for (int x = x0; x <= x1; ++x)
                        row[x] -= float(ex[std::size_t(x - x0)] * fy);
                }
            }
        }
    });
}

} // namespace motifscope
