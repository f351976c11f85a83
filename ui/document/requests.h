#pragma once
/**
 * What the user asks the analysis steps for: plain settings, read from the panels, kept in sessions
 * and handed to the jobs. No job or widget types here, so session code need not include jobs.
 */

#include "core/detect/column_detector.h"
#include "core/learn/learner.h"

namespace motifscope::ui {

/** How detected positions are refined. */
enum class RefineMode
{
    Off,          ///< integer peak pixels
    CentreOfMass, ///< intensity centroid only (fast)
    GaussianFit,  ///< centroid, 2-D Gaussian fit and scan-jitter correction (core default)
};

/** What to detect: core parameters (0 / NaN = automatic) and the refinement. */
struct DetectionRequest
{
    DetectionParams params;
    RefineMode refine = RefineMode::GaussianFit;
};

/** What to learn with: the learner's settings and the Zernike features'. */
struct LearnRequest
{
    LearnParams params;
    int nMax = 10;
    int patchSize = 0; ///< 0 = about two column spacings (as `analyze` does)
    bool refineClasses = true; ///< the 2-D classification after the map (as `analyze --refine-classes on`)
};

} // namespace motifscope::ui
