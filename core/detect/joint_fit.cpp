#include "detect/joint_fit.h"

#include "detect/refine.h"
#include "util/progress.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace motifscope {

namespace {

constexpr int kMaxReach = 32;               ///< window half-width cap, pixels
constexpr double kWindowWidths = 3.0;       ///< fit window radius: 3 column widths hold ~95% of the position information
constexpr double kTailWidths = 4.0;         ///< a neighbour's Gaussian is negligible beyond this many widths
constexpr int kMaxNeighbours = 48;          ///< neighbours modelled per window
constexpr double kMinDiskFraction = 0.25;   ///< a border column needs this much of its window on the image

/** A column's width for modelling: its fitted width, else the typical one. */
double widthOf(const AtomColumn& c, double typical)
{
    return c.refinement == Refinement::GaussianFit && c.width > 0.0f ? double(c.width) : typical;
}

/**
 * Pixels of a circular window, with what the fixed neighbours predict there (`known`) and the
 * fit weight of each pixel. Fixed storage on the stack of the task: no heap allocation.
 */
struct JointWindow
{
    static constexpr int kCapacity = (2 * kMaxReach + 1) * (2 * kMaxReach + 1);
    std::array<float, kCapacity> px;
    std::array<float, kCapacity> py;
    std::array<float, kCapacity> value;
    std::array<float, kCapacity> known;
    std::array<float, kCapacity> weight;
    int size = 0;

    /** The part of the disk of `radius` around (x, y) that lies on the image (enough of it, else false). */
    bool gather(const FloatImage& image, double x, double y, double radius)
    {
        const int cx = int(std::lround(x)), cy = int(std::lround(y));
        if (cx < 0 || cy < 0 || cx >= image.width || cy >= image.height)
            return false;
        const int r = std::min(kMaxReach, int(std::ceil(radius)));
        const double r2 = radius * radius;
        size = 0;
        int disk = 0;
        for (int j = -r; j <= r; ++j) {
            for (int i = -r; i <= r; ++i) {
                const double ox = cx + i - x, oy = cy + j - y;
                if (ox * ox + oy * oy > r2)
                    continue;
                ++disk;
                if (cx + i < 0 || cy + j < 0 || cx + i >= image.width || cy + j >= image.height)
                    continue;
                px[size] = float(cx + i);
                py[size] = float(cy + j);
                value[size] = image.at(cx + i, cy + j);
                known[size] = 0.0f;
                weight[size] = 1.0f;
                ++size;
            }
        }
        return size >= 12 && double(size) >= kMinDiskFraction * disk;
    }

    /** Adds a fixed neighbour's Gaussian to `known` (only where it is not negligible). */
    void addKnown(double x, double y, double amplitude, double width)
    {
        const double inv2s2 = 1.0 / (2.0 * width * width), cut = kTailWidths * kTailWidths * width * width;
        for (int k = 0; k < size; ++k) {
            const double ox = px[k] - x, oy = py[k] - y, d2 = ox * ox + oy * oy;
            if (d2 < cut)
                known[k] += float(amplitude * std::exp(-d2 * inv2s2));
        }
    }
};

/** Neighbour lookup: columns bucketed in square cells (compressed rows: one allocation per sweep). */
struct CellGrid
{
    double cell = 1.0;
    int nx = 1, ny = 1;
    std::vector<int> start; ///< cell c holds order[start[c] .. start[c + 1])
    std::vector<int> order;

