#pragma once
/** Limits the worker threads that core's parallel loops use, for as long as the object lives. */

#include <memory>

namespace motifscope {

class ThreadLimit
{
public:
    /** `threads` <= 0 means all cores. */
    explicit ThreadLimit(int threads);
    ~ThreadLimit();
    ThreadLimit(const ThreadLimit&) = delete;
    ThreadLimit& operator=(const ThreadLimit&) = delete;

    /** Threads parallel loops may use now. */
    static int active();

private:
    struct Impl;
    std::unique_ptr<Impl> mImpl;
};

} // namespace motifscope
