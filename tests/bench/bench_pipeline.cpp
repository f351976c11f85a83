// Benchmark of the pipeline stages on synthetic micrographs (not a test: it measures, never asserts).
//   motifscope-bench [--size N] [--threads T] [--seed S] [--preset NAME] [--patch-size P]
// Prints one JSON object with the wall time of every stage in seconds.
#include "detect/column_detector.h"
#include "detect/image_filters.h"
#include "features/patches.h"
#include "features/zernike_features.h"
#include "synth/synth.h"
#include "util/threads.h"

#include <chrono>
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

} // namespace

int main(int argc, char** argv)
{
    int size = 4096, threads = 0, patchSize = 0;
    std::uint64_t seed = 1;
    std::string preset = "mixed-lattice";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--size")
            size = std::atoi(argv[i + 1]);
        else if (flag == "--threads")
            threads = std::atoi(argv[i + 1]);
        else if (flag == "--seed")
            seed = std::strtoull(argv[i + 1], nullptr, 10);
        else if (flag == "--preset")
            preset = argv[i + 1];
        else if (flag == "--patch-size")
            patchSize = std::atoi(argv[i + 1]);
    }
    const ThreadLimit limit(threads);
    auto t0 = std::chrono::steady_clock::now();
    synth::SynthOptions options;
    options.preset = preset;
    options.size = size;
    options.seed = seed;
    const synth::SynthResult scene = synth::synthesize(options);
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
    const int patch = patchSize > 0 ? patchSize : automaticPatchSize(period);
    t0 = std::chrono::steady_clock::now();
    const FeatureSet features = computeFeatures(image, refined.columns, patch, FeatureParams{});
    const double tFeatures = secondsSince(t0);

    std::printf("{\"preset\": \"%s\", \"size\": %d, \"threads\": %d, \"truth_columns\": %zu, \"columns\": %zu,\n"
                " \"candidates\": %zu, \"period_px\": %.3f, \"patch_size\": %d, \"features\": %d,\n"
                " \"seconds\": {\"synth\": %.3f, \"period\": %.3f, \"find_no_refine\": %.3f,"
                " \"detect_with_refine\": %.3f, \"refine\": %.3f, \"features\": %.3f}}\n",
                preset.c_str(), size, ThreadLimit::active(), scene.truth.size(), refined.columns.size(), found.candidates, period, patch,
                int(features.invariants.cols()), tSynth, tPeriod, tFind, tDetect, tDetect - tFind, tFeatures);
    return 0;
}
