#pragma once
/** Estimates the lattice period (the dominant spacing of atom columns) of a micrograph. */

#include "core/image/float_image.h"

namespace motifscope {

struct PeriodEstimate
{
    double spacing = 0.0;    ///< dominant lattice-plane spacing from the power spectrum (pixels)
    double strength = 0.0;   ///< peak height over the local spectral background (>1 = a real lattice)
};

/**
 * Dominant spacing from the radially averaged power spectrum of a Hann-windowed central crop (up to
 * 1024 x 1024): the lowest-frequency strong peak relative to the local spectral background. This is
 * a lattice-plane spacing: the nearest-neighbour column distance lies between 2/3 and 1 times it
 * (honeycomb to square lattices). ColumnDetector turns it into the nearest-neighbour period.
 * Returns spacing 0 when the image is too small or shows no periodicity.
 */
PeriodEstimate estimateSpectralSpacing(const FloatImage& image);

} // namespace motifscope
