#include "core/learn/clustering.h"

#include "core/learn/kmeans.h"
#include "core/learn/rng.h"

#include <Eigen/Cholesky>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace motifscope {

namespace {

/** A square-celled grid over the map with a margin, and a density on it. */
struct DensityGrid
{
    int width = 0, height = 0;
    float x0 = 0, y0 = 0, cell = 1;
    std::vector<float> value;

    float& at(int gx, int gy) { return value[std::size_t(gy) * width + gx]; }
    float at(int gx, int gy) const { return value[std::size_t(gy) * width + gx]; }
    int cellOf(float x, float y) const
    {
        const int gx = std::clamp(int(std::lround((x - x0) / cell)), 0, width - 1);
        const int gy = std::clamp(int(std::lround((y - y0) / cell)), 0, height - 1);
        return gy * width + gx;
    }
};

DensityGrid makeGrid(const Eigen::MatrixX2f& map, int cells, float sigmaFraction, float& sigmaCells)
{
    DensityGrid g;
    const Eigen::Vector2f lo = map.colwise().minCoeff(), hi = map.colwise().maxCoeff();
    const float extent = std::max({hi[0] - lo[0], hi[1] - lo[1], 1e-6f});
    sigmaCells = std::max(1.0f, sigmaFraction * float(cells));
    const int margin = int(std::ceil(3.0f * sigmaCells)) + 1;
    g.cell = extent / float(cells - 1);
    g.width = int(std::ceil((hi[0] - lo[0]) / g.cell)) + 1 + 2 * margin;
    g.height = int(std::ceil((hi[1] - lo[1]) / g.cell)) + 1 + 2 * margin;
    g.x0 = lo[0] - margin * g.cell;
    g.y0 = lo[1] - margin * g.cell;
    g.value.assign(std::size_t(g.width) * g.height, 0.0f);
    return g;
}

/** Adds the selected points to the grid by bilinear splatting, then blurs with a Gaussian. */
void accumulateDensity(DensityGrid& g, const Eigen::MatrixX2f& map, const std::vector<int>* labels, int label,
                       float sigmaCells)
{
    std::fill(g.value.begin(), g.value.end(), 0.0f);
    for (Eigen::Index i = 0; i < map.rows(); ++i) {
        if (labels && (*labels)[std::size_t(i)] != label)
            continue;
        const float fx = (map(i, 0) - g.x0) / g.cell, fy = (map(i, 1) - g.y0) / g.cell;
        const int gx = std::clamp(int(fx), 0, g.width - 2), gy = std::clamp(int(fy), 0, g.height - 2);
        const float ax = std::clamp(fx - gx, 0.0f, 1.0f), ay = std::clamp(fy - gy, 0.0f, 1.0f);
        g.at(gx, gy) += (1 - ax) * (1 - ay);
        g.at(gx + 1, gy) += ax * (1 - ay);
        g.at(gx, gy + 1) += (1 - ax) * ay;
        g.at(gx + 1, gy + 1) += ax * ay;
    }
    const int radius = int(std::ceil(3.0f * sigmaCells));
    std::vector<float> kernel(static_cast<std::size_t>(2 * radius + 1));
    for (int t = -radius; t <= radius; ++t)
        kernel[std::size_t(t + radius)] = std::exp(-0.5f * float(t * t) / (sigmaCells * sigmaCells));
    std::vector<float> tmp(g.value.size(), 0.0f);
    tbb::parallel_for(0, g.height, [&](int y) {
        for (int x = 0; x < g.width; ++x) {
            float s = 0;
            for (int t = std::max(-radius, -x); t <= std::min(radius, g.width - 1 - x); ++t)
                s += kernel[std::size_t(t + radius)] * g.at(x + t, y);
            tmp[std::size_t(y) * g.width + x] = s;
        }
    });
    tbb::parallel_for(0, g.height, [&](int y) {
        for (int x = 0; x < g.width; ++x) {
            float s = 0;
            for (int t = std::max(-radius, -y); t <= std::min(radius, g.height - 1 - y); ++t)
                s += kernel[std::size_t(t + radius)] * tmp[std::size_t(y + t) * g.width + x];
            g.at(x, y) = s;
        }
    });
}

int findRoot(std::vector<int>& parent, int c)
{
    while (parent[std::size_t(c)] != c) {
        parent[std::size_t(c)] = parent[std::size_t(parent[std::size_t(c)])];
        c = parent[std::size_t(c)];
    }
    return c;
}

Eigen::MatrixXd toDouble(const Eigen::MatrixXf& x) { return x.cast<double>(); }

} // namespace

