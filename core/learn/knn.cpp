#include "core/learn/knn.h"

#include "core/learn/cross_products.h"
#include "core/learn/kmeans.h"
#include "core/util/progress.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace motifscope {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr int kMaxK = 64;

/** The k smallest (distance, index) pairs seen so far, sorted; ties broken by the smaller index. */
struct TopK
{
    int k = 0;
    int count = 0;
    std::array<float, kMaxK> dist;
    std::array<int, kMaxK> index;

    void reset(int capacity)
    {
        k = capacity;
        count = 0;
    }
    float worst() const { return count < k ? std::numeric_limits<float>::infinity() : dist[std::size_t(count - 1)]; }
    bool contains(int j) const
    {
        for (int s = 0; s < count; ++s)
            if (index[std::size_t(s)] == j)
                return true;
        return false;
    }
    void insert(float d, int j)
    {
        if (count == k && (d > dist[std::size_t(k - 1)] || (d == dist[std::size_t(k - 1)] && j >= index[std::size_t(k - 1)])))
            return;
        int pos = count < k ? count++ : k - 1;
        while (pos > 0 && (dist[std::size_t(pos - 1)] > d || (dist[std::size_t(pos - 1)] == d && index[std::size_t(pos - 1)] > j))) {
            dist[std::size_t(pos)] = dist[std::size_t(pos - 1)];
            index[std::size_t(pos)] = index[std::size_t(pos - 1)];
            --pos;
        }
        dist[std::size_t(pos)] = d;
        index[std::size_t(pos)] = j;
    }
};

inline float squaredDistance(const float* a, const float* b, int d)
{
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int t = 0;
    for (; t + 4 <= d; t += 4) {
        const float e0 = a[t] - b[t], e1 = a[t + 1] - b[t + 1], e2 = a[t + 2] - b[t + 2], e3 = a[t + 3] - b[t + 3];
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
    }
    for (; t < d; ++t)
        s0 += (a[t] - b[t]) * (a[t] - b[t]);
    return (s0 + s1) + (s2 + s3);
}

/** Writes row `i`'s neighbours from `top` (squared distances kept for now). */
void store(KnnGraph& g, int i, const TopK& top)
{
    for (int s = 0; s < g.k; ++s) {
        g.indices[std::size_t(i) * g.k + s] = s < top.count ? top.index[std::size_t(s)] : -1;
        g.distances[std::size_t(i) * g.k + s] = s < top.count ? top.dist[std::size_t(s)] : std::numeric_limits<float>::infinity();
    }
}

/**
 * Offers `top` the candidates of one query row: squared distance |q|^2 + |c|^2 - 2 q.c (at least
 * 0) of candidate s from its product `dot[s]` and norm `candNorm[s]`, the query itself (`self`)
 * left out. Most candidates are farther than the k-th kept: four at a time are tested together
 * (the same roundings as one by one) and only those that pass are offered, in order.
 */
void scanRow(const float* dot, const float* candNorm, const int* candId, std::size_t count, float queryNorm, int self,
             TopK& top)
{
    float worst = top.worst(); // most candidates fail this test: keep it in a register
    auto offer = [&](float d, std::size_t s) {
        if (d <= worst && candId[s] != self) {
            top.insert(d, candId[s]);
            worst = top.worst();
        }
    };
    std::size_t s = 0;
#if defined(__SSE2__)
    const __m128 norm = _mm_set1_ps(queryNorm), two = _mm_set1_ps(2.0f), zero = _mm_setzero_ps();
    alignas(16) float lane[4];
    for (; s + 4 <= count; s += 4) {
        const __m128 d = _mm_max_ps(
            _mm_sub_ps(_mm_add_ps(norm, _mm_loadu_ps(candNorm + s)), _mm_mul_ps(two, _mm_loadu_ps(dot + s))), zero);
        if (_mm_movemask_ps(_mm_cmple_ps(d, _mm_set1_ps(worst))) == 0)
            continue;
        _mm_store_ps(lane, d);
        for (std::size_t t = 0; t < 4; ++t)
            offer(lane[t], s + t);
    }
#endif
    for (; s < count; ++s)
        offer(std::max(0.0f, queryNorm + candNorm[s] - 2.0f * dot[s]), s);
}

