#pragma once
/** The colour scale of per-column maps (local disorder): perceptually ordered, readable on grey. */

#include <array>
#include <cstdint>

namespace motifscope {

/**
 * Viridis-like colour at t in [0, 1] (clamped; NaN gives the low end): dark blue-violet (0) through
 * teal and green to yellow (1), brightness rising monotonically, so the order survives greyscale
 * printing and colour-blind readers.
 */
std::array<std::uint8_t, 3> orderedColour(double t);

} // namespace motifscope
