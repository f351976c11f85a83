#pragma once
/**
 * Disorder column by column, for maps of the image (the Disorder dock's "Map on image" and figures):
 * the entropy of the motifs around each column, and each column's bond-orientational order.
 */

#include "core/columns/column_table.h"
#include "core/hierarchy/hierarchy.h"

#include <string>
#include <vector>

namespace motifscope::disorder {

/**
 * Per point: the Shannon entropy (bits) of the motifs (labels >= 0) of the points within `radius`
 * of it, itself included: 0 inside a region of one motif, up to log2(K) where K motifs mix evenly.
 * NaN where fewer than three labelled points lie within the radius.
 */
std::vector<double> localMotifEntropy(const std::vector<Point2>& points, const std::vector<int>& labels, double radius);

/**
 * Per point: |psi_m| = |(1/z) sum_j exp(i m theta_ij)| over its z bonds (theta_ij: the direction
 * of bond i-j), 1 for a perfect m-fold neighbourhood; NaN for points with fewer than two bonds.
 */
std::vector<double> bondOrderPerPoint(const std::vector<Point2>& points, const std::vector<std::pair<int, int>>& bonds,
                                      int m);

/** The window of localMotifEntropy: 2.5 median nearest-neighbour spacings (about 20 columns). */
double localEntropyRadius(const std::vector<Point2>& points);

/** The per-column maps of a column table: each vector has one value per column (NaN = undefined). */
struct LocalDisorder
{
    double spacing = 0.0;                ///< median nearest-neighbour spacing, image pixels (0: unknown)
    double radius = 0.0;                 ///< of the motif-entropy window (localEntropyRadius), image pixels
    std::vector<double> motifEntropy;    ///< empty when no column has a motif
    std::vector<double> psi6, psi4;      ///< empty without a hierarchy (its bonds)
};

LocalDisorder measureLocalDisorder(const ColumnTable& columns, const HierarchyResult* hierarchy);

} // namespace motifscope::disorder
