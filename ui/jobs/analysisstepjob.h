#pragma once
/** A background job for one analysis step (detection, learning, hierarchy): started, then finished, failed or cancelled. */

#include "ui/jobs/backgroundjob.h"

namespace motifscope::ui {

/**
 * Every run emits started(), then one of finished() (the subclass has stored its outcome),
 * failed(message) or cancelled(), then busyChanged(false).
 */
class AnalysisStepJob : public BackgroundJob
{
    Q_OBJECT
public:
    using BackgroundJob::BackgroundJob;

Q_SIGNALS:
    void started();
    void finished();
    /** `message` is one line: why the step failed. */
    void failed(const QString& message);
    void cancelled();

protected:
    /** Launches `work(JobRun&)`; on success `accept(result, seconds)` stores the outcome before finished(). */
    template <typename Work, typename Accept>
    void runStep(Work work, Accept accept, FailureTexts texts)
    {
        Q_EMIT started();
        launch(
            std::move(work),
            [this, accept = std::move(accept)](auto&& result, const RunEnding& ending) mutable {
                if (ending.cancelled) {
                    Q_EMIT cancelled();
                } else if (!ending.error.isEmpty()) {
                    Q_EMIT failed(ending.error);
                } else {
                    accept(std::move(result), ending.seconds);
                    Q_EMIT finished();
                }
            },
            std::move(texts));
    }
    void reportCancelled() override { Q_EMIT cancelled(); }
};

} // namespace motifscope::ui
