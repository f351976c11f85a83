#include "core/image/image_copy.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

namespace motifscope {

void copyImage(const FloatImage& from, FloatImage& to)
{
    if (&from == &to)
        return;
    to.width = from.width;
    to.height = from.height;
    to.data.resize(from.data.size()); // new elements uninitialised (LargePageAllocator::construct)
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, from.data.size(), std::size_t(1) << 16),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          std::copy(from.data.begin() + std::ptrdiff_t(range.begin()),
                                    from.data.begin() + std::ptrdiff_t(range.end()),
                                    to.data.begin() + std::ptrdiff_t(range.begin()));
                      });
}

FloatImage copyOf(const FloatImage& image)
{
    FloatImage out;
    copyImage(image, out);
    return out;
}

} // namespace motifscope
