#include "core/util/threads.h"

#include <tbb/global_control.h>

#include <thread>

namespace motifscope {

struct ThreadLimit::Impl
{
    explicit Impl(int n) : control(tbb::global_control::max_allowed_parallelism, std::size_t(n)) {}
    tbb::global_control control;
};

ThreadLimit::ThreadLimit(int threads)
{
    if (threads > 0)
        mImpl = std::make_unique<Impl>(threads);
}

ThreadLimit::~ThreadLimit() = default;

int ThreadLimit::active()
{
    return int(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
}

} // namespace motifscope
