#include "ui/jobs/disorderjob.h"

namespace motifscope::ui {

void DisorderJob::start(ColumnSet columns, std::shared_ptr<const HierarchyResult> hierarchy)
{
    launch(
        [columns = std::move(columns), hierarchy = std::move(hierarchy)](JobRun&) {
            return disorder::measureColumnTableDisorder(columns, hierarchy.get());
        },
        [this](const disorder::DisorderReport& report, const RunEnding& ending) {
            if (!ending.error.isEmpty())
                Q_EMIT failed(ending.error);
            else if (!ending.cancelled)
                Q_EMIT measured(report);
        },
        {tr("Not enough memory to measure the disorder."), tr("Unexpected error while measuring the disorder.")});
}

} // namespace motifscope::ui
