#include "core/io/micrograph.h"

#include <cmath>
#include <limits>

namespace motifscope {

PixelStats computeStats(const Micrograph& image)
{
    PixelStats s;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    double sum = 0.0;
    for (float v : image.pixels) {
        if (!std::isfinite(v))
            continue;
        lo = std::min(lo, double(v));
        hi = std::max(hi, double(v));
        sum += v;
        ++s.finiteCount;
    }
    if (s.finiteCount > 0) {
        s.min = lo;
        s.max = hi;
        s.mean = sum / double(s.finiteCount);
    }
    return s;
}

void checkImageSize(const std::string& file, long long width, long long height)
{
    if (width <= 0 || height <= 0)
        throw IoError(file, "invalid image size " + std::to_string(width) + " x " + std::to_string(height));
    if (width > kMaxSide || height > kMaxSide
        || static_cast<unsigned long long>(width) * static_cast<unsigned long long>(height) > kMaxPixels)
        throw IoError(file, "image size " + std::to_string(width) + " x " + std::to_string(height)
                                + " is larger than MotifScope accepts");
}

} // namespace motifscope