/** Candidates packed for crossProducts in blocks, with their squared norms and graph ids. */
struct PackedCandidates
{
    std::vector<CandidateBlock> blocks;
    std::vector<float> norms; ///< per candidate, in block order
    std::vector<int> ids;     ///< per candidate, in block order
};

/** Rows `candRows` of `rows` (squared norms `rowNorms`), known to the graph as points `candIds`. */
PackedCandidates packCandidates(const RowMatrix& rows, const Eigen::VectorXf& rowNorms, const std::vector<int>& candRows,
                                std::vector<int> candIds)
{
    constexpr std::size_t kCandBlock = 2048;
    PackedCandidates out;
    out.ids = std::move(candIds);
    out.norms.resize(candRows.size());
    std::vector<const float*> starts(candRows.size());
    for (std::size_t r = 0; r < candRows.size(); ++r) {
        starts[r] = rows.row(candRows[r]).data();
        out.norms[r] = rowNorms[candRows[r]];
    }
    for (std::size_t c0 = 0; c0 < candRows.size(); c0 += kCandBlock) {
        out.blocks.emplace_back();
        out.blocks.back().pack(starts.data() + c0, int(std::min(kCandBlock, candRows.size() - c0)), int(rows.cols()));
    }
    return out;
}

/**
 * Compares queries with candidates block by block: rows `queryRows` of `rows` (squared norms
 * `rowNorms`), known to the graph as points `queryIds`, against the packed candidates.
 */
void searchBlock(const RowMatrix& rows, const Eigen::VectorXf& rowNorms, const std::vector<int>& queryRows,
                 const std::vector<int>& queryIds, const PackedCandidates& candidates, std::vector<TopK>& tops)
{
    RowMatrix q(Eigen::Index(queryRows.size()), rows.cols());
    for (std::size_t r = 0; r < queryRows.size(); ++r)
        q.row(Eigen::Index(r)) = rows.row(queryRows[r]);
    std::vector<float> cross; // row-major, block.stride per query: the top-k loop below walks each query's row
    std::size_t c0 = 0;
    for (const CandidateBlock& block : candidates.blocks) {
        cross.resize(queryRows.size() * std::size_t(block.stride));
        crossProducts(q.data(), int(queryRows.size()), block, cross.data());
        for (std::size_t r = 0; r < queryRows.size(); ++r)
            scanRow(cross.data() + r * std::size_t(block.stride), candidates.norms.data() + c0,
                    candidates.ids.data() + c0, std::size_t(block.count), rowNorms[queryRows[r]], queryIds[r], tops[r]);
        c0 += std::size_t(block.count);
    }
}

