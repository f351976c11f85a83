#pragma once
/** The image the fitted columns predict, to subtract from the micrograph (residual search). */

#include "core/detect/atom_column.h"
#include "core/image/float_image.h"

namespace motifscope {

/**
 * Subtracts every column's Gaussian (amplitude `intensity`, std `width`, or `fallbackWidth` for a
 * column that was not fitted) from `image`, out to 4 std. The background is left in place.
 *
 * With `blur` > 0 it subtracts the columns as a Gaussian blur of that std would show them (std
 * sqrt(width^2 + blur^2), same integral): subtracting from the blurred micrograph gives the blurred
 * residual without blurring the whole image again.
 */
void subtractColumns(FloatImage& image, const AtomColumns& columns, double fallbackWidth, double blur = 0.0);

} // namespace motifscope
