#pragma once
/**
 * Joint fitting of atom columns that overlap (StatSTEM's idea, made local and fast).
 *
 * Why: a single Gaussian fitted to a column whose neighbour sits closer than ~3 widths absorbs
 * part of the neighbour's tail and is pulled towards it (0.3 px and more at grain boundaries and in
 * dumbbells). The cure is to model every column whose Gaussian reaches into the fit window.
 *
 * How (block coordinate descent, a few sweeps over all columns, each sweep parallel):
 *  - very close partners (closer than kPartnerWidths widths) are fitted together with the column:
 *    a "group" of up to kMaxGroup Gaussians with their own amplitudes and positions, one shared
 *    width and one flat background over the window;
 *  - farther neighbours whose tails still reach the window are subtracted as fixed models at their
 *    estimates from the previous sweep;
 *  - the fit is weighted by the image's noise model (1 / variance of each pixel's expected value),
 *    which for Poisson counts is the maximum-likelihood fit;
 *  - first (RefineParams::splitPairs) a lone elongated column is tested for being an unresolved
 *    pair (a dumbbell closer than 2 widths shows one peak) and split when two Gaussians fit
 *    better than chance allows (chi-square(3) quantile, Bonferroni over the columns) AND the pair
 *    recurs: at least a fifth of the other candidates share its orientation and separation (a
 *    crystal's dumbbells do; a column beside a speckle of the support or a noise blob does not),
 *    and when the average of all split columns is two round spots rather than one elliptical spot
 *    (pair_or_ellipse.h: an astigmatic or drifting probe elongates every column alike).
 *    Scan jitter makes round columns look elongated, so detection repeats the test on the image
 *    with the jitter taken out (scan_jitter.h) whenever jitter is measured.
 *
 * Where neighbours overlap strongly but are not partners (graphene at low voltage: three
 * neighbours 3.6 widths away), each column's fit subtracts them by their estimates, and single
 * fits in small windows scatter in width and amplitude; those block updates diverged (a wide
 * Gaussian on a negative background, 1 px off). So such columns (alone in their group, some
 * neighbour in reach) hold one shared width: the first sweep also holds their positions (only
 * amplitudes and background move, a linear problem), then the shared width is re-measured by
 * free fits of a sample (measureHeldWidth) and held for the remaining sweeps. Groups and columns
 * nothing reaches fit their own width throughout.
 *
 * After the first sweep only columns with a neighbour in reach whose model changed in the last
 * sweep are refitted (with the same neighbours a column's fit cannot change), so a lattice with
 * well-separated columns costs little more than one extra fit per column.
 *
 * Why one width per group: in a dumbbell the two widths are almost degenerate with the amplitudes
 * and the separation (the fit cannot tell a wider column from a farther pair), and the two columns
 * see the same probe and specimen thickness, so one width is both physical and well determined.
 *
 * The group model and its derivatives below are shared by the fit (refine), by each column's
 * position uncertainty and by the Cramer-Rao bound (cramer_rao.h): one formula, three uses.
 */

#include "core/detect/atom_column.h"
#include "core/detect/pair_or_ellipse.h"
#include "core/image/float_image.h"

#include <Eigen/Dense>

#include <cmath>
#include <vector>

namespace motifscope {

class Progress;
struct RefineParams;

constexpr int kMaxGroup = 3;            ///< a column and at most two partners fitted together
constexpr double kPartnerWidths = 3.0;  ///< partners: neighbours closer than this many column widths

/**
 * N Gaussians with one width plus a flat background:
 *   mu(x, y) = sum_k A_k exp(-((x - x_k)^2 + (y - y_k)^2) / 2 s^2) + B.
 * Parameter vector q = (A_0, x_0, y_0, A_1, x_1, y_1, ..., s, B): 3N + 2 entries.
 */
template <int N>
struct GaussianGroup
{
    static constexpr int P = 3 * N + 2;
    using Vector = Eigen::Matrix<double, P, 1>;
    using Matrix = Eigen::Matrix<double, P, P>;

    static constexpr int amplitude(int k) { return 3 * k; }
    static constexpr int xIndex(int k) { return 3 * k + 1; }
    static constexpr int yIndex(int k) { return 3 * k + 2; }
    static constexpr int width() { return 3 * N; }
    static constexpr int background() { return 3 * N + 1; }

    /**
     * The model at pixel (px, py) given each member's Gaussian factor e[k] = exp(-d_k^2 / 2 s^2)
     * (a fit computes them per row and per column: the Gaussian is separable); with `gradient`,
     * also d mu / d q (the Jacobian row).
     */
    static double valueWith(const Vector& q, double px, double py, const double* e, Vector* gradient)
    {
        const double s = q[width()];
        const double invS2 = 1.0 / (s * s);
        double mu = q[background()];
        double dWidth = 0.0;
        for (int k = 0; k < N; ++k) {
            const double ae = q[amplitude(k)] * e[k];
            mu += ae;
            if (gradient) {
                const double ox = px - q[xIndex(k)], oy = py - q[yIndex(k)];
                (*gradient)[amplitude(k)] = e[k];
                (*gradient)[xIndex(k)] = ae * ox * invS2;
                (*gradient)[yIndex(k)] = ae * oy * invS2;
                dWidth += ae * (ox * ox + oy * oy) * invS2 / s;
            }
        }
        if (gradient) {
            (*gradient)[width()] = dWidth;
            (*gradient)[background()] = 1.0;
        }
        return mu;
    }

