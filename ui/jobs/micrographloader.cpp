#include "ui/jobs/micrographloader.h"

#include "core/io/readers.h"

#include <QFile>

namespace motifscope::ui {

void MicrographLoader::load(const QString& path)
{
    mPendingPath = path;
    Q_EMIT started(path);
    launch(
        [nativePath = QFile::encodeName(path).toStdString()](JobRun&) {
            return std::make_shared<const Micrograph>(readMicrograph(nativePath));
        },
        [this, path](std::shared_ptr<const Micrograph> micrograph, const RunEnding& ending) {
            mPendingPath.clear();
            if (micrograph && ending.error.isEmpty())
                Q_EMIT loaded(path, std::move(micrograph));
            else
                Q_EMIT failed(path, ending.error);
        },
        {QStringLiteral("%1: not enough memory to read this file").arg(path),
         QStringLiteral("%1: unexpected error while reading").arg(path), path});
}

} // namespace motifscope::ui
