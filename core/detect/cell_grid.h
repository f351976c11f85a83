#pragma once
/** Neighbour lookup for atom columns: columns bucketed in square cells over the image. */

#include "core/detect/atom_column.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace motifscope {

/**
 * Columns bucketed in square cells of `cellSize` pixels over a width x height image (compressed
 * rows: one allocation). Positions outside the image fall into the border cells. With `use`, only
 * the columns i with use[i] != 0 are bucketed.
 */
struct CellGrid
{
    double cell = 1.0;
    int nx = 1, ny = 1;
    std::vector<int> start; ///< cell c holds order[start[c] .. start[c + 1])
    std::vector<int> order;

    CellGrid(const AtomColumns& columns, int width, int height, double cellSize, const std::vector<char>* use = nullptr)
    {
        cell = std::max(1.0, cellSize);
        nx = std::max(1, int(std::ceil(width / cell)) + 1);
        ny = std::max(1, int(std::ceil(height / cell)) + 1);
        start.assign(std::size_t(nx) * ny + 1, 0);
        auto used = [&](std::size_t i) { return !use || (*use)[i] != 0; };
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (used(i))
                ++start[index(columns[i].x, columns[i].y) + 1];
        for (std::size_t k = 1; k < start.size(); ++k)
            start[k] += start[k - 1];
        order.resize(std::size_t(start.back()));
        std::vector<int> fill(start.begin(), start.end() - 1);
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (used(i))
                order[std::size_t(fill[index(columns[i].x, columns[i].y)]++)] = int(i);
    }
    int cellX(double x) const { return std::clamp(int(std::floor(x / cell)), 0, nx - 1); }
    int cellY(double y) const { return std::clamp(int(std::floor(y / cell)), 0, ny - 1); }
    std::size_t index(double x, double y) const { return std::size_t(cellY(y)) * nx + cellX(x); }

    /** Calls f(j) for every bucketed column in the cells that a disk of `radius` around (x, y) touches. */
    template <class F>
    void near(double x, double y, double radius, F&& f) const
    {
        const int x0 = cellX(x - radius), x1 = cellX(x + radius), y0 = cellY(y - radius), y1 = cellY(y + radius);
        for (int cy = y0; cy <= y1; ++cy)
            for (int cx = x0; cx <= x1; ++cx) {
                const std::size_t c = std::size_t(cy) * nx + cx;
                for (int k = start[c]; k < start[c + 1]; ++k)
                    f(order[std::size_t(k)]);
            }
    }
};

} // namespace motifscope
