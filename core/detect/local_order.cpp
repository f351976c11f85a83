#include "detect/local_order.h"

#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace motifscope {

namespace {

constexpr double kInnerRadius = 0.6;  ///< periods: closer neighbours are not lattice neighbours
constexpr double kOuterRadius = 1.9;  ///< periods: far enough to reach second neighbours of a honeycomb
constexpr double kTolerance = 0.2;    ///< periods: how far the reflected partner may be from its ideal place

/** Peaks hashed on a grid of cells one period wide. */
class PeakGrid
{
public:
    PeakGrid(const std::vector<PeakCandidate>& peaks, const std::vector<char>& use, double cell)
        : mPeaks(peaks), mCell(cell)
    {
        for (int i = 0; i < int(peaks.size()); ++i)
            if (use[std::size_t(i)])
                mCells[key(cellOf(peaks[std::size_t(i)].x), cellOf(peaks[std::size_t(i)].y))].push_back(i);
    }

    /** Calls f(j) for every used peak within `radius` of (x, y) (a superset: f checks the distance). */
    template <typename F>
    void near(double x, double y, double radius, F&& f) const
    {
        const long long x0 = cellOf(x - radius), x1 = cellOf(x + radius);
        const long long y0 = cellOf(y - radius), y1 = cellOf(y + radius);
        for (long long cy = y0; cy <= y1; ++cy)
            for (long long cx = x0; cx <= x1; ++cx) {
                const auto it = mCells.find(key(cx, cy));
                if (it != mCells.end())
                    for (int j : it->second)
                        f(j);
            }
    }

private:
    long long cellOf(double v) const { return (long long)std::floor(v / mCell); }
    static long long key(long long cx, long long cy) { return (cx << 32) ^ (cy & 0xffffffffLL); }

    const std::vector<PeakCandidate>& mPeaks;
    double mCell;
    std::unordered_map<long long, std::vector<int>> mCells;
};

} // namespace

std::vector<float> translationOrder(const std::vector<PeakCandidate>& peaks, const std::vector<char>& use,
                                    double period)
{
    std::vector<float> order(peaks.size(), 0.0f);
    if (!(period > 0.0))
        return order;
    const PeakGrid grid(peaks, use, period);
    const double inner2 = std::pow(kInnerRadius * period, 2), outer2 = std::pow(kOuterRadius * period, 2);
    const double tol2 = std::pow(kTolerance * period, 2);
    for (std::size_t i = 0; i < peaks.size(); ++i) {
        if (!use[i])
            continue;
        const double px = peaks[i].x, py = peaks[i].y;
        int neighbours = 0, partnered = 0;
        grid.near(px, py, kOuterRadius * period, [&](int j) {
            const double vx = peaks[std::size_t(j)].x - px, vy = peaks[std::size_t(j)].y - py;
            const double d2 = vx * vx + vy * vy;
            if (d2 < inner2 || d2 > outer2)
                return;
            ++neighbours;
            // The reflected partner p_i - v.
            const double rx = px - vx, ry = py - vy;
            bool found = false;
            grid.near(rx, ry, kTolerance * period, [&](int k) {
                const double ex = peaks[std::size_t(k)].x - rx, ey = peaks[std::size_t(k)].y - ry;
                found = found || ex * ex + ey * ey <= tol2;
            });
            partnered += found ? 1 : 0;
        });
        order[i] = neighbours >= 2 ? float(partnered) / float(neighbours) : 0.0f;
    }
    return order;
}

} // namespace motifscope
