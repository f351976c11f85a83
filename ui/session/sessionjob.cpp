#include "ui/session/sessionjob.h"

namespace motifscope::ui {

namespace {

/** What a failure to `doing` the session at `path` says when the error does not say it. */
FailureTexts sessionFailure(const QString& path, const char* doing)
{
    const QString what = QString::fromLatin1(doing);
    return {QStringLiteral("%1: not enough memory to %2").arg(path, what),
            QStringLiteral("%1: unexpected error while trying to %2").arg(path, what), path};
}

} // namespace

bool SessionJob::save(SessionContent content, const QString& path, int tag)
{
    if (isRunning())
        return false;
    launch(
        [content = std::make_shared<const SessionContent>(std::move(content)), path](JobRun&) {
            writeSessionFile(*content, path);
        },
        [this, path, tag](std::monostate, const RunEnding& ending) {
            if (ending.error.isEmpty())
                Q_EMIT saved(path, tag);
            else
                Q_EMIT failed(path, ending.error, tag);
        },
        sessionFailure(path, "save the session"));
    return true;
}

bool SessionJob::load(const QString& path, int tag)
{
    if (isRunning())
        return false;
    launch([path](JobRun&) { return std::make_shared<const SessionContent>(readSessionFile(path)); },
           [this, path, tag](std::shared_ptr<const SessionContent> content, const RunEnding& ending) {
               if (ending.error.isEmpty() && content)
                   Q_EMIT loaded(path, std::move(content), tag);
               else
                   Q_EMIT failed(path, ending.error, tag);
           },
           sessionFailure(path, "open the session"));
    return true;
}

} // namespace motifscope::ui
