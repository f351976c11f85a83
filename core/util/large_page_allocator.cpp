#include "core/util/large_page_allocator.h"

#include <cstdlib>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace motifscope::largepages {

namespace {
constexpr std::size_t kLargePage = std::size_t(2) << 20;

bool hugePagesRequested()
{
    static const bool requested = [] {
        const char* value = std::getenv("MOTIFSCOPE_HUGE_PAGES");
        return value != nullptr && value[0] == '1';
    }();
    return requested;
}
} // namespace

void* allocate(std::size_t bytes)
{
    if (bytes < kLargePageThreshold) {
        void* p = std::malloc(bytes > 0 ? bytes : 1);
        if (!p)
            throw std::bad_alloc();
        return p;
    }
    const std::size_t rounded = (bytes + kLargePage - 1) / kLargePage * kLargePage;
    void* p = std::aligned_alloc(kLargePage, rounded);
    if (!p)
        throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (hugePagesRequested())
        madvise(p, rounded, MADV_HUGEPAGE); // advice only: without THP the pages are ordinary ones
#endif
    return p;
}

void release(void* p, std::size_t) noexcept
{
    std::free(p);
}

} // namespace motifscope::largepages
