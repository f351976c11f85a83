#pragma once
/** Saving and opening sessions off the GUI thread (hashing the image, encoding 10^5 columns, reading it back). */

#include "ui/jobs/backgroundjob.h"
#include "ui/session/sessionconvert.h"

#include <QString>

#include <memory>

namespace motifscope::ui {

/**
 * One save or load at a time: start() while one runs is refused (returns false); what a result
 * starts from its handler is accepted. Results come back on the GUI thread as saved / loaded /
 * failed, then busyChanged(false). Failures are one line naming the file and the problem.
 */
class SessionJob : public BackgroundJob
{
    Q_OBJECT
public:
    using BackgroundJob::BackgroundJob;

    /** Writes `content` to `path` (atomically); `tag` comes back with the result. */
    bool save(SessionContent content, const QString& path, int tag = 0);
    /** Reads the session at `path` with its micrograph. */
    bool load(const QString& path, int tag = 0);

Q_SIGNALS:
    void saved(const QString& path, int tag);
    void loaded(const QString& path, std::shared_ptr<const motifscope::ui::SessionContent> content, int tag);
    void failed(const QString& path, const QString& message, int tag);
};

} // namespace motifscope::ui
