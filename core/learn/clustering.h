#pragma once
/** Clustering of columns into motif classes: density segmentation of the 2-D map, k-means, GMM. */

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace motifscope {

enum class ClusterMethod
{
    Segment, ///< density segmentation of the 2-D embedding (robust connected components)
    Gmm,     ///< Gaussian mixture, full covariances, class count by ICL (entropy-penalised BIC)
    Kmeans,  ///< k-means++, class count by silhouette
};

/** Labels (0 = largest class; -1 = unassigned) and a per-point confidence in [0, 1]. */
struct Clustering
{
    std::vector<int> labels;
    std::vector<float> confidence;
    int classes = 0;
};

struct SegmentParams
{
    int grid = 256;             ///< cells along the longer side of the map
    float bandwidth = 0.025f;   ///< KDE Gaussian sigma as a fraction of the map's longer side
    float saddleRatio = 0.2f;   ///< two density modes merge when the saddle is >= this times the lower peak
    float minFraction = 0.005f; ///< smaller classes are merged into the nearest large one...
    int minPoints = 5;          ///< ...as are classes with fewer points than this
};

/**
 * Segments a 2-D map: kernel density on a grid, then modes joined by persistence (cells taken in
 * decreasing density; two regions meeting at a saddle merge when the saddle density is at least
 * saddleRatio times the lower of their peaks). Each point takes the class of its cell; small classes
 * join the nearest large class. Confidence = the point's class density over the summed class
 * densities at its position (a kernel-density posterior).
 */
Clustering segmentMap(const Eigen::MatrixX2f& map, const SegmentParams& params = {});

/** A fitted Gaussian mixture. */
struct GaussianMixture
{
    Eigen::VectorXd weights;
    Eigen::MatrixXd means;                   ///< K x d
    std::vector<Eigen::MatrixXd> covariances;
    double logLikelihood = 0.0;
    int observations = 0;

    int components() const { return int(weights.size()); }
    /** Bayesian information criterion: -2 log L + parameters * ln N. */
    double bic() const;
};

/** EM with full covariances from a k-means start; covariances regularised by 1e-4 of the mean variance. */
GaussianMixture fitGaussianMixture(const Eigen::MatrixXf& x, int k, std::uint64_t seed, int maxIterations = 300);

/** Posterior probability of every component for every row (N x K), by log-sum-exp. */
Eigen::MatrixXd mixturePosteriors(const GaussianMixture& gmm, const Eigen::MatrixXf& x);

/** Mean silhouette of `labels` on at most `maxSamples` rows (a seeded subsample). */
double silhouetteScore(const Eigen::MatrixXf& x, const std::vector<int>& labels, int maxSamples = 2000,
                       std::uint64_t seed = 1);

/**
 * GMM classes; k = 0 picks K in 1..maxClasses with the lowest ICL (BIC + 2 x the entropy of the
 * posteriors), then (on a 2-D map) joins components that lie in one connected region of
 * the binned points, so a flat or curved cluster of the embedding stays one class, and classes
 * under 3% of the points join the nearest larger class. Confidence = posterior
 * (summed over joined components).
 */
Clustering clusterGmm(const Eigen::MatrixXf& x, int k, std::uint64_t seed, int maxClasses = 8);

/**
 * k-means classes; k = 0 picks K in 2..maxClasses with the highest silhouette, or 1 when no K
 * reaches a silhouette of 0.5. Confidence = 1 - d1/d2 (nearest over second-nearest centre distance).
 */
Clustering clusterKmeans(const Eigen::MatrixXf& x, int k, std::uint64_t seed, int maxClasses = 8);

/** Renumbers labels so class 0 is the largest (ties: the smaller old label); -1 stays -1. */
int relabelBySize(std::vector<int>& labels);

} // namespace motifscope
