#include "core/detect/crystal_rim.h"

#include "core/detect/cell_grid.h"
#include "core/detect/column_detector.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace motifscope {
namespace {

constexpr std::size_t kMinAccepted = 20;
constexpr double kRowReach = 1.45;      ///< neighbours (nearest-neighbour distances) whose rows are continued; square diagonals included
constexpr double kInsideCrystal = 0.5;  ///< a site this close to a column is taken
constexpr double kSiteTolerance = 0.25; ///< a peak this close to a predicted site lies on it
constexpr double kSiteWindow = 0.1;     ///< the signal at a site: its maximum within this radius
constexpr double kMinTurn = 25.0 * std::numbers::pi / 180.0; ///< two rows differ in direction by at least this
constexpr double kNullNear = 0.6;       ///< the support's null: points this far from any column ...
constexpr double kNullFar = 2.0;        ///< ... and at most this far
constexpr double kNullOffSite = 0.35;   ///< ... and not this close to a predicted site
constexpr std::size_t kMinNull = 200;

struct Prediction
{
    double x, y;
    double direction; ///< of the row, radians in [0, pi)
};

/** Whether a column lies within `radius` of (x, y). */
bool occupied(const CellGrid& grid, const AtomColumns& columns, double x, double y, double radius)
{
    bool taken = false;
    grid.near(x, y, radius, [&](int k) {
        taken = taken || std::hypot(columns[std::size_t(k)].x - x, columns[std::size_t(k)].y - y) < radius;
    });
    return taken;
}

/**
 * Sites on the rows of the columns, 2 p_i - p_j for neighbours i, j (the site beyond i), unless a
 * column is there; only rows through a column from `first` on (the rows earlier calls saw are out).
 */
std::vector<Prediction> predictSites(const AtomColumns& columns, const CellGrid& grid, double nn, std::size_t first)
{
    std::vector<char> through(columns.size(), first == 0); // i itself new, or a new neighbour
    for (std::size_t j = first; j < columns.size(); ++j)
        grid.near(columns[j].x, columns[j].y, kRowReach * nn, [&](int i) { through[std::size_t(i)] = 1; });
    std::vector<Prediction> out;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (!through[i])
            continue;
        const AtomColumn& c = columns[i];
        grid.near(c.x, c.y, kRowReach * nn, [&](int j) {
            if (std::size_t(j) == i || (i < first && std::size_t(j) < first))
                return;
            const double dx = c.x - columns[std::size_t(j)].x, dy = c.y - columns[std::size_t(j)].y;
            const double d = std::hypot(dx, dy);
            if (d > kRowReach * nn || d < 0.5 * nn)
                return;
            const double sx = c.x + dx, sy = c.y + dy;
            if (occupied(grid, columns, sx, sy, kInsideCrystal * nn))
                return;
            double direction = std::atan2(dy, dx);
            if (direction < 0.0)
                direction += std::numbers::pi;
            out.push_back({sx, sy, std::min(direction, std::numbers::pi - 1e-12)});
        });
    }
    return out;
}

AtomColumns sitePositions(const std::vector<Prediction>& sites)
{
    AtomColumns points(sites.size());
    for (std::size_t k = 0; k < sites.size(); ++k)
        points[k].x = float(sites[k].x), points[k].y = float(sites[k].y);
    return points;
}

float signalNear(const FloatImage& height, double x, double y, double radius)
{
    const int r = int(std::ceil(radius));
    const int cx = int(std::lround(x)), cy = int(std::lround(y));
    float best = -std::numeric_limits<float>::infinity();
    for (int v = std::max(0, cy - r); v <= std::min(height.height - 1, cy + r); ++v)
        for (int u = std::max(0, cx - r); u <= std::min(height.width - 1, cx + r); ++u)
            if ((u - x) * (u - x) + (v - y) * (v - y) <= radius * radius + 0.5)
                best = std::max(best, height.at(u, v));
    return best;
}

/**
 * The column signal the support makes near the crystal: its maximum within the site window at
 * points of a grid (one smoothing length apart) outside the mask, between kNullNear and kNullFar
 * nearest-neighbour distances from the columns and away from every predicted site; sorted.
 */
std::vector<float> supportNull(const ColumnSignal& signal, const ContrastMask& mask, const AtomColumns& columns,
                               const CellGrid& grid, const std::vector<Prediction>& sites, double nn, double siteWindow)
{
    const FloatImage& h = signal.height;
    const AtomColumns sitePoints = sitePositions(sites);
    const CellGrid siteGrid(sitePoints, h.width, h.height, nn);
    const int step = std::max(1, int(std::lround(signal.smoothing)));
    std::vector<float> values;
    for (int y = 0; y < h.height; y += step)
        for (int x = 0; x < h.width; x += step) {
            if (mask.contains(x, y))
                continue;
            double nearest = std::numeric_limits<double>::infinity();
            grid.near(x, y, kNullFar * nn, [&](int j) {
                nearest = std::min(nearest, std::hypot(columns[std::size_t(j)].x - x, columns[std::size_t(j)].y - y));
            });
            if (nearest < kNullNear * nn || nearest > kNullFar * nn)
                continue;
            if (!occupied(siteGrid, sitePoints, x, y, kNullOffSite * nn))
                values.push_back(signalNear(h, x, y, siteWindow));
        }
    std::sort(values.begin(), values.end());
    return values;
}

