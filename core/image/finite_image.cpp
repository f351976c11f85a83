#include "core/image/finite_image.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iterator>

namespace motifscope {

namespace {

std::atomic<std::uint64_t> gFiniteCopies{0};

} // namespace

FloatImage withFiniteValues(const float* pixels, int width, int height)
{
    gFiniteCopies.fetch_add(1, std::memory_order_relaxed);
    FloatImage out;
    out.width = width;
    out.height = height;
    out.data.assign(pixels, pixels + std::size_t(width) * height);
    if (std::all_of(out.data.begin(), out.data.end(), [](float v) { return std::isfinite(v); }))
        return out;
    std::vector<float> finite;
    std::copy_if(out.data.begin(), out.data.end(), std::back_inserter(finite), [](float v) { return std::isfinite(v); });
    float fill = 0.0f;
    if (!finite.empty()) {
        std::nth_element(finite.begin(), finite.begin() + finite.size() / 2, finite.end());
        fill = finite[finite.size() / 2];
    }
    for (float& v : out.data)
        if (!std::isfinite(v))
            v = fill;
    return out;
}

FloatImage withFiniteValues(const Micrograph& image)
{
    return withFiniteValues(image.pixels.data(), image.width, image.height);
}

FloatImage takeFiniteValues(Micrograph& image)
{
    FloatImage out = withFiniteValues(image);
    std::vector<float>().swap(image.pixels);
    return out;
}

std::uint64_t finiteCopiesMade()
{
    return gFiniteCopies.load(std::memory_order_relaxed);
}

} // namespace motifscope
