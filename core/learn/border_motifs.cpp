#include "core/learn/border_motifs.h"

#include "core/detect/cell_grid.h"
#include "core/features/patches.h"
#include "core/util/progress.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace motifscope {

namespace {

constexpr int kBorderCandidates = 24; ///< learned columns nearest on the image that are compared
constexpr int kBorderVoters = 5;      ///< best-correlated of them that vote

/**
 * Up to kBorderCandidates bucketed columns nearest to (x, y), nearest first, into `out`; returns
 * how many. The disk grows until it holds enough columns that none outside can be nearer.
 */
int nearestColumns(const CellGrid& grid, const AtomColumns& columns, double x, double y,
                   std::array<std::pair<double, int>, kBorderCandidates>& out)
{
    int found = 0;
    for (double radius = grid.cell;; radius *= 2.0) {
        found = 0;
        grid.near(x, y, radius, [&](int j) {
            const double d = std::hypot(columns[std::size_t(j)].x - x, columns[std::size_t(j)].y - y);
            if (d > radius)
                return;
            if (found < kBorderCandidates) {
                out[std::size_t(found++)] = {d, j};
                std::push_heap(out.begin(), out.begin() + found);
            } else if (d < out[0].first) {
                std::pop_heap(out.begin(), out.begin() + found);
                out[std::size_t(found - 1)] = {d, j};
                std::push_heap(out.begin(), out.begin() + found);
            }
        });
        if (found == kBorderCandidates || radius > double(grid.cell) * std::max(grid.nx, grid.ny))
            break;
    }
    std::sort_heap(out.begin(), out.begin() + found);
    return found;
}

/** Pearson correlation of a and b over n values (0 when either is flat). */
double correlation(const float* a, const float* b, int n)
{
    double sa = 0, sb = 0;
    for (int k = 0; k < n; ++k)
        sa += a[k], sb += b[k];
    const double ma = sa / n, mb = sb / n;
    double ab = 0, aa = 0, bb = 0;
    for (int k = 0; k < n; ++k) {
        const double da = a[k] - ma, db = b[k] - mb;
        ab += da * db, aa += da * da, bb += db * db;
    }
    return aa > 0.0 && bb > 0.0 ? ab / std::sqrt(aa * bb) : 0.0;
}

} // namespace

std::size_t assignBorderMotifs(const FloatImage& image, const AtomColumns& columns, int patchSize,
                               const std::vector<std::uint8_t>& inside, std::vector<int>& motif,
                               std::vector<float>& confidence, Progress* progress)
{
    const std::size_t n = columns.size();
    motif.resize(n, -1);
    confidence.resize(n, 0.0f);
    std::vector<char> learned(n, 0);
    std::vector<int> border;
    for (std::size_t i = 0; i < n; ++i) {
        const bool whole = i < inside.size() && inside[i];
        learned[i] = whole && motif[i] >= 0;
        if (!whole && motif[i] < 0)
            border.push_back(int(i));
    }
    if (border.empty() || std::none_of(learned.begin(), learned.end(), [](char c) { return c != 0; }))
        return 0;

    // The patch disk (as the Zernike features see it), as row-major pixel indices.
    const int size = patchSize;
    const double half = (size - 1) / 2.0;
    const std::vector<int> disk = patchDiskPixels(size);
    const CellGrid grid(columns, image.width, image.height, std::max(4.0, half), &learned);

    std::vector<int> assigned(border.size(), -1);
    std::vector<float> sureness(border.size(), 0.0f);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, border.size(), 16), [&](const tbb::blocked_range<std::size_t>& range) {
        // Buffers per block of columns, not per column.
        std::vector<int> visible(disk.size());
        std::vector<float> own(disk.size()), other(disk.size());
        std::array<std::pair<double, int>, kBorderCandidates> near{};
        for (std::size_t b = range.begin(); b != range.end(); ++b) {
            throwIfCancelled(progress);
            const AtomColumn& c = columns[std::size_t(border[b])];
            int count = 0;
            for (int p : disk) {
                const double x = c.x + (p % size - half), y = c.y + (p / size - half);
                if (x >= 0.0 && y >= 0.0 && x <= image.width - 1 && y <= image.height - 1)
                    visible[std::size_t(count++)] = p;
            }
            if (count < 8)
                continue;
            samplePatchPixels(image, c.x, c.y, size, visible.data(), count, own.data());
            const int candidates = nearestColumns(grid, columns, c.x, c.y, near);
            std::array<std::pair<double, int>, kBorderCandidates> scored{};
            for (int k = 0; k < candidates; ++k) {
                const AtomColumn& o = columns[std::size_t(near[std::size_t(k)].second)];
                samplePatchPixels(image, o.x, o.y, size, visible.data(), count, other.data());
                scored[std::size_t(k)] = {-correlation(own.data(), other.data(), count), near[std::size_t(k)].second};
            }
            const int voters = std::min(kBorderVoters, candidates);
            std::partial_sort(scored.begin(), scored.begin() + voters, scored.begin() + candidates);
            // Majority of the voters; a tie goes to the motif of the best match (voted first).
            int best = -1, bestVotes = 0;
            for (int k = 0; k < voters; ++k) {
                const int m = motif[std::size_t(scored[std::size_t(k)].second)];
                int votes = 0;
                for (int j = 0; j < voters; ++j)
                    votes += motif[std::size_t(scored[std::size_t(j)].second)] == m ? 1 : 0;
                if (votes > bestVotes)
                    best = m, bestVotes = votes;
            }
            double agreeing = 0.0;
            for (int k = 0; k < voters; ++k)
                if (motif[std::size_t(scored[std::size_t(k)].second)] == best)
                    agreeing += confidence[std::size_t(scored[std::size_t(k)].second)];
            assigned[b] = best;
            sureness[b] = float(double(count) / double(disk.size()) * agreeing / voters);
        }
        if (progress)
            progress->advance(static_cast<long long>(range.size()), static_cast<long long>(border.size()));
    });
    std::size_t done = 0;
    for (std::size_t b = 0; b < border.size(); ++b)
        if (assigned[b] >= 0) {
            motif[std::size_t(border[b])] = assigned[b];
            confidence[std::size_t(border[b])] = sureness[b];
            ++done;
        }
    return done;
}

} // namespace motifscope
