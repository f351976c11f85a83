// Benchmark of the pipeline stages on synthetic micrographs (not a test: it measures, never asserts).
//   motifscope-bench [--size N] [--threads T] [--seed S] [--preset NAME] [--patch-size P] [--epochs E] [--no-full]
//                    [--recall]
//   motifscope-bench --table [--sizes 1024,2048,4096,8192] [--seed S] [--write-doc docs/performance.md]
//   motifscope-bench --stability [--size N] [--seed S] [--preset NAME] [--confusion]   (bench_stability.h)
// Prints one JSON object with the wall time of every stage in seconds, the learning stages split
// (kNN, fuzzy graph, layout, clustering) with the process CPU time of each (--recall: and the kNN
// graph's recall@k against exact search on 1,000 evenly spaced columns), and then the whole
// runFullAnalysis (what `analyze` runs) on the same image (unless --no-full). For mixed-lattice
// images it also gives the adjusted Rand index of the motifs against the planted site types.
#include "core/detect/column_detector.h"
#include "core/features/patches.h"
#include "core/features/zernike_features.h"
#include "core/image/finite_image.h"
#include "core/learn/embedding.h"
#include "core/learn/fuzzy_graph.h"
#include "core/learn/learner.h"
#include "core/pipeline/full_analysis.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "core/util/threads.h"

#include "bench_stability.h"
#include "bench_table.h"
#include "synth_truth_match.h"

#include <tbb/parallel_for.h>

#include <chrono>
#include <limits>
#include <numeric>
#include <sstream>
#include <vector>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace motifscope;

namespace {

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/** CPU seconds of the whole process (all threads) so far. */
double cpuSeconds()
{
    return double(std::clock()) / CLOCKS_PER_SEC;
}

/**
 * Recall@k of `g` against exact search on `samples` evenly spaced rows: the share of the true k
 * nearest that the graph holds (a neighbour at the k-th true distance counts, so ties do not).
 */
double knnRecall(const Eigen::MatrixXf& x, const KnnGraph& g, KnnMetric metric, int samples)
{
    const auto p = prepareForMetric(x, metric);
    const Eigen::Index n = p.rows();
    samples = int(std::min<Eigen::Index>(samples, n));
    std::vector<double> recall(std::size_t(samples), 0.0);
    tbb::parallel_for(0, samples, [&](int s) {
        const Eigen::Index i = Eigen::Index((long long)s * n / samples);
        std::vector<float> d(static_cast<std::size_t>(n));
        for (Eigen::Index j = 0; j < n; ++j)
            d[std::size_t(j)] = j == i ? std::numeric_limits<float>::infinity() : (p.row(i) - p.row(j)).squaredNorm();
        std::vector<float> sorted = d;
        std::nth_element(sorted.begin(), sorted.begin() + (g.k - 1), sorted.end());
        const float kth = sorted[std::size_t(g.k - 1)] * (1.0f + 1e-5f) + 1e-12f;
        int hits = 0;
        for (int slot = 0; slot < g.k; ++slot) {
            const int j = g.neighbour(int(i), slot);
            hits += j >= 0 && d[std::size_t(j)] <= kth ? 1 : 0;
        }
        recall[std::size_t(s)] = double(hits) / g.k;
    });
    return std::accumulate(recall.begin(), recall.end(), 0.0) / samples;
}

} // namespace

