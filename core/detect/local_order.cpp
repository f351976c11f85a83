#include "core/detect/local_order.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace motifscope {

namespace {

constexpr double kInnerRadius = 0.6; ///< periods: closer neighbours are not lattice neighbours
constexpr double kOuterRadius = 1.9; ///< periods: far enough to reach second neighbours of a honeycomb
constexpr double kTolerance = 0.2;   ///< periods: how far the reflected partner may be from its ideal place

/** The used peaks bucketed on a flat grid of cells one period wide (counting sort, no hashing). */
class PeakGrid
{
public:
    PeakGrid(const std::vector<PeakCandidate>& peaks, const std::vector<char>& use, double cell) : mCell(cell)
    {
        int maxX = 0, maxY = 0;
        for (const PeakCandidate& p : peaks)
            maxX = std::max(maxX, p.x), maxY = std::max(maxY, p.y);
        mWidth = int(maxX / cell) + 1;
        mHeight = int(maxY / cell) + 1;
        mStart.assign(std::size_t(mWidth) * mHeight + 1, 0);
        for (std::size_t i = 0; i < peaks.size(); ++i)
            if (use[i])
                ++mStart[cellIndex(peaks[i].x, peaks[i].y) + 1];
        for (std::size_t c = 1; c < mStart.size(); ++c)
            mStart[c] += mStart[c - 1];
        mMembers.resize(mStart.back());
        std::vector<int> fill(mStart.begin(), mStart.end() - 1);
        for (std::size_t i = 0; i < peaks.size(); ++i)
            if (use[i])
                mMembers[std::size_t(fill[cellIndex(peaks[i].x, peaks[i].y)]++)] = int(i);
    }

    /** Calls f(j) for every used peak within `radius` of (x, y) (a superset: f checks the distance). */
    template <typename F> void near(double x, double y, double radius, F&& f) const
    {
        const int x0 = std::max(0, int(std::floor((x - radius) / mCell)));
        const int x1 = std::min(mWidth - 1, int(std::floor((x + radius) / mCell)));
        const int y0 = std::max(0, int(std::floor((y - radius) / mCell)));
        const int y1 = std::min(mHeight - 1, int(std::floor((y + radius) / mCell)));
        for (int cy = y0; cy <= y1; ++cy)
            for (int cx = x0; cx <= x1; ++cx) {
                const std::size_t c = std::size_t(cy) * mWidth + cx;
                for (int k = mStart[c]; k < mStart[c + 1]; ++k)
                    f(mMembers[std::size_t(k)]);
            }
    }

private:
    std::size_t cellIndex(int x, int y) const
    {
        return std::size_t(int(y / mCell)) * mWidth + int(x / mCell);
    }

    double mCell;
    int mWidth = 0, mHeight = 0;
    std::vector<int> mStart; ///< cell c holds mMembers[mStart[c] .. mStart[c + 1])
    std::vector<int> mMembers;
};

} // namespace

std::vector<float> translationOrder(const std::vector<PeakCandidate>& peaks, const std::vector<char>& use,
                                    double period)
{
    std::vector<float> order(peaks.size(), 0.0f);
    if (!(period > 0.0) || peaks.empty())
        return order;
    const PeakGrid grid(peaks, use, period);
    const double inner2 = std::pow(kInnerRadius * period, 2), outer2 = std::pow(kOuterRadius * period, 2);
    const double tol2 = std::pow(kTolerance * period, 2);
    auto hasPeakNear = [&](double x, double y) {
        bool found = false;
        grid.near(x, y, kTolerance * period, [&](int k) {
            const double ex = peaks[std::size_t(k)].x - x, ey = peaks[std::size_t(k)].y - y;
            found = found || ex * ex + ey * ey <= tol2;
        });
        return found;
    };
    auto orderOf = [&](const PeakCandidate& centre) {
        int neighbours = 0, partnered = 0;
        grid.near(centre.x, centre.y, kOuterRadius * period, [&](int j) {
            const double vx = peaks[std::size_t(j)].x - centre.x, vy = peaks[std::size_t(j)].y - centre.y;
            const double d2 = vx * vx + vy * vy;
            if (d2 < inner2 || d2 > outer2)
                return;
            ++neighbours;
            partnered += hasPeakNear(centre.x - vx, centre.y - vy) ? 1 : 0; // the reflected partner
        });
        return neighbours >= 2 ? float(partnered) / float(neighbours) : 0.0f;
    };
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, peaks.size(), 4096),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t i = range.begin(); i != range.end(); ++i)
                              if (use[i])
                                  order[i] = orderOf(peaks[i]);
                      });
    return order;
}

} // namespace motifscope
