#include "core/learn/learner.h"

#include "core/learn/embedding.h"
#include "core/learn/fuzzy_graph.h"
#include "core/learn/kmeans.h"
#include "core/util/progress.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>

namespace motifscope {

namespace {

/** Merges the smallest classes into the class with the nearest centroid until `count` remain. */
void mergeToCount(Clustering& c, const Eigen::MatrixX2f& map, int count)
{
    while (c.classes > count && c.classes > 1) {
        Eigen::MatrixX2d centroid = Eigen::MatrixX2d::Zero(c.classes, 2);
        std::vector<long long> sizes(std::size_t(c.classes), 0);
        for (Eigen::Index i = 0; i < map.rows(); ++i)
            if (const int l = c.labels[std::size_t(i)]; l >= 0) {
                centroid.row(l) += map.row(i).cast<double>();
                ++sizes[std::size_t(l)];
            }
        const int smallest = c.classes - 1; // sorted by size
        int target = 0;
        double best = std::numeric_limits<double>::infinity();
        for (int t = 0; t < smallest; ++t) {
            const double d = (centroid.row(t) / double(std::max(1LL, sizes[std::size_t(t)]))
                              - centroid.row(smallest) / double(std::max(1LL, sizes[std::size_t(smallest)])))
                                 .squaredNorm();
            if (d < best) {
                best = d;
                target = t;
            }
        }
        for (int& l : c.labels)
            if (l == smallest)
                l = target;
        c.classes = relabelBySize(c.labels);
    }
}

Eigen::MatrixXf subsampleRows(const Eigen::MatrixXf& x, Eigen::Index limit)
{
    if (x.rows() <= limit)
        return x;
    Eigen::MatrixXf s(limit, x.cols());
    for (Eigen::Index r = 0; r < limit; ++r)
        s.row(r) = x.row(Eigen::Index((long long)r * x.rows() / limit));
    return s;
}

} // namespace

Clustering clusterMap(const Eigen::MatrixX2f& map, const LearnParams& params)
{
    switch (params.method) {
    case ClusterMethod::Segment: {
        Clustering c = segmentMap(map, params.segment);
        if (params.classes > 0)
            mergeToCount(c, map, params.classes);
        return c;
    }
    case ClusterMethod::Kmeans:
        return clusterKmeans(map, params.classes, params.seed, params.maxClasses);
    case ClusterMethod::Gmm: {
        const Eigen::MatrixXf all = map;
        if (map.rows() <= 20000)
            return clusterGmm(all, params.classes, params.seed, params.maxClasses);
        // Fit the class count and the mixture on a subsample, then label every point.
        const Clustering onSample = clusterGmm(subsampleRows(all, 20000), params.classes, params.seed, params.maxClasses);
        const GaussianMixture gmm = fitGaussianMixture(subsampleRows(all, 20000), onSample.classes, params.seed);
        const Eigen::MatrixXd post = mixturePosteriors(gmm, all);
        Clustering c;
        c.labels.resize(std::size_t(map.rows()));
        c.confidence.resize(std::size_t(map.rows()));
        for (Eigen::Index i = 0; i < map.rows(); ++i) {
            Eigen::Index best;
            c.confidence[std::size_t(i)] = float(post.row(i).maxCoeff(&best));
            c.labels[std::size_t(i)] = int(best);
        }
        c.classes = relabelBySize(c.labels);
        return c;
    }
    }
    throw std::invalid_argument("unknown clustering method");
}

LearnResult learnMotifs(const Eigen::MatrixXf& features, const LearnParams& params, Progress* progress,
                        const LearnSnapshot& onSnapshot)
{
    LearnResult result;
    const Eigen::Index n = features.rows();
    if (n == 0)
        return result;
    if (!features.allFinite())
        throw std::invalid_argument("features contain non-finite values");
    if (n < 3) {
        result.embedding = Eigen::MatrixX2f::Zero(n, 2);
        result.labels.assign(std::size_t(n), 0);
        result.confidence.assign(std::size_t(n), 1.0f);
        result.classes = 1;
        return result;
    }
    const auto start = std::chrono::steady_clock::now();
    KnnParams knnParams;
    knnParams.k = std::clamp(params.k, 1, int(std::min<Eigen::Index>(n - 1, 64)));
    knnParams.metric = params.metric;
    knnParams.seed = params.seed;
    if (progress)
        progress->beginStage("neighbours", 0.0, 0.25);
    const KnnGraph knn = nearestNeighbours(features, knnParams, progress);

    if (progress)
        progress->beginStage("graph", 0.25, 0.3);
    const FuzzyGraph graph = fuzzyGraph(knn);
    throwIfCancelled(progress);

    if (progress)
        progress->beginStage("embedding", 0.3, 0.9);
    const Eigen::MatrixXf prepared = prepareForMetric(features, params.metric);
    EmbeddingParams embedParams;
    embedParams.epochs = params.epochs > 0 ? std::max(2, params.epochs) : defaultEpochs(n);
    embedParams.seed = params.seed;
    embedParams.snapshotEvery = params.snapshotEvery;
    embedParams.snapshotSeconds = params.snapshotSeconds;
    EmbeddingSnapshot snapshot;
    if (onSnapshot) {
        snapshot = [&](const Eigen::MatrixX2f& y, int epoch) {
            if (epoch == embedParams.epochs)
                return; // the final labels come from the full clustering below
            Clustering provisional;
            if (params.method == ClusterMethod::Segment || params.classes <= 0) {
                provisional = segmentMap(y, params.segment);
                if (params.classes > 0)
                    mergeToCount(provisional, y, params.classes);
            } else {
                const KMeansResult km = kmeans(y, params.classes, params.seed, 1, 20);
                provisional.labels = km.labels;
                relabelBySize(provisional.labels);
            }
            onSnapshot(y, provisional.labels, epoch);
        };
    }
    result.embedding = embedGraph(graph, pcaStart(prepared), embedParams, progress, snapshot);

    const auto embedded = std::chrono::steady_clock::now();
    result.embedSeconds = std::chrono::duration<double>(embedded - start).count();
    if (progress)
        progress->beginStage("clustering", 0.9, 1.0);
    Clustering c = clusterMap(result.embedding, params);
    result.clusterSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - embedded).count();
    result.labels = std::move(c.labels);
    result.confidence = std::move(c.confidence);
    result.classes = c.classes;
    if (progress)
        progress->report(1.0);
    if (onSnapshot)
        onSnapshot(result.embedding, result.labels, embedParams.epochs);
    return result;
}

} // namespace motifscope
