#pragma once
/** k-means clustering (k-means++ seeding, Lloyd iterations, restarts), deterministic for a seed. */

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace motifscope {

class Progress;

struct KMeansResult
{
    Eigen::MatrixXf centres;  ///< K x d
    std::vector<int> labels;  ///< N, in [0, K)
    double inertia = 0.0;     ///< sum of squared distances to the assigned centres
};

/**
 * Clusters the rows of `x` (N x d) into `k` groups: `restarts` k-means++ seedings each refined by
 * Lloyd's algorithm, the lowest inertia kept. Parallel, and bit-identical for any thread count.
 */
KMeansResult kmeans(const Eigen::MatrixXf& x, int k, std::uint64_t seed, int restarts = 4, int maxIterations = 100,
                    Progress* progress = nullptr);

/** Index of the nearest centre (rows of `centres`) for every row of `x`; squared distances into `dist2`. */
std::vector<int> nearestCentres(const Eigen::MatrixXf& x, const Eigen::MatrixXf& centres,
                                std::vector<float>* dist2 = nullptr);

} // namespace motifscope
