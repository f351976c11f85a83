#pragma once
/** UMAP-style fuzzy simplicial set of a k-nearest-neighbour graph: a symmetric weighted edge list. */

#include "core/learn/knn.h"

#include <vector>

namespace motifscope {

/** Per-point local scale: distance to the nearest neighbour and the bandwidth found by bisection. */
struct LocalScales
{
    std::vector<float> rho;   ///< distance to the nearest neighbour
    std::vector<float> sigma; ///< sum_j exp(-(d_ij - rho_i) / sigma_i) = log2(k)
};

/** Undirected weighted edges (head < tail), each once, sorted by (head, tail). */
struct FuzzyGraph
{
    int n = 0;
    std::vector<int> head;
    std::vector<int> tail;
    std::vector<float> weight; ///< membership strength in (0, 1]

    std::size_t edgeCount() const { return weight.size(); }
};

/** rho and sigma of every point (binary search to relative precision 1e-5). */
LocalScales localScales(const KnnGraph& knn);

/** Directed membership w_ij = exp(-(d_ij - rho_i) / sigma_i) of row i's neighbour in `slot`. */
float directedWeight(const KnnGraph& knn, const LocalScales& scales, int i, int slot);

/** The symmetrised fuzzy union P + P^T - P o P^T; edges with weight below 1e-6 are dropped. */
FuzzyGraph fuzzyGraph(const KnnGraph& knn);

} // namespace motifscope
