#pragma once
/** Reads micrograph files off the GUI thread; the newest request wins. */

#include "core/io/micrograph.h"
#include "ui/jobs/backgroundjob.h"

#include <QString>

#include <memory>

namespace motifscope::ui {

/**
 * Runs readMicrograph() on the thread pool and hands the result back on the GUI thread. Reading a
 * file cannot be interrupted, so a newer load() supersedes an older one by discarding its result.
 */
class MicrographLoader : public BackgroundJob
{
    Q_OBJECT
public:
    using BackgroundJob::BackgroundJob;

    /** Starts reading `path`; emits started, then loaded or failed (unless superseded), then busyChanged(false). */
    void load(const QString& path);
    /** cancel() forgets the pending request (its result is dropped) and emits busyChanged(false). */
    const QString& pendingPath() const { return mPendingPath; }

Q_SIGNALS:
    void started(const QString& path);
    void loaded(const QString& path, std::shared_ptr<const motifscope::Micrograph> micrograph);
    /** `message` is one line naming the file and the problem (the IoError text). */
    void failed(const QString& path, const QString& message);

private:
    void reportCancelled() override { mPendingPath.clear(); }

    QString mPendingPath;
};

} // namespace motifscope::ui
