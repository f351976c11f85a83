#pragma once
/**
 * Internals of the joint fit (joint_fit.h), shared by joint_fit.cpp (the sweeps) and
 * joint_fit_pairs.cpp (the split and merge tests of unresolved pairs). Not for use elsewhere.
 */

#include "core/detect/cell_grid.h"
#include "core/detect/joint_fit.h"
#include "core/detect/refine.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace motifscope::joint_detail {

inline constexpr int kMaxReach = 32;               ///< window half-width cap, pixels
inline constexpr double kWindowWidths = 3.0;       ///< fit window radius: 3 column widths hold ~95% of the position information
inline constexpr double kTailWidths = 4.0;         ///< a neighbour's Gaussian is negligible beyond this many widths
inline constexpr int kMaxNeighbours = 48;          ///< neighbours modelled per window
inline constexpr double kMinDiskFraction = 0.25;   ///< a border column needs this much of its window on the image

inline constexpr double kMaxWidthRatio = 2.0;      ///< a fitted width this far from the typical one is a failed fit

// Splitting an unresolved pair (a dumbbell closer than 2 widths shows a single peak):
inline constexpr double kSplitElongation = 0.06;   ///< prefilter: elongation (l1 - l2) / (l1 + l2) of the column's moments
inline constexpr double kMergeWidths = 2.0;        ///< pairs closer than this many typical widths: two columns or one?
inline constexpr double kSplitFalseSplits = 0.05;  ///< expected false splits per image (Bonferroni over the columns tested)
inline constexpr double kSplitMinSeparation = 0.8; ///< widths: closer members are one column
inline constexpr double kSplitMinRatio = 0.25;     ///< weaker / stronger amplitude
// The crystal prior (keepRecurringPairs): a pair is kept when enough other candidates share its
// orientation and separation; random pair vectors agree within these windows about 7% of the time.
inline constexpr double kSplitSameAngle = 15.0 * M_PI / 180.0;
inline constexpr double kSplitSameLength = 0.25;       ///< relative difference of the separations
inline constexpr double kSplitRecurringFraction = 0.2; ///< of the other candidates
inline constexpr double kSplitMinRecurring = 3.0;
/// A dumbbell crystal splits a whole sublattice: a pair vector must recur in at least this share of
/// the columns tested. A systematic elongation (drift, astigmatism) makes a scattered few percent
/// of the columns fail the single-Gaussian test along one direction (9% on the bundled MoSe2).
inline constexpr double kSplitMinShare = 0.15;
inline constexpr std::size_t kMaxRecurringVectors = 4; ///< pair vectors of a crystal (grains, variants) the split pass tries
inline constexpr double kSplitReach = 1.5;         ///< split window radius at most this many single-fit radii

/** A column's width for modelling: its fitted width (within kMaxWidthRatio of the typical one), else the typical one. */
inline double widthOf(const AtomColumn& c, double typical)
{
    const double own = c.refinement == Refinement::GaussianFit && c.width > 0.0f ? double(c.width) : typical;
    return std::clamp(own, typical / kMaxWidthRatio, typical * kMaxWidthRatio);
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

/** A pair vector that recurs across the crystal (the second member relative to the first, pixels). */
struct PairVector
{
    double dx = 0.0, dy = 0.0;
    double width = 0.0; ///< the members' fitted width (0: not known)
};

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
    /// The split pass once the crystal is known to hold pairs: the pair vectors that recur. The
    /// test then starts the two members along each of them (no elongation prefilter: a pair whose
    /// noise made it look round is still tried) and keeps only pairs that agree with one.
    const std::vector<PairVector>* recurring = nullptr;
};

/**
 * Levenberg-Marquardt fit of a group of N Gaussians (shared width, one background) plus the fixed
 * `known` neighbours to the window, weighted by 1/variance of each pixel's expected value. The
 * weights come from the starting model (one reweighting per sweep, as in iteratively reweighted
 * least squares: with Poisson counts this converges to the maximum-likelihood fit). `hold` keeps
 * the width (and the positions) at their starting values.
 */
template <int N>
bool fitGroup(JointWindow& w, typename GaussianGroup<N>::Vector& q, const RefineParams& p, GroupOutcome& out,
              bool computeWeights = true, Hold hold = Hold::nothing);

/** A group fit's first column (position, amplitude, width, background, residual, sigma) into `c`. */
void applyFit(const GroupOutcome& out, AtomColumn& c);

/**
 * Fits column i with its partners free and its other neighbours fixed; false: keep what it has.
 * `coupled`: whether any neighbour reaches the window (only then can a later sweep change the fit).
 * With `second` (the split pass): only tests whether a lone column is an unresolved pair (in the
 * joint-fit window, neighbours subtracted at their single fits) and changes `c` only when it
 * splits (coupled = 2, `second` = the new column).
 */
bool fitColumn(const Sweep& s, int i, JointWindow& w, AtomColumn& c, char& coupled, AtomColumn* second);

/**
 * Model-order test for a lone column (no partner): is it an unresolved pair? Prefilter by the
 * elongation of its Gaussian-weighted second moments (neighbours and background subtracted), then
 * fit two Gaussians (one width) with the same pixel weights and split when chi-square drops by
 * kSplitChi2 or more and the pair is physical (separated by at least kSplitMinSeparation widths,
 * neither member negligible). With Sweep::recurring, the start is each recurring pair vector
 * instead (see there). On success `first` and `second` hold the two columns.
 */
bool trySplit(const Sweep& s, JointWindow& w, const GroupOutcome& single, const AtomColumn& self, double radius,
              AtomColumn& first, AtomColumn& second);

/**
 * The chi-square drop that two Gaussians must achieve over one (3 more parameters: a second
 * amplitude and position) for a lone column to be split, so that among `tests` single columns
 * kSplitFalseSplits split by chance: the chi-square(3) quantile at 1 - kSplitFalseSplits / tests.
 */
double splitThreshold(std::size_t tests);

/** The width the joint fit starts from and keeps columns near: the known one, else the fits' median. */
double typicalWidth(const AtomColumns& columns, const RefineParams& params);

/** How far a column's fit reaches into its neighbours': the widest window plus a wide neighbour's tail. */
double neighbourReach(double typicalWidth, const RefineParams& params);

} // namespace motifscope::joint_detail