int relabelBySize(std::vector<int>& labels)
{
    int maxLabel = -1;
    for (int l : labels)
        maxLabel = std::max(maxLabel, l);
    std::vector<long long> counts(std::size_t(maxLabel + 1), 0);
    for (int l : labels)
        if (l >= 0)
            ++counts[std::size_t(l)];
    std::vector<int> order(counts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return counts[std::size_t(a)] > counts[std::size_t(b)]; });
    std::vector<int> newLabel(counts.size(), -1);
    int classes = 0;
    for (int old : order)
        if (counts[std::size_t(old)] > 0)
            newLabel[std::size_t(old)] = classes++;
    for (int& l : labels)
        if (l >= 0)
            l = newLabel[std::size_t(l)];
    return classes;
}

Clustering segmentMap(const Eigen::MatrixX2f& map, const SegmentParams& params)
{
    Clustering result;
    const Eigen::Index n = map.rows();
    result.labels.assign(std::size_t(n), 0);
    result.confidence.assign(std::size_t(n), 1.0f);
    if (n == 0) {
        result.classes = 0;
        return result;
    }
    float sigmaCells = 1.0f;
    DensityGrid g = makeGrid(map, std::max(16, params.grid), params.bandwidth, sigmaCells);
    accumulateDensity(g, map, nullptr, 0, sigmaCells);

    // Persistence: cells from dense to sparse; regions merge across saddles that are not deep.
    const int cells = g.width * g.height;
    const float floor = 1e-7f * *std::max_element(g.value.begin(), g.value.end());
    std::vector<int> order;
    order.reserve(std::size_t(cells));
    for (int c = 0; c < cells; ++c)
        if (g.value[std::size_t(c)] > floor)
            order.push_back(c);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return g.value[std::size_t(a)] != g.value[std::size_t(b)] ? g.value[std::size_t(a)] > g.value[std::size_t(b)] : a < b;
    });
    std::vector<int> parent(std::size_t(cells), -1);
    std::vector<float> peak(std::size_t(cells), 0.0f);
    for (int c : order) {
        const int cx = c % g.width, cy = c / g.width;
        int best = -1;
        std::vector<int> roots;
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
                const int nx = cx + dx, ny = cy + dy;
                if ((dx == 0 && dy == 0) || nx < 0 || ny < 0 || nx >= g.width || ny >= g.height)
                    continue;
                const int nb = ny * g.width + nx;
                if (parent[std::size_t(nb)] < 0)
                    continue;
                const int r = findRoot(parent, nb);
                if (std::find(roots.begin(), roots.end(), r) == roots.end())
                    roots.push_back(r);
                if (best < 0 || peak[std::size_t(r)] > peak[std::size_t(best)])
                    best = r;
            }
        if (best < 0) {
            parent[std::size_t(c)] = c;
            peak[std::size_t(c)] = g.value[std::size_t(c)];
            continue;
        }
        parent[std::size_t(c)] = best;
        const float saddle = g.value[std::size_t(c)];
        for (int r : roots) {
            if (r == best)
                continue;
            const int rb = findRoot(parent, best), rr = findRoot(parent, r);
            if (rb == rr)
                continue;
            const float lower = std::min(peak[std::size_t(rb)], peak[std::size_t(rr)]);
            if (saddle >= params.saddleRatio * lower) {
                const int keep = peak[std::size_t(rb)] >= peak[std::size_t(rr)] ? rb : rr;
                const int drop = keep == rb ? rr : rb;
                parent[std::size_t(drop)] = keep;
            }
        }
    }
    std::vector<int> cellOf(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
        cellOf[std::size_t(i)] = g.cellOf(map(i, 0), map(i, 1));
        const int c = cellOf[std::size_t(i)];
        result.labels[std::size_t(i)] = parent[std::size_t(c)] >= 0 ? findRoot(parent, c) : c;
    }
    int classes = relabelBySize(result.labels);

    // Small classes join the large class with the nearest centroid.
    std::vector<long long> counts(std::size_t(classes), 0);
    Eigen::MatrixX2d centroid = Eigen::MatrixX2d::Zero(classes, 2);
    for (Eigen::Index i = 0; i < n; ++i) {
        ++counts[std::size_t(result.labels[std::size_t(i)])];
        centroid.row(result.labels[std::size_t(i)]) += map.row(i).cast<double>();
    }
    std::vector<int> target(static_cast<std::size_t>(classes));
    int large = 0;
    for (int c = 0; c < classes; ++c) {
        centroid.row(c) /= double(counts[std::size_t(c)]);
        if (counts[std::size_t(c)] >= params.minPoints && double(counts[std::size_t(c)]) >= params.minFraction * double(n))
            ++large;
    }
    large = std::max(large, 1); // classes are sorted by size: the first `large` are kept
    for (int c = 0; c < classes; ++c) {
        target[std::size_t(c)] = c;
        if (c < large)
            continue;
        double best = std::numeric_limits<double>::infinity();
        for (int t = 0; t < large; ++t) {
            const double d = (centroid.row(c) - centroid.row(t)).squaredNorm();
            if (d < best) {
                best = d;
                target[std::size_t(c)] = t;
            }
        }
    }
    for (int& l : result.labels)
        l = target[std::size_t(l)];
    result.classes = relabelBySize(result.labels);

    // Confidence: the point's own class density over all class densities at its cell.
    if (result.classes > 1 && result.classes <= 64) {
        std::vector<float> own(std::size_t(n), 0.0f), total(std::size_t(n), 0.0f);
        for (int c = 0; c < result.classes; ++c) {
            accumulateDensity(g, map, &result.labels, c, sigmaCells);
            for (Eigen::Index i = 0; i < n; ++i) {
                const float v = g.value[std::size_t(cellOf[std::size_t(i)])];
                total[std::size_t(i)] += v;
                if (result.labels[std::size_t(i)] == c)
                    own[std::size_t(i)] = v;
            }
        }
        for (Eigen::Index i = 0; i < n; ++i)
            result.confidence[std::size_t(i)] = total[std::size_t(i)] > 0 ? std::clamp(own[std::size_t(i)] / total[std::size_t(i)], 0.0f, 1.0f) : 1.0f;
    }
    return result;
}

