#include "core/learn/defect_context.h"

#include "core/detect/cell_grid.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace motifscope {

namespace {

constexpr double kDefectNeighbourReach = 1.3; ///< nearest-neighbour spacings: the first shell...
constexpr double kDefectNeighbourInner = 0.75; ///< ...from here (a weak peak between two columns is no neighbour)
constexpr double kDefectContextSigmas = 6.0;  ///< robust standard deviations below the motif's median
constexpr double kDefectContextMinDrop = 0.2; ///< and at least this share below it
constexpr int kDefectContextMinColumns = 5;

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    const auto mid = v.begin() + std::ptrdiff_t(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

} // namespace

int splitBesideDimColumns(const AtomColumns& columns, double spacing, int width, int height, std::vector<int>& motif)
{
    const std::size_t n = columns.size();
    if (n < 3 || motif.size() != n || !(spacing > 0.0))
        return 0;
    // The dimmest first-shell lattice neighbour of every column.
    const double reach = kDefectNeighbourReach * spacing;
    const CellGrid grid(columns, width, height, reach);
    std::vector<double> dimmest(n, -1.0);
    tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) { // each column on its own: any thread count
        double low = -1.0;
        grid.near(columns[i].x, columns[i].y, reach, [&](int j) {
            const AtomColumn& c = columns[std::size_t(j)];
            const double d = std::hypot(c.x - columns[i].x, c.y - columns[i].y);
            if (std::size_t(j) == i || d > reach || d < kDefectNeighbourInner * spacing)
                return;
            const double margin = 2.0 * std::max(1.0, double(c.width));
            if (c.x < margin || c.y < margin || c.x > width - 1 - margin || c.y > height - 1 - margin)
                return;
            const double v = c.intensity;
            if (std::isfinite(v) && v > 0.0 && (low < 0.0 || v < low))
                low = v;
        });
        dimmest[i] = low;
    });
    int classes = 0;
    for (int m : motif)
        classes = std::max(classes, m + 1);
    int added = 0;
    for (int m = 0; m < classes; ++m) {
        std::vector<double> values;
        for (std::size_t i = 0; i < n; ++i)
            if (motif[i] == m && dimmest[i] > 0.0)
                values.push_back(dimmest[i]);
        if (values.size() < std::size_t(4 * kDefectContextMinColumns))
            continue;
        const double mid = median(values);
        std::vector<double> deviations;
        for (double v : values)
            deviations.push_back(std::abs(v - mid));
        const double sigma = 1.4826 * median(deviations);
        const double threshold = std::min(mid - kDefectContextSigmas * sigma, (1.0 - kDefectContextMinDrop) * mid);
        std::vector<std::size_t> beside;
        for (std::size_t i = 0; i < n; ++i)
            if (motif[i] == m && dimmest[i] > 0.0 && dimmest[i] < threshold)
                beside.push_back(i);
        if (beside.size() < std::size_t(kDefectContextMinColumns))
            continue;
        const int id = classes + added++;
        for (std::size_t i : beside)
            motif[i] = id;
    }
    return added;
}

} // namespace motifscope
