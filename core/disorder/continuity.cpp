// motif_continuity: how deep the density valleys between motifs on the 2-D map are (docs/disorder.md).
#include "core/disorder/disorder.h"
#include "core/hierarchy/neighbour_graph.h"
#include "core/util/kd_tree_2d.h"

#include <Eigen/Dense>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <queue>

namespace motifscope::disorder {

namespace {

constexpr int kNeighbours = 15;       ///< k of the k-nearest-neighbour density and graph
constexpr double kSmallestMotifShare = 0.02; ///< smaller motifs are left out (see docs/disorder.md)
constexpr int kSmoothingPasses = 2;  ///< neighbour averages of the log-density (each pass: less noise)
constexpr std::uint64_t kContinuityStream = 40;
constexpr double kPatchLink = 1.5; ///< same-motif columns closer than this x the median nearest spacing: one patch
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/** The k nearest neighbours of every point (itself excluded), ascending by (distance, index). */
std::vector<std::vector<int>> nearestNeighbours(const std::vector<Point2>& p, int k, std::vector<double>& kthDistance)
{
    const std::size_t n = p.size();
    const KdTree2D<Point2> tree(p);
    std::vector<std::vector<int>> out(n);
    kthDistance.assign(n, 0.0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 256), [&](const tbb::blocked_range<std::size_t>& range) {
        std::vector<KdTree2D<Point2>::Neighbour> best(std::size_t(std::max(k, 1)));
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            const int found = tree.nearest(p[i].x, p[i].y, k, int(i), best.data());
            kthDistance[i] = found == 0 ? 0.0 : std::sqrt(best[std::size_t(found - 1)].first);
            out[i].resize(std::size_t(found));
            for (int s = 0; s < found; ++s)
                out[i][std::size_t(s)] = best[std::size_t(s)].second;
        }
    });
    return out;
}

} // namespace

std::vector<int> substantialMotifs(const std::vector<Point2>& map, const std::vector<int>& labels)
{
    std::map<int, long long> count;
    long long total = 0;
    for (std::size_t i = 0; i < map.size() && i < labels.size(); ++i)
        if (labels[i] >= 0 && std::isfinite(map[i].x) && std::isfinite(map[i].y)) {
            ++count[labels[i]];
            ++total;
        }
    std::vector<int> kept;
    for (const auto& [label, c] : count)
        if (c > kNeighbours && double(c) >= kSmallestMotifShare * double(total))
            kept.push_back(label);
    return kept;
}

