#include "detect/joint_fit.h"
#include "detect/pair_or_ellipse.h"

#include "detect/cell_grid.h"
#include "detect/refine.h"
#include "util/progress.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <cstdint>
#include <vector>

namespace motifscope {

namespace {

constexpr int kMaxReach = 32;               ///< window half-width cap, pixels
constexpr double kWindowWidths = 3.0;       ///< fit window radius: 3 column widths hold ~95% of the position information
constexpr double kTailWidths = 4.0;         ///< a neighbour's Gaussian is negligible beyond this many widths
constexpr int kMaxNeighbours = 48;          ///< neighbours modelled per window
constexpr double kMinDiskFraction = 0.25;   ///< a border column needs this much of its window on the image

constexpr double kMaxWidthRatio = 2.0;      ///< a fitted width this far from the typical one is a failed fit

// Splitting an unresolved pair (a dumbbell closer than 2 widths shows a single peak):
constexpr double kSplitElongation = 0.06;   ///< prefilter: elongation (l1 - l2) / (l1 + l2) of the column's moments
constexpr double kMergeWidths = 2.0;        ///< pairs closer than this many typical widths: two columns or one?
constexpr double kSplitFalseSplits = 0.05;  ///< expected false splits per image (Bonferroni over the columns tested)
constexpr double kSplitMinSeparation = 0.8; ///< widths: closer members are one column
constexpr double kSplitMinRatio = 0.25;     ///< weaker / stronger amplitude
// The crystal prior (keepRecurringPairs): a pair is kept when enough other candidates share its
// orientation and separation; random pair vectors agree within these windows about 7% of the time.
constexpr double kSplitSameAngle = 15.0 * M_PI / 180.0;
constexpr double kSplitSameLength = 0.25;       ///< relative difference of the separations
constexpr double kSplitRecurringFraction = 0.2; ///< of the other candidates
constexpr double kSplitMinRecurring = 3.0;
/// A dumbbell crystal splits a whole sublattice: a pair vector must recur in at least this share of
/// the columns tested. A systematic elongation (drift, astigmatism) makes a scattered few percent
/// of the columns fail the single-Gaussian test along one direction (9% on the bundled MoSe2).
constexpr double kSplitMinShare = 0.15;
constexpr double kSplitReach = 1.5;         ///< split window radius at most this many single-fit radii

/** A column's width for modelling: its fitted width (within kMaxWidthRatio of the typical one), else the typical one. */
double widthOf(const AtomColumn& c, double typical)
{
    const double own = c.refinement == Refinement::GaussianFit && c.width > 0.0f ? double(c.width) : typical;
    return std::clamp(own, typical / kMaxWidthRatio, typical * kMaxWidthRatio);
}

/**
 * The chi-square drop that two Gaussians must achieve over one (3 more parameters: a second
 * amplitude and position) for a lone column to be split, so that among `tests` single columns
 * kSplitFalseSplits split by chance: the chi-square(3) quantile at 1 - kSplitFalseSplits / tests.
 */
double splitThreshold(std::size_t tests)
{
    const double tail = kSplitFalseSplits / double(std::max<std::size_t>(tests, 1));
    auto survival = [](double t) { // P(chi-square(3) > t)
        return std::erfc(std::sqrt(0.5 * t)) + std::sqrt(2.0 * t / M_PI) * std::exp(-0.5 * t);
    };
    double lo = 0.0, hi = 200.0;
    for (int it = 0; it < 60; ++it) {
        const double mid = 0.5 * (lo + hi);
        (survival(mid) > tail ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

/**
 * Pixels of a circular window, with what the fixed neighbours predict there (`known`) and the
 * fit weight of each pixel. Pixel k sits at (x0 + ix[k], y0 + iy[k]). Fixed storage on the stack
 * of the task: no heap allocation.
 */
struct JointWindow
{
    static constexpr int kSide = 2 * kMaxReach + 1;
    static constexpr int kCapacity = kSide * kSide;
    std::array<std::uint8_t, kCapacity> ix;
    std::array<std::uint8_t, kCapacity> iy;
    std::array<float, kCapacity> value;
    std::array<float, kCapacity> known;
    std::array<float, kCapacity> weight;
    int size = 0;
    double varianceFloor = 1e-12; ///< the smallest variance the weights allow
    int x0 = 0, y0 = 0; ///< image position of offset (0, 0)
    int side = 0;       ///< offsets run 0 .. side - 1

    double px(int k) const { return x0 + ix[std::size_t(k)]; }
    double py(int k) const { return y0 + iy[std::size_t(k)]; }

    /** The part of the disk of `radius` around (x, y) that lies on the image (enough of it, else false). */
    bool gather(const FloatImage& image, double x, double y, double radius)
    {
        const int cx = int(std::lround(x)), cy = int(std::lround(y));
        if (cx < 0 || cy < 0 || cx >= image.width || cy >= image.height)
            return false;
        const int r = std::min(kMaxReach, int(std::ceil(radius)));
        const double r2 = radius * radius;
        x0 = cx - r;
        y0 = cy - r;
        side = 2 * r + 1;
        size = 0;
        int disk = 0;
        for (int j = 0; j < side; ++j) {
            for (int i = 0; i < side; ++i) {
                const double ox = x0 + i - x, oy = y0 + j - y;
                if (ox * ox + oy * oy > r2)
                    continue;
                ++disk;
                if (x0 + i < 0 || y0 + j < 0 || x0 + i >= image.width || y0 + j >= image.height)
                    continue;
                ix[std::size_t(size)] = std::uint8_t(i);
                iy[std::size_t(size)] = std::uint8_t(j);
                value[std::size_t(size)] = image.at(x0 + i, y0 + j);
                known[std::size_t(size)] = 0.0f;
                weight[std::size_t(size)] = 1.0f;
                ++size;
            }
        }
        return size >= 12 && double(size) >= kMinDiskFraction * disk;
    }

    /** exp(-(x0 + i - centre)^2 / 2 s^2) for every offset i: one factor of a separable Gaussian. */
    void factors(double centre, int origin, double inv2s2, double* out) const
    {
        for (int i = 0; i < side; ++i) {
            const double o = origin + i - centre;
            out[i] = std::exp(-o * o * inv2s2);
        }
    }

    /** Adds a fixed neighbour's Gaussian to `known`. */
    void addKnown(double x, double y, double amplitude, double width)
    {
        const double inv2s2 = 1.0 / (2.0 * width * width);
        double ex[kSide], ey[kSide];
        factors(x, x0, inv2s2, ex);
        factors(y, y0, inv2s2, ey);
        for (int k = 0; k < size; ++k)
            known[std::size_t(k)] += float(amplitude * ex[ix[std::size_t(k)]] * ey[iy[std::size_t(k)]]);
    }
};

/** fitColumn's `coupled` flag for a column fitted alone beside fixed neighbours in a held sweep. */
constexpr char kCoupledAndHeld = 3;

/** Parameters a fit keeps at their starting values. */
enum class Hold
{
    nothing,
    width,             ///< every member at the starting width
    widthAndPositions, ///< only amplitudes and background move (a linear problem)
};

/** What one group fit gives: its first column in full, the positions and amplitudes of all. */
struct GroupOutcome
{
    double x = 0, y = 0, amplitude = 0, width = 0, background = 0;
    std::array<double, kMaxGroup> memberX{}, memberY{}, memberAmplitude{};
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
 * least squares: with Poisson counts this converges to the maximum-likelihood fit). `hold` keeps
 * the width (and the positions) at their starting values.
 */
template <int N>
bool fitGroup(JointWindow& w, typename GaussianGroup<N>::Vector& q, const RefineParams& p, GroupOutcome& out,
              bool computeWeights = true, Hold hold = Hold::nothing)
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

/** A group fit's first column (position, amplitude, width, background, residual, sigma) into `c`. */
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
    double splitChi2;            ///< the split pass: chi-square drop that makes a column a pair
    /// What a column fitted alone beside fixed neighbours holds (see refineJointly), at heldWidth.
    Hold hold = Hold::nothing;
    double heldWidth = 0.0;
};

/**
 * Model-order test for a lone column (no partner): is it an unresolved pair? Prefilter by the
 * elongation of its Gaussian-weighted second moments (neighbours and background subtracted), then
 * fit two Gaussians (one width) with the same pixel weights and split when chi-square drops by
 * kSplitChi2 or more and the pair is physical (separated by at least kSplitMinSeparation widths,
 * neither member negligible). On success `first` and `second` hold the two columns.
 */
bool trySplit(const Sweep& s, JointWindow& w, const GroupOutcome& single, const AtomColumn& self, double radius,
              AtomColumn& first, AtomColumn& second)
{
    const double width = std::min(single.width, s.typicalWidth);
    const double inv2s2 = 1.0 / (2.0 * width * width);
    double peak = 0.0;
    // A single Gaussian on a pair in a wide window can come out very wide, with its background far
    // too low: take the background of the column's first fit unless this one is plausible.
    const bool plausible = single.width <= kMaxWidthRatio * s.typicalWidth;
    const double background = plausible ? single.background : double(self.background);
    // Weighted moments about the weighted centroid (a single fit may sit off a pair's middle).
    double m0 = 0.0, mx = 0.0, my = 0.0, mxx = 0.0, myy = 0.0, mxy = 0.0;
    for (int k = 0; k < w.size; ++k) {
        const double ox = w.px(k) - single.x, oy = w.py(k) - single.y;
        const double above = w.value[std::size_t(k)] - w.known[std::size_t(k)] - background;
        const double f = above * std::exp(-(ox * ox + oy * oy) * inv2s2);
        peak = std::max(peak, above);
        m0 += f;
        mx += f * ox;
        my += f * oy;
        mxx += f * ox * ox;
        myy += f * oy * oy;
        mxy += f * ox * oy;
    }
    if (!(m0 > 0.0))
        return false;
    mx /= m0, my /= m0;
    mxx = mxx / m0 - mx * mx, myy = myy / m0 - my * my, mxy = mxy / m0 - mx * my;
    const double trace = mxx + myy, spread = std::hypot(mxx - myy, 2.0 * mxy);
    if (!(trace > 0.0) || !(spread / trace > kSplitElongation))
        return false;
    const double angle = 0.5 * std::atan2(2.0 * mxy, mxx - myy);
    const double ux = std::cos(angle), uy = std::sin(angle), half = 0.75 * width;
    const double cx = single.x + mx, cy = single.y + my;

    using G = GaussianGroup<2>;
    G::Vector q;
    q << 0.6 * peak, cx - half * ux, cy - half * uy, 0.6 * peak, cx + half * ux, cy + half * uy,
        0.9 * width, background;
    GroupOutcome pair;
    if (!fitGroup<2>(w, q, s.params, pair, /*computeWeights=*/false))
        return false;
    double gain = single.weightedCost - pair.weightedCost;
    if (!s.params.noiseKnown()) // unit weights: chi-square in units of the residual variance
        gain /= std::max(pair.weightedCost / std::max(1, w.size - G::P), 1e-30);
    const double separation = std::hypot(pair.memberX[1] - pair.memberX[0], pair.memberY[1] - pair.memberY[0]);
    const double weaker = std::min(pair.memberAmplitude[0], pair.memberAmplitude[1]);
    const double stronger = std::max(pair.memberAmplitude[0], pair.memberAmplitude[1]);
    if (!(gain >= s.splitChi2) || separation < kSplitMinSeparation * pair.width ||
        separation > kPartnerWidths * pair.width || weaker < kSplitMinRatio * stronger || !(pair.sigma < pair.width) ||
        pair.width > kMaxWidthRatio * s.typicalWidth || pair.width < s.typicalWidth / kMaxWidthRatio)
        return false;
    for (int m = 0; m < 2; ++m) // both members inside the window, where the data can place them
        if (std::hypot(pair.memberX[std::size_t(m)] - self.x, pair.memberY[std::size_t(m)] - self.y) > 0.8 * radius)
            return false;
    for (int m = 0; m < 2; ++m) {
        AtomColumn& c = m == 0 ? first : second;
        c.x = pair.memberX[std::size_t(m)];
        c.y = pair.memberY[std::size_t(m)];
        c.intensity = float(pair.memberAmplitude[std::size_t(m)]);
        c.width = float(pair.width);
        c.background = float(pair.background);
        c.residual = float(pair.residual / pair.memberAmplitude[std::size_t(m)]);
        c.positionSigma = m == 0 ? float(pair.sigma) : 0.0f; // the next sweep fits each member
        c.refinement = Refinement::GaussianFit;
    }
    return true;
}

/**
 * Fits column i with its partners free and its other neighbours fixed; false: keep what it has.
 * `coupled`: whether any neighbour reaches the window (only then can a later sweep change the fit).
 * With `second` (the split pass): only tests whether a lone column is an unresolved pair (in the
 * joint-fit window, neighbours subtracted at their single fits) and changes `c` only when it
 * splits (coupled = 2, `second` = the new column).
 */
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

/** One close pair's merge test: how much two Gaussians fit better than one, and the one. */
struct PairTest
{
    int first = -1;
    int second = -1;
    double gain = std::numeric_limits<double>::infinity(); ///< chi-square drop from one Gaussian to two
    GroupOutcome single;
};

/**
 * Fits columns i and j (closer than kMergeWidths widths) as two Gaussians and as one, in one window
 * around their middle, other neighbours subtracted, with the same pixel weights. False when either
 * fit fails (the pair then stays).
 */
bool testPair(const Sweep& s, int i, int j, JointWindow& w, PairTest& out)
{
    const AtomColumn& a = s.previous[std::size_t(i)];
    const AtomColumn& b = s.previous[std::size_t(j)];
    const double width = s.typicalWidth;
    const double mx = 0.5 * (a.x + b.x), my = 0.5 * (a.y + b.y);
    const double half = 0.5 * std::hypot(b.x - a.x, b.y - a.y);
    const double radius = std::min(double(kMaxReach), kWindowWidths * width + half);
    if (!w.gather(s.image, mx, my, radius))
        return false;
    s.grid.near(mx, my, s.maxTailReach + half, [&](int k) {
        if (k == i || k == j)
            return;
        const AtomColumn& o = s.previous[std::size_t(k)];
        if (std::hypot(o.x - mx, o.y - my) < radius + kTailWidths * widthOf(o, width))
            w.addKnown(o.x, o.y, std::max(0.0f, o.intensity), widthOf(o, width));
    });
    const double ta = std::max(1e-6, double(a.intensity)), tb = std::max(1e-6, double(b.intensity));
    GaussianGroup<2>::Vector two;
    two << ta, a.x, a.y, tb, b.x, b.y, width, a.background;
    GroupOutcome pair;
    if (!fitGroup<2>(w, two, s.params, pair))
        return false;
    GaussianGroup<1>::Vector one;
    one << std::max(ta, tb) + 0.5 * std::min(ta, tb), (ta * a.x + tb * b.x) / (ta + tb), (ta * a.y + tb * b.y) / (ta + tb),
        width, pair.background;
    if (!fitGroup<1>(w, one, s.params, out.single, /*computeWeights=*/false))
        return false;
    double gain = out.single.weightedCost - pair.weightedCost;
    if (!s.params.noiseKnown()) // unit weights: chi-square in units of the residual variance
        gain /= std::max(pair.weightedCost / std::max(1, w.size - GaussianGroup<2>::P), 1e-30);
    out.first = i;
    out.second = j;
    out.gain = gain;
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

/** The width the joint fit starts from and keeps columns near: the known one, else the fits' median. */
double typicalWidth(const AtomColumns& columns, const RefineParams& params)
{
    return params.columnWidth > 0.0 ? params.columnWidth : medianFittedWidth(columns, params.sigmaGuess);
}

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

} // namespace

namespace {

/**
 * The crystal prior of the split test: unresolved pairs of a crystal (dumbbells) recur with one
 * orientation and one separation (a few, with several grains). A lone candidate whose pair vector
 * no other candidates share is a column beside a speckle of the support, a noise blob or a defect
 * the test cannot tell from those: it is undone (the column gets back its previous estimate). So
 * is a pair vector shared by too few of all the columns tested (kSplitMinShare).
 */
void keepRecurringPairs(const AtomColumns& previous, AtomColumns& columns, const AtomColumns& seconds, std::vector<char>& split,
                        std::size_t tested)
{
    struct PairVector
    {
        std::size_t column;
        double angle;  ///< orientation, radians in [0, pi)
        double length; ///< member separation, pixels
    };
    std::vector<PairVector> pairs;
    for (std::size_t i = 0; i < split.size(); ++i)
        if (split[i] == 2) {
            const double dx = seconds[i].x - columns[i].x, dy = seconds[i].y - columns[i].y;
            double angle = std::atan2(dy, dx);
            if (angle < 0.0)
                angle += M_PI;
            if (angle >= M_PI)
                angle -= M_PI;
            pairs.push_back({i, angle, std::hypot(dx, dy)});
        }
    const double needed = std::max({kSplitMinRecurring, kSplitRecurringFraction * double(pairs.size() > 0 ? pairs.size() - 1 : 0),
                                    kSplitMinShare * double(tested) - 1.0});
    std::vector<char> keep(pairs.size(), 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pairs.size(), 256), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t a = range.begin(); a != range.end(); ++a) {
            int agreeing = 0;
            for (std::size_t b = 0; b < pairs.size(); ++b) {
                if (a == b)
                    continue;
                double turn = std::abs(pairs[a].angle - pairs[b].angle);
                turn = std::min(turn, M_PI - turn);
                if (turn < kSplitSameAngle && std::abs(pairs[a].length - pairs[b].length) < kSplitSameLength * pairs[a].length)
                    ++agreeing;
            }
            keep[a] = agreeing >= needed;
        }
    });
    for (std::size_t k = 0; k < pairs.size(); ++k)
        if (!keep[k]) {
            split[pairs[k].column] = 0;
            columns[pairs[k].column] = previous[pairs[k].column];
        }
}

/** How far a column's fit reaches into its neighbours': the widest window plus a wide neighbour's tail. */
double neighbourReach(double typicalWidth, const RefineParams& params)
{
    return std::clamp(kWindowWidths * 1.3 * typicalWidth, params.radius, double(kMaxReach)) +
           kTailWidths * kMaxWidthRatio * typicalWidth;
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

UnresolvedPairs findUnresolvedPairs(const FloatImage& image, const AtomColumns& columns, const RefineParams& params,
                                    Progress* progress, std::size_t sample)
{
    UnresolvedPairs found;
    if (columns.empty())
        return found;
    const std::size_t stride = sample > 0 ? std::max<std::size_t>(1, columns.size() / sample) : 1;
    const std::size_t tested = (columns.size() + stride - 1) / stride;
    const double typical = typicalWidth(columns, params);
    const double tail = neighbourReach(typical, params);
    const CellGrid grid(columns, image.width, image.height, tail);
    const Sweep s{image, columns, columns, grid, params, typical, tail, splitThreshold(tested)};
    AtomColumns firsts = columns;
    std::vector<char> split(columns.size(), 0);
    AtomColumns seconds(columns.size()); // the second member of each column split into a pair
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, columns.size(), 256),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          if (cancelled(progress))
                              return;
                          JointWindow window; // per chunk, on the stack of this task
                          for (std::size_t i = range.begin(); i != range.end(); ++i)
                              if (i % stride == 0)
                                  fitColumn(s, int(i), window, firsts[i], split[i], &seconds[i]);
                      });
    throwIfCancelled(progress);
    keepRecurringPairs(columns, firsts, seconds, split, tested);
    // Averaged over all of them, are the pairs dumbbells or is the probe elliptical?
    std::vector<SplitCandidate> candidates;
    AtomColumns modelled = firsts;
    for (std::size_t i = 0; i < split.size(); ++i)
        if (split[i] == 2) {
            found.column.push_back(i);
            found.first.push_back(firsts[i]);
            found.second.push_back(seconds[i]);
            candidates.push_back({firsts[i].x, firsts[i].y, seconds[i].x, seconds[i].y, firsts[i].background});
            modelled.push_back(seconds[i]);
        }
    found.verdict = pairsOrEllipse(image, modelled, candidates, typical);
    if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
        std::fprintf(stderr, "split: %zu pairs; average: pair cost %.4g ellipse cost %.4g improvement %.1f -> %s\n",
                     candidates.size(), found.verdict.pairCost, found.verdict.ellipseCost, found.verdict.improvement,
                     found.verdict.pairs ? "pairs" : "ellipse");
    return found;
}

