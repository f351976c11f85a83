#pragma once
/** Two-stage force-directed 2-D layout of a fuzzy graph (UMAP-like), reproducible for a seed. */

#include "core/learn/fuzzy_graph.h"

#include <Eigen/Core>

#include <cstdint>
#include <functional>

namespace motifscope {

class Progress;

/** Called with the current layout every few epochs and after the last one. */
using EmbeddingSnapshot = std::function<void(const Eigen::MatrixX2f& embedding, int epoch)>;

/** Low-dimensional kernel q(d) = 1 / (1 + a d^(2b)) of one stage. */
struct LayoutKernel
{
    float a = 1.0f;
    float b = 1.0f;
};

struct EmbeddingParams
{
    int epochs = 200;                       ///< both stages together; the first takes half
    int negativeSamples = 5;                ///< repulsive samples per edge end and sample
    LayoutKernel relaxed{1.0f, 1.0f};       ///< stage 1: Cauchy kernel, wide clusters untangle
    LayoutKernel sharp{1.929f, 0.7915f};    ///< stage 2: UMAP's kernel for min_dist 0.001, tight clusters
    std::uint64_t seed = 1;
    int snapshotEvery = 10;                 ///< epochs between snapshots (0 = only the final one)
    double snapshotSeconds = 0.0;           ///< > 0: by time instead, a snapshot after the first epoch this long after the last (live views)
    int batches = 16;                       ///< synchronous sub-steps per epoch (fixed: results do not depend on threads)
    int localityOrderAbove = 131072;        ///< larger layouts run on points renumbered for cache locality (tests lower it)
};

/**
 * Epochs used when none are asked for: 200 up to 2,000 points, 40 above. With the 2-D
 * classification's continuum test, 40 give the same or better motifs than 60 (mixed-lattice 2048^2
 * and 4096^2: 12 -> 9 and 10 -> 8 motifs, site ARI 0.977 -> 0.990 and 0.979 -> 0.990; docs/learning.md, Layout).
 */
inline int defaultEpochs(long long points) { return points <= 2000 ? 200 : 40; }

/** Start layout: the first two principal components of `x`, scaled so that max |coordinate| = 10. */
Eigen::MatrixX2f pcaStart(const Eigen::MatrixXf& x);

/**
 * Optimises the layout from `start`. Each epoch samples every edge in proportion to its weight
 * (as UMAP's epochs_per_sample), attracts its ends and repels each end from random points, every
 * force clipped at +-4, the learning rate decaying linearly to zero within each stage. Edges are
 * split into fixed batches; within a batch every point moves from the positions at the batch's
 * start, so the result is bit-identical for any number of threads. Throws OperationCancelled.
 */
Eigen::MatrixX2f embedGraph(const FuzzyGraph& graph, const Eigen::MatrixX2f& start, const EmbeddingParams& params,
                            Progress* progress = nullptr, const EmbeddingSnapshot& onSnapshot = {});

} // namespace motifscope
