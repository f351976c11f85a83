#include "core/render/colour_map.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace motifscope {

std::array<std::uint8_t, 3> orderedColour(double t)
{
    // Stops of matplotlib's viridis at 0, 0.25, 0.5, 0.75, 1 (RGB), linearly interpolated.
    static constexpr double stops[][3] = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    constexpr int last = int(std::size(stops)) - 1;
    const double x = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * last;
    const int i = std::min(int(x), last - 1);
    const double f = x - i;
    std::array<std::uint8_t, 3> rgb{};
    for (int c = 0; c < 3; ++c)
        rgb[std::size_t(c)] = std::uint8_t(std::lround(stops[i][c] + f * (stops[i + 1][c] - stops[i][c])));
    return rgb;
}

} // namespace motifscope