std::vector<double> continuityPerPoint(const std::vector<Point2>& map, const std::vector<int>& labels)
{
    std::vector<double> result(map.size(), kNaN);
    const std::vector<int> kept = substantialMotifs(map, labels);
    std::vector<int> rows; // the points of substantial motifs
    for (std::size_t i = 0; i < map.size() && i < labels.size(); ++i)
        if (std::binary_search(kept.begin(), kept.end(), labels[i]) && std::isfinite(map[i].x) &&
            std::isfinite(map[i].y))
            rows.push_back(int(i));
    const std::size_t n = rows.size();
    if (n < 2)
        return result;
    std::vector<Point2> p(n);
    std::vector<int> label(n);
    std::vector<int> distinct;
    for (int r : rows)
        distinct.push_back(labels[std::size_t(r)]);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const int classes = int(distinct.size()); // labels renumbered 0..classes-1
    for (std::size_t r = 0; r < n; ++r) {
        p[r] = map[std::size_t(rows[r])];
        label[r] = int(std::lower_bound(distinct.begin(), distinct.end(), labels[std::size_t(rows[r])]) -
                       distinct.begin());
    }
    const int k = std::min<int>(kNeighbours, int(n) - 1);
    std::vector<double> kth;
    const auto knn = nearestNeighbours(p, k, kth);

    // Log-density of the 2-D map from the k-th neighbour distance (density ~ 1/r^2), smoothed over
    // each point's neighbours so that the noise of one estimate does not dig false valleys.
    double floor = 0.0;
    for (double d : kth)
        floor = std::max(floor, d);
    floor = std::max(floor * 1e-9, 1e-300);
    std::vector<double> raw(n), logDensity(n);
    for (std::size_t i = 0; i < n; ++i)
        raw[i] = -2.0 * std::log(std::max(kth[i], floor));
    for (int pass = 0; pass < kSmoothingPasses; ++pass) {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t i = range.begin(); i != range.end(); ++i) {
                double s = raw[i];
                for (int j : knn[i])
                    s += raw[std::size_t(j)];
                logDensity[i] = s / double(knn[i].size() + 1);
            }
        });
        raw.swap(logDensity);
    }
    raw.swap(logDensity);

    // Mutual neighbour graph: i and j are joined when each is among the other's k nearest. A few
    // sparse points between two clouds (edge and boundary columns strung out on the map) have their
    // neighbours in the clouds but are no cloud point's neighbour, so they join nothing; a bridge
    // joins two motifs only when it carries enough columns to be its own points' neighbours (mass
    // between the clouds, not the existence of a path; Maier, Hein & von Luxburg 2009).
    std::vector<std::vector<int>> graph(n);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i)
            for (int j : knn[i]) {
                const std::vector<int>& back = knn[std::size_t(j)];
                if (std::find(back.begin(), back.end(), int(i)) != back.end())
                    graph[i].push_back(j);
            }
    });

    // Superlevel sets of the density, highest points first (ties by index: deterministic). Every
    // union of two components is a node of the merge tree, at the density where it happened; a node
    // is "mixed" when its component holds more than one motif.
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return logDensity[std::size_t(a)] > logDensity[std::size_t(b)] ||
               (logDensity[std::size_t(a)] == logDensity[std::size_t(b)] && a < b);
    });
    const std::size_t words = std::size_t(classes + 63) / 64;
    std::vector<std::uint64_t> motifsOf(n * words, 0); // per union-find root
    std::vector<int> nodeOf(n, -1);                    // per root: its current merge-tree node
    std::vector<int> parent;                           // merge tree
    std::vector<double> level;
    std::vector<char> mixed;
    hierarchy_detail::UnionFind sets{int(n)};
    std::vector<char> inserted(n, 0);
    std::vector<int> leaf(n); // per point: its own node, made when it entered
    for (int i : order) {
        const std::size_t u = std::size_t(i);
        motifsOf[u * words + std::size_t(label[u]) / 64] |= std::uint64_t(1) << (label[u] % 64);
        nodeOf[u] = leaf[u] = int(parent.size());
        parent.push_back(-1), level.push_back(logDensity[u]), mixed.push_back(0);
        inserted[u] = 1;
        for (int j : graph[u]) {
            if (!inserted[std::size_t(j)])
                continue;
            const int a = sets.find(i), b = sets.find(j);
            if (a == b)
                continue;
            sets.unite(a, b);
            const int root = sets.find(i), other = root == a ? b : a;
            int motifs = 0;
            for (std::size_t w = 0; w < words; ++w) {
                motifsOf[std::size_t(root) * words + w] |= motifsOf[std::size_t(other) * words + w];
                motifs += std::popcount(motifsOf[std::size_t(root) * words + w]);
            }
            const int node = int(parent.size());
            parent.push_back(-1), level.push_back(logDensity[u]), mixed.push_back(motifs > 1);
            parent[std::size_t(nodeOf[std::size_t(a)])] = node;
            parent[std::size_t(nodeOf[std::size_t(b)])] = node;
            nodeOf[std::size_t(root)] = node;
        }
    }
    // The level at which each node's component first holds another motif (parents come later).
    const double never = -std::numeric_limits<double>::infinity();
    std::vector<double> joined(parent.size(), never);
    for (std::size_t v = parent.size(); v-- > 0;)
        joined[v] = mixed[v] ? level[v] : (parent[v] >= 0 ? joined[std::size_t(parent[v])] : never);
    // A valley shallower than the density estimate's own scatter (1/sqrt(k) in log density) is no valley.
    const double noise = 1.0 / std::sqrt(double(k));
    for (std::size_t r = 0; r < n; ++r) {
        const double j = joined[std::size_t(leaf[r])];
        result[std::size_t(rows[r])] = j == never ? 0.0 : std::min(1.0, std::exp(j - logDensity[r] + noise));
    }
    return result;
}

