#pragma once
/** The image the fitted columns predict, to subtract from the micrograph (residual search). */

#include "detect/atom_column.h"
#include "detect/image_filters.h"

namespace motifscope {

/**
 * Subtracts every column's Gaussian (amplitude `intensity`, std `width`, or `fallbackWidth` for a
 * column that was not fitted) from `image`, out to 4 std. The background is left in place.
 */
void subtractColumns(FloatImage& image, const AtomColumns& columns, double fallbackWidth);

} // namespace motifscope
