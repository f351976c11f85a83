#include "core/image/finite_image.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

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
    // Copied and checked in parallel blocks: the copy is the first touch of the new image's pages.
    FloatImage out = FloatImage::uninitialised(width, height);
    std::atomic<bool> allFinite{true};
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, out.data.size(), std::size_t(1) << 16),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          bool finite = true;
                          for (std::size_t i = range.begin(); i != range.end(); ++i) {
                              out.data[i] = pixels[i];
                              finite = finite && std::isfinite(pixels[i]);
                          }
                          if (!finite)
                              allFinite.store(false, std::memory_order_relaxed);
                      });
    if (allFinite.load())
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
