#pragma once
/**
 * Float pixels to 8-bit grey levels for display. Plain C++ (no Qt) so it can move to core/render
 * beside percentileLimits() when another user (e.g. figure rendering) needs it.
 */

#include <cstddef>
#include <cstdint>

namespace motifscope {

/**
 * Maps values[0..count) to grey levels in out[0..count): values <= low are 0, >= high are 255,
 * in between grey = 255 * t^gamma with t = (v - low) / (high - low). Non-finite values are 0.
 * high must be greater than low (percentileLimits() guarantees it).
 */
void mapToGreyLevels(const float* values, std::size_t count, double low, double high, double gamma,
                     std::uint8_t* out);

} // namespace motifscope
