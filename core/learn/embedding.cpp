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

/** Fixed-point scale of the per-batch displacement sums: integer sums do not depend on their order. */
constexpr double kFixedScale = 4294967296.0; // 2^32

/** Edges that can fire within the run, split into fixed batches (by a hash of the edge id). */
std::vector<std::vector<int>> batchEdges(const FuzzyGraph& g, const std::vector<float>& every, int epochs,
                                         int batches, std::uint64_t seed)
{
    std::vector<std::vector<int>> lists(static_cast<std::size_t>(batches));
    for (std::size_t e = 0; e < g.edgeCount(); ++e)
        if (every[e] <= float(epochs))
            lists[learn::hashBelow(learn::hashCounters(seed, 0x62617463ULL, e), std::uint32_t(batches))].push_back(int(e));
    return lists;
}

/** True when an edge sampled every `every` epochs fires in epoch n (n counted from 1). */
inline bool fires(float every, int n) { return std::floor(float(n) / every) > std::floor(float(n - 1) / every); }

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
    std::vector<float> every(graph.edgeCount());
    for (std::size_t e = 0; e < every.size(); ++e)
        every[e] = wMax / graph.weight[e];
    const std::vector<std::vector<int>> batchList = batchEdges(graph, every, epochs, batches, params.seed);
    const int firstStage = std::max(1, epochs / 2);
    std::vector<std::atomic<long long>> shift(std::size_t(2) * n);
    for (auto& v : shift)
        v.store(0, std::memory_order_relaxed);

    for (int epoch = 1; epoch <= epochs; ++epoch) {
        throwIfCancelled(progress);
        const bool relaxed = epoch <= firstStage;
        const LayoutKernel kernel = relaxed ? params.relaxed : params.sharp;
        const int stageLength = relaxed ? firstStage : epochs - firstStage;
        const int stageEpoch = relaxed ? epoch - 1 : epoch - firstStage - 1;
        const float alpha = 1.0f - float(stageEpoch) / float(std::max(1, stageLength));
        const float a = kernel.a, b = kernel.b;
        const bool unitB = b == 1.0f;

        // Attraction along edge i-j (counted twice: UMAP visits each undirected edge from both ends)
        // and repulsion of i from random points, all from the positions at the batch's start.
        auto push = [&](int i, int j, int e, int side) {
            const float yi0 = y(i, 0), yi1 = y(i, 1);
            float g0 = 0.0f, g1 = 0.0f;
            float d0 = yi0 - y(j, 0), d1 = yi1 - y(j, 1);
            float dist2 = d0 * d0 + d1 * d1;
            if (dist2 > 0.0f) {
                const float powB = unitB ? dist2 : powerOf(dist2, b);
                const float coef = -2.0f * a * b * (unitB ? 1.0f : powB / dist2) / (a * powB + 1.0f);
                g0 += 2.0f * clip4(coef * d0);
                g1 += 2.0f * clip4(coef * d1);
            }
            std::uint64_t h = learn::hashCounters(params.seed, std::uint64_t(epoch), std::uint64_t(e), std::uint64_t(side));
            for (int neg = 0; neg < params.negativeSamples; ++neg) {
                h = learn::mix64(h);
                const int k = int(learn::hashBelow(h, std::uint32_t(n)));
                if (k == i)
                    continue;
                d0 = yi0 - y(k, 0);
                d1 = yi1 - y(k, 1);
                dist2 = d0 * d0 + d1 * d1;
                const float powB = unitB ? dist2 : powerOf(dist2, b);
                const float coef = 2.0f * b / ((0.001f + dist2) * (a * powB + 1.0f));
                g0 += clip4(coef * d0);
                g1 += clip4(coef * d1);
            }
            shift[std::size_t(2) * i].fetch_add((long long)(double(alpha * g0) * kFixedScale), std::memory_order_relaxed);
            shift[std::size_t(2) * i + 1].fetch_add((long long)(double(alpha * g1) * kFixedScale), std::memory_order_relaxed);
        };
        auto apply = [&](int i) {
            const long long s0 = shift[std::size_t(2) * i].exchange(0, std::memory_order_relaxed);
            const long long s1 = shift[std::size_t(2) * i + 1].exchange(0, std::memory_order_relaxed);
            if (s0 != 0)
                y(i, 0) += float(double(s0) / kFixedScale);
            if (s1 != 0)
                y(i, 1) += float(double(s1) / kFixedScale);
        };
        for (int batch = 0; batch < batches; ++batch) {
            const std::vector<int>& edges = batchList[std::size_t(batch)];
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, edges.size(), 1024), [&](const auto& range) {
                for (std::size_t s = range.begin(); s < range.end(); ++s) {
                    const int e = edges[s];
                    if (!fires(every[std::size_t(e)], epoch))
                        continue;
                    push(graph.head[std::size_t(e)], graph.tail[std::size_t(e)], e, 1);
                    push(graph.tail[std::size_t(e)], graph.head[std::size_t(e)], e, 2);
                }
            });
            // Exactly one thread receives each point's non-zero sum and moves the point.
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, edges.size(), 1024), [&](const auto& range) {
                for (std::size_t s = range.begin(); s < range.end(); ++s) {
                    const int e = edges[s];
                    if (!fires(every[std::size_t(e)], epoch))
                        continue;
                    apply(graph.head[std::size_t(e)]);
                    apply(graph.tail[std::size_t(e)]);
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
