#pragma once
/**
 * Bringing a frame to the dictionary's pixel size: the calibrated scale ratio, and the image and
 * column positions resampled by it, so a frame taken at another magnification is sampled into the
 * same patch as the learning images.
 */

#include "core/detect/atom_column.h"
#include "core/image/float_image.h"
#include "core/io/micrograph.h"

#include <string>

namespace motifscope {

/** Metres per one `unit` ("nm", "Å", "µm", "pm", "mm", "m" and their ASCII spellings); 0 when unknown. */
double unitInMetres(const std::string& unit);

/**
 * Frame pixels per dictionary pixel to resample by: (frame pixel size) / (dictionary pixel size),
 * both in metres. 1 when either side is uncalibrated or its unit unknown (the frame is then taken
 * at the dictionary's pixel size), or when the two differ by less than 0.5%.
 */
double frameScale(const Calibration& frame, double dictionaryPixelSize, const std::string& dictionaryUnit);

/**
 * The image resampled by `scale` (new size = round(size x scale); area averaging when shrinking,
 * bicubic when enlarging). Returns a copy when scale is 1.
 */
FloatImage resampleImage(const FloatImage& image, double scale);

/** Column positions in the resampled image: (x + 0.5) x scale - 0.5 (pixel centres stay centres). */
AtomColumns scaleColumns(const AtomColumns& columns, double scale);

} // namespace motifscope
