#include "ui/jobs/disorderjob.h"

namespace motifscope::ui {

namespace {

struct Measures
{
    disorder::DisorderReport report;
    disorder::LocalDisorder local;
};

} // namespace

void DisorderJob::start(ColumnSet columns, std::shared_ptr<const HierarchyResult> hierarchy)
{
    launch(
        [columns = std::move(columns), hierarchy = std::move(hierarchy)](JobRun&) {
            return Measures{disorder::measureColumnTableDisorder(columns, hierarchy.get()),
                            disorder::measureLocalDisorder(columns, hierarchy.get())};
        },
        [this](const Measures& measures, const RunEnding& ending) {
            if (!ending.error.isEmpty()) {
                Q_EMIT failed(ending.error);
            } else if (!ending.cancelled) {
                Q_EMIT measured(measures.report);
                Q_EMIT measuredLocally(measures.local);
            }
        },
        {tr("Not enough memory to measure the disorder."), tr("Unexpected error while measuring the disorder.")});
}

} // namespace motifscope::ui
