#include "core/detect/joint_fit.h"

#include "core/detect/joint_fit_detail.h"
#include "core/util/progress.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace motifscope::joint_detail {
namespace {

/** The variance the noise model gives for an expected value `mean` (floored to stay positive). */
double pixelVariance(const RefineParams& p, double mean, double floor)
{
    return std::max(p.noise.variance(mean), floor);
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

template <int N>
bool fitGroup(JointWindow& w, typename GaussianGroup<N>::Vector& q, const RefineParams& p, GroupOutcome& out,
              bool computeWeights, Hold hold)
{
    using G = GaussianGroup<N>;
    using Vector = typename G::Vector;
    using Matrix = typename G::Matrix;
    constexpr int kSide = JointWindow::kSide;
    double ex[N][kSide], ey[N][kSide];

    // Model (and optionally Jacobian) at every pixel: the Gaussians are separable, so each member
    // needs 2 x side exponentials per evaluation instead of one per pixel.
    auto forEachPixel = [&](const Vector& v, bool jacobian, auto&& visit) {
        const double inv2s2 = 1.0 / (2.0 * v[G::width()] * v[G::width()]);
        for (int k = 0; k < N; ++k) {
            w.factors(v[G::xIndex(k)], w.x0, inv2s2, ex[k]);
            w.factors(v[G::yIndex(k)], w.y0, inv2s2, ey[k]);
        }
        Vector g;
        double e[N];
        for (int k = 0; k < w.size; ++k) {
            const std::size_t i = w.ix[std::size_t(k)], j = w.iy[std::size_t(k)];
            for (int m = 0; m < N; ++m)
                e[m] = ex[m][i] * ey[m][j];
            const double mu = G::valueWith(v, w.px(k), w.py(k), e, jacobian ? &g : nullptr) + w.known[std::size_t(k)];
            visit(k, mu, g);
        }
    };

    const bool weighted = p.noiseKnown();
    double floor = 1e-12;
    if (weighted && !computeWeights)
        floor = w.varianceFloor;
    if (weighted && computeWeights) {
        double peak = 0.0;
        forEachPixel(q, false, [&](int k, double mu, const Vector&) {
            w.weight[std::size_t(k)] = float(mu);
            peak = std::max(peak, mu);
        });
        floor = std::max(1e-12, 0.01 * p.noise.variance(peak));
        w.varianceFloor = floor;
        for (int k = 0; k < w.size; ++k)
            w.weight[std::size_t(k)] = float(1.0 / pixelVariance(p, w.weight[std::size_t(k)], floor));
    }

    auto cost = [&](const Vector& v, Matrix& jtj, Vector& jtr) {
        double sum = 0.0;
        jtj.setZero();
        jtr.setZero();
        forEachPixel(v, true, [&](int k, double mu, const Vector& g) {
            const double wk = w.weight[std::size_t(k)], r = mu - w.value[std::size_t(k)];
            sum += wk * r * r;
            addWeightedOuterProduct<G::P>(jtj, g, wk);
            jtr += g * (wk * r);
        });
        return sum;
    };

    double lambda = 1e-3;
    Matrix jtj, trialJtj;
    Vector jtr, trialJtr;
    double current = cost(q, jtj, jtr);
    for (int it = 0; it < 12; ++it) {
        Matrix a = jtj.template selfadjointView<Eigen::Lower>();
        a.diagonal() *= (1.0 + lambda);
        Vector gradient = jtr;
        auto holdParameter = [&](int index) { // its row and column drop out, its step is zero
            a.row(index).setZero();
            a.col(index).setZero();
            a(index, index) = 1.0;
            gradient[index] = 0.0;
        };
        if (hold != Hold::nothing)
            holdParameter(G::width());
        if (hold == Hold::widthAndPositions)
            for (int k = 0; k < N; ++k) {
                holdParameter(G::xIndex(k));
                holdParameter(G::yIndex(k));
            }
        const Vector step = a.ldlt().solve(-gradient);
        const Vector trial = q + step;
        if (!step.allFinite())
            return false;
        if (trial[G::width()] <= 0.2) {
            lambda *= 10.0;
            if (lambda > 1e6)
                break;
            continue;
        }
        // The Jacobian comes with the cost: most steps are accepted, so this saves a pass.
        const double trialCost = cost(trial, trialJtj, trialJtr);
        if (trialCost < current) {
            q = trial;
            current = trialCost;
            jtj = trialJtj;
            jtr = trialJtr;
            lambda = std::max(1e-7, lambda * 0.3);
            double moved = 0.0;
            for (int k = 0; k < N; ++k)
                moved = std::max(moved, std::hypot(step[G::xIndex(k)], step[G::yIndex(k)]));
            if (moved < 1e-3)
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
    double rss = 0.0;
    forEachPixel(q, true, [&](int k, double mu, const Vector& g) {
        const double r = mu - w.value[std::size_t(k)];
        rss += r * r;
        addPixelInformation<G::P>(fisher, g, weighted ? pixelVariance(p, mu, floor) : 1.0);
    });
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
    for (int k = 0; k < N; ++k) {
        out.memberX[std::size_t(k)] = q[G::xIndex(k)];
        out.memberY[std::size_t(k)] = q[G::yIndex(k)];
        out.memberAmplitude[std::size_t(k)] = q[G::amplitude(k)];
    }
    return true;
}

template bool fitGroup<1>(JointWindow&, GaussianGroup<1>::Vector&, const RefineParams&, GroupOutcome&, bool, Hold);
template bool fitGroup<2>(JointWindow&, GaussianGroup<2>::Vector&, const RefineParams&, GroupOutcome&, bool, Hold);
template bool fitGroup<3>(JointWindow&, GaussianGroup<3>::Vector&, const RefineParams&, GroupOutcome&, bool, Hold);

void applyFit(const GroupOutcome& out, AtomColumn& c)
{
    c.x = out.x;
    c.y = out.y;
    c.intensity = float(out.amplitude);
    c.width = float(out.width);
    c.background = float(out.background);
    c.residual = float(out.residual / out.amplitude);
    c.positionSigma = float(out.sigma);
    c.refinement = Refinement::GaussianFit;
}

bool fitColumn(const Sweep& s, int i, JointWindow& w, AtomColumn& c, char& coupled, AtomColumn* second)
{
    const AtomColumn& self = s.previous[std::size_t(i)];
    // The window and the start follow the column's own width, kept near the typical one (a
    // single-peak fit of an unresolved pair or of a column beside a bright one comes out wide).
    const double width = std::clamp(widthOf(self, s.typicalWidth), 0.7 * s.typicalWidth, 1.3 * s.typicalWidth);
    // The split test's window stays within about half a period (params.radius is 0.35 periods):
    // where every column is an unresolved pair, the single fits of the neighbours are crude.
    const double reach = second ? std::min(kSplitReach * s.params.radius, double(kMaxReach)) : double(kMaxReach);
    const double radius = std::clamp(kWindowWidths * width, std::min(s.params.radius, reach), reach);
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
    coupled = count > 0;
    std::array<int, kMaxGroup> partner{};
    int partners = 0;
    for (int pick = 0; pick < kMaxGroup - 1; ++pick) {
        int best = -1;
        for (int k = 0; k < count; ++k)
            if (neighbours[std::size_t(k)] >= 0 && distance[std::size_t(k)] < kPartnerWidths * std::min(width, s.typicalWidth) &&
                (best < 0 || distance[std::size_t(k)] < distance[std::size_t(best)]))
                best = k;
        if (best < 0)
            break;
        partner[std::size_t(++partners)] = neighbours[std::size_t(best)];
        neighbours[std::size_t(best)] = -1; // taken out of the fixed ones
    }
    // Held sweeps apply to columns fitted alone beside fixed neighbours (a column no neighbour
    // reaches fits its own width from the start; partners fitted together need not subtract each
    // other): the column and its neighbours all at the typical width.
    const bool held = s.hold != Hold::nothing && count > 0 && partners == 0;
    if (held)
        coupled = kCoupledAndHeld;
    for (int k = 0; k < count; ++k) {
        const int j = neighbours[std::size_t(k)];
        if (j < 0)
            continue;
        const AtomColumn& o = s.previous[std::size_t(j)];
        w.addKnown(o.x, o.y, std::max(0.0f, o.intensity), held ? s.heldWidth : widthOf(o, s.typicalWidth));
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
        q[G::width()] = held ? s.heldWidth : width;
        q[G::background()] = self.background;
        return fitGroup<N>(w, q, s.params, out, /*computeWeights=*/true, held ? s.hold : Hold::nothing);
    };
    bool ok = false;
    switch (partners) {
    case 0: ok = run.template operator()<1>(); break;
    case 1: ok = run.template operator()<2>(); break;
    default: ok = run.template operator()<3>(); break;
    }
    const AtomColumn& origin = s.start[std::size_t(i)];
    if (second) {
        // The single fit of an unresolved pair in a small window can come out very wide: its cost
        // is still the best one Gaussian does (the test only gets more conservative).
        if (ok && partners == 0 && trySplit(s, w, out, self, radius, c, *second))
            coupled = 2;
        return coupled == 2;
    }
    if (!ok || std::hypot(out.x - origin.x, out.y - origin.y) > s.params.maxShift ||
        out.width > kMaxWidthRatio * s.typicalWidth || out.width < s.typicalWidth / kMaxWidthRatio || !(out.sigma < width))
        return false; // diverged, or the position is not determined (a degenerate group)
    applyFit(out, c);
    return true;
}

double typicalWidth(const AtomColumns& columns, const RefineParams& params)
{
    return params.columnWidth > 0.0 ? params.columnWidth : medianFittedWidth(columns, params.sigmaGuess);
}

double neighbourReach(double typicalWidth, const RefineParams& params)
{
    return std::clamp(kWindowWidths * 1.3 * typicalWidth, params.radius, double(kMaxReach)) +
           kTailWidths * kMaxWidthRatio * typicalWidth;
}

} // namespace motifscope::joint_detail

namespace motifscope {

using namespace joint_detail;

namespace {

/** Whether a column's model changed enough in a sweep to move its neighbours' fits. */
bool modelChanged(const AtomColumn& before, const AtomColumn& after)
{
    constexpr double kShift = 0.005;   ///< pixels
    constexpr double kRelative = 0.005; ///< of amplitude and width
    auto relative = [](double a, double b) { return std::abs(a - b) > kRelative * std::max(std::abs(a), std::abs(b)); };
    return std::hypot(after.x - before.x, after.y - before.y) > kShift || relative(after.intensity, before.intensity) ||
           relative(after.width, before.width);
}

/**
 * After a sweep: a column needs another fit only if a neighbour whose tail reaches its window
 * changed (its own fit, with the same neighbours, is converged). Clears `coupled` for the rest.
 */
void keepOnlyMovedNeighbourhoods(const AtomColumns& before, const AtomColumns& after, const CellGrid& grid, double reach,
                                 std::vector<char>& coupled)
{
    std::vector<char> changed(after.size());
    for (std::size_t i = 0; i < after.size(); ++i)
        changed[i] = modelChanged(before[i], after[i]);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, after.size(), 1024), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            if (!coupled[i])
                continue;
            bool any = false;
            grid.near(before[i].x, before[i].y, reach, [&](int j) { any = any || (j != int(i) && changed[std::size_t(j)]); });
            coupled[i] = any;
        }
    });
}

/**
 * The width the held columns share: the median width of free fits (own width, own position) of
 * up to kWidthSample of them, their neighbours now subtracted by consistent models (after the
 * first, amplitude-only sweep). The single fits' median is biased where neighbours overlap (small
 * windows whose background takes up the neighbours' tails). `fallback` when too few fit.
 */
double measureHeldWidth(const FloatImage& image, const AtomColumns& columns, const std::vector<char>& coupled,
                        const RefineParams& params, double typical, double tail, double fallback)
{
    constexpr std::size_t kWidthSample = 2000;
    std::vector<int> held;
    for (std::size_t i = 0; i < coupled.size(); ++i)
        if (coupled[i] == kCoupledAndHeld)
            held.push_back(int(i));
    if (held.size() < 20)
        return fallback;
    const std::size_t stride = std::max<std::size_t>(1, held.size() / kWidthSample);
    std::vector<int> sample;
    for (std::size_t k = 0; k < held.size(); k += stride)
        sample.push_back(held[k]);
    const CellGrid grid(columns, image.width, image.height, tail);
    const Sweep s{image, columns, columns, grid, params, typical, tail, 0.0};
    std::vector<float> widths(sample.size(), 0.0f);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, sample.size(), 64), [&](const tbb::blocked_range<std::size_t>& range) {
        JointWindow window;
        for (std::size_t k = range.begin(); k != range.end(); ++k) {
            AtomColumn c = columns[std::size_t(sample[k])];
            char flag = 0;
            if (fitColumn(s, sample[k], window, c, flag, nullptr))
                widths[k] = c.width;
        }
    });
    std::erase(widths, 0.0f);
    if (widths.size() < 10)
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
    if (params.splitPairs)
        splitUnresolvedPairs(image, columns, params, progress);
    const double typical = typicalWidth(columns, params);
    const AtomColumns start = columns;
    std::vector<char> coupled(columns.size(), 1);
    const long long total =
        progressTotal > 0 ? progressTotal : static_cast<long long>(columns.size()) * params.jointSweeps;
    const double tail = neighbourReach(typical, params);
    // Columns fitted alone beside fixed neighbours hold one width: the first sweep also holds
    // their positions (amplitudes and background only, a linear problem), so every neighbour is
    // subtracted by a consistent model before anything moves; the width is then re-measured.
    double heldWidth = typical;
    for (int sweep = 0; sweep < params.jointSweeps; ++sweep) {
        const AtomColumns previous = columns;
        const CellGrid grid(previous, image.width, image.height, tail);
        Sweep s{image, previous, start, grid, params, typical, tail, 0.0};
        s.hold = sweep == 0 ? Hold::widthAndPositions : Hold::width;
        s.heldWidth = heldWidth;
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, columns.size(), 256),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                              if (cancelled(progress))
                                  return;
                              JointWindow window; // per chunk, on the stack of this task
                              for (std::size_t i = range.begin(); i != range.end(); ++i)
                                  if (coupled[i]) // later sweeps: only columns whose neighbours changed
                                      fitColumn(s, int(i), window, columns[i], coupled[i], nullptr);
                              if (progress)
                                  progress->advance(static_cast<long long>(range.size()), total);
                          });
        throwIfCancelled(progress);
        if (sweep == 0 && !(params.columnWidth > 0.0)) // a known width stands (free fits collapse where it is needed)
            heldWidth = measureHeldWidth(image, columns, coupled, params, typical, tail, heldWidth);
        if (sweep + 1 < params.jointSweeps)
            keepOnlyMovedNeighbourhoods(previous, columns, grid, tail, coupled);
    }
}

} // namespace motifscope
