#include "detect/column_model.h"

#include <algorithm>
#include <cmath>

namespace motifscope {

void subtractColumns(FloatImage& image, const AtomColumns& columns, double fallbackWidth)
{
    for (const AtomColumn& c : columns) {
        const double s = c.refinement == Refinement::GaussianFit && c.width > 0.0f ? c.width : fallbackWidth;
        if (!(s > 0.0) || !std::isfinite(c.x) || !std::isfinite(c.y))
            continue;
        const double inv2s2 = 1.0 / (2.0 * s * s);
        const int reach = int(std::ceil(4.0 * s));
        const int x0 = std::max(0, int(std::floor(c.x)) - reach), x1 = std::min(image.width - 1, int(std::ceil(c.x)) + reach);
        const int y0 = std::max(0, int(std::floor(c.y)) - reach), y1 = std::min(image.height - 1, int(std::ceil(c.y)) + reach);
        for (int y = y0; y <= y1; ++y) {
            const double dy2 = (y - c.y) * (y - c.y);
            float* row = &image.data[std::size_t(y) * image.width];
            for (int x = x0; x <= x1; ++x)
                row[x] -= float(c.intensity * std::exp(-((x - c.x) * (x - c.x) + dy2) * inv2s2));
        }
    }
}

} // namespace motifscope
