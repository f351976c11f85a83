#include "core/detect/neighbour_spacing.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace motifscope {

namespace {

/** Beyond this many cells per column (far-flung points) the grid keeps only its occupied cells. */
constexpr long long kDenseCellsPerColumn = 8;
constexpr long long kDenseCellsAlways = 1 << 16;
/// Squared distances within this factor of the smallest may round to the smallest distance.
constexpr double kNearTie = 1.0 + 1e-12;
/// Beyond these, a squared distance has lost relative precision (subnormal or near overflow).
constexpr double kTinySquare = 1e-280, kHugeSquare = 1e280;
/// Of a cell: far more than the rounding of a coordinate divided by the cell size.
constexpr double kCellMargin = 0.01;

/**
 * The columns binned into square cells: the members of cell (cx, cy), where cx = floor(x / cell).
 * A dense table of all cells over the columns' extent, or, when that would be far larger than the
 * number of columns, the occupied cells in sorted order.
 */
class CellGrid
{
public:
    CellGrid(const AtomColumns& columns, double cell, double minX, double minY, double maxX, double maxY)
        : mCell(cell)
    {
        mX0 = cellOf(minX), mY0 = cellOf(minY);
        mWidth = cellOf(maxX) - mX0 + 1, mHeight = cellOf(maxY) - mY0 + 1;
        const long long n = (long long)columns.size();
        mDense = mWidth * mHeight <= kDenseCellsPerColumn * n + kDenseCellsAlways;
        std::vector<std::pair<long long, int>> byCell(columns.size()); // (cell key, column)
        for (int i = 0; i < int(n); ++i)
            byCell[std::size_t(i)] = {key(cellOf(columns[std::size_t(i)].x), cellOf(columns[std::size_t(i)].y)), i};
        std::sort(byCell.begin(), byCell.end());
        mMembers.resize(byCell.size());
        for (std::size_t k = 0; k < byCell.size(); ++k) {
            mMembers[k] = byCell[k].second;
            if (k == 0 || byCell[k].first != byCell[k - 1].first) {
                mCellKey.push_back(byCell[k].first);
                mCellStart.push_back(int(k));
            }
        }
        mCellStart.push_back(int(byCell.size()));
        if (mDense) {
            mDenseCell.assign(std::size_t(mWidth * mHeight), -1);
            for (std::size_t c = 0; c < mCellKey.size(); ++c)
                mDenseCell[std::size_t(mCellKey[c])] = int(c);
        }
    }

    long long cellOf(double v) const { return (long long)std::floor(v / mCell); }

    /** The members of cell (cx, cy) as [first, last) pointers (empty outside the columns' extent). */
    std::pair<const int*, const int*> members(long long cx, long long cy) const
    {
        if (cx < mX0 || cy < mY0 || cx >= mX0 + mWidth || cy >= mY0 + mHeight)
            return {nullptr, nullptr};
        const long long k = key(cx, cy);
        long long c = -1;
        if (mDense) {
            c = mDenseCell[std::size_t(k)];
        } else {
            const auto it = std::lower_bound(mCellKey.begin(), mCellKey.end(), k);
            c = it != mCellKey.end() && *it == k ? it - mCellKey.begin() : -1;
        }
        if (c < 0)
            return {nullptr, nullptr};
        return {mMembers.data() + mCellStart[std::size_t(c)], mMembers.data() + mCellStart[std::size_t(c) + 1]};
    }

private:
    /** Row-major cell index over the extent (unique for every cell inside it). */
    long long key(long long cx, long long cy) const { return (cy - mY0) * mWidth + (cx - mX0); }

    double mCell;
    long long mX0 = 0, mY0 = 0, mWidth = 0, mHeight = 0;
    bool mDense = true;
    std::vector<int> mMembers;        ///< column indices, cell by cell
    std::vector<long long> mCellKey;  ///< occupied cells' keys, ascending
    std::vector<int> mCellStart;      ///< occupied cell c's members: [mCellStart[c], mCellStart[c + 1])
    std::vector<int> mDenseCell;      ///< dense: occupied-cell number of every key, -1 when empty
};

/**
 * Distance from column i to its nearest other column: rings of cells outward (ring 1 = the 3 x 3
 * cells around it) until the nearest found is within `ring` cells, so no farther ring can hold a
 * closer column (at most 63 rings or 10^6 px, as before: far-flung points may stop short).
 */
double nearestDistance(const AtomColumns& columns, const CellGrid& grid, double cell, int i)
{
    const AtomColumn& p = columns[std::size_t(i)];
    const long long cx = grid.cellOf(p.x), cy = grid.cellOf(p.y);
    double best = std::numeric_limits<double>::infinity();
    double bestSquare = best; // the smallest squared distance so far
    auto visit = [&](long long x, long long y) {
        const auto [first, last] = grid.members(x, y);
        for (const int* j = first; j != last; ++j) {
            if (*j == i)
                continue;
            const double dx = columns[std::size_t(*j)].x - p.x, dy = columns[std::size_t(*j)].y - p.y;
            const double square = dx * dx + dy * dy;
            // std::hypot (slow) only where it can give the minimum: within a relative 1e-12 of the
            // smallest square (either rounds by under 1e-15), or where the square under/overflows.
            if (square <= bestSquare * kNearTie || !(square >= kTinySquare && square <= kHugeSquare))
                best = std::min(best, std::hypot(dx, dy));
            bestSquare = std::min(bestSquare, square);
        }
    };
    for (int ring = 1; ring < 64; ++ring) {
        // Only the ring's own cells: the inner ones were searched already (the minimum is the same).
        for (long long dx = -ring; dx <= ring; ++dx) {
            visit(cx + dx, cy - ring);
            visit(cx + dx, cy + ring);
        }
        for (long long dy = -ring + 1; dy <= ring - 1; ++dy) {
            visit(cx - ring, cy + dy);
            visit(cx + ring, cy + dy);
        }
        if (ring == 1)
            visit(cx, cy);
        // Cells beyond this ring are at least `ring` cells away (less a margin for the rounding of
        // x / cell): what was found is the nearest. (The earlier rule, within ring - 0.5 cells,
        // searched one ring more to the same result.)
        if (best <= (ring - kCellMargin) * cell || ring * cell > 1e6)
            break;
    }
    return best;
}

} // namespace

double medianNearestNeighbourDistance(const AtomColumns& columns)
{
    if (columns.size() < 2)
        return 0.0;
    double minX = columns[0].x, maxX = minX, minY = columns[0].y, maxY = minY;
    for (const auto& c : columns) {
        minX = std::min(minX, c.x), maxX = std::max(maxX, c.x);
        minY = std::min(minY, c.y), maxY = std::max(maxY, c.y);
    }
    // Cells 1.5 mean spacings wide (from the density over the columns' bounding box).
    const double area = std::max(1.0, (maxX - minX + 1) * (maxY - minY + 1));
    const double cell = std::max(1.0, std::sqrt(area / double(columns.size())) * 1.5);
    const CellGrid grid(columns, cell, minX, minY, maxX, maxY);
    std::vector<double> nearest(columns.size());
    tbb::parallel_for(tbb::blocked_range<int>(0, int(columns.size()), 512), [&](const tbb::blocked_range<int>& r) {
        for (int i = r.begin(); i != r.end(); ++i)
            nearest[std::size_t(i)] = nearestDistance(columns, grid, cell, i);
    });
    std::nth_element(nearest.begin(), nearest.begin() + nearest.size() / 2, nearest.end());
    return nearest[nearest.size() / 2];
}

} // namespace motifscope