int main(int argc, char** argv)
{
    int size = 4096, threads = 0, patchSize = 0, epochs = 0;
    std::uint64_t seed = 1;
    std::string preset = "mixed-lattice";
    bool full = true, recall = false, table = false, stability = false, confusion = false;
    std::vector<int> sizes = {1024, 2048, 4096, 8192};
    std::string docFile;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--table") {
            table = true;
            continue;
        }
        if (flag == "--sizes" && i + 1 < argc) {
            sizes.clear();
            std::stringstream list(argv[++i]);
            for (std::string item; std::getline(list, item, ',');)
                sizes.push_back(std::atoi(item.c_str()));
            continue;
        }
        if (flag == "--write-doc" && i + 1 < argc) {
            docFile = argv[++i];
            continue;
        }
        if (flag == "--stability") {
            stability = true;
            continue;
        }
        if (flag == "--confusion") {
            confusion = true;
            continue;
        }
        if (flag == "--no-full") {
            full = false;
            continue;
        }
        if (flag == "--recall") {
            recall = true;
            continue;
        }
        if (flag == "--help" || i + 1 >= argc) {
            std::fprintf(stderr, "usage: motifscope-bench [--size N] [--threads T] [--seed S] [--preset NAME] "
                                 "[--patch-size P] [--epochs E] [--no-full] [--recall]\n"
                                 "       motifscope-bench --table [--sizes N,N,...] [--seed S] [--write-doc FILE]\n"
                                 "       motifscope-bench --stability [--size N] [--seed S] [--preset NAME] [--confusion]\n");
            return flag == "--help" ? 0 : 2;
        }
        const char* value = argv[++i];
        if (flag == "--size")
            size = std::atoi(value);
        else if (flag == "--threads")
            threads = std::atoi(value);
        else if (flag == "--seed")
            seed = std::strtoull(value, nullptr, 10);
        else if (flag == "--preset")
            preset = value;
        else if (flag == "--patch-size")
            patchSize = std::atoi(value);
        else if (flag == "--epochs")
            epochs = std::atoi(value);
        else {
            std::fprintf(stderr, "motifscope-bench: unknown option %s\n", flag.c_str());
            return 2;
        }
    }
    const ThreadLimit limit(threads);
    if (table)
        return runBenchTable(sizes, seed, docFile);
    if (stability)
        return runStabilityBench(preset, size, seed, confusion);
    auto t0 = std::chrono::steady_clock::now();
    const synth::SynthResult scene = synth::synthesize(test::synthOptions(preset, size, seed));
    const double tSynth = secondsSince(t0);

    t0 = std::chrono::steady_clock::now();
    const double period = estimateLatticePeriod(scene.image);
    const double tPeriod = secondsSince(t0);

    DetectionParams p;
    p.period = period;
    p.refine = false;
    t0 = std::chrono::steady_clock::now();
    const DetectionResult found = detectColumns(scene.image, p);
    const double tFind = secondsSince(t0);

    p.refine = true;
    t0 = std::chrono::steady_clock::now();
    const DetectionResult refined = detectColumns(scene.image, p);
    const double tDetect = secondsSince(t0);

    const FloatImage image = withFiniteValues(scene.image.pixels.data(), scene.image.width, scene.image.height);
    const int patch = featurePatchSize(patchSize, refined.columns); // the learning stage's rule
    t0 = std::chrono::steady_clock::now();
    const FeatureSet features = computeFeatures(image, refined.columns, patch, FeatureParams{});
    const double tFeatures = secondsSince(t0);

    // Learning, stage by stage, on the columns whose patch is inside the image.
    std::vector<int> rows;
    for (std::size_t r = 0; r < features.inside.size(); ++r)
        if (features.inside[r])
            rows.push_back(int(r));
    Eigen::MatrixXf x(Eigen::Index(rows.size()), features.invariants.cols());
    for (std::size_t r = 0; r < rows.size(); ++r)
        x.row(Eigen::Index(r)) = features.invariants.row(rows[r]);
    LearnParams learn;
    learn.seed = seed;
    learn.epochs = epochs;
    double cpu0 = cpuSeconds();
    t0 = std::chrono::steady_clock::now();
    KnnParams knnParams;
    knnParams.k = learn.k;
    knnParams.seed = seed;
    const KnnGraph knn = nearestNeighbours(x, knnParams);
    const double tKnn = secondsSince(t0), cKnn = cpuSeconds() - cpu0;
    if (recall)
        std::printf("{\"knn_recall_at_%d\": %.4f},\n", knn.k, knnRecall(x, knn, knnParams.metric, 1000));
    cpu0 = cpuSeconds();
    t0 = std::chrono::steady_clock::now();
    const FuzzyGraph graph = fuzzyGraph(knn);
    const double tGraph = secondsSince(t0), cGraph = cpuSeconds() - cpu0;
    cpu0 = cpuSeconds();
    t0 = std::chrono::steady_clock::now();
    EmbeddingParams embed;
    embed.epochs = epochs > 0 ? epochs : defaultEpochs(x.rows());
    embed.seed = seed;
    const Eigen::MatrixX2f map = embedGraph(graph, pcaStart(prepareForMetric(x, learn.metric)), embed);
    const double tLayout = secondsSince(t0), cLayout = cpuSeconds() - cpu0;
    cpu0 = cpuSeconds();
    t0 = std::chrono::steady_clock::now();
    const Clustering clusters = clusterMap(map, learn);
    const double tCluster = secondsSince(t0), cCluster = cpuSeconds() - cpu0;

    // Motifs against the planted site types, away from grain boundaries (mixed-lattice only).
    const bool haveSites = preset == "mixed-lattice";
    std::vector<int> learnedMotif(refined.columns.size(), -1);
    for (std::size_t r = 0; r < rows.size(); ++r)
        learnedMotif[std::size_t(rows[r])] = clusters.labels[r];
    const double ariLearn = haveSites ? test::siteAdjustedRandIndex(refined.columns, learnedMotif, scene) : -1.0;

    std::printf("{\"learn\": {\"rows\": %td, \"edges\": %zu, \"epochs\": %d, \"classes\": %d, \"ari_sites\": %.4f,\n"
                "  \"wall\": {\"knn\": %.3f, \"graph\": %.3f, \"layout\": %.3f, \"cluster\": %.3f},\n"
                "  \"cpu\": {\"knn\": %.3f, \"graph\": %.3f, \"layout\": %.3f, \"cluster\": %.3f}},\n",
                x.rows(), graph.edgeCount(), embed.epochs, clusters.classes, ariLearn, tKnn, tGraph, tLayout, tCluster,
                cKnn, cGraph, cLayout, cCluster);
    if (full) {
        // The whole pipeline as `analyze` runs it (no file reading, no output writing).
        cpu0 = cpuSeconds();
        t0 = std::chrono::steady_clock::now();
        FullAnalysisParams fullParams;
        fullParams.learn = learn;
        const FullAnalysis whole = runFullAnalysis(scene.image, fullParams);
        const double tWhole = secondsSince(t0), cWhole = cpuSeconds() - cpu0;
        const double ariWhole =
            haveSites ? test::siteAdjustedRandIndex(whole.base.detection.columns, whole.labels.motif, scene) : -1.0;
        std::printf(" \"full_analysis\": {\"wall\": %.3f, \"cpu\": %.3f, \"motifs\": %zu, \"ari_sites\": %.4f, "
                    "\"route\": \"%s\", \"peak_rss_mb\": %.0f},\n",
                    tWhole, cWhole, whole.motifs.size(), ariWhole, whole.hierarchy.route.c_str(), peakResidentMemoryMiB());
    }
    std::printf("{\"preset\": \"%s\", \"size\": %d, \"threads\": %d, \"truth_columns\": %zu, \"columns\": %zu,\n"
                " \"candidates\": %zu, \"period_px\": %.3f, \"patch_size\": %d, \"features\": %d,\n"
                " \"seconds\": {\"synth\": %.3f, \"period\": %.3f, \"find_no_refine\": %.3f,"
                " \"detect_with_refine\": %.3f, \"refine\": %.3f, \"features\": %.3f}}\n",
                preset.c_str(), size, ThreadLimit::active(), scene.truth.size(), refined.columns.size(), found.candidates, period, patch,
                int(features.invariants.cols()), tSynth, tPeriod, tFind, tDetect, tDetect - tFind, tFeatures);
    return 0;
}
