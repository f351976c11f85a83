#include "core/learn/kmeans.h"

#include "core/learn/rng.h"
#include "core/util/progress.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace motifscope {

namespace {

constexpr int kBlock = 1024; // rows per parallel task: fixed, so sums are reduced in a fixed order

int blockCount(Eigen::Index n) { return int((n + kBlock - 1) / kBlock); }

/** Squared distances of every row to the nearest centre, and its index, blockwise. */
void assign(const Eigen::MatrixXf& x, const Eigen::MatrixXf& centres, std::vector<int>& labels,
            std::vector<float>& dist2)
{
    const Eigen::Index n = x.rows();
    const Eigen::VectorXf centreNorms = centres.rowwise().squaredNorm();
    labels.resize(std::size_t(n));
    dist2.resize(std::size_t(n));
    tbb::parallel_for(0, blockCount(n), [&](int b) {
        const Eigen::Index begin = Eigen::Index(b) * kBlock, count = std::min<Eigen::Index>(kBlock, n - begin);
        const Eigen::MatrixXf block = x.middleRows(begin, count);
        const Eigen::MatrixXf cross = block * centres.transpose(); // count x K, column-major
        // Centre by centre down the product's columns (contiguous), each row keeping its best so
        // far: the same comparisons in the same order per row as centre by centre along a row.
        std::array<int, kBlock> best;
        std::array<float, kBlock> bestValue;
        best.fill(0);
        bestValue.fill(std::numeric_limits<float>::infinity());
        for (Eigen::Index c = 0; c < centres.rows(); ++c) {
            const float norm = centreNorms[c];
            const float* column = cross.col(c).data();
            for (Eigen::Index r = 0; r < count; ++r) {
                const float v = norm - 2.0f * column[r];
                if (v < bestValue[std::size_t(r)]) {
                    bestValue[std::size_t(r)] = v;
                    best[std::size_t(r)] = int(c);
                }
            }
        }
        for (Eigen::Index r = 0; r < count; ++r) {
            labels[std::size_t(begin + r)] = best[std::size_t(r)];
            dist2[std::size_t(begin + r)] = std::max(0.0f, bestValue[std::size_t(r)] + block.row(r).squaredNorm());
        }
    });
}

double sumInOrder(const std::vector<float>& values)
{
    const int blocks = blockCount(Eigen::Index(values.size()));
    std::vector<double> partial(std::size_t(blocks), 0.0);
    tbb::parallel_for(0, blocks, [&](int b) {
        double s = 0.0;
        const std::size_t end = std::min(values.size(), std::size_t(b + 1) * kBlock);
        for (std::size_t i = std::size_t(b) * kBlock; i < end; ++i)
            s += values[i];
        partial[std::size_t(b)] = s;
    });
    double total = 0.0;
    for (double p : partial)
        total += p;
    return total;
}

/** k-means++ seeding: each new centre drawn with probability proportional to D^2. */
Eigen::MatrixXf seedCentres(const Eigen::MatrixXf& x, int k, learn::SplitMix& rng)
{
    const Eigen::Index n = x.rows();
    Eigen::MatrixXf centres(k, x.cols());
    centres.row(0) = x.row(rng.below(std::uint32_t(n)));
    std::vector<float> d2(static_cast<std::size_t>(n));
    tbb::parallel_for(Eigen::Index(0), n, [&](Eigen::Index i) { d2[std::size_t(i)] = (x.row(i) - centres.row(0)).squaredNorm(); });
    for (int c = 1; c < k; ++c) {
        const double total = sumInOrder(d2);
        Eigen::Index chosen = 0;
        if (total > 0.0) {
            double target = rng.uniform() * total, running = 0.0;
            chosen = n - 1;
            for (Eigen::Index i = 0; i < n; ++i) {
                running += d2[std::size_t(i)];
                if (running > target) {
                    chosen = i;
                    break;
                }
            }
        } else {
            chosen = rng.below(std::uint32_t(n));
        }
        centres.row(c) = x.row(chosen);
        tbb::parallel_for(Eigen::Index(0), n, [&](Eigen::Index i) {
            d2[std::size_t(i)] = std::min(d2[std::size_t(i)], (x.row(i) - centres.row(c)).squaredNorm());
        });
    }
    return centres;
}

/** Means of the members of each cluster, summed per block then reduced in block order. */
Eigen::MatrixXf clusterMeans(const Eigen::MatrixXf& x, const std::vector<int>& labels, int k,
                             std::vector<long long>& counts)
{
    const Eigen::Index n = x.rows(), d = x.cols();
    const int blocks = blockCount(n);
    std::vector<Eigen::MatrixXd> sums(static_cast<std::size_t>(blocks));
    std::vector<std::vector<long long>> blockCounts(static_cast<std::size_t>(blocks));
    tbb::parallel_for(0, blocks, [&](int b) {
        Eigen::MatrixXd s = Eigen::MatrixXd::Zero(k, d);
        std::vector<long long> c(std::size_t(k), 0);
        const Eigen::Index end = std::min<Eigen::Index>(n, Eigen::Index(b + 1) * kBlock);
        for (Eigen::Index i = Eigen::Index(b) * kBlock; i < end; ++i) {
            s.row(labels[std::size_t(i)]) += x.row(i).cast<double>();
            ++c[std::size_t(labels[std::size_t(i)])];
        }
        sums[std::size_t(b)] = std::move(s);
        blockCounts[std::size_t(b)] = std::move(c);
    });
    Eigen::MatrixXd total = Eigen::MatrixXd::Zero(k, d);
    counts.assign(std::size_t(k), 0);
    for (int b = 0; b < blocks; ++b) {
        total += sums[std::size_t(b)];
        for (int c = 0; c < k; ++c)
            counts[std::size_t(c)] += blockCounts[std::size_t(b)][std::size_t(c)];
    }
    for (int c = 0; c < k; ++c)
        if (counts[std::size_t(c)] > 0)
            total.row(c) /= double(counts[std::size_t(c)]);
    return total.cast<float>();
}

} // namespace

