#include "ui/jobs/hierarchyjob.h"

#include "ui/document/columnset.h"
#include "core/pipeline/full_analysis.h"

#include <algorithm>
#include <vector>

namespace motifscope::ui {

void HierarchyJob::start(const ColumnSet& columns, quint64 revision)
{
    if (columns.empty())
        return;
    std::vector<Point2> points;
    points.reserve(columns.size());
    for (const AtomColumn& c : columns.columns)
        points.push_back(Point2{c.x, c.y});
    std::vector<int> labels;
    const bool learned = columns.classes.size() == columns.size()
                         && std::any_of(columns.classes.begin(), columns.classes.end(), [](int c) { return c >= 0; });
    if (learned)
        labels = columns.classes;

    runStep(
        [points = std::move(points), labels = std::move(labels), revision](JobRun& run) {
            HierarchyOutcome outcome;
            outcome.revision = revision;
            const std::vector<int>* useLabels = labels.empty() ? nullptr : &labels;
            outcome.result = std::make_shared<HierarchyResult>(buildHierarchy(
                points, useLabels, HierarchyParams{}, HierarchyRoute::Automatic, &run.whole(), &outcome.reason));
            return outcome;
        },
        [this](HierarchyOutcome outcome, double seconds) {
            mOutcome = std::move(outcome);
            mOutcome.seconds = seconds;
        },
        {QStringLiteral("not enough memory to build the hierarchy"),
         QStringLiteral("unexpected error while building the hierarchy")});
}

} // namespace motifscope::ui
