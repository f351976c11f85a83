#include "ui/jobs/jobrun.h"

namespace motifscope::ui {

JobRun::JobRun(quint64 generation, std::function<void()> post)
    : mGeneration(generation), mPost(std::move(post)),
      mWhole(std::make_unique<Progress>([this](double f, const std::string& stage) { report(f, stage); }))
{
    mClock.start();
}

Progress& JobRun::part(double from, double to)
{
    const std::lock_guard lock(mMutex);
    Progress& made = mParts.emplace_back(
        [this, from, to](double f, const std::string& stage) { report(from + f * (to - from), stage); });
    if (mWhole->isCancelled())
        made.cancel();
    return made;
}

void JobRun::cancel()
{
    const std::lock_guard lock(mMutex);
    mWhole->cancel();
    for (Progress& p : mParts)
        p.cancel();
}

void JobRun::report(double fraction, const std::string& stage)
{
    {
        const std::lock_guard lock(mMutex);
        mFraction = fraction;
        mStage = stage;
        const qint64 now = mClock.elapsed();
        if (mPosted || (stage == mPostedStage && now - mLastPostMs < kIntervalMs))
            return;
        mPosted = true;
        mLastPostMs = now;
        mPostedStage = stage;
    }
    mPost();
}

void JobRun::takeLatest(double& fraction, std::string& stage)
{
    const std::lock_guard lock(mMutex);
    fraction = mFraction;
    stage = mStage;
    mPosted = false;
}

} // namespace motifscope::ui
