#pragma once
/**
 * Fixed learning runs whose exact results are pinned by test_learn_reference.cpp: kNN graphs
 * (one and two levels of cells), a layout (in the caller's and in locality order), k-means and a
 * 2-D classification, each reduced to a 64-bit FNV-1a hash of its results' bytes. The data come
 * from SplitMix (fully specified), not from <random>'s distributions (which libraries differ in).
 */

#include "core/features/zernike_basis.h"
#include "core/learn/classification2d.h"
#include "core/learn/embedding.h"
#include "core/learn/fuzzy_graph.h"
#include "core/learn/kmeans.h"
#include "core/learn/knn.h"
#include "core/learn/rng.h"

#include <Eigen/Core>

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace motifscope::reference {

/** FNV-1a over the bytes of `count` values. */
template <class T>
std::uint64_t hashOf(const T* values, std::size_t count)
{
    std::uint64_t h = 1469598103934665603ULL;
    const auto* bytes = reinterpret_cast<const unsigned char*>(values);
    for (std::size_t b = 0; b < count * sizeof(T); ++b) {
        h ^= bytes[b];
        h *= 1099511628211ULL;
    }
    return h;
}

/** `n` points in `clusters` clusters of d dimensions (uniform noise of three widths); with `twins`, every 50th point twice. */
inline Eigen::MatrixXf clusteredPoints(int n, int d, int clusters, std::uint64_t seed, bool twins = true)
{
    learn::SplitMix rng(seed);
    Eigen::MatrixXf centres(clusters, d);
    for (Eigen::Index i = 0; i < centres.size(); ++i)
        centres.data()[i] = float(10.0 * rng.uniform());
    Eigen::MatrixXf x(n, d);
    for (int i = 0; i < n; ++i) {
        const int c = i % clusters;
        for (int j = 0; j < d; ++j)
            x(i, j) = centres(c, j) + float((0.5 + 0.5 * (c % 3)) * (rng.uniform() - 0.5));
        if (twins && i % 50 == 1)
            x.row(i) = x.row(i - 1); // exact twins: ties broken by index
    }
    return x;
}

/** Hashes of the fixed runs, by name. */
inline std::map<std::string, std::uint64_t> referenceHashes()
{
    std::map<std::string, std::uint64_t> out;
    const Eigen::MatrixXf x = clusteredPoints(6000, 36, 5, 7);
    KnnParams knn;
    knn.exactLimit = 1000; // the inverted-file search and its refinement
    const KnnGraph one = nearestNeighbours(x, knn);
    out["knn one level"] = hashOf(one.indices.data(), one.indices.size()) ^ hashOf(one.distances.data(), one.distances.size());
    knn.singleLevelCells = 6; // 23 cells: two levels
    const KnnGraph two = nearestNeighbours(x, knn);
    out["knn two levels"] = hashOf(two.indices.data(), two.indices.size()) ^ hashOf(two.distances.data(), two.distances.size());

    const FuzzyGraph graph = fuzzyGraph(one);
    const Eigen::MatrixX2f start = pcaStart(prepareForMetric(x, KnnMetric::Correlation));
    EmbeddingParams layout;
    layout.epochs = 20;
    const Eigen::MatrixX2f y = embedGraph(graph, start, layout);
    out["layout"] = hashOf(y.data(), std::size_t(y.size()));
    layout.localityOrderAbove = 1000;
    const Eigen::MatrixX2f z = embedGraph(graph, start, layout);
    out["layout in locality order"] = hashOf(z.data(), std::size_t(z.size()));

    const KMeansResult km = kmeans(x, 12, 3, 2, 15);
    out["kmeans"] = hashOf(km.labels.data(), km.labels.size()) ^ hashOf(km.centres.data(), std::size_t(km.centres.size()));

    const ZernikeBasis basis(15, 8);
    learn::SplitMix rng(11);
    const int rows = 3000, classes = 4;
    Eigen::MatrixXf references(classes, basis.count()), moments(rows, basis.count());
    for (Eigen::Index i = 0; i < references.size(); ++i)
        references.data()[i] = float(rng.uniform() - 0.5);
    std::vector<int> labels(rows);
    for (int r = 0; r < rows; ++r) {
        labels[std::size_t(r)] = r % 7 == 0 ? -1 : (r % classes + (r % 11 == 0 ? 1 : 0)) % classes;
        for (int j = 0; j < basis.count(); ++j)
            moments(r, j) = references(r % classes, j) + float(0.3 * (rng.uniform() - 0.5));
    }
    Classification2DParams params;
    params.maxFitColumns = 1000;
    const Classification2D c = classify2d(basis, moments, labels, params);
    out["classify2d"] = hashOf(c.labels.data(), c.labels.size()) ^ hashOf(c.posterior.data(), c.posterior.size()) ^
                        hashOf(c.angle.data(), c.angle.size()) ^ hashOf(c.mirrored.data(), c.mirrored.size());
    return out;
}

} // namespace motifscope::reference