double quantileOf(const std::vector<float>& sorted, double q)
{
    return sorted[std::min(sorted.size() - 1, std::size_t(q * double(sorted.size())))];
}

} // namespace

AtomColumns crystalRimColumns(const ColumnSignal& signal, const std::vector<PeakCandidate>& peaks,
                              const ContrastMask& mask, const AtomColumns& accepted, const CrystalRimParams& params)
{
    AtomColumns rim;
    if (mask.inside.empty() || accepted.size() < kMinAccepted)
        return rim;
    const double nn = medianNearestNeighbourDistance(accepted);
    if (!(nn > 2.0))
        return rim;
    const FloatImage& h = signal.height;
    const double siteWindow = std::max(1.0, kSiteWindow * nn);
    AtomColumns columns = accepted;
    CellGrid grid(columns, h.width, h.height, nn);
    auto takenBy = [&](const CellGrid& g, const AtomColumns& by, double x, double y) {
        return occupied(g, by, x, y, kInsideCrystal * nn);
    };
    std::vector<Prediction> sites = predictSites(columns, grid, nn, 0);
    if (sites.empty())
        return rim;
    const std::vector<float> null = supportNull(signal, mask, columns, grid, sites, nn, siteWindow);
    if (null.size() < kMinNull)
        return rim;
    const double onCrossing = quantileOf(null, params.nullQuantile), onOneRow = quantileOf(null, params.oneRowQuantile);
    std::vector<PeakCandidate> free; // peaks no column has taken
    for (const PeakCandidate& p : peaks)
        if (!takenBy(grid, columns, p.x, p.y))
            free.push_back(p);
    for (int ring = 0; ring < params.maxRings && !sites.empty(); ++ring) {
        const CellGrid siteGrid(sitePositions(sites), h.width, h.height, nn);
        AtomColumns added;
        std::vector<char> used(free.size(), 0);
        for (std::size_t f = 0; f < free.size(); ++f) {
            const PeakCandidate& p = free[f];
            // The rows that predict a site here, and whether two of them cross.
            double sx = 0.0, sy = 0.0, firstDirection = -1.0;
            int count = 0;
            bool crossing = false;
            siteGrid.near(p.x, p.y, kSiteTolerance * nn, [&](int k) {
                const Prediction& s = sites[std::size_t(k)];
                if (std::hypot(s.x - p.x, s.y - p.y) >= kSiteTolerance * nn)
                    return;
                sx += s.x, sy += s.y, ++count;
                if (firstDirection < 0.0)
                    firstDirection = s.direction;
                double turn = std::abs(s.direction - firstDirection);
                turn = std::min(turn, std::numbers::pi - turn);
                crossing = crossing || turn >= kMinTurn;
            });
            if (count == 0 || !(signalNear(h, sx / count, sy / count, siteWindow) > (crossing ? onCrossing : onOneRow)))
                continue;
            bool duplicate = false;
            for (const AtomColumn& a : added)
                duplicate = duplicate || std::hypot(a.x - p.x, a.y - p.y) < kInsideCrystal * nn;
            if (duplicate)
                continue;
            AtomColumn c;
            c.x = float(p.x);
            c.y = float(p.y);
            c.intensity = p.height;
            c.background = signal.background.at(p.x, p.y);
            added.push_back(c);
            used[f] = 1;
        }
        if (added.empty())
            break;
        // The new columns take their sites and peaks, and predict the next ring.
        const CellGrid addedGrid(added, h.width, h.height, nn);
        std::erase_if(sites, [&](const Prediction& s) { return takenBy(addedGrid, added, s.x, s.y); });
        std::size_t kept = 0;
        for (std::size_t f = 0; f < free.size(); ++f)
            if (!used[f] && !takenBy(addedGrid, added, free[f].x, free[f].y))
                free[kept++] = free[f];
        free.resize(kept);
        const std::size_t first = columns.size();
        columns.insert(columns.end(), added.begin(), added.end());
        rim.insert(rim.end(), added.begin(), added.end());
        grid = CellGrid(columns, h.width, h.height, nn);
        const std::vector<Prediction> next = predictSites(columns, grid, nn, first);
        sites.insert(sites.end(), next.begin(), next.end());
    }
    return rim;
}

} // namespace motifscope
