#pragma once
/** Micrograph writers. All write to a temporary name and rename, so no half-written file remains. */

#include "core/io/micrograph.h"

#include <string>
#include <vector>

namespace motifscope {

/** 32-bit float TIFF, values unchanged, with resolution tags from the calibration. */
void writeTiffFloat32(const Micrograph& image, const std::string& path);

/** A multi-page 32-bit float TIFF, one page per frame (each with its calibration), values unchanged. */
void writeTiffStackFloat32(const std::vector<Micrograph>& frames, const std::string& path);

/** 8-bit greyscale PNG, intensities mapped linearly from [low, high] to [0, 255]. */
void writePng8(const Micrograph& image, const std::string& path, double low, double high);

} // namespace motifscope
