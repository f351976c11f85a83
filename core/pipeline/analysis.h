#pragma once
/** The whole pipeline on one micrograph, shared by `motifscope-cli analyze` and the GUI's Analyze. */

#include "core/detect/column_detector.h"
#include "core/features/zernike_features.h"
#include "core/image/float_image.h"
#include "core/io/micrograph.h"

#include <map>
#include <string>

namespace motifscope {

class Progress;

struct AnalysisParams
{
    DetectionParams detection;
    FeatureParams features;   ///< for the learning stage; patchSize 0 = featurePatchSize's rule
    int threads = 0;          ///< 0 = all cores
};

/** Wall-clock seconds per stage, in pipeline order. */
struct StageTimings
{
    std::map<std::string, double> seconds; ///< load, detect, refine, features, embed, cluster, hierarchy
    double total = 0.0;

    /** Counts `s` seconds in `stage` and in the total. */
    void add(const std::string& stage, double s)
    {
        seconds[stage] += s;
        total += s;
    }
};

struct AnalysisResult
{
    DetectionResult detection;
    int patchSize = 0;   ///< filled by the learning stage (runFullAnalysis)
    FeatureSet features; ///< filled by the learning stage (runFullAnalysis)
    StageTimings timings;
};

/**
 * Runs detection and refinement on `raw`, the micrograph's finite copy (image/finite_image.h),
 * timed as the "detect" and "refine" stages (features and motifs are the learning stage's,
 * learnColumnMotifs). Stages report through `progress` and stop with
 * OperationCancelled when it is cancelled. Throws std::runtime_error for images that cannot be
 * analysed (no lattice found, too small).
 */
AnalysisResult analyzeMicrograph(const FloatImage& raw, const AnalysisParams& params, Progress* progress = nullptr);
/** analyzeMicrograph on the micrograph's finite copy, made here once (timed in "detect"). */
AnalysisResult analyzeMicrograph(const Micrograph& image, const AnalysisParams& params, Progress* progress = nullptr);

/** The micrograph's finite copy (withFiniteValues), its time counted in the "detect" stage of `timings`. */
FloatImage finiteCopyTimed(const Micrograph& image, StageTimings& timings);

/** Peak resident memory of this process so far, in MiB (0 where the system does not say). */
double peakResidentMemoryMiB();

} // namespace motifscope
