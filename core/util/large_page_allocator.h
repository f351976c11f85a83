#pragma once
/**
 * An allocator for image-sized buffers that asks the kernel for 2 MiB pages.
 *
 * A 4096^2 float image is 64 MiB: with 4 KiB pages its first touch costs 16,000 page faults, and
 * on a virtual machine they dominate the detection (measured: detect + refine 3.4-3.9 s with small
 * pages, 2.0-2.2 s with large ones). Buffers of at least kLargePageThreshold bytes are aligned to
 * 2 MiB and marked MADV_HUGEPAGE (honoured when transparent huge pages are "madvise" or "always");
 * smaller ones come from the ordinary heap.
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