double GaussianMixture::bic() const
{
    const int k = components();
    const double d = double(means.cols());
    const double parameters = k * (d + d * (d + 1) / 2) + (k - 1);
    return -2.0 * logLikelihood + parameters * std::log(double(std::max(1, observations)));
}

namespace {

/** log N(x | mean, cov) for every row, and the log-likelihood of the mixture. */
Eigen::MatrixXd logResponsibilities(const GaussianMixture& gmm, const Eigen::MatrixXd& x, double& logLikelihood)
{
    const Eigen::Index n = x.rows(), d = x.cols();
    const int k = gmm.components();
    Eigen::MatrixXd logp(n, k);
    for (int c = 0; c < k; ++c) {
        const Eigen::LLT<Eigen::MatrixXd> llt(gmm.covariances[std::size_t(c)]);
        const Eigen::MatrixXd& l = llt.matrixL();
        double logDet = 0.0;
        for (Eigen::Index t = 0; t < d; ++t)
            logDet += 2.0 * std::log(l(t, t));
        const double constant = std::log(std::max(gmm.weights[c], 1e-300)) - 0.5 * (double(d) * std::log(2.0 * M_PI) + logDet);
        Eigen::MatrixXd centred = (x.rowwise() - gmm.means.row(c)).transpose(); // d x n
        llt.matrixL().solveInPlace(centred);
        logp.col(c) = constant - 0.5 * centred.colwise().squaredNorm().transpose().array();
    }
    logLikelihood = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double m = logp.row(i).maxCoeff();
        const double lse = m + std::log((logp.row(i).array() - m).exp().sum());
        logp.row(i).array() -= lse;
        logLikelihood += lse;
    }
    return logp;
}

} // namespace