void exactSearch(const RowMatrix& p, const Eigen::VectorXf& norms, KnnGraph& g, Progress* progress)
{
    const int n = g.n;
    constexpr int kQueryBlock = 128;
    const int blocks = (n + kQueryBlock - 1) / kQueryBlock;
    std::vector<int> all(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        all[std::size_t(i)] = i;
    const PackedCandidates everyone = packCandidates(p, norms, all, all);
    tbb::parallel_for(0, blocks, [&](int b) {
        if (cancelled(progress))
            return;
        const int begin = b * kQueryBlock, end = std::min(n, begin + kQueryBlock);
        std::vector<int> queries(all.begin() + begin, all.begin() + end);
        std::vector<TopK> tops(queries.size());
        for (auto& t : tops)
            t.reset(g.k);
        searchBlock(p, norms, queries, queries, everyone, tops);
        for (std::size_t r = 0; r < queries.size(); ++r)
            store(g, queries[r], tops[r]);
        if (progress)
            progress->advance(1, blocks);
    });
    throwIfCancelled(progress);
}

constexpr int kCellSize = 256;         ///< points per inverted-file cell
constexpr int kProbes = 5;              ///< cells each cell's members are compared with (itself included)
/**
 * The same for two-level cells: a fine cell's true neighbours often lie across its coarse cell's
 * border, which the fine k-means never saw. On 427,000 mixed-lattice columns 10 probes give the
 * recall@10 of one level of 1,024 larger cells (0.74 against 0.75) in half the time; 5 give 0.62.
 */
constexpr int kTwoLevelProbes = 10;

/** The inverted file: k-means cells of the points, each with its centre and members. */
struct CellPartition
{
    Eigen::MatrixXf centres;               ///< cells x d
    std::vector<std::vector<int>> members; ///< row indices per cell, increasing
};

/** k-means of `rows` of x into `cells` centres, fitted on an even sample of 24 rows per centre. */
Eigen::MatrixXf sampledCentres(const Eigen::MatrixXf& x, const std::vector<int>& rows, int cells, std::uint64_t seed,
                               Progress* progress)
{
    const int n = int(rows.size());
    const int sampleSize = std::min(n, 24 * cells);
    Eigen::MatrixXf sample(sampleSize, x.cols());
    for (int s = 0; s < sampleSize; ++s)
        sample.row(s) = x.row(rows[std::size_t((long long)s * n / sampleSize)]);
    return kmeans(sample, std::min(cells, sampleSize), seed, 1, 6, progress).centres;
}

/**
 * Cells of about kCellSize points. Up to `singleLevelCells` cells, one k-means; above, k-means
 * would cost N x cells, so coarse cells (about sqrt(cells) of them) are each split by their own
 * k-means: the cost stays N x sqrt(N) / kCellSize and the cells keep their size at any N.
 */
CellPartition partitionRows(const Eigen::MatrixXf& x, int singleLevelCells, std::uint64_t seed, Progress* progress)
{
    const int n = int(x.rows());
    const int cells = std::max(16, n / kCellSize);
    std::vector<int> all(static_cast<std::size_t>(n));
    std::iota(all.begin(), all.end(), 0);
    CellPartition out;
    auto fill = [](std::vector<std::vector<int>>& members, const std::vector<int>& rows, const std::vector<int>& cellOf) {
        for (std::size_t r = 0; r < rows.size(); ++r)
            members[std::size_t(cellOf[r])].push_back(rows[r]);
    };
    if (cells <= singleLevelCells) {
        out.centres = sampledCentres(x, all, cells, seed, progress);
        out.members.resize(std::size_t(out.centres.rows()));
        fill(out.members, all, nearestCentres(x, out.centres));
        return out;
    }
    const Eigen::MatrixXf coarse = sampledCentres(x, all, int(std::ceil(std::sqrt(double(cells)))), seed, progress);
    std::vector<std::vector<int>> coarseMembers(std::size_t(coarse.rows()));
    fill(coarseMembers, all, nearestCentres(x, coarse));
    std::vector<CellPartition> split(coarseMembers.size());
    tbb::parallel_for(0, int(coarseMembers.size()), [&](int c) {
        const std::vector<int>& rows = coarseMembers[std::size_t(c)];
        if (rows.empty() || cancelled(progress))
            return;
        CellPartition& part = split[std::size_t(c)];
        part.centres = sampledCentres(x, rows, std::max(1, int(std::lround(double(rows.size()) / kCellSize))),
                                      seed + std::uint64_t(c) + 1, nullptr);
        Eigen::MatrixXf own(Eigen::Index(rows.size()), x.cols());
        for (std::size_t r = 0; r < rows.size(); ++r)
            own.row(Eigen::Index(r)) = x.row(rows[r]);
        part.members.resize(std::size_t(part.centres.rows()));
        fill(part.members, rows, nearestCentres(own, part.centres));
    });
    throwIfCancelled(progress);
    Eigen::Index total = 0;
    for (const CellPartition& part : split)
        total += part.centres.rows();
    out.centres.resize(total, x.cols());
    Eigen::Index at = 0;
    for (CellPartition& part : split) {
        out.centres.middleRows(at, part.centres.rows()) = part.centres;
        at += part.centres.rows();
        for (auto& m : part.members)
            out.members.push_back(std::move(m));
    }
    return out;
}

/** For every cell, the `probes` cells whose centres are nearest its own (itself first). */
std::vector<std::vector<int>> probedCells(const Eigen::MatrixXf& centres, int probes)
{
    const int cells = int(centres.rows());
    const Eigen::VectorXf norms = centres.rowwise().squaredNorm();
    std::vector<std::vector<int>> probed(static_cast<std::size_t>(cells));
    constexpr int kBlock = 256;
    tbb::parallel_for(0, (cells + kBlock - 1) / kBlock, [&](int b) {
        const int begin = b * kBlock, end = std::min(cells, begin + kBlock);
        const Eigen::MatrixXf cross = centres.middleRows(begin, end - begin) * centres.transpose();
        std::vector<std::pair<float, int>> order(static_cast<std::size_t>(cells));
        for (int c = begin; c < end; ++c) {
            for (int o = 0; o < cells; ++o)
                order[std::size_t(o)] = {o == c ? -std::numeric_limits<float>::infinity() : norms[o] - 2.0f * cross(c - begin, o), o};
            std::partial_sort(order.begin(), order.begin() + probes, order.end());
            for (int t = 0; t < probes; ++t)
                probed[std::size_t(c)].push_back(order[std::size_t(t)].second);
        }
    });
    return probed;
}

/**
 * Inverted-file search: each k-means cell's members against the members of its nearest cells.
 * Returns the points cell by cell (neighbours in feature space close together in the list).
 */
std::vector<int> partitionSearch(const RowMatrix& p, const Eigen::VectorXf& norms, KnnGraph& g, const KnnParams& params,
                                 Progress* progress)
{
    CellPartition partition;
    {
        const Eigen::MatrixXf x = p; // column-major copy for k-means
        partition = partitionRows(x, params.singleLevelCells, params.seed, progress);
    }
    const auto& members = partition.members;
    const int cells = int(members.size());
    const int probes = cells <= params.singleLevelCells ? kProbes : kTwoLevelProbes;
    const std::vector<std::vector<int>> probed = probedCells(partition.centres, std::min(cells, probes));
    // The rows cell by cell: a cell's candidates are then a few runs of consecutive rows in memory
    // (the matrix products see the same numbers as from p).
    std::vector<int> byCell;
    std::vector<int> cellStart(std::size_t(cells) + 1, 0);
    byCell.reserve(std::size_t(g.n));
    for (int c = 0; c < cells; ++c) {
        byCell.insert(byCell.end(), members[std::size_t(c)].begin(), members[std::size_t(c)].end());
        cellStart[std::size_t(c) + 1] = int(byCell.size());
    }
    RowMatrix sorted(Eigen::Index(byCell.size()), p.cols());
    Eigen::VectorXf sortedNorms(Eigen::Index(byCell.size()));
    tbb::parallel_for(std::size_t(0), byCell.size(), [&](std::size_t r) {
        sorted.row(Eigen::Index(r)) = p.row(byCell[r]);
        sortedNorms[Eigen::Index(r)] = norms[byCell[r]];
    });
    tbb::parallel_for(0, cells, [&](int c) {
        if (cancelled(progress) || members[std::size_t(c)].empty())
            return;
        std::vector<int> candRows, candIds;
        for (int o : probed[std::size_t(c)]) {
            for (int r = cellStart[std::size_t(o)]; r < cellStart[std::size_t(o) + 1]; ++r)
                candRows.push_back(r);
            candIds.insert(candIds.end(), members[std::size_t(o)].begin(), members[std::size_t(o)].end());
        }
        const PackedCandidates candidates = packCandidates(sorted, sortedNorms, candRows, std::move(candIds));
        const auto& mine = members[std::size_t(c)];
        constexpr std::size_t kQueryBlock = 256;
        for (std::size_t q0 = 0; q0 < mine.size(); q0 += kQueryBlock) {
            const std::size_t q1 = std::min(mine.size(), q0 + kQueryBlock);
            std::vector<int> queryRows(q1 - q0);
            std::iota(queryRows.begin(), queryRows.end(), cellStart[std::size_t(c)] + int(q0));
            const std::vector<int> queryIds(mine.begin() + std::ptrdiff_t(q0), mine.begin() + std::ptrdiff_t(q1));
            std::vector<TopK> tops(queryIds.size());
            for (auto& t : tops)
                t.reset(g.k);
            searchBlock(sorted, sortedNorms, queryRows, queryIds, candidates, tops);
            for (std::size_t r = 0; r < queryIds.size(); ++r)
                store(g, queryIds[r], tops[r]);
        }
        if (progress)
            progress->advance(1, 2 * cells);
    });
    throwIfCancelled(progress);
    return byCell;
}

/**
 * One neighbour-of-neighbour pass: each point compares itself with its neighbours' neighbours and
 * with the points that list it (reading the previous graph only, so the result is order-free).
 * The points are visited in the order `visit` (all of them once): in cell order, points that share
 * candidates follow each other and find their rows still in cache.
 */
void refine(const RowMatrix& p, KnnGraph& g, const std::vector<int>& visit, Progress* progress)
{
    const int n = g.n, k = g.k, d = int(p.cols());
    std::vector<int> reverseCount(std::size_t(n), 0);
    std::vector<int> reverse(std::size_t(n) * k, -1);
    for (int i = 0; i < n; ++i)
        for (int s = 0; s < k; ++s) {
            const int j = g.indices[std::size_t(i) * k + s];
            if (j >= 0 && reverseCount[std::size_t(j)] < k)
                reverse[std::size_t(j) * k + reverseCount[std::size_t(j)]++] = i;
        }
    KnnGraph next = g;
    // Per thread, what each candidate j was for the point i in hand: mark[j] = 2i + 1 for one of
    // i's listed neighbours, 2i + 2 once its exact distance was compared. A candidate compared
    // once is either still kept or was beaten by k closer points (worst only falls), so comparing
    // it again changes nothing: each distinct candidate costs one distance, not one per path to it.
    // A listed neighbour whose (matrix-product) distance was pushed out is compared once exactly.
    tbb::enumerable_thread_specific<std::vector<int>> marks([n] { return std::vector<int>(std::size_t(n), -1); });
    tbb::parallel_for(tbb::blocked_range<int>(0, n, 512), [&](const tbb::blocked_range<int>& range) {
        if (cancelled(progress))
            return;
        std::vector<int>& mark = marks.local();
        TopK top;
        for (int at = range.begin(); at < range.end(); ++at) {
            const int i = visit[std::size_t(at)];
            top.reset(k);
            const int listed = 2 * i + 1, compared = 2 * i + 2;
            for (int s = 0; s < k; ++s)
                if (const int j = g.indices[std::size_t(i) * k + s]; j >= 0) {
                    top.insert(g.distances[std::size_t(i) * k + s], j);
                    mark[std::size_t(j)] = listed;
                }
            const float* pi = p.row(i).data();
            auto consider = [&](int j) {
                if (j < 0 || j == i)
                    return;
                int& m = mark[std::size_t(j)];
                if (m == compared || (m == listed && top.contains(j)))
                    return;
                m = compared;
                const float dist = squaredDistance(pi, p.row(j).data(), d);
                if (dist <= top.worst())
                    top.insert(dist, j);
            };
            auto expand = [&](int j) {
                consider(j);
                for (int t = 0; t < k; ++t)
                    consider(g.indices[std::size_t(j) * k + t]);
            };
            for (int s = 0; s < k; ++s)
                if (const int j = g.indices[std::size_t(i) * k + s]; j >= 0)
                    expand(j);
            for (int s = 0; s < reverseCount[std::size_t(i)]; ++s)
                expand(reverse[std::size_t(i) * k + s]);
            store(next, i, top);
        }
    });
    throwIfCancelled(progress);
    g = std::move(next);
}

/** Recomputes the kept distances directly (the matrix-product form rounds) and re-sorts each row. */
void exactDistances(const RowMatrix& p, KnnGraph& g)
{
    tbb::parallel_for(0, g.n, [&](int i) {
        TopK top;
        top.reset(g.k);
        for (int s = 0; s < g.k; ++s)
            if (const int j = g.indices[std::size_t(i) * g.k + s]; j >= 0)
                top.insert(squaredDistance(p.row(i).data(), p.row(j).data(), int(p.cols())), j);
        store(g, i, top);
    });
}

void finishDistances(KnnGraph& g, KnnMetric metric)
{
    for (float& d : g.distances) {
        if (!std::isfinite(d))
            continue;
        d = metric == KnnMetric::Correlation ? 0.5f * d : std::sqrt(d);
    }
}

} // namespace

Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> prepareForMetric(const Eigen::MatrixXf& x,
                                                                                        KnnMetric metric)
{
    RowMatrix p = x;
    if (metric == KnnMetric::Euclidean && p.rows() > 0) {
        // Centred columns: the same distances, smaller norms, less rounding in |a|^2 + |b|^2 - 2ab.
        const Eigen::RowVectorXf mean = x.colwise().mean();
        p.rowwise() -= mean;
    }
    if (metric == KnnMetric::Correlation && p.cols() > 0) {
        tbb::parallel_for(Eigen::Index(0), p.rows(), [&](Eigen::Index i) {
            p.row(i).array() -= p.row(i).mean();
            const float norm = p.row(i).norm();
            if (norm > 0.0f)
                p.row(i) /= norm;
        });
    }
    return p;
}

