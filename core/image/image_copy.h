#pragma once
/** Copying image-sized buffers in parallel blocks (the copy is the first touch of new pages). */

#include "core/image/float_image.h"

namespace motifscope {

/** `to` becomes a copy of `from`; its buffer is reused when it is already large enough. */
void copyImage(const FloatImage& from, FloatImage& to);

/** A copy of `image`, made in parallel. */
FloatImage copyOf(const FloatImage& image);

} // namespace motifscope
