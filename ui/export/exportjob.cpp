#include "ui/export/exportjob.h"

namespace motifscope::ui {

void ExportJob::start(std::function<void()> work, const QString& path)
{
    launch([work = std::move(work)](JobRun&) { work(); },
           [this](std::monostate, const RunEnding& ending) { Q_EMIT ended(ending.error); },
           {QStringLiteral("%1: not enough memory to export").arg(path),
            QStringLiteral("%1: unexpected error while exporting").arg(path), path});
}

} // namespace motifscope::ui
