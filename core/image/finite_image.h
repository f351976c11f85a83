#pragma once
/**
 * The finite copy of a micrograph: what every analysis stage reads. One analysis makes it once (the
 * Micrograph entries of detection, analysis, learning and classification convert, then pass it
 * on); the GUI document keeps one shared copy per image for its jobs and edits.
 */

#include "core/image/float_image.h"
#include "core/io/micrograph.h"

#include <cstdint>

namespace motifscope {

/** Copy with non-finite pixels (NaN, inf) replaced by the median of the finite ones. */
FloatImage withFiniteValues(const float* pixels, int width, int height);
/** The micrograph's pixels as withFiniteValues makes them. */
FloatImage withFiniteValues(const Micrograph& image);
/**
 * The same, and the micrograph's own pixels are released (it keeps its size, calibration and
 * metadata): a command-line run holds one copy of a large image, not two.
 */
FloatImage takeFiniteValues(Micrograph& image);

/** How many finite copies this process has made so far (tests check that one analysis makes one). */
std::uint64_t finiteCopiesMade();

} // namespace motifscope
