#pragma once
/** From column features to motif classes: kNN graph, fuzzy graph, 2-D embedding, clustering. */

#include "core/learn/clustering.h"
#include "core/learn/knn.h"

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <vector>

namespace motifscope {

class Progress;

struct LearnParams
{
    ClusterMethod method = ClusterMethod::Segment;
    int classes = 0;   ///< 0 = automatic
    int k = 10;        ///< neighbours in the kNN graph
    int epochs = 0;    ///< layout epochs, two stages of half each; 0 = defaultEpochs(columns): 200 up to 2,000, else 40
    std::uint64_t seed = 1;
    KnnMetric metric = KnnMetric::Correlation;
    int snapshotEvery = 5;  ///< epochs between snapshots with provisional labels (8 live maps in 40 epochs)
    double snapshotSeconds = 0.0; ///< > 0: a snapshot this often instead (at the end of an epoch; a live map's pace)
    int maxClasses = 8;     ///< upper limit of the automatic class count (GMM, k-means)
    SegmentParams segment;
};

struct LearnResult
{
    Eigen::MatrixX2f embedding;
    std::vector<int> labels;       ///< 0 = the most common motif; -1 = unassigned
    std::vector<float> confidence; ///< [0, 1]
    int classes = 0;
    double embedSeconds = 0.0;   ///< wall time of neighbours, fuzzy graph and layout
    double clusterSeconds = 0.0; ///< wall time of the clustering of the map
};

/** A layout in progress and its provisional labels. */
using LearnSnapshot = std::function<void(const Eigen::MatrixX2f& embedding, const std::vector<int>& labels, int epoch)>;

/** Clusters a 2-D map with the chosen method (GMM fitted on at most 20,000 points, then applied to all). */
Clustering clusterMap(const Eigen::MatrixX2f& map, const LearnParams& params);

/**
 * Learns motifs from `features` (N x d, one row per column). Reports stages (neighbours, graph,
 * embedding, clustering) through `progress` and throws OperationCancelled when cancelled.
 * Snapshots carry cheap provisional labels (segmentation, or k-means for a fixed class count).
 */
LearnResult learnMotifs(const Eigen::MatrixXf& features, const LearnParams& params, Progress* progress = nullptr,
                        const LearnSnapshot& onSnapshot = {});

} // namespace motifscope