namespace {

/**
 * The spatial patches of one motif's columns: connected parts of the graph that joins two of them
 * closer than 1.5 times the median distance from a column to its nearest same-motif column.
 * Grains of one lattice are separate patches (their boundary columns are another motif), a
 * continuously strained lattice is one.
 */
std::vector<int> spatialPatches(const std::vector<Point2>& positions, int& patches)
{
    const int k = std::min<int>(6, int(positions.size()) - 1);
    std::vector<double> kth;
    const auto knn = nearestNeighbours(positions, k, kth);
    std::vector<double> nearest(positions.size());
    auto distance = [&](std::size_t i, int j) {
        return std::hypot(positions[std::size_t(j)].x - positions[i].x, positions[std::size_t(j)].y - positions[i].y);
    };
    for (std::size_t i = 0; i < positions.size(); ++i)
        nearest[i] = knn[i].empty() ? 0.0 : distance(i, knn[i].front());
    std::vector<double> sorted = nearest;
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(sorted.size() / 2), sorted.end());
    const double link = kPatchLink * sorted[sorted.size() / 2];
    hierarchy_detail::UnionFind sets{int(positions.size())};
    for (std::size_t i = 0; i < positions.size(); ++i)
        for (int j : knn[i])
            if (distance(i, j) <= link)
                sets.unite(int(i), j);
    std::vector<int> patch(positions.size(), -1), index(positions.size(), -1);
    patches = 0;
    for (std::size_t i = 0; i < positions.size(); ++i) {
        const int root = sets.find(int(i));
        if (index[std::size_t(root)] < 0)
            index[std::size_t(root)] = patches++;
        patch[i] = index[std::size_t(root)];
    }
    return patch;
}

} // namespace

std::map<int, double> continuityWithinMotifs(const std::vector<Point2>& map, const std::vector<int>& labels,
                                             const std::vector<Point2>& positions, int degree)
{
    std::map<int, double> out;
    const std::size_t n = std::min({map.size(), labels.size(), positions.size()});
    degree = std::clamp(degree, 1, 6);
    const int terms = (degree + 1) * (degree + 2) / 2 - 1; // the polynomials of the position but the constant
    for (int motif : substantialMotifs(map, labels)) {
        std::vector<std::size_t> rows;
        std::vector<Point2> where;
        for (std::size_t i = 0; i < n; ++i)
            if (labels[i] == motif && std::isfinite(map[i].x) && std::isfinite(map[i].y) &&
                std::isfinite(positions[i].x) && std::isfinite(positions[i].y)) {
                rows.push_back(i);
                where.push_back(positions[i]);
            }
        if (rows.size() < std::size_t(terms) + 3)
            continue;
        int patches = 0;
        const std::vector<int> patch = spatialPatches(where, patches);
        double x0 = where[0].x, x1 = x0, y0 = where[0].y, y1 = y0;
        for (const Point2& q : where)
            x0 = std::min(x0, q.x), x1 = std::max(x1, q.x), y0 = std::min(y0, q.y), y1 = std::max(y1, q.y);
        const double cx = 0.5 * (x0 + x1), cy = 0.5 * (y0 + y1);
        const double half = std::max({0.5 * (x1 - x0), 0.5 * (y1 - y0), 1e-12});
        // Rows: the polynomials of the position up to `degree` (scaled to -1 .. 1 over the motif's
        // extent) and the map point, each less its patch's mean (Frisch-Waugh: the fit below is then
        // the trend's share beyond one offset per patch, so grains of one motif whose map points
        // differ a little are no trend).
        const std::size_t count = rows.size();
        Eigen::MatrixXd basis(Eigen::Index(count), terms);
        Eigen::MatrixX2d e(Eigen::Index(count), 2);
        for (std::size_t r = 0; r < count; ++r) {
            const double u = (where[r].x - cx) / half, v = (where[r].y - cy) / half;
            std::array<double, 7> uPower{1.0}, vPower{1.0};
            for (int d = 1; d <= degree; ++d)
                uPower[std::size_t(d)] = uPower[std::size_t(d - 1)] * u, vPower[std::size_t(d)] = vPower[std::size_t(d - 1)] * v;
            int t = 0;
            for (int d = 1; d <= degree; ++d)
                for (int a = d; a >= 0; --a) // u^a v^(d - a)
                    basis(Eigen::Index(r), t++) = uPower[std::size_t(a)] * vPower[std::size_t(d - a)];
            e(Eigen::Index(r), 0) = map[rows[r]].x;
            e(Eigen::Index(r), 1) = map[rows[r]].y;
        }
        const double total = (e.rowwise() - e.colwise().mean()).squaredNorm(); // about the motif's mean
        Eigen::MatrixXd basisMean = Eigen::MatrixXd::Zero(patches, terms);
        Eigen::MatrixX2d eMean = Eigen::MatrixX2d::Zero(patches, 2);
        std::vector<double> size(std::size_t(patches), 0.0);
        for (std::size_t r = 0; r < count; ++r) {
            basisMean.row(patch[r]) += basis.row(Eigen::Index(r));
            eMean.row(patch[r]) += e.row(Eigen::Index(r));
            size[std::size_t(patch[r])] += 1.0;
        }
        for (int q = 0; q < patches; ++q)
            basisMean.row(q) /= size[std::size_t(q)], eMean.row(q) /= size[std::size_t(q)];
        for (std::size_t r = 0; r < count; ++r) {
            basis.row(Eigen::Index(r)) -= basisMean.row(patch[r]);
            e.row(Eigen::Index(r)) -= eMean.row(patch[r]);
        }
        const Eigen::MatrixXd normal = basis.transpose() * basis;
        const Eigen::MatrixXd moments = basis.transpose() * e;
        const Eigen::MatrixXd w = normal.ldlt().solve(moments);
        const double explained = (w.cwiseProduct(moments)).sum();
        // The trend's share of the motif's map variance, adjusted for the parameters fitted (noise
        // alone explains about terms / (count - patches) of the variance left within patches).
        const double within = e.squaredNorm();
        const double dof = double(count) - double(patches) - double(terms);
        if (!(total > 0.0) || !std::isfinite(explained) || dof < 1.0) {
            out[motif] = 0.0;
            continue;
        }
        const double share = std::clamp(explained / within, 0.0, 1.0);
        const double adjusted = 1.0 - (1.0 - share) * (double(count) - double(patches)) / dof;
        out[motif] = std::clamp(adjusted * within / total, 0.0, 1.0);
    }
    return out;
}

