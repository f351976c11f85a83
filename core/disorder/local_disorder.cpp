#include "core/disorder/local_disorder.h"

#include "core/detect/cell_grid.h"
#include "core/detect/column_detector.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace motifscope::disorder {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kWindowSpacings = 2.5;

AtomColumns asColumns(const std::vector<Point2>& points)
{
    AtomColumns columns(points.size());
    for (std::size_t i = 0; i < points.size(); ++i)
        columns[i].x = points[i].x, columns[i].y = points[i].y;
    return columns;
}

/** The median nearest-neighbour spacing, 0 when there is none. */
double spacingOf(const AtomColumns& columns)
{
    const double spacing = columns.size() >= 2 ? medianNearestNeighbourDistance(columns) : 0.0;
    return std::isfinite(spacing) && spacing > 0.0 ? spacing : 0.0;
}

} // namespace

double localEntropyRadius(const std::vector<Point2>& points)
{
    return kWindowSpacings * spacingOf(asColumns(points));
}

std::vector<double> localMotifEntropy(const std::vector<Point2>& points, const std::vector<int>& labels, double radius)
{
    const std::size_t n = points.size();
    std::vector<double> entropy(n, kNaN);
    if (n == 0 || labels.size() != n || !(radius > 0.0) || !std::isfinite(radius))
        return entropy;
    const int classes = *std::max_element(labels.begin(), labels.end()) + 1;
    if (classes <= 0)
        return entropy;
    const AtomColumns columns = asColumns(points);
    double width = 1.0, height = 1.0;
    for (const Point2& p : points)
        if (std::isfinite(p.x) && std::isfinite(p.y))
            width = std::max(width, p.x + 1.0), height = std::max(height, p.y + 1.0);
    const CellGrid grid(columns, int(std::ceil(width)), int(std::ceil(height)), radius);
    const double r2 = radius * radius;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 512), [&](const tbb::blocked_range<std::size_t>& range) {
        std::vector<int> counts(std::size_t(classes), 0); // one per block, not per column
        std::vector<int> seen;
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            const Point2& p = points[i];
            int total = 0;
            grid.near(p.x, p.y, radius, [&](int j) {
                const int label = labels[std::size_t(j)];
                const double dx = points[std::size_t(j)].x - p.x, dy = points[std::size_t(j)].y - p.y;
                if (label < 0 || dx * dx + dy * dy > r2)
                    return;
                if (counts[std::size_t(label)]++ == 0)
                    seen.push_back(label);
                ++total;
            });
            if (total >= 3) {
                double h = 0.0;
                for (int label : seen) {
                    const double f = double(counts[std::size_t(label)]) / total;
                    h -= f * std::log2(f);
                }
                entropy[i] = std::max(h, 0.0);
            }
            for (int label : seen)
                counts[std::size_t(label)] = 0;
            seen.clear();
        }
    });
    return entropy;
}

std::vector<double> bondOrderPerPoint(const std::vector<Point2>& points, const std::vector<std::pair<int, int>>& bonds,
                                      int m)
{
    const std::size_t n = points.size();
    std::vector<double> re(n, 0.0), im(n, 0.0);
    std::vector<int> degree(n, 0);
    for (const auto& [a, b] : bonds) {
        if (a < 0 || b < 0 || std::size_t(a) >= n || std::size_t(b) >= n)
            continue;
        const double theta = std::atan2(points[std::size_t(b)].y - points[std::size_t(a)].y,
                                        points[std::size_t(b)].x - points[std::size_t(a)].x);
        // The bond seen from b points the other way: theta + pi, the same for even m.
        const double c = std::cos(m * theta), s = std::sin(m * theta), sign = m % 2 == 0 ? 1.0 : -1.0;
        re[std::size_t(a)] += c;
        im[std::size_t(a)] += s;
        re[std::size_t(b)] += sign * c;
        im[std::size_t(b)] += sign * s;
        ++degree[std::size_t(a)];
        ++degree[std::size_t(b)];
    }
    std::vector<double> order(n, kNaN);
    for (std::size_t i = 0; i < n; ++i)
        if (degree[i] >= 2)
            order[i] = std::hypot(re[i], im[i]) / degree[i];
    return order;
}

LocalDisorder measureLocalDisorder(const ColumnTable& columns, const HierarchyResult* hierarchy)
{
    LocalDisorder local;
    std::vector<Point2> points(columns.size());
    std::vector<int> labels(columns.size(), -1);
    bool labelled = false;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        points[i] = {columns.columns[i].x, columns.columns[i].y};
        labels[i] = columns.classOf(i);
        labelled = labelled || labels[i] >= 0;
    }
    local.spacing = spacingOf(columns.columns);
    local.radius = kWindowSpacings * local.spacing;
    if (labelled)
        local.motifEntropy = localMotifEntropy(points, labels, local.radius);
    if (hierarchy && !hierarchy->bonds.empty()) {
        local.psi6 = bondOrderPerPoint(points, hierarchy->bonds, 6);
        local.psi4 = bondOrderPerPoint(points, hierarchy->bonds, 4);
    }
    return local;
}

} // namespace motifscope::disorder
