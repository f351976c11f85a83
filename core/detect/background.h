#pragma once
/** The image level under the atom columns: a lower envelope, so every column stands on it. */

#include "core/image/float_image.h"

namespace motifscope {

/**
 * Background under the columns: the smoothed image's grey-scale opening (erosion then dilation by
 * a square about 1.7 periods wide, which removes every peak narrower than a period and keeps the
 * valley floor between columns), smoothed. Unlike a wide mean it stays under a weak sublattice that
 * sits between bright columns. Computed on a copy shrunk by ~period/6 and interpolated back.
 */
FloatImage columnBackground(const FloatImage& raw, double period);

} // namespace motifscope
