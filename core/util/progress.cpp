#include "core/util/progress.h"

#include <algorithm>
#include <cmath>

namespace motifscope {

void Progress::beginStage(const std::string& name, double from, double to)
{
    mStage = name;
    mFrom = from;
    mTo = to;
    mDone.store(0);
    report(0.0);
}

void Progress::report(double fraction)
{
    if (!mCallback)
        return;
    const double overall = mFrom + (mTo - mFrom) * std::clamp(fraction, 0.0, 1.0);
    const int percent = static_cast<int>(std::floor(overall * 100.0));
    int last = mLastPercent.load();
    // Only the thread that moves the percentage forward calls back: no floods, no reordering.
    while (percent > last || (fraction == 0.0 && percent != last)) {
        if (mLastPercent.compare_exchange_weak(last, percent)) {
            const std::lock_guard<std::mutex> lock(mDeliveryMutex);
            if (percent < mDeliveredPercent && fraction != 0.0)
                return; // a later report was delivered while this one waited
            mDeliveredPercent = percent;
            mCallback(overall, mStage);
            return;
        }
    }
}

void Progress::advance(long long done, long long total)
{
    const long long now = mDone.fetch_add(done) + done;
    if (total > 0)
        report(double(now) / double(total));
}

} // namespace motifscope