Estimate motifContinuity(const std::vector<Point2>& map, const std::vector<int>& labels, const BootstrapPlan& plan,
                         const std::vector<Point2>* positions, const std::vector<int>* columnMotif)
{
    long long labelled = 0;
    for (std::size_t i = 0; i < map.size() && i < labels.size(); ++i)
        labelled += labels[i] >= 0 ? 1 : 0;
    if (labelled < 2)
        return {kNaN, {kNaN, kNaN}};
    const std::vector<int> kept = substantialMotifs(map, labels);
    const bool image = positions && columnMotif;
    if (kept.empty() || (kept.size() < 2 && !image))
        return {0.0, {0.0, 0.0}}; // one motif (and perhaps a few stray ones), no image: nothing lies between motifs
    // Per point of a substantial map class: the larger of the valley measure (between the map's
    // classes) and how much of its column's motif is a gradient across the image.
    const std::vector<double> between = kept.size() >= 2 ? continuityPerPoint(map, labels) : std::vector<double>{};
    const std::map<int, double> within = image ? continuityWithinMotifs(map, *columnMotif, *positions) : std::map<int, double>{};
    std::vector<double> values;
    for (std::size_t i = 0; i < map.size() && i < labels.size(); ++i) {
        if (!std::binary_search(kept.begin(), kept.end(), labels[i]) || !std::isfinite(map[i].x) || !std::isfinite(map[i].y))
            continue;
        const double u = i < between.size() && std::isfinite(between[i]) ? between[i] : 0.0;
        const auto it = image && i < columnMotif->size() ? within.find((*columnMotif)[i]) : within.end();
        values.push_back(std::max(u, it == within.end() ? 0.0 : it->second));
    }
    if (values.empty())
        return {0.0, {0.0, 0.0}};
    const double n = double(values.size());
    double sum = 0.0;
    for (double v : values)
        sum += v;
    const auto resamples = resampledSums(values, 1, plan, kContinuityStream);
    return {sum / n, intervalOf(resamples, [n](const std::vector<double>& s) { return s[0] / n; })};
}

} // namespace motifscope::disorder
