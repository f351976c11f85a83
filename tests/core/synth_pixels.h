#pragma once
/** Reading synthetic images in tests: a pixel by position, bit-identical pixel arrays. */

#include "core/io/micrograph.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace motifscope::test {

/** The pixel nearest to (x, y), clamped to the image. */
inline double pixelAt(const Micrograph& image, double x, double y)
{
    const int ix = std::clamp(static_cast<int>(std::lround(x)), 0, image.width - 1);
    const int iy = std::clamp(static_cast<int>(std::lround(y)), 0, image.height - 1);
    return image.pixels[static_cast<std::size_t>(iy) * image.width + ix];
}

/** The same floats, bit for bit (NaN included). */
inline bool sameBits(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

} // namespace motifscope::test