std::vector<int> nearestCentres(const Eigen::MatrixXf& x, const Eigen::MatrixXf& centres, std::vector<float>* dist2)
{
    std::vector<int> labels;
    std::vector<float> d2;
    assign(x, centres, labels, d2);
    if (dist2)
        *dist2 = std::move(d2);
    return labels;
}

KMeansResult kmeans(const Eigen::MatrixXf& x, int k, std::uint64_t seed, int restarts, int maxIterations,
                    Progress* progress)
{
    const Eigen::Index n = x.rows();
    if (n == 0 || k < 1)
        throw std::invalid_argument("k-means needs at least one point and one cluster");
    k = int(std::min<Eigen::Index>(k, n));
    KMeansResult best;
    best.inertia = std::numeric_limits<double>::infinity();
    for (int run = 0; run < std::max(1, restarts); ++run) {
        throwIfCancelled(progress);
        learn::SplitMix rng(learn::hashCounters(seed, 0x6b6d65616e73ULL, std::uint64_t(run)));
        Eigen::MatrixXf centres = seedCentres(x, k, rng);
        std::vector<int> labels, previous;
        std::vector<float> d2;
        std::vector<long long> counts;
        for (int it = 0; it < maxIterations; ++it) {
            throwIfCancelled(progress);
            assign(x, centres, labels, d2);
            if (labels == previous)
                break;
            Eigen::MatrixXf updated = clusterMeans(x, labels, k, counts);
            for (int c = 0; c < k; ++c) {
                if (counts[std::size_t(c)] == 0) {
                    // An empty cluster restarts at the point farthest from its centre.
                    const auto far = std::max_element(d2.begin(), d2.end()) - d2.begin();
                    updated.row(c) = x.row(far);
                    d2[std::size_t(far)] = 0.0f;
                }
            }
            centres = std::move(updated);
            previous = labels;
        }
        assign(x, centres, labels, d2);
        const double inertia = sumInOrder(d2);
        if (inertia < best.inertia) {
            best.inertia = inertia;
            best.centres = centres;
            best.labels = labels;
        }
    }
    return best;
}

} // namespace motifscope
