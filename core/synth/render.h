#pragma once
/** Rendering of atom columns into a HAADF-STEM-like image: Gaussians, background, jitter, shot noise. */

#include "core/synth/random.h"

#include <cstdint>
#include <vector>

namespace motifscope::synth {

/** One column to draw: centre in pixels (origin at the top-left pixel's centre) and peak height. */
struct RenderColumn
{
    double x = 0.0;
    double y = 0.0;
    double amplitude = 1.0; ///< peak of the column's Gaussian, a bright column = 1
};

/** A smooth, low-order background: mean * (1 + cubic polynomial in u, v), u, v in [-1, 1] over the image. */
struct BackgroundField
{
    double mean = 0.0;        ///< relative to a bright column peak
    double coefficients[9]{}; ///< u, v, u^2, uv, v^2, u^3, u^2 v, u v^2, v^3
    double width = 1.0;       ///< image size the polynomial spans
    double height = 1.0;

    double value(double x, double y) const;
    /** A random field with mean `mean` and relative variation at most +-`variation`. */
    static BackgroundField random(Random& random, int width, int height, double mean, double variation);
    /** A perfectly flat field. */
    static BackgroundField flat(double mean);
    /**
     * A linear ramp with mean `mean` at the image centre, rising along the direction `angle`
     * (radians, x right, y down) so that its brightest image corner is `ratio` (> 1) times its darkest.
     */
    static BackgroundField gradient(int width, int height, double mean, double ratio, double angle);
};

/** How to turn columns into pixels. */
struct RenderSettings
{
    int width = 0;
    int height = 0;
    double sigma = 1.5;             ///< column Gaussian sigma, pixels (probe blur already folded in)
    /// Probe astigmatism: the ratio of the columns' long to short Gaussian axis (1 = round). The
    /// axes are sigma * sqrt(ratio) and sigma / sqrt(ratio), the long one at astigmatismAngle.
    double astigmatism = 1.0;
    double astigmatismAngle = 0.6;  ///< radians from the x axis (y down); not along the scan rows
    double dose = 200.0;            ///< counts per unit of clean intensity
    bool noise = true;              ///< Poisson shot noise on/off
    double jitter = 0.0;            ///< rms horizontal row shift, pixels
    double jitterCorrelation = 0.6; ///< correlation of consecutive row shifts (AR(1))
    std::uint64_t seed = 1;         ///< seeds the jitter and the per-row noise streams
};

/**
 * Renders dose * (background + sum of amplitude * exp(-r^2 / 2 sigma^2)) (elliptical with
 * astigmatism: exp(-d^T P d / 2), P the inverse covariance of the tilted axes), sampled at pixel centres,
 * then Poisson noise. Row y is sampled at x + shift(y) (scan jitter), so a column appears displaced
 * by -shift(y) on that row while its truth stays put. Each column touches only pixels within
 * 5 sigma. Rows are rendered in parallel bands; the result is bit-identical for any thread count.
 */
std::vector<float> renderColumns(const std::vector<RenderColumn>& columns, const BackgroundField& background,
                                 const RenderSettings& settings);

/** The per-row scan shifts renderColumns uses for these settings (all zero without jitter). */
std::vector<double> scanRowShifts(const RenderSettings& settings);

} // namespace motifscope::synth