void splitUnresolvedPairs(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress)
{
    const UnresolvedPairs found = findUnresolvedPairs(image, columns, params, progress);
    if (!found.verdict.pairs)
        return;
    for (std::size_t k = 0; k < found.column.size(); ++k) {
        columns[found.column[k]] = found.first[k];
        columns.push_back(found.second[k]);
    }
}

int mergeUnresolvedPairs(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress)
{
    if (columns.size() < 2)
        return 0;
    const double typical = typicalWidth(columns, params);
    const double tail = neighbourReach(typical, params);
    const double close = kMergeWidths * typical;
    const CellGrid grid(columns, image.width, image.height, std::max(tail, close));
    std::vector<std::pair<int, int>> pairs;
    for (int i = 0; i < int(columns.size()); ++i)
        grid.near(columns[std::size_t(i)].x, columns[std::size_t(i)].y, close, [&](int j) {
            if (j > i && std::hypot(columns[std::size_t(j)].x - columns[std::size_t(i)].x,
                                    columns[std::size_t(j)].y - columns[std::size_t(i)].y) < close)
                pairs.emplace_back(i, j);
        });
    if (pairs.empty())
        return 0;
    const Sweep s{image, columns, columns, grid, params, typical, tail, splitThreshold(pairs.size())};
    std::vector<PairTest> tests(pairs.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pairs.size(), 64), [&](const tbb::blocked_range<std::size_t>& range) {
        if (cancelled(progress))
            return;
        JointWindow window;
        for (std::size_t k = range.begin(); k != range.end(); ++k)
            testPair(s, pairs[k].first, pairs[k].second, window, tests[k]);
    });
    throwIfCancelled(progress);
    // Least significant pairs first; a column merges at most once per call.
    std::sort(tests.begin(), tests.end(), [](const PairTest& a, const PairTest& b) { return a.gain < b.gain; });
    std::vector<char> touched(columns.size(), 0), gone(columns.size(), 0);
    int merged = 0;
    for (const PairTest& t : tests) {
        if (!(t.gain < s.splitChi2))
            break;
        if (touched[std::size_t(t.first)] || touched[std::size_t(t.second)])
            continue;
        touched[std::size_t(t.first)] = touched[std::size_t(t.second)] = 1;
        gone[std::size_t(t.second)] = 1;
        applyFit(t.single, columns[std::size_t(t.first)]);
        ++merged;
    }
    if (merged > 0) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (!gone[i])
                columns[kept++] = columns[i];
        columns.resize(kept);
    }
    return merged;
}

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