GaussianMixture fitGaussianMixture(const Eigen::MatrixXf& xf, int k, std::uint64_t seed, int maxIterations)
{
    const Eigen::Index n = xf.rows(), d = xf.cols();
    if (n == 0 || k < 1)
        throw std::invalid_argument("a Gaussian mixture needs points and at least one component");
    k = int(std::min<Eigen::Index>(k, n));
    const Eigen::MatrixXd x = toDouble(xf);
    const Eigen::RowVectorXd globalMean = x.colwise().mean();
    const double meanVariance = std::max(1e-12, (x.rowwise() - globalMean).squaredNorm() / double(n * d));
    const Eigen::MatrixXd reg = 1e-4 * meanVariance * Eigen::MatrixXd::Identity(d, d);

    const KMeansResult km = kmeans(xf, k, seed, 3);
    GaussianMixture gmm;
    gmm.observations = int(n);
    Eigen::MatrixXd resp = Eigen::MatrixXd::Zero(n, k);
    for (Eigen::Index i = 0; i < n; ++i)
        resp(i, km.labels[std::size_t(i)]) = 1.0;
    double previous = -std::numeric_limits<double>::infinity();
    for (int it = 0; it <= maxIterations; ++it) {
        // M step.
        const Eigen::VectorXd nk = resp.colwise().sum().transpose().array() + 1e-10;
        gmm.weights = nk / double(n);
        gmm.means = (resp.transpose() * x).array().colwise() / nk.array();
        gmm.covariances.resize(std::size_t(k));
        for (int c = 0; c < k; ++c) {
            const Eigen::MatrixXd centred = x.rowwise() - gmm.means.row(c);
            gmm.covariances[std::size_t(c)] =
                (centred.transpose() * resp.col(c).asDiagonal() * centred) / nk[c] + reg;
        }
        // E step.
        double logLikelihood = 0.0;
        resp = logResponsibilities(gmm, x, logLikelihood).array().exp();
        gmm.logLikelihood = logLikelihood;
        if (std::abs(logLikelihood - previous) < 1e-7 * std::abs(logLikelihood) + 1e-9)
            break;
        previous = logLikelihood;
    }
    return gmm;
}

Eigen::MatrixXd mixturePosteriors(const GaussianMixture& gmm, const Eigen::MatrixXf& x)
{
    double ll = 0.0;
    return logResponsibilities(gmm, toDouble(x), ll).array().exp();
}

double silhouetteScore(const Eigen::MatrixXf& x, const std::vector<int>& labels, int maxSamples, std::uint64_t seed)
{
    const Eigen::Index n = x.rows();
    int classes = 0;
    for (int l : labels)
        classes = std::max(classes, l + 1);
    if (classes < 2 || n < 3)
        return 0.0;
    std::vector<int> sample(static_cast<std::size_t>(n));
    std::iota(sample.begin(), sample.end(), 0);
    if (n > maxSamples) {
        learn::SplitMix rng(learn::hashCounters(seed, 0x73696cULL));
        for (int s = 0; s < maxSamples; ++s)
            std::swap(sample[std::size_t(s)], sample[std::size_t(s) + rng.below(std::uint32_t(n - s))]);
        sample.resize(std::size_t(maxSamples));
    }
    std::vector<double> score(sample.size(), 0.0);
    tbb::parallel_for(std::size_t(0), sample.size(), [&](std::size_t a) {
        std::vector<double> sum(std::size_t(classes), 0.0);
        std::vector<int> count(std::size_t(classes), 0);
        const int i = sample[a];
        for (int b : sample) {
            if (b == i || labels[std::size_t(b)] < 0)
                continue;
            sum[std::size_t(labels[std::size_t(b)])] += (x.row(i) - x.row(b)).norm();
            ++count[std::size_t(labels[std::size_t(b)])];
        }
        const int own = labels[std::size_t(i)];
        if (own < 0 || count[std::size_t(own)] == 0)
            return;
        const double within = sum[std::size_t(own)] / count[std::size_t(own)];
        double nearest = std::numeric_limits<double>::infinity();
        for (int c = 0; c < classes; ++c)
            if (c != own && count[std::size_t(c)] > 0)
                nearest = std::min(nearest, sum[std::size_t(c)] / count[std::size_t(c)]);
        if (std::isfinite(nearest))
            score[a] = (nearest - within) / std::max(nearest, within);
    });
    return std::accumulate(score.begin(), score.end(), 0.0) / double(score.size());
}