KnnGraph nearestNeighbours(const Eigen::MatrixXf& features, const KnnParams& params, Progress* progress)
{
    if (params.k < 1 || params.k > kMaxK)
        throw std::invalid_argument("k must be between 1 and 64");
    KnnGraph g;
    g.n = int(features.rows());
    g.k = params.k;
    g.indices.assign(std::size_t(g.n) * g.k, -1);
    g.distances.assign(std::size_t(g.n) * g.k, std::numeric_limits<float>::infinity());
    if (g.n == 0)
        return g;
    const RowMatrix p = prepareForMetric(features, params.metric);
    const Eigen::VectorXf norms = p.rowwise().squaredNorm();
    if (g.n <= std::max(params.exactLimit, 4 * 256)) {
        exactSearch(p, norms, g, progress);
    } else {
        const std::vector<int> byCell = partitionSearch(p, norms, g, params, progress);
        refine(p, g, byCell, progress);
        if (progress)
            progress->advance(g.n / 2, g.n);
    }
    exactDistances(p, g);
    finishDistances(g, params.metric);
    return g;
}

KnnGraph bruteForceNeighbours(const Eigen::MatrixXf& features, int k, KnnMetric metric)
{
    const RowMatrix p = prepareForMetric(features, metric);
    KnnGraph g;
    g.n = int(p.rows());
    g.k = k;
    g.indices.assign(std::size_t(g.n) * k, -1);
    g.distances.assign(std::size_t(g.n) * k, std::numeric_limits<float>::infinity());
    TopK top;
    for (int i = 0; i < g.n; ++i) {
        top.reset(k);
        for (int j = 0; j < g.n; ++j)
            if (j != i)
                top.insert(squaredDistance(p.row(i).data(), p.row(j).data(), int(p.cols())), j);
        store(g, i, top);
    }
    finishDistances(g, metric);
    return g;
}

} // namespace motifscope
