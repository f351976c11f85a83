#pragma once
/**
 * An allocator for image-sized buffers: aligned to 2 MiB, left uninitialised when made without a
 * value (the caller's, often parallel, writer touches the pages first).
 *
 * Transparent huge pages are asked for (MADV_HUGEPAGE) only when MOTIFSCOPE_HUGE_PAGES=1. On the
 * project's virtual machine the first touch of a huge page costs far more than of small ones
 * (1 GiB: 8.8 s as huge pages, 1.3 s as 4 KiB pages; 256 MiB: 1.5-2.1 s against 0.14 s; the host
 * gives memory back lazily), which the fewer TLB misses in the fits do not repay (measured
 * 2026-12-07: 4096^2 classify detect 1.8-2.2 s with huge pages, 1.3-1.6 s without). On a machine
 * whose huge pages are cheap to fault, MOTIFSCOPE_HUGE_PAGES=1 brings them back.
 */

#include <cstddef>
#include <new>
#include <utility>

namespace motifscope {

namespace largepages {
constexpr std::size_t kLargePageThreshold = std::size_t(4) << 20;
void* allocate(std::size_t bytes);
void release(void* p, std::size_t bytes) noexcept;
} // namespace largepages

template <class T>
struct LargePageAllocator
{
    using value_type = T;
    LargePageAllocator() noexcept = default;
    template <class U>
    LargePageAllocator(const LargePageAllocator<U>&) noexcept
    {
    }
    T* allocate(std::size_t n)
    {
        if (n > std::size_t(-1) / sizeof(T))
            throw std::bad_array_new_length();
        return static_cast<T*>(largepages::allocate(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept { largepages::release(p, n * sizeof(T)); }
    /**
     * Elements made without a value are left uninitialised (default-initialised): a resize of an
     * image buffer that is written next does not touch every page first on one thread. Elements
     * made with a value (vector(n, value), copies) are as usual.
     */
    template <class U>
    void construct(U* p) noexcept
    {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args)
    {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
    template <class U>
    bool operator==(const LargePageAllocator<U>&) const noexcept
    {
        return true;
    }
};

} // namespace motifscope
