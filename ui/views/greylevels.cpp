#include "ui/views/greylevels.h"

#include <array>
#include <cmath>

namespace motifscope {

void mapToGreyLevels(const float* values, std::size_t count, double low, double high, double gamma,
                     std::uint8_t* out)
{
    // A look-up table over the clipped range keeps the per-pixel cost at one multiply and one
    // load, whatever the gamma; 4096 steps are far finer than the 256 output levels.
    constexpr int kSteps = 4096;
    std::array<std::uint8_t, kSteps> table{};
    for (int i = 0; i < kSteps; ++i) {
        const double t = double(i) / (kSteps - 1);
        const double g = gamma == 1.0 ? t : std::pow(t, gamma);
        table[std::size_t(i)] = std::uint8_t(std::lround(255.0 * g));
    }
    const double range = high > low ? high - low : 1.0;
    const double toIndex = (kSteps - 1) / range;
    for (std::size_t i = 0; i < count; ++i) {
        const double v = values[i];
        if (!std::isfinite(v) || v <= low) {
            out[i] = 0;
            continue;
        }
        if (v >= high) {
            out[i] = 255;
            continue;
        }
        const long index = std::lround((v - low) * toIndex);
        out[i] = table[std::size_t(index < 0 ? 0 : index >= kSteps ? kSteps - 1 : index)];
    }
}

} // namespace motifscope
