#pragma once
/** Finds every atom column in a micrograph: period, smoothing, local maxima, threshold, refinement. */

#include "detect/atom_column.h"
#include "detect/image_filters.h"
#include "io/micrograph.h"

#include <limits>

namespace motifscope {

class Progress;

/** Detection settings. Zero (or NaN for the threshold) means "derive from the image". */
struct DetectionParams
{
    double period = 0.0;          ///< nearest-neighbour column spacing in pixels
    double smoothingSigma = 0.0;  ///< Gaussian smoothing before peak finding (auto: 0.1 period)
    double minSeparation = 0.0;   ///< non-maximum suppression distance (auto: 0.5 period)
    double threshold = std::numeric_limits<double>::quiet_NaN(); ///< minimum height above local background
    bool refine = true;           ///< centre of mass + 2-D Gaussian fit
    bool correctScanJitter = true; ///< estimate horizontal scan-row shifts and remove them (with refine)
};

struct DetectionResult
{
    AtomColumns columns;
    DetectionParams used;        ///< the parameters actually used, every automatic value resolved
    double noiseSigma = 0.0;     ///< estimated noise of the raw image
    std::size_t candidates = 0;  ///< local maxima before suppression and threshold
    std::vector<float> heights;  ///< heights of the suppressed candidates (for a threshold histogram)
    double scanJitterRms = 0.0;  ///< rms horizontal scan-row shift found and removed (pixels)
};

/**
 * Nearest-neighbour column spacing in pixels, estimated from the image: the power-spectrum spacing
 * gives the scale for a provisional detection, whose median nearest-neighbour distance is returned.
 * Throws std::runtime_error when the image shows no lattice.
 */
double estimateLatticePeriod(const Micrograph& image, Progress* progress = nullptr);

/** Detects and (optionally) refines atom columns. Throws OperationCancelled when cancelled. */
DetectionResult detectColumns(const Micrograph& image, const DetectionParams& params, Progress* progress = nullptr);

/**
 * The refinement half of detectColumns: centre of mass, Gaussian fit and scan-jitter correction of
 * result.columns against the raw image (non-finite values already replaced), with result.used.
 */
void refineDetectedColumns(const FloatImage& raw, DetectionResult& result, Progress* progress = nullptr);

/** Median distance from each point to its nearest neighbour (0 for fewer than two points). */
double medianNearestNeighbourDistance(const AtomColumns& columns);

} // namespace motifscope