namespace {

/**
 * Groups the components of a mixture on a 2-D map by the connected regions of the data: the map is
 * binned with cells of half the median component spread, cells holding at least max(2, 10% of the
 * median occupied-cell count) points are land, 8-connected land forms regions, and each component
 * belongs to the region holding most of its points. A flat or curved cluster of the embedding that
 * ICL modelled with several Gaussians is one region; two motifs are separated by empty map. For
 * other dimensions every component is its own group. Returns a group per component.
 */
std::vector<int> connectedRegionGroups(const GaussianMixture& gmm, const Eigen::MatrixXf& x, const Eigen::MatrixXd& post)
{
    const int k = gmm.components();
    std::vector<int> group(static_cast<std::size_t>(k));
    std::iota(group.begin(), group.end(), 0);
    if (x.cols() != 2 || k < 2)
        return group;
    std::vector<double> spreads;
    for (int c = 0; c < k; ++c)
        spreads.push_back(std::sqrt(gmm.covariances[std::size_t(c)].trace() / 2.0));
    std::nth_element(spreads.begin(), spreads.begin() + k / 2, spreads.end());
    const double cell = 0.5 * spreads[std::size_t(k / 2)];
    const Eigen::Vector2f lo = x.colwise().minCoeff(), hi = x.colwise().maxCoeff();
    if (!(cell > 0.0))
        return group;
    const int nx = std::clamp(int((hi.x() - lo.x()) / cell) + 1, 1, 2048);
    const int ny = std::clamp(int((hi.y() - lo.y()) / cell) + 1, 1, 2048);
    auto cellOf = [&](Eigen::Index i) {
        const int cx = std::clamp(int((x(i, 0) - lo.x()) / cell), 0, nx - 1);
        const int cy = std::clamp(int((x(i, 1) - lo.y()) / cell), 0, ny - 1);
        return cy * nx + cx;
    };
    std::vector<int> count(std::size_t(nx) * std::size_t(ny), 0);
    for (Eigen::Index i = 0; i < x.rows(); ++i)
        ++count[std::size_t(cellOf(i))];
    std::vector<int> occupied;
    for (int v : count)
        if (v > 0)
            occupied.push_back(v);
    std::nth_element(occupied.begin(), occupied.begin() + occupied.size() / 2, occupied.end());
    const int land = std::max(2, int(0.1 * occupied[occupied.size() / 2]));
    // Flood fill of the land cells into regions.
    std::vector<int> region(count.size(), -1);
    int regions = 0;
    std::vector<int> stack;
    for (std::size_t start = 0; start < count.size(); ++start) {
        if (count[start] < land || region[start] >= 0)
            continue;
        region[start] = regions;
        stack.assign(1, int(start));
        while (!stack.empty()) {
            const int c = stack.back();
            stack.pop_back();
            const int cx = c % nx, cy = c / nx;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    const int ox = cx + dx, oy = cy + dy;
                    if (ox < 0 || oy < 0 || ox >= nx || oy >= ny)
                        continue;
                    const std::size_t o = std::size_t(oy) * std::size_t(nx) + std::size_t(ox);
                    if (count[o] >= land && region[o] < 0) {
                        region[o] = regions;
                        stack.push_back(int(o));
                    }
                }
        }
        ++regions;
    }
    // Each component votes with its hard-assigned points on land.
    Eigen::MatrixXi votes = Eigen::MatrixXi::Zero(k, std::max(1, regions));
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const int r = region[std::size_t(cellOf(i))];
        Eigen::Index c;
        post.row(i).maxCoeff(&c);
        if (r >= 0)
            ++votes(c, r);
    }
    std::vector<int> firstComponentOfRegion(std::size_t(std::max(1, regions)), -1);
    for (int c = 0; c < k; ++c) {
        Eigen::Index r;
        if (votes.row(c).maxCoeff(&r) == 0)
            continue; // a component on no land keeps its own group
        int& first = firstComponentOfRegion[std::size_t(r)];
        if (first < 0)
            first = c;
        group[std::size_t(c)] = first;
    }
    return group;
}

/** Classes below this share of the points join the nearest larger class (fragments of a motif). */
constexpr double kMinGroupFraction = 0.03;

/**
 * Groups holding fewer than `minFraction` of the points (by most probable component) join the
 * group of the nearest component mean among the larger groups: detached fragments of one motif
 * on the map are not motifs of their own.
 */
