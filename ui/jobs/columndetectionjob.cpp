#include "ui/jobs/columndetectionjob.h"

#include "core/detect/refine.h"
#include "core/util/progress.h"

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

/** The unrefined candidates of one run, and what they are valid for. */
struct ColumnDetectionJob::Cache
{
    std::shared_ptr<const FloatImage> image; ///< the finite copy detected in, refined against
    DetectionParams requested;               ///< as asked (0 = automatic), to compare new requests
    DetectionResult unrefined;               ///< threshold resolved, columns not refined
    double autoThreshold = std::numeric_limits<double>::quiet_NaN(); ///< when the run chose it

    /** Can `request` be answered by filtering these candidates? */
    bool serves(const FloatImage* img, const DetectionParams& p) const
    {
        // Everything that decides which peaks become candidates (the residual passes fit, so the
        // joint fit counts too); the threshold and the refinement are applied to the cache below.
        if (img != image.get() || p.period != requested.period ||
            p.minSeparation != requested.minSeparation || p.smoothingSigma != requested.smoothingSigma ||
            p.correctScanJitter != requested.correctScanJitter || p.significance != requested.significance ||
            p.residualPasses != requested.residualPasses || p.atomicContrastOnly != requested.atomicContrastOnly ||
            p.jointFit != requested.jointFit || p.splitPairs != requested.splitPairs)
            return false;
        const double wanted = std::isnan(p.threshold) ? autoThreshold : p.threshold;
        return !std::isnan(wanted) && wanted >= unrefined.used.threshold;
    }
};

namespace {

/** What the worker hands back. */
struct WorkResult
{
    DetectionOutcome outcome;
    std::shared_ptr<const ColumnDetectionJob::Cache> cache;
};

/** Refines `result` in place as `mode` asks (the Gaussian route is core's own refinement). */
void refine(const FloatImage& raw, DetectionResult& result, RefineMode mode, Progress* progress)
{
    result.used.refine = mode == RefineMode::GaussianFit;
    if (mode == RefineMode::GaussianFit) {
        refineDetectedColumns(raw, result, progress);
    } else if (mode == RefineMode::CentreOfMass) {
        if (progress)
            progress->beginStage("centre of mass", 0.4, 1.0);
        RefineParams rp;
        rp.radius = std::clamp(0.35 * result.used.period, 2.0, 40.0);
        rp.maxShift = 0.35 * result.used.period;
        rp.gaussianFit = false;
        refineColumns(raw, result.columns, rp, progress);
    }
    result.singleFits = AtomColumns(); // detection's Gaussian fits: used by refineDetectedColumns or not at all
}

WorkResult detectOffThread(const std::shared_ptr<const FloatImage>& image, const DetectionRequest& request,
                           const std::shared_ptr<const ColumnDetectionJob::Cache>& cache, Progress& progress)
{
    WorkResult work;
    auto fresh = cache;
    if (!cache || !cache->serves(image.get(), request.params)) {
        auto built = std::make_shared<ColumnDetectionJob::Cache>();
        built->image = image;
        built->requested = request.params;
        DetectionParams unrefinedParams = request.params;
        unrefinedParams.refine = false;
        built->unrefined = detectColumns(*image, unrefinedParams, &progress);
        if (std::isnan(request.params.threshold))
            built->autoThreshold = built->unrefined.used.threshold;
        fresh = built;
    } else {
        work.outcome.reusedCandidates = true;
    }
    DetectionResult result = fresh->unrefined;
    // The automatic threshold is the core's own acceptance (significance, floors, residual
    // passes whose columns may be weaker than the first pass's weakest): keep them all.
    const bool automatic = std::isnan(request.params.threshold);
    const double threshold = automatic ? fresh->autoThreshold : request.params.threshold;
    if (!automatic)
        std::erase_if(result.columns, [threshold](const AtomColumn& c) { return c.intensity < threshold; });
    result.used.threshold = threshold;
    result.used.correctScanJitter = request.params.correctScanJitter;
    result.used.jointFit = request.params.jointFit;
    result.used.splitPairs = request.params.splitPairs;
    refine(*fresh->image, result, request.refine, &progress);
    work.outcome.result = std::move(result);
    work.outcome.refine = request.refine;
    work.cache = fresh;
    return work;
}

} // namespace

void ColumnDetectionJob::start(std::shared_ptr<const FloatImage> image, const DetectionRequest& request)
{
    if (!image || image->data.empty())
        return;
    runStep(
        [image = std::move(image), request, cache = mCache](JobRun& run) {
            return detectOffThread(image, request, cache, run.whole());
        },
        [this](WorkResult work, double seconds) {
            mCache = std::move(work.cache);
            mOutcome = std::move(work.outcome);
            mOutcome.seconds = seconds;
        },
        {QStringLiteral("not enough memory to detect columns in this image"),
         QStringLiteral("unexpected error during column detection")});
}

} // namespace motifscope::ui
