#include "ui/jobs/guardedwork.h"

#include "core/io/micrograph.h"

#include <QFileInfo>

namespace motifscope::ui {

QString failureMessage(const std::exception& e, const QString& subject)
{
    const QString what = QString::fromStdString(e.what());
    if (subject.isEmpty() || dynamic_cast<const IoError*>(&e))
        return what; // an IoError names its file
    const QString name = QFileInfo(subject).fileName();
    if (what.contains(subject) || (!name.isEmpty() && what.contains(name)))
        return what;
    return subject + QStringLiteral(": ") + what;
}

} // namespace motifscope::ui
