#include "core/learn/embedding.h"

#include "core/learn/layout_forces.h"
#include "core/learn/rng.h"
#include "core/util/progress.h"

#include <Eigen/Eigenvalues>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <span>
#include <stdexcept>

namespace motifscope {

namespace {

inline float clip4(float v) { return std::min(std::max(v, -4.0f), 4.0f); } // minss / maxss, no branches

/** Points in the pool negative samples are drawn from (8,192 x 2 floats = 64 KiB: fits in L2). */
constexpr int kNegativePool = 8192;
constexpr std::size_t kParallelMoves = 32768; ///< a batch with fewer points moves them on one thread

/**
 * The edges that can fire within the run, split into fixed batches (by a hash of the edge id). For
 * each batch: the points its edges touch (ascending) and, per point, its edge ends in edge order,
 * as compressed rows of plain arrays (structure of arrays: the loop over a point's ends reads each
 * array in order).
 */
struct Batch
{
    std::vector<int> points;
    std::vector<std::uint32_t> offsets; ///< points.size() + 1, into the arrays below
    std::vector<int> other;             ///< the point at the edge's other end
    std::vector<std::uint64_t> stream;  ///< random stream of this end: hash of (seed, edge, side)
    std::vector<float> period;          ///< epochs between firings, w_max / w (UMAP's epochs_per_sample)
    std::vector<float> nextFiring;      ///< epoch of the next firing (UMAP's epoch_of_next_sample)
};

std::vector<Batch> batchEdges(const FuzzyGraph& g, const std::vector<float>& period, int epochs, int batches,
                              std::uint64_t seed)
{
    std::vector<int> batchOf(g.edgeCount(), -1);
    std::vector<std::size_t> edgesIn(std::size_t(batches), 0);
    for (std::size_t e = 0; e < g.edgeCount(); ++e)
        if (period[e] <= float(epochs)) {
            batchOf[e] = int(learn::hashBelow(learn::hashCounters(seed, 0x62617463ULL, e), std::uint32_t(batches)));
            ++edgesIn[std::size_t(batchOf[e])];
        }
    // Each batch's edges, ascending (one pass over all edges, not one per batch).
    std::vector<std::size_t> firstEdge(std::size_t(batches) + 1, 0);
    for (int b = 0; b < batches; ++b)
        firstEdge[std::size_t(b) + 1] = firstEdge[std::size_t(b)] + edgesIn[std::size_t(b)];
    std::vector<std::size_t> edgesOf(firstEdge.back());
    {
        std::vector<std::size_t> fill(firstEdge.begin(), firstEdge.end() - 1);
        for (std::size_t e = 0; e < g.edgeCount(); ++e)
            if (batchOf[e] >= 0)
                edgesOf[fill[std::size_t(batchOf[e])]++] = e;
    }
    std::vector<Batch> out(static_cast<std::size_t>(batches));
    std::vector<std::uint32_t> count(std::size_t(g.n), 0), start(std::size_t(g.n), 0);
    for (std::size_t b = 0; b < out.size(); ++b) {
        Batch& batch = out[b];
        const auto own = std::span(edgesOf).subspan(firstEdge[b], firstEdge[b + 1] - firstEdge[b]);
        for (const std::size_t e : own) {
            ++count[std::size_t(g.head[e])];
            ++count[std::size_t(g.tail[e])];
        }
        batch.offsets.push_back(0);
        for (int p = 0; p < g.n; ++p)
            if (count[std::size_t(p)] > 0) {
                start[std::size_t(p)] = batch.offsets.back();
                batch.points.push_back(p);
                batch.offsets.push_back(batch.offsets.back() + count[std::size_t(p)]);
                count[std::size_t(p)] = 0;
            }
        const std::size_t ends = 2 * edgesIn[b];
        batch.other.resize(ends);
        batch.stream.resize(ends);
        batch.period.resize(ends);
        batch.nextFiring.resize(ends);
        for (const std::size_t e : own) { // edges ascending, so each point's ends are in edge order
            const int h = g.head[e], t = g.tail[e];
            for (int side = 1; side <= 2; ++side) {
                const std::uint32_t k = start[std::size_t(side == 1 ? h : t)]++;
                batch.other[k] = side == 1 ? t : h;
                batch.stream[k] = learn::hashCounters(seed, std::uint64_t(e), std::uint64_t(side));
                batch.period[k] = period[e];
                batch.nextFiring[k] = period[e];
            }
        }
    }
    return out;
}

/** Two uniform integers in [0, n) from one hash value (its upper and its lower 32 bits). */
inline std::uint32_t lowerBelow(std::uint64_t h, std::uint32_t n)
{
    return std::uint32_t((std::uint64_t(std::uint32_t(h)) * n) >> 32);
}

/**
 * The points in the Morton (Z) order of their start positions: kNN neighbours are near in feature
 * space, so near in its principal plane, and now near in memory too. Ties keep index order.
 */
std::vector<int> localityOrder(const Eigen::MatrixX2f& start)
{
    const Eigen::Index n = start.rows();
    const Eigen::RowVector2f low = start.colwise().minCoeff(), high = start.colwise().maxCoeff();
    auto spread = [](std::uint32_t v) { // 16 bits to the even bits of 32
        v &= 0xffffu;
        v = (v | (v << 8)) & 0x00ff00ffu;
        v = (v | (v << 4)) & 0x0f0f0f0fu;
        v = (v | (v << 2)) & 0x33333333u;
        return (v | (v << 1)) & 0x55555555u;
    };
    auto cell = [](float v, float lo, float hi) {
        const float t = hi > lo ? (v - lo) / (hi - lo) : 0.0f;
        return std::uint32_t(std::clamp(t, 0.0f, 1.0f) * 65535.0f);
    };
    std::vector<std::pair<std::uint32_t, int>> keyed(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i)
        keyed[std::size_t(i)] = {spread(cell(start(i, 0), low[0], high[0])) | (spread(cell(start(i, 1), low[1], high[1])) << 1),
                                 int(i)};
    std::sort(keyed.begin(), keyed.end());
    std::vector<int> order(static_cast<std::size_t>(n));
    for (std::size_t s = 0; s < keyed.size(); ++s)
        order[s] = keyed[s].second;
    return order;
}

} // namespace

Eigen::MatrixX2f pcaStart(const Eigen::MatrixXf& x)
{
    const Eigen::Index n = x.rows();
    Eigen::MatrixX2f y = Eigen::MatrixX2f::Zero(n, 2);
    if (n == 0 || x.cols() == 0)
        return y;
    const Eigen::RowVectorXd mean = x.cast<double>().colwise().mean();
    const Eigen::MatrixXd centred = x.cast<double>().rowwise() - mean;
    const Eigen::MatrixXd cov = centred.transpose() * centred / double(std::max<Eigen::Index>(1, n - 1));
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    const Eigen::Index d = x.cols();
    for (int c = 0; c < 2 && c < d; ++c) {
        Eigen::VectorXd v = eig.eigenvectors().col(d - 1 - c);
        Eigen::Index largest;
        v.cwiseAbs().maxCoeff(&largest);
        if (v[largest] < 0)
            v = -v; // a fixed sign, so the start does not depend on the solver's choice
        y.col(c) = (centred * v).cast<float>();
    }
    const float extent = y.cwiseAbs().maxCoeff();
    if (extent > 0.0f)
        y *= 10.0f / extent;
    return y;
}

Eigen::MatrixX2f embedGraph(const FuzzyGraph& graph, const Eigen::MatrixX2f& start, const EmbeddingParams& params,
                            Progress* progress, const EmbeddingSnapshot& onSnapshot)
{
    if (start.rows() != graph.n)
        throw std::invalid_argument("start layout and graph differ in size");
    const int n = graph.n, epochs = std::max(1, params.epochs), batches = std::max(1, params.batches);
    if (n < 2 || graph.edgeCount() == 0) {
        if (onSnapshot)
            onSnapshot(start, epochs);
        return start;
    }
    // Large layouts run on points renumbered in locality order (order[s] = the point in slot s);
    // snapshots and the result are in the caller's numbering. Above 131,072 points the layout (8
    // bytes a point) no longer sits in L2 beside the edge arrays streaming through it, and each
    // attraction's read of a random neighbour's position went to memory: at 1.7 M points the layout
    // took 8x its time at 427,000; analyze's whole embed stage (kNN included) is 62 s in this order.
    std::vector<int> order;
    FuzzyGraph renumbered;
    if (n > params.localityOrderAbove) {
        order = localityOrder(start);
        std::vector<int> slotOf(static_cast<std::size_t>(n));
        for (int s = 0; s < n; ++s)
            slotOf[std::size_t(order[std::size_t(s)])] = s;
        renumbered.n = n;
        renumbered.head.resize(graph.edgeCount());
        renumbered.tail.resize(graph.edgeCount());
        for (std::size_t e = 0; e < graph.edgeCount(); ++e) {
            renumbered.head[e] = slotOf[std::size_t(graph.head[e])];
            renumbered.tail[e] = slotOf[std::size_t(graph.tail[e])];
        }
        renumbered.weight = graph.weight;
    }
    const FuzzyGraph& g = order.empty() ? graph : renumbered;
    Eigen::Matrix<float, Eigen::Dynamic, 2, Eigen::RowMajor> y(n, 2);
    for (int s = 0; s < n; ++s)
        y.row(s) = start.row(order.empty() ? s : order[std::size_t(s)]);
    auto inCallerOrder = [&]() -> Eigen::MatrixX2f {
        if (order.empty())
            return y;
        Eigen::MatrixX2f out(n, 2);
        for (int s = 0; s < n; ++s)
            out.row(order[std::size_t(s)]) = y.row(s);
        return out;
    };
    const float wMax = *std::max_element(g.weight.begin(), g.weight.end());
    std::vector<float> period(g.edgeCount());
    for (std::size_t e = 0; e < period.size(); ++e)
        period[e] = wMax / g.weight[e];
    std::vector<Batch> batchList = batchEdges(g, period, epochs, batches, params.seed);
    const int firstStage = std::max(1, epochs / 2);
    const learn::LayoutForces relaxedForces(params.relaxed.a, params.relaxed.b);
    const learn::LayoutForces sharpForces(params.sharp.a, params.sharp.b);
    std::vector<float> step(std::size_t(2) * n, 0.0f);

    // Negative samples come from a pool of points drawn afresh for every batch (uniformly, so the
    // repulsion is unbiased): the pool's positions sit together in cache, where random points of the
    // whole layout would each be a cache miss. Small layouts (that fit the pool) sample the layout
    // itself: it only moves after a batch's forces are summed.
    const int poolSize = std::min(n, kNegativePool);
    std::vector<float> pool(poolSize == n ? 0 : std::size_t(2) * poolSize);
    const float* negatives = poolSize == n ? y.data() : pool.data();
    auto drawNegativePool = [&](const auto& layout, int epoch, std::size_t batchIndex) {
        if (poolSize == n)
            return;
        tbb::parallel_for(tbb::blocked_range<int>(0, poolSize, 2048), [&](const auto& range) {
            for (int s = range.begin(); s < range.end(); ++s) {
                const std::uint64_t h = learn::hashCounters(params.seed ^ 0x706f6f6cULL, std::uint64_t(epoch),
                                                            batchIndex, std::uint64_t(s));
                const int k = int(learn::hashBelow(h, std::uint32_t(n)));
                pool[2 * std::size_t(s)] = layout(k, 0);
                pool[2 * std::size_t(s) + 1] = layout(k, 1);
            }
        });
    };
    const int negativeSamples = std::max(0, params.negativeSamples);

    // Snapshots every snapshotEvery epochs, or by the clock (a live view's pace whatever an epoch costs).
    auto lastSnapshot = std::chrono::steady_clock::now();
    auto snapshotDue = [&](int epoch) {
        if (epoch == epochs)
            return true;
        if (params.snapshotSeconds > 0.0) {
            const auto now = std::chrono::steady_clock::now();
            if (std::chrono::duration<double>(now - lastSnapshot).count() < params.snapshotSeconds)
                return false;
            lastSnapshot = now;
            return true;
        }
        return params.snapshotEvery > 0 && epoch % params.snapshotEvery == 0;
    };

    for (int epoch = 1; epoch <= epochs; ++epoch) {
        throwIfCancelled(progress);
        const bool relaxed = epoch <= firstStage;
        const learn::LayoutForces& forces = relaxed ? relaxedForces : sharpForces;
        const int stageLength = relaxed ? firstStage : epochs - firstStage;
        const int stageEpoch = relaxed ? epoch - 1 : epoch - firstStage - 1;
        const float alpha = 1.0f - float(stageEpoch) / float(std::max(1, stageLength));
        const std::uint64_t epochKey = std::uint64_t(epoch) * 0x9e3779b97f4a7c15ULL;

        // Forces on point i from one edge end: attraction to j (twice: UMAP visits each undirected
        // edge from both ends) and repulsion from random points, all at the batch's start positions.
        auto pull = [&](float yi0, float yi1, int j, std::uint64_t stream, float& g0, float& g1) {
            float d0 = yi0 - y(j, 0), d1 = yi1 - y(j, 1);
            const float coef = forces.attract(d0 * d0 + d1 * d1);
            g0 += 2.0f * clip4(coef * d0);
            g1 += 2.0f * clip4(coef * d1);
            auto push = [&](std::uint32_t sample) {
                // The sample itself (k = i) adds nothing: its offset is zero.
                const float* k = negatives + 2 * std::size_t(sample);
                d0 = yi0 - k[0];
                d1 = yi1 - k[1];
                const float r = forces.repel(d0 * d0 + d1 * d1);
                g0 += clip4(r * d0);
                g1 += clip4(r * d1);
            };
            std::uint64_t h = stream ^ epochKey;
            for (int neg = 0; neg < negativeSamples; neg += 2) {
                h = learn::mix64(h);
                push(learn::hashBelow(h, std::uint32_t(poolSize)));
                if (neg + 1 < negativeSamples)
                    push(lowerBelow(h, std::uint32_t(poolSize)));
            }
        };
        for (std::size_t batchIndex = 0; batchIndex < batchList.size(); ++batchIndex) {
            Batch& batch = batchList[batchIndex];
            drawNegativePool(y, epoch, batchIndex);
            // Each point's forces are summed by one task in a fixed order, from its own edge ends
            // (whose firing schedule only it updates): the same on any number of threads.
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch.points.size(), 256), [&](const auto& range) {
                for (std::size_t s = range.begin(); s < range.end(); ++s) {
                    const int i = batch.points[s];
                    const float yi0 = y(i, 0), yi1 = y(i, 1);
                    float g0 = 0.0f, g1 = 0.0f;
                    for (std::uint32_t k = batch.offsets[s]; k < batch.offsets[s + 1]; ++k)
                        if (batch.nextFiring[k] <= float(epoch)) {
                            batch.nextFiring[k] += batch.period[k];
                            pull(yi0, yi1, batch.other[k], batch.stream[k], g0, g1);
                        }
                    step[2 * s] = alpha * g0;
                    step[2 * s + 1] = alpha * g1;
                }
            });
            // The moves: a few microseconds of work per batch below kParallelMoves points, less
            // than handing it to the threads.
            const auto move = [&](std::size_t first, std::size_t last) {
                for (std::size_t s = first; s < last; ++s) {
                    const int i = batch.points[s];
                    y(i, 0) += step[2 * s];
                    y(i, 1) += step[2 * s + 1];
                }
            };
            if (batch.points.size() < kParallelMoves)
                move(0, batch.points.size());
            else
                tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch.points.size(), 4096),
                                  [&](const auto& range) { move(range.begin(), range.end()); });
        }
        if (progress)
            progress->report(double(epoch) / epochs);
        if (onSnapshot && snapshotDue(epoch))
            onSnapshot(inCallerOrder(), epoch);
    }
    return inCallerOrder();
}

} // namespace motifscope
