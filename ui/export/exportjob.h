#pragma once
/** One figure or data export off the GUI thread. */

#include "ui/jobs/backgroundjob.h"

#include <QString>

#include <functional>

namespace motifscope::ui {

/** Runs one export; ended() tells how it went, then busyChanged(false). */
class ExportJob : public BackgroundJob
{
    Q_OBJECT
public:
    using BackgroundJob::BackgroundJob;

    /** Runs `work` (which throws on failure) writing the file or folder `path`. */
    void start(std::function<void()> work, const QString& path);

Q_SIGNALS:
    /** `error` is "" on success, else one line naming `path` and the problem. */
    void ended(const QString& error);
};

} // namespace motifscope::ui
