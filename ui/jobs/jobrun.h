#pragma once
/** One run of a background job as its worker sees it: progress and cancel flag, reported throttled. */

#include "core/util/progress.h"

#include <QElapsedTimer>
#include <QtGlobal>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace motifscope::ui {

/**
 * The run's progress for the whole bar, and parts of the bar for work in phases whose core stages
 * each restart at 0; cancel() reaches all of them (parts made later start cancelled). Reports are
 * relayed throttled: `post` is called when a report is due (at most one outstanding, at most one
 * per kIntervalMs unless the stage changed), and the receiver takes the newest with takeLatest().
 * Thread-safe.
 */
class JobRun
{
public:
    static constexpr int kIntervalMs = 50;

    JobRun(quint64 generation, std::function<void()> post);

    quint64 generation() const { return mGeneration; }
    Progress& whole() { return *mWhole; }
    /** A Progress reported as [from, to] of the bar. */
    Progress& part(double from, double to);
    void cancel();
    bool isCancelled() const { return mWhole->isCancelled(); }

    /** The newest report (for the receiver of `post`); the next report may post again. */
    void takeLatest(double& fraction, std::string& stage);

private:
    void report(double fraction, const std::string& stage);

    const quint64 mGeneration;
    const std::function<void()> mPost;
    std::mutex mMutex; ///< guards everything below
    std::unique_ptr<Progress> mWhole;
    std::deque<Progress> mParts;
    QElapsedTimer mClock;
    qint64 mLastPostMs = -kIntervalMs;
    bool mPosted = false;
    double mFraction = 0.0;
    std::string mStage;
    std::string mPostedStage;
};

} // namespace motifscope::ui
