#pragma once
/** Estimates the lattice period (the dominant spacing of atom columns) of a micrograph. */

#include "core/image/float_image.h"

#include <vector>

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

/**
 * Radially averaged power spectrum of the centred n x n crop (n even, at most the image's sides),
 * mean removed and Hann-windowed: element r is the mean |Y|^2 over frequencies at round(|f|) = r,
 * r = 0 .. n / 2 (f in cycles per n pixels).
 */
std::vector<double> radialPowerProfile(const FloatImage& image, int n);

} // namespace motifscope
