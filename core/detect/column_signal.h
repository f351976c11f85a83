#pragma once
/**
 * What a column looks like to the detector: the image smoothed at the column scale (a matched
 * filter) minus the background under the columns, and how significant a peak of it is against the
 * image's own noise model.
 */

#include "core/detect/atom_column.h"
#include "core/detect/noise_model.h"
#include "core/detect/peak_finder.h"
#include "core/image/float_image.h"

#include <cstddef>

namespace motifscope {

struct ColumnSignal
{
    FloatImage height;     ///< smoothed image minus background: a column is a positive peak
    FloatImage background; ///< level under the columns (columnBackground)
    double smoothing = 0.0; ///< Gaussian std of the matched filter, pixels
};

/** Smooths `raw` with std `smoothing` px and subtracts columnBackground(raw, period). */
ColumnSignal columnSignal(const FloatImage& raw, double smoothing, double period);

/** The same with the background made already (columnBackground(raw, period), of raw's size). */
ColumnSignal columnSignal(const FloatImage& raw, double smoothing, FloatImage background);

/** Standard deviation of `height` where no column is (pure noise on a background `level`). */
inline double nullHeightSigma(const NoiseModel& noise, double level, double smoothing)
{
    return filteredNoiseSigma(noise.variance(level), smoothing);
}

/**
 * How many standard deviations of pure noise a peak of `height` on a background `level` is.
 * For shot noise (gain > 0) the smoothed image is a scaled Poisson count over the filter's
 * footprint, and the z value is the signed root of the Poisson likelihood ratio, right even at a
 * fraction of a count per pixel where a normal tail would call every single count significant.
 */
double peakSignificance(double height, double level, const NoiseModel& noise, double smoothing);

/**
 * The number of noise standard deviations a peak must exceed so that an image of `pixels` pixels
 * smoothed at `smoothing` px holds on average fewer than 0.1 false columns (one-sided normal tail,
 * Bonferroni over the independent filter footprints), but at least 4.
 */
double automaticSignificance(std::size_t pixels, double smoothing);

/** Columns at `peaks` (pixel positions), intensity = peak height, background from the signal; row-major order. */
AtomColumns candidatesToColumns(const std::vector<PeakCandidate>& peaks, const ColumnSignal& signal);

} // namespace motifscope
