#pragma once
/** The motif hierarchy off the GUI thread, from a snapshot of the columns (and their learned motifs). */

#include "core/hierarchy/hierarchy.h"
#include "ui/document/columnset.h"
#include "ui/jobs/analysisstepjob.h"

#include <memory>

namespace motifscope::ui {


/** A finished run: the result and the columns it was built from. */
struct HierarchyOutcome
{
    std::shared_ptr<const HierarchyResult> result;
    std::string reason;   ///< why this route was taken
    quint64 revision = 0; ///< the document's columnsRevision() at start()
    double seconds = 0.0;
};

/**
 * Runs buildHierarchy (route chosen from the data, as `analyze` does) with QtConcurrent. Labels
 * are the learned motifs when any column has one (-1 for the others), else none. A newer start()
 * supersedes the running one; cancel() drops it at once. Runs end as BackgroundJob says.
 */
class HierarchyJob : public AnalysisStepJob
{
    Q_OBJECT
public:
    using AnalysisStepJob::AnalysisStepJob;

    void start(const ColumnSet& columns, quint64 revision);
    const HierarchyOutcome& outcome() const { return mOutcome; }

private:
    HierarchyOutcome mOutcome;
};

} // namespace motifscope::ui
