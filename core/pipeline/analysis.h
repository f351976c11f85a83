#pragma once
/** The whole pipeline on one micrograph, shared by `motifscope-cli analyze` and the GUI's Analyze. */

#include "detect/column_detector.h"
#include "features/zernike_features.h"
#include "io/micrograph.h"

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
};

struct AnalysisResult
{
    DetectionResult detection;
    int patchSize = 0;   ///< filled by the learning stage (runFullAnalysis)
    FeatureSet features; ///< filled by the learning stage (runFullAnalysis)
    StageTimings timings;
};

/**
 * Runs detection and refinement (timed as the "detect" and "refine" stages; features and motifs
 * are the learning stage's, learnColumnMotifs). Stages report through `progress` and stop with
 * OperationCancelled when it is cancelled. Throws std::runtime_error for images that cannot be
 * analysed (no lattice found, too small).
 */
AnalysisResult analyzeMicrograph(const Micrograph& image, const AnalysisParams& params, Progress* progress = nullptr);

/** Peak resident memory of this process so far, in MiB (0 where the system does not say). */
double peakResidentMemoryMiB();

} // namespace motifscope
