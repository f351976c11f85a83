#pragma once
/** The pipeline's image type: plain float pixels, no OpenCV or Qt types in the interface. */

#include "core/util/large_page_allocator.h"

#include <cstddef>
#include <vector>

namespace motifscope {

/** A float image: width * height values, row-major. */
struct FloatImage
{
    int width = 0;
    int height = 0;
    std::vector<float, LargePageAllocator<float>> data;

    FloatImage() = default;
    FloatImage(int w, int h, float value = 0.0f) : width(w), height(h), data(std::size_t(w) * h, value) {}
    /** An image whose pixels the caller writes next, every one (the pages are first touched there). */
    static FloatImage uninitialised(int w, int h)
    {
        FloatImage image;
        image.width = w;
        image.height = h;
        image.data.resize(std::size_t(w) * h); // default-initialised: see LargePageAllocator::construct
        return image;
    }
    float at(int x, int y) const { return data[std::size_t(y) * width + x]; }
    float& at(int x, int y) { return data[std::size_t(y) * width + x]; }
};

} // namespace motifscope
