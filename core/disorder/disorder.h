#pragma once
/**
 * How disordered a structure is, as numbers comparable across images (docs/disorder.md): the
 * entropy of the motif vocabulary and of every hierarchy level, how continuous the motifs are, ring
 * statistics of the polygon route and bond-orientational order, each with a bootstrap 95% interval.
 */

#include "core/disorder/bootstrap.h"
#include "core/hierarchy/hierarchy.h"

#include <map>
#include <string>
#include <vector>

namespace motifscope::disorder {

/** A measured value and its bootstrap 95% interval; value NaN = not defined for this input. */
struct Estimate
{
    double value = 0.0;
    Interval ci;
    bool defined() const;
};

/** Shannon entropy in bits of the fractions counts / sum(counts) (zero counts ignored; 0 for none). */
double entropyBits(const std::vector<double>& counts);

/** The fewest distinct motifs whose counts cover 95% of all occurrences (0 when there are none). */
int motifsCovering95(std::vector<double> counts);

/** Entropy (bits) of the labels >= 0, with the interval from resampling those labels. */
Estimate labelEntropy(const std::vector<int>& labels, const BootstrapPlan& plan, std::uint64_t stream);

/** Ring statistics of the counted rings of the polygon route (ring size n = members around the ring). */
struct RingStatistics
{
    long long rings = 0;                 ///< counted rings
    std::vector<int> sizes;              ///< the ring sizes present, ascending
    std::vector<Estimate> fractions;     ///< per size: its share of the counted rings
    Estimate mean, variance;             ///< of the ring size (variance = mu2, population form)
    Estimate aboavWeaireA;               ///< a in n m(n) = (<n> - a) n + (<n> a + mu2)
    double aboavWeaireSlope = 0.0;       ///< the fitted line n m(n) = slope n + intercept (NaN: one size only)
    double aboavWeaireIntercept = 0.0;
};

/** The counted rings' statistics; Aboav-Weaire from edge-sharing counted rings (result.ringPairs). */
RingStatistics ringStatistics(const HierarchyResult& hierarchy, const BootstrapPlan& plan);

/**
 * Mean over columns with at least two bonds of |psi_m| = |(1/z) sum_j exp(i m theta_ij)|, theta_ij
 * the direction of bond i-j: 1 for a perfect m-fold neighbourhood. NaN when no column has two bonds.
 */
Estimate bondOrientationalOrder(const std::vector<Point2>& points, const std::vector<std::pair<int, int>>& bonds,
                                int m, const BootstrapPlan& plan);

/**
 * Per point of the 2-D map of a substantial motif (others get NaN): how continuously it is joined to a
 * point of another motif, in [0, 1] = (the highest density level at which a path of mutual
 * neighbours joins it to another motif) / (the density at the point); see docs/disorder.md.
 */
std::vector<double> continuityPerPoint(const std::vector<Point2>& map, const std::vector<int>& labels);

/** The motifs continuity is measured on: more than k = 15 points and at least 2% of the labelled points, ascending. */
std::vector<int> substantialMotifs(const std::vector<Point2>& map, const std::vector<int>& labels);

/**
 * Per substantial motif: how much of its spread on the map is a smooth trend across the image, in
 * [0, 1]: the share of its map points' (e1, e2) variance explained by the polynomials of the
 * column's image position (`positions`, one per map row) up to `degree`, beyond one offset per
 * spatial patch of the motif (grains apart), adjusted for the terms fitted. 0 when the map point
 * does not depend on where the column is (noise, scattered defects, grains of one lattice); near 1
 * for a lattice whose strain rises (or rises and falls) across the image. See docs/disorder.md.
 */
std::map<int, double> continuityWithinMotifs(const std::vector<Point2>& map, const std::vector<int>& labels,
                                             const std::vector<Point2>& positions, int degree = 2);

/**
 * motif_continuity: the mean over the map points of substantial map classes (`labels`) of
 * max(continuityPerPoint, continuityWithinMotifs of the motif its column ended with, `columnMotif`,
 * with `positions` its image position); without them continuityPerPoint alone (0 with fewer than two
 * classes). See docs/disorder.md.
 */
Estimate motifContinuity(const std::vector<Point2>& map, const std::vector<int>& labels, const BootstrapPlan& plan,
                         const std::vector<Point2>* positions = nullptr, const std::vector<int>* columnMotif = nullptr);

/** Everything disorder.json holds. */
struct DisorderReport
{
    long long columns = 0;
    long long assignedColumns = 0;       ///< columns with a motif (the entropy's population)
    int motifs = 0;                      ///< distinct motifs among them
    Estimate motifEntropy;
    std::string route;                   ///< the hierarchy's route ("" without a hierarchy)
    std::vector<Estimate> levelEntropy;  ///< per hierarchy level, in hierarchy.json's order
    std::vector<Estimate> levelMotifs95;  ///< value only (a bootstrap of this count is biased low)
    Estimate continuity;                 ///< NaN when there is no map (points only)
    Estimate psi6, psi4;
    bool hasRings = false;               ///< polygon route with counted rings
    RingStatistics rings;
    BootstrapPlan plan;
};

/** What the measures are computed from; the map is optional (the `hierarchy` command has none). */
struct DisorderInput
{
    const std::vector<Point2>* points = nullptr;    ///< column positions
    const std::vector<int>* columnMotif = nullptr;  ///< per column, -1 = unassigned
    const HierarchyResult* hierarchy = nullptr;
    const std::vector<Point2>* map = nullptr;       ///< 2-D embedding, one row per learned column
    const std::vector<int>* mapMotif = nullptr;     ///< the motif of each map row
    const std::vector<Point2>* mapPositions = nullptr; ///< the image position of each map row (continuity within motifs)
    const std::vector<int>* mapColumnMotif = nullptr;  ///< the motif each map row's column ended with (columns.csv's)
    const Estimate* continuity = nullptr; ///< motif_continuity measured already (beside the hierarchy); else here
};

DisorderReport measureDisorder(const DisorderInput& input, const BootstrapPlan& plan = {});

/** motif_continuity alone, as measureDisorder measures it (NaN without a map): e.g. beside the hierarchy. */
Estimate measureContinuity(const DisorderInput& input, const BootstrapPlan& plan = {});

/** disorder.json as text (deterministic: the same report gives the same bytes). */
std::string disorderJsonText(const DisorderReport& report);

/** Writes disorder.json atomically. */
void writeDisorderJson(const DisorderReport& report, const std::string& path);

} // namespace motifscope::disorder
