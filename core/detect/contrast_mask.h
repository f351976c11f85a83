#pragma once
/**
 * Where a micrograph holds atomic contrast. Vacuum and amorphous support show contrast too (noise,
 * a weak speckle), but far less than atom columns: the local peak energy of the column signal,
 * relative to the noise expected there, splits into two well separated populations when both
 * are present, and only then is the weaker one masked out.
 */

#include "detect/column_signal.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace motifscope {

struct ContrastMask
{
    std::vector<std::uint8_t> inside; ///< 1 = atomic contrast, per block; empty = the whole image
    int width = 0;                    ///< blocks per row
    int height = 0;
    int step = 1;                     ///< block side in pixels

    bool everywhere() const { return inside.empty(); }
    bool contains(double x, double y) const
    {
        if (inside.empty())
            return true;
        const int bx = std::clamp(int(x) / step, 0, width - 1), by = std::clamp(int(y) / step, 0, height - 1);
        return inside[std::size_t(by) * width + bx] != 0;
    }
};

/** The mask for a column signal (period in pixels). */
ContrastMask atomicContrastMask(const ColumnSignal& signal, const NoiseModel& noise, double period);

} // namespace motifscope