    CellGrid(const AtomColumns& columns, const FloatImage& image, double cellSize)
    {
        cell = std::max(1.0, cellSize);
        nx = std::max(1, int(std::ceil(image.width / cell)) + 1);
        ny = std::max(1, int(std::ceil(image.height / cell)) + 1);
        start.assign(std::size_t(nx) * ny + 1, 0);
        order.resize(columns.size());
        for (const AtomColumn& c : columns)
            ++start[index(c.x, c.y) + 1];
        for (std::size_t k = 1; k < start.size(); ++k)
            start[k] += start[k - 1];
        std::vector<int> fill(start.begin(), start.end() - 1);
        for (int i = 0; i < int(columns.size()); ++i)
            order[std::size_t(fill[index(columns[i].x, columns[i].y)]++)] = i;
    }
    int cellX(double x) const { return std::clamp(int(std::floor(x / cell)), 0, nx - 1); }
    int cellY(double y) const { return std::clamp(int(std::floor(y / cell)), 0, ny - 1); }
    std::size_t index(double x, double y) const { return std::size_t(cellY(y)) * nx + cellX(x); }

    /** Calls f(j) for every column in the cells that a disk of `radius` around (x, y) touches. */
    template <class F>
    void near(double x, double y, double radius, F&& f) const
    {
        const int x0 = cellX(x - radius), x1 = cellX(x + radius), y0 = cellY(y - radius), y1 = cellY(y + radius);
        for (int cy = y0; cy <= y1; ++cy)
            for (int cx = x0; cx <= x1; ++cx) {
                const std::size_t c = std::size_t(cy) * nx + cx;
                for (int k = start[c]; k < start[c + 1]; ++k)
                    f(order[std::size_t(k)]);
            }
    }
};

/** What one group fit gives for its first column. */
struct GroupOutcome
{
    double x = 0, y = 0, amplitude = 0, width = 0, background = 0;
    double residual = 0;    ///< RMS of the unweighted residual
    double sigma = 0;       ///< position standard error, larger axis
    double weightedCost = 0;
};

/** The variance the noise model gives for an expected value `mean` (floored to stay positive). */
double pixelVariance(const RefineParams& p, double mean, double floor)
{
    return std::max(p.noise.variance(mean), floor);
}

/**
 * Levenberg-Marquardt fit of a group of N Gaussians (shared width, one background) plus the fixed
 * `known` neighbours to the window, weighted by 1/variance of each pixel's expected value. The
 * weights come from the starting model (one reweighting per sweep, as in iteratively reweighted
 * least squares: with Poisson counts this converges to the maximum-likelihood fit).
 */
template <int N>
bool fitGroup(JointWindow& w, typename GaussianGroup<N>::Vector& q, const RefineParams& p, GroupOutcome& out)
{
    using G = GaussianGroup<N>;
    using Vector = typename G::Vector;
    using Matrix = typename G::Matrix;
    const bool weighted = p.noiseKnown();
    double floor = 1e-12;
    if (weighted) {
        double peak = 0.0;
        for (int k = 0; k < w.size; ++k)
            peak = std::max(peak, G::value(q, w.px[k], w.py[k], nullptr) + w.known[k]);
        floor = std::max(1e-12, 0.01 * p.noise.variance(peak));
        for (int k = 0; k < w.size; ++k)
            w.weight[k] = float(1.0 / pixelVariance(p, G::value(q, w.px[k], w.py[k], nullptr) + w.known[k], floor));
    }

    auto cost = [&](const Vector& v, Matrix* jtj, Vector* jtr) {
        double sum = 0.0;
        if (jtj) {
            jtj->setZero();
            jtr->setZero();
        }
        Vector g;
        for (int k = 0; k < w.size; ++k) {
            const double r = G::value(v, w.px[k], w.py[k], jtj ? &g : nullptr) + w.known[k] - w.value[k];
            sum += w.weight[k] * r * r;
            if (jtj) {
                jtj->template selfadjointView<Eigen::Lower>().rankUpdate(g, double(w.weight[k]));
                *jtr += g * (w.weight[k] * r);
            }
        }
        return sum;
    };

    double lambda = 1e-3;
    Matrix jtj;
    Vector jtr;
    double current = cost(q, &jtj, &jtr);
    for (int it = 0; it < 20; ++it) {
        Matrix a = jtj.template selfadjointView<Eigen::Lower>();
        a.diagonal() *= (1.0 + lambda);
        const Vector step = a.ldlt().solve(-jtr);
        const Vector trial = q + step;
        if (!step.allFinite())
            return false;
        if (trial[G::width()] <= 0.2) {
            lambda *= 10.0;
            if (lambda > 1e6)
                break;
            continue;
        }
        const double trialCost = cost(trial, nullptr, nullptr);
        if (trialCost < current) {
            q = trial;
            current = cost(q, &jtj, &jtr);
            lambda = std::max(1e-7, lambda * 0.3);
            double moved = 0.0;
            for (int k = 0; k < N; ++k)
                moved = std::max(moved, std::hypot(step[G::xIndex(k)], step[G::yIndex(k)]));
            if (moved < 1e-4)
                break;
        } else {
            lambda *= 10.0;
            if (lambda > 1e6)
                break;
        }
    }
    for (int k = 0; k < N; ++k)
        if (!(q[G::amplitude(k)] > 0.0))
            return false;

    // Fisher information at the estimate: the noise model's variance of each pixel's expected
    // value, or (noise unknown) the residual variance. Its inverse gives the position's error.
    Matrix fisher = Matrix::Zero();
    Vector g;
    double rss = 0.0;
    for (int k = 0; k < w.size; ++k) {
        const double mu = G::value(q, w.px[k], w.py[k], &g) + w.known[k];
        const double r = mu - w.value[k];
        rss += r * r;
        addPixelInformation<G::P>(fisher, g, weighted ? pixelVariance(p, mu, floor) : 1.0);
    }
    if (!weighted) {
        const double variance = rss / std::max(1, w.size - G::P);
        fisher *= 1.0 / std::max(variance, 1e-30);
    }
    PositionError error;
    if (!positionError<N>(fisher, 0, error))
        return false;
    out.x = q[G::xIndex(0)];
    out.y = q[G::yIndex(0)];
    out.amplitude = q[G::amplitude(0)];
    out.width = q[G::width()];
    out.background = q[G::background()];
    out.residual = std::sqrt(rss / std::max(1, w.size));
    out.sigma = error.larger();
    out.weightedCost = current;
    return true;
}

/** Everything one column's joint fit needs to know about the sweep. */
struct Sweep
{
    const FloatImage& image;
    const AtomColumns& previous; ///< estimates of the last sweep (read only: Jacobi sweeps are race-free)
    const AtomColumns& start;    ///< positions before the joint refinement (shift cap)
    const CellGrid& grid;
    const RefineParams& params;
    double typicalWidth;
    double maxTailReach;         ///< largest window radius + neighbour tail, for the grid lookup
};

/** Fits column i with its partners free and its other neighbours fixed; false: keep what it has. */
bool fitColumn(const Sweep& s, int i, JointWindow& w, AtomColumn& c)
{
    const AtomColumn& self = s.previous[std::size_t(i)];
    const double width = widthOf(self, s.typicalWidth);
    const double radius = std::clamp(kWindowWidths * width, s.params.radius, double(kMaxReach));
    if (!w.gather(s.image, self.x, self.y, radius))
        return false;

    // Partners: the closest neighbours within kPartnerWidths widths; the rest reaching the window are fixed.
    std::array<int, kMaxNeighbours> neighbours;
    std::array<double, kMaxNeighbours> distance;
    int count = 0;
    s.grid.near(self.x, self.y, s.maxTailReach, [&](int j) {
        if (j == i || count >= kMaxNeighbours)
            return;
        const AtomColumn& o = s.previous[std::size_t(j)];
        const double d = std::hypot(o.x - self.x, o.y - self.y);
        if (d < radius + kTailWidths * widthOf(o, s.typicalWidth)) {
            neighbours[std::size_t(count)] = j;
            distance[std::size_t(count)] = d;
            ++count;
        }
    });
    std::array<int, kMaxGroup> partner{};
    int partners = 0;
    for (int pick = 0; pick < kMaxGroup - 1; ++pick) {
        int best = -1;
        for (int k = 0; k < count; ++k)
            if (neighbours[std::size_t(k)] >= 0 && distance[std::size_t(k)] < kPartnerWidths * width &&
                (best < 0 || distance[std::size_t(k)] < distance[std::size_t(best)]))
                best = k;
        if (best < 0)
            break;
        partner[std::size_t(++partners)] = neighbours[std::size_t(best)];
        neighbours[std::size_t(best)] = -1; // taken out of the fixed ones
    }
    for (int k = 0; k < count; ++k) {
        const int j = neighbours[std::size_t(k)];
        if (j < 0)
            continue;
        const AtomColumn& o = s.previous[std::size_t(j)];
        w.addKnown(o.x, o.y, std::max(0.0f, o.intensity), widthOf(o, s.typicalWidth));
    }

    GroupOutcome out;
    auto run = [&]<int N>() {
        using G = GaussianGroup<N>;
        typename G::Vector q;
        partner[0] = i;
        for (int k = 0; k < N; ++k) {
            const AtomColumn& m = s.previous[std::size_t(partner[std::size_t(k)])];
            q[G::amplitude(k)] = std::max(double(m.intensity), 1e-6);
            q[G::xIndex(k)] = m.x;
            q[G::yIndex(k)] = m.y;
        }
        q[G::width()] = width;
        q[G::background()] = self.background;
        return fitGroup<N>(w, q, s.params, out);
    };
    bool ok = false;
    switch (partners) {
    case 0: ok = run.template operator()<1>(); break;
    case 1: ok = run.template operator()<2>(); break;
    default: ok = run.template operator()<3>(); break;
    }
    const AtomColumn& origin = s.start[std::size_t(i)];
    if (!ok || std::hypot(out.x - origin.x, out.y - origin.y) > s.params.maxShift || out.width > radius ||
        !(out.sigma < width))
        return false; // diverged, or the position is not determined (a degenerate group)
    c.x = out.x;
    c.y = out.y;
    c.intensity = float(out.amplitude);
    c.width = float(out.width);
    c.background = float(out.background);
    c.residual = float(out.residual / out.amplitude);
    c.positionSigma = float(out.sigma);
    c.refinement = Refinement::GaussianFit;
    return true;
}

double medianFittedWidth(const AtomColumns& columns, double fallback)
{
    std::vector<float> widths;
    widths.reserve(columns.size());
    for (const AtomColumn& c : columns)
        if (c.refinement == Refinement::GaussianFit && c.width > 0.0f)
            widths.push_back(c.width);
    if (widths.empty())
        return fallback;
    std::nth_element(widths.begin(), widths.begin() + widths.size() / 2, widths.end());
    return widths[widths.size() / 2];
}

} // namespace

void refineJointly(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress,
                   long long progressTotal)
{
    if (columns.empty() || params.jointSweeps <= 0)
        return;
    const double typical = medianFittedWidth(columns, params.sigmaGuess);
    const double maxWidth = 2.0 * typical;
    const double tail = std::clamp(kWindowWidths * maxWidth, params.radius, double(kMaxReach)) + kTailWidths * maxWidth;
    const AtomColumns start = columns;
    const long long total =
        progressTotal > 0 ? progressTotal : static_cast<long long>(columns.size()) * params.jointSweeps;
    for (int sweep = 0; sweep < params.jointSweeps; ++sweep) {
        const AtomColumns previous = columns;
        const CellGrid grid(previous, image, tail);
        const Sweep s{image, previous, start, grid, params, typical, tail};
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, columns.size(), 256),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                              if (cancelled(progress))
                                  return;
                              JointWindow window; // per chunk, on the stack of this task
                              for (std::size_t i = range.begin(); i != range.end(); ++i)
                                  fitColumn(s, int(i), window, columns[i]);
                              if (progress)
                                  progress->advance(static_cast<long long>(range.size()), total);
                          });
        throwIfCancelled(progress);
    }
}

} // namespace motifscope
