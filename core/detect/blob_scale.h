#pragma once
/** The size of isolated bright blobs (single atoms, clusters) from scale space, for images without a lattice. */

#include "core/image/float_image.h"

namespace motifscope {

/**
 * Gaussian std (pixels) of the image's bright blobs: the scale at which the scale-normalised
 * Laplacian of Gaussian responds most strongly at the strongest blobs (median over up to 200 of
 * them). Returns 0 when the image holds no blob clearly above its noise.
 */
double estimateBlobSigma(const FloatImage& raw);

} // namespace motifscope
