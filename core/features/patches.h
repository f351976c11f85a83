#pragma once
/** Square patches around atom columns, sampled bilinearly at sub-pixel centres. */

#include "core/image/float_image.h"

#include <vector>

namespace motifscope {

/** Odd patch size of about two lattice periods (2 * period + 1, at least 7 pixels). */
int automaticPatchSize(double period);

/** Row-major indices of the size x size patch's pixels within its inscribed disk (radius (size - 1) / 2). */
std::vector<int> patchDiskPixels(int size);

/** True when the whole size x size patch centred at (x, y) lies inside the image. */
bool patchInside(const FloatImage& image, double x, double y, int size);

/**
 * Samples the size x size patch centred at (x, y) into `out` (row-major), bilinearly. Pixels outside
 * the image take the value of the nearest border pixel (clamped), so border patches are defined;
 * callers flag them with patchInside().
 */
void samplePatch(const FloatImage& image, double x, double y, int size, float* out);

/** As samplePatch, but only the listed patch pixels (row-major indices), into out[0..count). */
void samplePatchPixels(const FloatImage& image, double x, double y, int size, const int* pixels, int count,
                       float* out);

/**
 * Samples the patch rotated by `angle` radians (counter-clockwise on screen) about (x, y): the
 * patch shows the neighbourhood turned by -angle, bringing a column of orientation `angle` to 0.
 * `mirrored`: the neighbourhood is first reflected top to bottom (v -> -v), then turned.
 */
void sampleRotatedPatch(const FloatImage& image, double x, double y, int size, double angle, float* out,
                        bool mirrored = false);

/** sampleRotatedPatch with the AVX2 path allowed or not (tests compare the two; same values). */
void sampleRotatedPatchWith(bool useAvx2, const FloatImage& image, double x, double y, int size, double angle,
                            float* out, bool mirrored = false);

} // namespace motifscope
