#pragma once
/** The disorder measures of the document's columns and hierarchy, off the GUI thread. */

#include "core/disorder/local_disorder.h"
#include "core/disorder/table_disorder.h"
#include "ui/document/columnset.h"
#include "ui/jobs/backgroundjob.h"

#include <QString>

#include <memory>

namespace motifscope::ui {

/**
 * Measures a snapshot (the columns and hierarchy are copies) with measureColumnTableDisorder and,
 * column by column, measureLocalDisorder. A newer start() supersedes the running one, so only the
 * measures of the newest state arrive.
 */
class DisorderJob : public BackgroundJob
{
    Q_OBJECT
public:
    using BackgroundJob::BackgroundJob;

    void start(ColumnSet columns, std::shared_ptr<const HierarchyResult> hierarchy);

Q_SIGNALS:
    /** The measures of the whole image, then (in the same event) the per-column maps. */
    void measured(const motifscope::disorder::DisorderReport& report);
    void measuredLocally(const motifscope::disorder::LocalDisorder& local);
    /** One line: what went wrong. */
    void failed(const QString& message);
};

} // namespace motifscope::ui
