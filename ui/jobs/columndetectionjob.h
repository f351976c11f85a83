#pragma once
/** Atom-column detection off the GUI thread, with progress, cancel and cheap re-thresholding. */

#include "core/detect/column_detector.h"
#include "ui/document/requests.h"
#include "core/image/float_image.h"
#include "ui/jobs/analysisstepjob.h"

#include <memory>

namespace motifscope::ui {

/** A finished run: the refined result and how long it took. */
struct DetectionOutcome
{
    DetectionResult result;
    RefineMode refine = RefineMode::GaussianFit;
    double seconds = 0.0;
    bool reusedCandidates = false; ///< only the threshold/refinement changed: peak finding skipped
};

/**
 * Runs detectColumns() with QtConcurrent on the document's finite copy of the micrograph
 * (MicrographDocument::finiteImage(): shared, never copied again). The unrefined candidates
 * of the last run are kept: a new request on the same image with the same period, separation,
 * significance, residual passes, contrast mask and joint fit, and a threshold at or above the
 * cached one only filters them and refines again. A newer start() supersedes the running one;
 * cancel() drops it (the owner's data stay as they were). Runs end as BackgroundJob says.
 */
class ColumnDetectionJob : public AnalysisStepJob
{
    Q_OBJECT
public:
    using AnalysisStepJob::AnalysisStepJob;

    void start(std::shared_ptr<const FloatImage> image, const DetectionRequest& request);
    /** The last successful run (valid after finished()). */
    const DetectionOutcome& outcome() const { return mOutcome; }
    /** Forgets the cached candidates (e.g. the image changed). */
    void clearCache() { mCache.reset(); }

    struct Cache; // candidates of the last run, see the class comment

private:
    std::shared_ptr<const Cache> mCache;
    DetectionOutcome mOutcome;
};

} // namespace motifscope::ui
