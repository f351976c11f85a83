#include "core/learn/fuzzy_graph.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdint>

namespace motifscope {

LocalScales localScales(const KnnGraph& knn)
{
    LocalScales s;
    s.rho.assign(std::size_t(knn.n), 0.0f);
    s.sigma.assign(std::size_t(knn.n), 1.0f);
    const double target = std::log2(double(std::max(knn.k, 2)));
    tbb::parallel_for(0, knn.n, [&](int i) {
        double rho = 0.0, meanDistance = 0.0;
        int valid = 0;
        for (int t = 0; t < knn.k; ++t) {
            if (knn.neighbour(i, t) < 0)
                continue;
            const double d = knn.distance(i, t);
            if (valid == 0)
                rho = d;
            meanDistance += d;
            ++valid;
        }
        if (valid == 0)
            return;
        meanDistance /= valid;
        // sum_j exp(-(d_ij - rho)/sigma) grows with sigma: bisect (doubling while unbounded above).
        double lo = 0.0, hi = std::numeric_limits<double>::infinity(), sigma = 1.0;
        for (int iter = 0; iter < 64; ++iter) {
            double sum = 0.0;
            for (int t = 0; t < knn.k; ++t)
                if (knn.neighbour(i, t) >= 0)
                    sum += std::exp(-std::max(0.0, double(knn.distance(i, t)) - rho) / sigma);
            if (std::abs(sum - target) < 1e-5 * target)
                break;
            if (sum > target)
                hi = sigma;
            else
                lo = sigma;
            sigma = std::isinf(hi) ? 2.0 * sigma : 0.5 * (lo + hi);
        }
        // As UMAP: keep the bandwidth from collapsing where all neighbours are equally far.
        sigma = std::max(sigma, 1e-3 * meanDistance);
        s.rho[std::size_t(i)] = float(rho);
        s.sigma[std::size_t(i)] = float(std::max(sigma, 1e-12));
    });
    return s;
}

float directedWeight(const KnnGraph& knn, const LocalScales& scales, int i, int slot)
{
    const double excess = std::max(0.0, double(knn.distance(i, slot)) - scales.rho[std::size_t(i)]);
    return float(std::exp(-excess / scales.sigma[std::size_t(i)]));
}

FuzzyGraph fuzzyGraph(const KnnGraph& knn)
{
    const LocalScales scales = localScales(knn);
    // Every directed edge keyed by its unordered pair; the two directions of one pair sort together.
    struct Entry
    {
        std::uint64_t key; // (min << 32) | max
        int from;          // which end listed it
        float weight;
        bool operator<(const Entry& o) const { return key != o.key ? key < o.key : from < o.from; }
    };
    std::vector<Entry> entries;
    entries.reserve(std::size_t(knn.n) * knn.k);
    for (int i = 0; i < knn.n; ++i)
        for (int t = 0; t < knn.k; ++t) {
            const int j = knn.neighbour(i, t);
            if (j < 0 || j == i)
                continue;
            const std::uint64_t a = std::uint64_t(std::min(i, j)), b = std::uint64_t(std::max(i, j));
            entries.push_back({(a << 32) | b, i, directedWeight(knn, scales, i, t)});
        }
    tbb::parallel_sort(entries.begin(), entries.end());
    FuzzyGraph g;
    g.n = knn.n;
    g.head.reserve(entries.size());
    g.tail.reserve(entries.size());
    g.weight.reserve(entries.size());
    for (std::size_t e = 0; e < entries.size();) {
        float w = entries[e].weight;
        std::size_t next = e + 1;
        if (next < entries.size() && entries[next].key == entries[e].key) {
            const float v = entries[next].weight;
            w = w + v - w * v; // fuzzy union
            ++next;
        }
        if (w >= 1e-6f) {
            g.head.push_back(int(entries[e].key >> 32));
            g.tail.push_back(int(entries[e].key & 0xffffffffULL));
            g.weight.push_back(std::min(w, 1.0f));
        }
        e = next;
    }
    return g;
}

} // namespace motifscope