    /** The model at pixel (px, py); with `gradient`, also d mu / d q. */
    static double value(const Vector& q, double px, double py, Vector* gradient)
    {
        const double inv2s2 = 1.0 / (2.0 * q[width()] * q[width()]);
        double e[N];
        for (int k = 0; k < N; ++k) {
            const double ox = px - q[xIndex(k)], oy = py - q[yIndex(k)];
            e[k] = std::exp(-(ox * ox + oy * oy) * inv2s2);
        }
        return valueWith(q, px, py, e, gradient);
    }
};

/**
 * m += weight * g g^T, lower triangle only (read m through selfadjointView). Plain loops over a
 * fixed size: unrolled by the compiler, where Eigen's rankUpdate is an out-of-line call per pixel.
 */
template <int P>
inline void addWeightedOuterProduct(Eigen::Matrix<double, P, P>& m, const Eigen::Matrix<double, P, 1>& g, double weight)
{
    for (int b = 0; b < P; ++b) {
        const double gb = weight * g[b];
        for (int a = b; a < P; ++a)
            m(a, b) += g[a] * gb;
    }
}

/**
 * Fisher information of one pixel with Gaussian-approximated noise of known variance v(mu):
 * F += (d mu / d q)(d mu / d q)^T / v. For Poisson counts (v = mu) this is the exact Poisson
 * Fisher information. (Only the lower triangle is written; read it through selfadjointView.)
 */
template <int P>
inline void addPixelInformation(Eigen::Matrix<double, P, P>& fisher, const Eigen::Matrix<double, P, 1>& gradient,
                                double variance)
{
    addWeightedOuterProduct<P>(fisher, gradient, 1.0 / variance);
}

/** Per-axis standard errors of one column's position. */
struct PositionError
{
    double x = 0.0;
    double y = 0.0;
    double larger() const { return x > y ? x : y; }
};

/**
 * Standard errors of column k's position from a group's Fisher matrix (lower triangle filled):
 * square roots of the diagonal of the inverse, so amplitudes, width, background and the partners
 * are nuisance parameters (their uncertainty inflates the position's). False when singular.
 */
template <int N>
bool positionError(const typename GaussianGroup<N>::Matrix& fisher, int k, PositionError& out)
{
    using G = GaussianGroup<N>;
    const typename G::Matrix full = fisher.template selfadjointView<Eigen::Lower>();
    const Eigen::LDLT<typename G::Matrix> ldlt(full);
    if (ldlt.info() != Eigen::Success)
        return false;
    typename G::Vector e = G::Vector::Zero();
    e[G::xIndex(k)] = 1.0;
    const double vx = ldlt.solve(e)[G::xIndex(k)];
    e.setZero();
    e[G::yIndex(k)] = 1.0;
    const double vy = ldlt.solve(e)[G::yIndex(k)];
    if (!(vx > 0.0) || !(vy > 0.0) || !std::isfinite(vx) || !std::isfinite(vy))
        return false;
    out.x = std::sqrt(vx);
    out.y = std::sqrt(vy);
    return true;
}

/**
 * The joint refinement: columns already carry a single-column fit (position, amplitude, width,
 * background). Optionally splits unresolved pairs (appending columns), then runs params.jointSweeps sweeps of group fits with
 * the neighbours subtracted. Sets positionSigma. Columns whose joint fit fails keep their
 * single-column values. In parallel over columns (TBB), no per-column heap allocation.
 * Progress advances by one unit per column and sweep, out of `progressTotal` (0: its own total).
 */
void refineJointly(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress,
                   long long progressTotal = 0);

/**
 * The model-order test alone: each lone column (no partner within kPartnerWidths widths) that is
 * elongated and that two Gaussians of one width fit better by more than chance allows (a
 * chi-square(3) quantile, Bonferroni over the columns) and physically (members at least 0.8
 * widths apart, the weaker at least a quarter of the stronger) becomes two columns; the second is
 * appended. `image` may be a copy with the scan jitter removed (a jittered round column looks
 * elongated; a pair's rows are wider, a jittered column's are not).
 */
void splitUnresolvedPairs(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress);

/** What the split test finds, without changing the columns: which columns split, into what. */
struct UnresolvedPairs
{
    std::vector<std::size_t> column; ///< index of each column that splits
    AtomColumns first, second;       ///< its two members
    PairOrEllipse verdict;           ///< whether, averaged, they are pairs (else an elliptical probe)
};

/**
 * The split test of splitUnresolvedPairs (which applies it only when the verdict is pairs): lone
 * elongated columns that two Gaussians fit significantly better, kept when their pair vector
 * recurs (the crystal prior), judged together by pairsOrEllipse. `sample` > 0: test only about
 * that many columns, evenly spread (a quick look whether the image holds pairs at all).
 */
UnresolvedPairs findUnresolvedPairs(const FloatImage& image, const AtomColumns& columns, const RefineParams& params,
                                    Progress* progress = nullptr, std::size_t sample = 0);

/**
 * The model-order test the other way round: columns closer than 2 typical widths (a noise bump
 * on a column's flank at low dose, found and then pulled towards the column) are fitted as two
 * Gaussians and as one; where two fit better by less than chance allows (the split test's
 * chi-square(3) quantile, Bonferroni over the pairs tested), they become one column. Returns how
 * many pairs were merged (columns removed).
 */
int mergeUnresolvedPairs(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress);

} // namespace motifscope