void joinSmallGroups(const GaussianMixture& gmm, const Eigen::MatrixXd& post, std::vector<int>& group, double minFraction)
{
    const int k = gmm.components();
    std::vector<long long> size(std::size_t(k), 0);
    for (Eigen::Index i = 0; i < post.rows(); ++i) {
        Eigen::Index c;
        post.row(i).maxCoeff(&c);
        ++size[std::size_t(group[std::size_t(c)])];
    }
    const double limit = minFraction * double(post.rows());
    auto large = [&](int c) { return double(size[std::size_t(group[std::size_t(c)])]) >= limit; };
    std::vector<int> joined = group;
    for (int c = 0; c < k; ++c) {
        if (large(c))
            continue;
        double nearest = std::numeric_limits<double>::infinity();
        for (int o = 0; o < k; ++o) {
            const double d = (gmm.means.row(c) - gmm.means.row(o)).squaredNorm();
            if (large(o) && d < nearest) {
                nearest = d;
                joined[std::size_t(c)] = group[std::size_t(o)];
            }
        }
    }
    group = std::move(joined);
}

} // namespace

Clustering clusterGmm(const Eigen::MatrixXf& x, int k, std::uint64_t seed, int maxClasses)
{
    GaussianMixture best;
    if (k > 0) {
        best = fitGaussianMixture(x, k, seed);
    } else {
        // ICL = BIC + 2 * classification entropy: BIC that also penalises overlapping components,
        // so one non-Gaussian cluster is not split into several Gaussians.
        double bestIcl = std::numeric_limits<double>::infinity();
        for (int c = 1; c <= std::min<Eigen::Index>(maxClasses, x.rows()); ++c) {
            GaussianMixture gmm = fitGaussianMixture(x, c, seed);
            const Eigen::MatrixXd post = mixturePosteriors(gmm, x);
            const double entropy = -(post.array() * (post.array().max(1e-300)).log()).sum();
            const double icl = gmm.bic() + 2.0 * entropy;
            if (icl < bestIcl) {
                bestIcl = icl;
                best = std::move(gmm);
            }
        }
    }
    Eigen::MatrixXd post = mixturePosteriors(best, x);
    if (k <= 0) {
        // Automatic count: components that share one region are one class; their posteriors add.
        std::vector<int> group = connectedRegionGroups(best, x, post);
        joinSmallGroups(best, post, group, kMinGroupFraction);
        Eigen::MatrixXd merged = Eigen::MatrixXd::Zero(post.rows(), post.cols());
        for (int c = 0; c < best.components(); ++c)
            merged.col(group[std::size_t(c)]) += post.col(c);
        post = std::move(merged);
    }
    Clustering result;
    result.labels.resize(std::size_t(x.rows()));
    result.confidence.resize(std::size_t(x.rows()));
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        Eigen::Index c;
        result.confidence[std::size_t(i)] = float(post.row(i).maxCoeff(&c));
        result.labels[std::size_t(i)] = int(c);
    }
    result.classes = relabelBySize(result.labels);
    return result;
}

Clustering clusterKmeans(const Eigen::MatrixXf& x, int k, std::uint64_t seed, int maxClasses)
{
    KMeansResult best;
    if (k > 0) {
        best = kmeans(x, k, seed);
    } else {
        best = kmeans(x, 1, seed, 1);
        double bestScore = 0.5; // below this no split is convincing: one class
        for (int c = 2; c <= std::min<Eigen::Index>(maxClasses, x.rows() - 1); ++c) {
            KMeansResult km = kmeans(x, c, seed);
            const double s = silhouetteScore(x, km.labels, 2000, seed);
            if (s > bestScore) {
                bestScore = s;
                best = std::move(km);
            }
        }
    }
    Clustering result;
    result.labels = best.labels;
    result.confidence.assign(std::size_t(x.rows()), 1.0f);
    if (best.centres.rows() > 1) {
        tbb::parallel_for(Eigen::Index(0), x.rows(), [&](Eigen::Index i) {
            float d1 = std::numeric_limits<float>::infinity(), d2 = d1;
            for (Eigen::Index c = 0; c < best.centres.rows(); ++c) {
                const float d = (x.row(i) - best.centres.row(c)).norm();
                if (d < d1) {
                    d2 = d1;
                    d1 = d;
                } else if (d < d2) {
                    d2 = d;
                }
            }
            result.confidence[std::size_t(i)] = d2 > 0 ? std::clamp(1.0f - d1 / d2, 0.0f, 1.0f) : 1.0f;
        });
    }
    result.classes = relabelBySize(result.labels);
    return result;
}

} // namespace motifscope
