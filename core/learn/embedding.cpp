#include "learn/embedding.h"

#include "learn/rng.h"
#include "util/progress.h"

#include <Eigen/Eigenvalues>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace motifscope {

namespace {

inline float clip4(float v) { return std::clamp(v, -4.0f, 4.0f); }

/** log2 of a positive normal float, |error| < 1e-6 (series in (m - 1)/(m + 1) of the mantissa). */
inline float fastLog2(float x)
{
    std::uint32_t bits;
    std::memcpy(&bits, &x, 4);
    const int exponent = int((bits >> 23) & 255u) - 127;
    bits = (bits & 0x7fffffu) | 0x3f800000u;
    float m;
    std::memcpy(&m, &bits, 4);
    const float t = (m - 1.0f) / (m + 1.0f), t2 = t * t;
    return float(exponent) + 2.8853900817779268f * t * (1.0f + t2 * (1.0f / 3 + t2 * (1.0f / 5 + t2 * (1.0f / 7))));
}

/** 2^x for x in about [-126, 126], relative error < 2e-6 (degree-6 polynomial of the fraction). */
inline float fastExp2(float x)
{
    x = std::clamp(x, -126.0f, 126.0f);
    const float whole = std::floor(x), f = (x - whole) * 0.6931471805599453f;
    const float p = 1.0f + f * (1.0f + f * (0.5f + f * (1.0f / 6 + f * (1.0f / 24 + f * (1.0f / 120 + f * (1.0f / 720))))));
    const std::uint32_t bits = std::uint32_t(int(whole) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, 4);
    return p * scale;
}

/** d2^b for d2 >= 0. */
inline float powerOf(float d2, float b) { return d2 > 1e-30f ? fastExp2(b * fastLog2(d2)) : 0.0f; }

/** Points in the pool negative samples are drawn from (8,192 x 2 floats = 64 KiB: fits in L2). */
constexpr int kNegativePool = 8192;

/** One end of an edge, as seen from the point being moved. */
struct EdgeEnd
{
    int other;  ///< the point at the edge's other end
    int edge;   ///< edge index (its random stream)
    int side;   ///< 1 = the point is the edge's head, 2 = its tail (separate negative-sample streams)
    float rate; ///< firings per epoch, w / w_max (kept here: the ends are read in order, the edges are not)
};

/**
 * The edges that can fire within the run, split into fixed batches (by a hash of the edge id), and
 * for each batch the points they touch with their edge ends (compressed rows, points ascending).
 */
struct Batch
{
    std::vector<int> points;
    std::vector<std::size_t> offsets; ///< points.size() + 1
    std::vector<EdgeEnd> ends;
};

std::vector<Batch> batchEdges(const FuzzyGraph& g, const std::vector<float>& rate, int epochs, int batches,
                              std::uint64_t seed)
{
    std::vector<std::vector<int>> lists(static_cast<std::size_t>(batches));
    for (std::size_t e = 0; e < g.edgeCount(); ++e)
        if (rate[e] * float(epochs) >= 1.0f)
            lists[learn::hashBelow(learn::hashCounters(seed, 0x62617463ULL, e), std::uint32_t(batches))].push_back(int(e));
    std::vector<Batch> out(lists.size());
    std::vector<int> count(std::size_t(g.n), 0);
    for (std::size_t b = 0; b < lists.size(); ++b) {
        Batch& batch = out[b];
        for (int e : lists[b]) {
            ++count[std::size_t(g.head[std::size_t(e)])];
            ++count[std::size_t(g.tail[std::size_t(e)])];
        }
        batch.offsets.push_back(0);
        std::vector<std::size_t> start(std::size_t(g.n), 0);
        for (int p = 0; p < g.n; ++p)
            if (count[std::size_t(p)] > 0) {
                start[std::size_t(p)] = batch.offsets.back();
                batch.points.push_back(p);
                batch.offsets.push_back(batch.offsets.back() + std::size_t(count[std::size_t(p)]));
            }
        batch.ends.resize(batch.offsets.back());
        for (int e : lists[b]) { // edges ascending, so each point's ends are in edge order
            const int h = g.head[std::size_t(e)], t = g.tail[std::size_t(e)];
            const float r = rate[std::size_t(e)];
            batch.ends[start[std::size_t(h)]++] = {t, e, 1, r};
            batch.ends[start[std::size_t(t)]++] = {h, e, 2, r};
            count[std::size_t(h)] = 0;
            count[std::size_t(t)] = 0;
        }
    }
    return out;
}

/** True when an edge fired `rate` times per epoch (rate = w / w_max <= 1) fires in epoch n (from 1). */
inline bool fires(float rate, int n) { return std::floor(float(n) * rate) > std::floor(float(n - 1) * rate); }

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
    Eigen::Matrix<float, Eigen::Dynamic, 2, Eigen::RowMajor> y = start;
    if (n < 2 || graph.edgeCount() == 0) {
        if (onSnapshot)
            onSnapshot(y, epochs);
        return y;
    }
    const float wMax = *std::max_element(graph.weight.begin(), graph.weight.end());
    std::vector<float> rate(graph.edgeCount());
    for (std::size_t e = 0; e < rate.size(); ++e)
        rate[e] = graph.weight[e] / wMax;
    const std::vector<Batch> batchList = batchEdges(graph, rate, epochs, batches, params.seed);
    const int firstStage = std::max(1, epochs / 2);
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
        for (int s = 0; s < poolSize; ++s) {
            const std::uint64_t h = learn::hashCounters(params.seed ^ 0x706f6f6cULL, std::uint64_t(epoch), batchIndex,
                                                        std::uint64_t(s));
            const int k = int(learn::hashBelow(h, std::uint32_t(n)));
            pool[2 * std::size_t(s)] = layout(k, 0);
            pool[2 * std::size_t(s) + 1] = layout(k, 1);
        }
    };

    for (int epoch = 1; epoch <= epochs; ++epoch) {
        throwIfCancelled(progress);
        const bool relaxed = epoch <= firstStage;
        const LayoutKernel kernel = relaxed ? params.relaxed : params.sharp;
        const int stageLength = relaxed ? firstStage : epochs - firstStage;
        const int stageEpoch = relaxed ? epoch - 1 : epoch - firstStage - 1;
        const float alpha = 1.0f - float(stageEpoch) / float(std::max(1, stageLength));
        const float a = kernel.a, b = kernel.b;
        const bool unitB = b == 1.0f;

        // Forces on point i from one edge end: attraction to j (twice: UMAP visits each undirected
        // edge from both ends) and repulsion from random points, all at the batch's start positions.
        auto pull = [&](int i, const EdgeEnd& end, float& g0, float& g1) {
            const float yi0 = y(i, 0), yi1 = y(i, 1);
            float d0 = yi0 - y(end.other, 0), d1 = yi1 - y(end.other, 1);
            float dist2 = d0 * d0 + d1 * d1;
            if (dist2 > 0.0f) {
                const float powB = unitB ? dist2 : powerOf(dist2, b);
                const float coef = -2.0f * a * b * (unitB ? 1.0f : powB / dist2) / (a * powB + 1.0f);
                g0 += 2.0f * clip4(coef * d0);
                g1 += 2.0f * clip4(coef * d1);
            }
            std::uint64_t h = learn::hashCounters(params.seed, std::uint64_t(epoch), std::uint64_t(end.edge),
                                                  std::uint64_t(end.side));
            for (int neg = 0; neg < params.negativeSamples; ++neg) {
                h = learn::mix64(h);
                // The sample itself (k = i) adds nothing: its offset is zero.
                const float* k = negatives + 2 * std::size_t(learn::hashBelow(h, std::uint32_t(poolSize)));
                d0 = yi0 - k[0];
                d1 = yi1 - k[1];
                dist2 = d0 * d0 + d1 * d1;
                const float powB = unitB ? dist2 : powerOf(dist2, b);
                const float coef = 2.0f * b / ((0.001f + dist2) * (a * powB + 1.0f));
                g0 += clip4(coef * d0);
                g1 += clip4(coef * d1);
            }
        };
        for (std::size_t batchIndex = 0; batchIndex < batchList.size(); ++batchIndex) {
            const Batch& batch = batchList[batchIndex];
            drawNegativePool(y, epoch, batchIndex);
            // Each point's forces are summed by one task in a fixed order: the same on any number of threads.
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch.points.size(), 256), [&](const auto& range) {
                for (std::size_t s = range.begin(); s < range.end(); ++s) {
                    const int i = batch.points[s];
                    float g0 = 0.0f, g1 = 0.0f;
                    for (std::size_t k = batch.offsets[s]; k < batch.offsets[s + 1]; ++k)
                        if (fires(batch.ends[k].rate, epoch))
                            pull(i, batch.ends[k], g0, g1);
                    step[std::size_t(2) * i] = alpha * g0;
                    step[std::size_t(2) * i + 1] = alpha * g1;
                }
            });
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch.points.size(), 2048), [&](const auto& range) {
                for (std::size_t s = range.begin(); s < range.end(); ++s) {
                    const int i = batch.points[s];
                    y(i, 0) += step[std::size_t(2) * i];
                    y(i, 1) += step[std::size_t(2) * i + 1];
                }
            });
        }
        if (progress)
            progress->report(double(epoch) / epochs);
        if (onSnapshot && (epoch == epochs || (params.snapshotEvery > 0 && epoch % params.snapshotEvery == 0)))
            onSnapshot(y, epoch);
    }
    return y;
}

} // namespace motifscope
