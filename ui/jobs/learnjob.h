#pragma once
/** Motif learning off the GUI thread: features, map, clusters and averages, with live snapshots and cancel. */

#include "ui/document/columnset.h"
#include "ui/document/requests.h"
#include "core/image/float_image.h"
#include "ui/jobs/analysisstepjob.h"

#include <Eigen/Core>

#include <memory>
#include <vector>

namespace motifscope::ui {

/** The map as it stands during the layout, with provisional labels. */
struct LearnPreview
{
    Eigen::MatrixX2f embedding;  ///< one row per learned column
    std::vector<int> rowColumns; ///< the column index of each row
    std::vector<int> rowLabels;  ///< provisional motif of each row
    int epoch = 0;
};

/** A finished run, ready to enter the document. */
struct LearnOutcome
{
    ColumnSet columns;  ///< the columns learned on, with classes, confidence, map and orientation
    MotifTable table;   ///< default names and palette colours, registered averages
    int learned = 0;    ///< columns whose patch lies inside the image
    int patchSize = 0;
    double seconds = 0.0;
};

/**
 * Runs computeFeatures, learnMotifs and summariseMotifs with QtConcurrent on the document's finite
 * copy of the micrograph (MicrographDocument::finiteImage(), shared) and a snapshot of the columns.
 * Progress and snapshots of the layout (8 per second, kLayoutSnapshotMs) reach the GUI thread queued. A newer start() supersedes the running one; cancel() drops it at once.
 * The job never touches a document: its owner applies outcome() on finished(), which comes before
 * busyChanged(false) (as for every BackgroundJob).
 */
class LearnJob : public AnalysisStepJob
{
    Q_OBJECT
public:
    /** The layout sends a snapshot this often (8 a second, whatever an epoch costs: 60 ms at 10^5 columns). */
    static constexpr int kLayoutSnapshotMs = 125;
    /** At most one snapshot reaches the GUI thread per interval (a guard below the layout's pace). */
    static constexpr int kSnapshotIntervalMs = 100;

    using AnalysisStepJob::AnalysisStepJob;

    void start(std::shared_ptr<const FloatImage> image, ColumnSet columns, const LearnRequest& request);
    /** The last successful run (valid after finished()). */
    const LearnOutcome& outcome() const { return mOutcome; }

Q_SIGNALS:
    /** The layout moved (throttled); `preview` is valid during the call only. */
    void snapshotReady(const motifscope::ui::LearnPreview& preview);

private:
    LearnOutcome mOutcome;
};

} // namespace motifscope::ui
