#pragma once
/** Progress reporting and cancellation for long computations, without any GUI dependency. */

#include <atomic>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>

namespace motifscope {

/** Thrown by a computation that noticed its Progress was cancelled. */
class OperationCancelled : public std::runtime_error
{
public:
    OperationCancelled() : std::runtime_error("operation cancelled") {}
};

/**
 * Shared between a computation and whoever watches it: the computation calls report() (any
 * thread) and polls isCancelled() inside its loops; the watcher sets a callback and may cancel().
 * The callback is called at most about every 1% of progress, from the reporting thread, one call
 * at a time and in increasing order (a report overtaken by a later one is dropped).
 */
class Progress
{
public:
    using Callback = std::function<void(double fraction, const std::string& stage)>;

    Progress() = default;
    explicit Progress(Callback callback) : mCallback(std::move(callback)) {}
    /**
     * A silent Progress for work beside `parent`'s own (e.g. a speculative task): it reports to
     * nobody and is cancelled when `parent` (may be null; must outlive it) or it itself is.
     */
    explicit Progress(const Progress* parent) : mParent(parent) {}

    void cancel() { mCancelled.store(true, std::memory_order_relaxed); }
    bool isCancelled() const
    {
        return mCancelled.load(std::memory_order_relaxed) || (mParent && mParent->isCancelled());
    }
    /** Throws OperationCancelled when cancel() was called. */
    void throwIfCancelled() const
    {
        if (isCancelled())
            throw OperationCancelled();
    }

    /** Starts a stage covering [from, to] of the whole job. */
    void beginStage(const std::string& name, double from, double to);
    /** Reports progress within the current stage, `fraction` in [0, 1]. Thread-safe. */
    void report(double fraction);
    /** Adds `done` units out of `total` to the current stage's count (thread-safe, for parallel loops). */
    void advance(long long done, long long total);

private:
    Callback mCallback;
    const Progress* mParent = nullptr;
    std::atomic<bool> mCancelled{false};
    std::atomic<long long> mDone{0};
    std::atomic<int> mLastPercent{-1};
    std::mutex mDeliveryMutex; ///< serialises callback calls
    int mDeliveredPercent = -1; ///< guarded by mDeliveryMutex
    std::string mStage;
    double mFrom = 0.0;
    double mTo = 1.0;
};

/** Null-safe helpers for optional Progress pointers. */
inline bool cancelled(const Progress* p) { return p && p->isCancelled(); }
inline void throwIfCancelled(const Progress* p)
{
    if (p)
        p->throwIfCancelled();
}

} // namespace motifscope
