#pragma once
/**
 * Where a micrograph holds atomic contrast. Vacuum and amorphous support show contrast too (noise,
 * a speckle that can be well above the noise), but less than the atom columns, and without order:
 * blocks whose peaks are not ordered as a lattice are masked out when their local peak envelope,
 * relative to the noise expected there, is clearly below the ordered blocks' (so a weak but
 * crystalline domain stays in), unless they lie next to the crystal and come near its contrast.
 */

#include "core/detect/column_signal.h"
#include "core/detect/peak_finder.h"

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
    /// Where the image holds no lattice at all (isolated atoms or clusters on a support), the
    /// support's own speckle makes a bulk of peaks with a bright minority (the atoms) well above
    /// it: peaks below this height are speckle. 0 = no such split (every peak may be a column).
    float textureFloor = 0.0f;
    double orderedFraction = 0.0;     ///< share of the image whose peaks are ordered as a lattice

    bool everywhere() const { return inside.empty() && textureFloor <= 0.0f; }
    bool contains(double x, double y) const
    {
        if (inside.empty())
            return true;
        const int bx = std::clamp(int(x) / step, 0, width - 1), by = std::clamp(int(y) / step, 0, height - 1);
        return inside[std::size_t(by) * width + bx] != 0;
    }
};

/**
 * The mask for a column signal (period in pixels). `peaks` are the signal's local maxima after
 * non-maximum suppression (their order tells crystal from speckle).
 */
ContrastMask atomicContrastMask(const ColumnSignal& signal, const NoiseModel& noise, double period,
                                const std::vector<PeakCandidate>& peaks);

} // namespace motifscope
