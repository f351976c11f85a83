#pragma once
/** Finds every atom column in a micrograph: period, smoothing, local maxima, threshold, refinement. */

#include "core/detect/atom_column.h"
#include "core/detect/neighbour_spacing.h" // medianNearestNeighbourDistance, for the callers of detection
#include "core/detect/refine.h"
#include "core/image/float_image.h"
#include "core/io/micrograph.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace motifscope {

class Progress;

/** Detection settings. Zero (or NaN for the threshold) means "derive from the image". */
struct DetectionParams
{
    double period = 0.0;          ///< nearest-neighbour column spacing in pixels
    double smoothingSigma = 0.0;  ///< matched-filter smoothing before peak finding (auto: 0.8 x the fitted column width)
    /// The columns' Gaussian width where single fits cannot be trusted (at a few counts per peak
    /// they narrow onto noisy pixels): the joint fit's typical and held width (single fits keep
    /// their narrow start). Auto: measured from the averaged peaks when the fits have collapsed;
    /// 0 = from the fits.
    double columnWidth = 0.0;
    double minSeparation = 0.0;   ///< non-maximum suppression distance (auto: 0.5 period)
    double threshold = std::numeric_limits<double>::quiet_NaN(); ///< minimum height above local background
    /// A peak is kept when its height exceeds this many standard deviations of the noise of the
    /// filtered image at its local background level (noise model from the image). 0 = automatic.
    double significance = 0.0;
    bool residualPasses = true;   ///< fit and subtract the columns found, then search the residual for weaker ones
    bool atomicContrastOnly = true; ///< no columns where the image holds no atomic contrast (vacuum, amorphous support)
    bool refine = true;           ///< centre of mass + 2-D Gaussian fit
    bool jointFit = true;         ///< fit columns closer than ~3 sigma together (several Gaussians, one background)
    bool correctScanJitter = true; ///< estimate horizontal scan-row shifts and remove them (with refine)
    /// With jointFit: split a single peak into two columns when two Gaussians fit it significantly
    /// better, the pair recurs across the image (dumbbells closer than 2 widths) and the average
    /// of all split columns is a pair rather than one elliptical Gaussian (astigmatism, drift).
    /// false = automatic: detection looks for such pairs in its result and, when it finds them,
    /// detects again with this on; true skips that first look.
    bool splitPairs = false;
};

struct DetectionResult
{
    AtomColumns columns;
    DetectionParams used;        ///< the parameters actually used, every automatic value resolved
    double noiseSigma = 0.0;     ///< estimated noise of the raw image
    std::size_t candidates = 0;  ///< local maxima before suppression and threshold
    std::vector<float> heights;  ///< heights of the suppressed candidates (for a threshold histogram)
    double scanJitterRms = 0.0;  ///< rms horizontal scan-row shift found and removed (pixels)
    std::vector<double> scanJitterRows; ///< that shift per image row (empty when none was removed)
    double noiseGain = 0.0;      ///< noise model: variance = gain * (mean - offset) + readVariance
    double noiseOffset = 0.0;
    double noiseReadVariance = 0.0;
    int passes = 0;              ///< detection passes run (1 + residual passes that found columns)
    int rimColumns = 0;          ///< columns added on the crystal's rows beyond the contrast mask (crystalRimColumns)
    /// Where the image holds atomic contrast (1) or not (0: vacuum, amorphous support), at
    /// maskStep-pixel resolution: mask[(y / maskStep) * maskWidth + x / maskStep]. Empty = everywhere.
    std::vector<std::uint8_t> contrastMask;
    int maskWidth = 0;
    int maskHeight = 0;
    int maskStep = 1;
    /// Detection without refinement (analyze's detect stage): its own single 2-D Gaussian fits of
    /// `columns` (same order, made for the residual search), which refineDetectedColumns takes
    /// instead of fitting every column again. Empty otherwise, and after refinement.
    AtomColumns singleFits;
};

/**
 * Nearest-neighbour column spacing in pixels, estimated from the image's central 1024 x 1024 pixels:
 * the power-spectrum spacing gives the scale for a provisional detection, whose median
 * nearest-neighbour distance is returned. Throws std::runtime_error when the image shows no lattice.
 * `raw` is the finite copy (image/finite_image.h); the Micrograph entry makes one of the crop only.
 */
double estimateLatticePeriod(const FloatImage& raw, Progress* progress = nullptr);
double estimateLatticePeriod(const Micrograph& image, Progress* progress = nullptr);

/**
 * Detects and (optionally) refines atom columns in `raw`, the micrograph's finite copy
 * (withFiniteValues: no NaN or inf). Throws OperationCancelled when cancelled.
 */
DetectionResult detectColumns(const FloatImage& raw, const DetectionParams& params, Progress* progress = nullptr);
/** detectColumns on the micrograph's finite copy, made here. */
DetectionResult detectColumns(const Micrograph& image, const DetectionParams& params, Progress* progress = nullptr);

/**
 * The refinement half of detectColumns: centre of mass, Gaussian fit and scan-jitter correction of
 * result.columns against the raw image (non-finite values already replaced), with result.used.
 */
void refineDetectedColumns(const FloatImage& raw, DetectionResult& result, Progress* progress = nullptr);

/** The refinement settings detection uses for these (resolved) parameters: window, start width, shift cap. */
RefineParams refineParamsFor(const DetectionParams& used);

} // namespace motifscope
