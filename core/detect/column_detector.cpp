#include "core/detect/column_detector.h"

#include "core/detect/background.h"
#include "core/detect/blob_scale.h"
#include "core/detect/cell_grid.h"
#include "core/detect/column_model.h"
#include "core/detect/column_signal.h"
#include "core/detect/column_width.h"
#include "core/detect/contrast_mask.h"
#include "core/detect/crystal_rim.h"
#include "core/detect/joint_fit.h"
#include "core/detect/lattice_period.h"
#include "core/detect/noise_model.h"
#include "core/image/image_copy.h"
#include "core/detect/peak_finder.h"
#include "core/detect/refine.h"
#include "core/detect/scan_jitter.h"
#include "core/image/finite_image.h"
#include "core/util/float_median.h"
#include "core/util/progress.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <numeric>
#include <optional>
#include <stdexcept>

namespace motifscope {

namespace {

/** Scan-jitter estimate and removal on refined columns (defined with refineDetectedColumns). */
void removeJitter(const FloatImage& raw, DetectionResult& result);
/** Joint refinement of already fitted columns, then the scan-jitter correction (defined below). */
void finishRefinement(const FloatImage& raw, DetectionResult& result, Progress* progress);
RefineParams refineParamsWithNoise(const DetectionResult& result);

constexpr double kRelativeFloor = 0.08; ///< no column below this fraction of a bright column's height
constexpr double kPeriodPerColumnSigma = 1.0 / 0.13; ///< typical period / column width (no lattice)
constexpr double kMinNeighbourPerSpacing = 0.55; ///< nearest neighbours closer than this x spectral spacing: no lattice

/** The peaks that count as columns, and the level they were judged by. */
struct Acceptance
{
    std::vector<PeakCandidate> peaks;
    double lowestHeight = 0.0;  ///< smallest accepted height
    double brightHeight = 0.0;  ///< 90th percentile of significant heights (the bright columns)
};

/**
 * The level a peak's noise is judged at: the background under the columns, and in a residual pass
 * also the fitted columns' own signal there (shot noise on a column's flank is far above the
 * background's; at a few counts per column, judged by the background alone, every flank's noise
 * passes). Read at the peaks only, so no image of it is made.
 */
struct NoiseLevel
{
    const FloatImage& background;
    const FloatImage* withColumns = nullptr; ///< residual pass: the signal before the columns were subtracted
    const FloatImage* residual = nullptr;    ///< ... and after

    float at(int x, int y) const
    {
        const float level = background.at(x, y);
        return withColumns ? level + std::max(0.0f, withColumns->at(x, y) - residual->at(x, y)) : level;
    }
};

double peakZ(const PeakCandidate& p, const NoiseLevel& level, double smoothing, const NoiseModel& noise)
{
    return peakSignificance(p.height, level.at(p.x, p.y), noise, smoothing);
}

/**
 * An empirical null: where the mask says there is no atomic contrast (vacuum, amorphous support)
 * every peak is a non-column, so the 99th percentile of their heights bounds what the support's
 * texture makes (correlated, so not in the white-noise model). 0 without such a region.
 */
double emptyRegionHeight(const std::vector<PeakCandidate>& peaks, const ContrastMask& mask)
{
    if (mask.everywhere())
        return 0.0;
    std::vector<float> outside;
    for (const PeakCandidate& p : peaks)
        if (!mask.contains(p.x, p.y))
            outside.push_back(p.height);
    if (outside.size() < 20)
        return 0.0;
    const std::size_t k = std::size_t(0.99 * double(outside.size() - 1));
    std::nth_element(outside.begin(), outside.begin() + k, outside.end());
    return outside[k];
}

/**
 * Keeps the peaks inside the mask that are significant (z >= minZ) and not far below the bright
 * columns (kRelativeFloor), or, with a manual threshold, those at least that high.
 * `bright` > 0 gives the bright columns' height (a residual pass uses the first pass's).
 */
Acceptance acceptPeaks(const std::vector<PeakCandidate>& peaks, const NoiseLevel& level, double smoothing,
                       const NoiseModel& noise, double minZ, const ContrastMask& mask, double manualThreshold,
                       double bright = 0.0)
{
    Acceptance out;
    std::vector<float> significant;
    std::vector<char> passes(peaks.size(), 0);
    for (std::size_t i = 0; i < peaks.size(); ++i) {
        const PeakCandidate& p = peaks[i];
        if (!mask.contains(p.x, p.y))
            continue;
        if (std::isnan(manualThreshold) && p.height < mask.textureFloor)
            continue; // the speckle of a support, in an image without a lattice
        passes[i] = std::isnan(manualThreshold) ? peakZ(p, level, smoothing, noise) >= minZ : p.height >= manualThreshold;
        if (passes[i])
            significant.push_back(p.height);
    }
    if (!(bright > 0.0) && !significant.empty()) {
        const std::size_t k = std::min(significant.size() - 1, std::size_t(0.9 * significant.size()));
        std::nth_element(significant.begin(), significant.begin() + k, significant.end());
        bright = significant[k];
    }
    out.brightHeight = bright;
    double floor = std::isnan(manualThreshold) ? kRelativeFloor * bright : manualThreshold;
    if (std::isnan(manualThreshold))
        floor = std::max(floor, emptyRegionHeight(peaks, mask));
    out.lowestHeight = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < peaks.size(); ++i) {
        if (passes[i] && peaks[i].height >= floor) {
            out.peaks.push_back(peaks[i]);
            out.lowestHeight = std::min(out.lowestHeight, double(peaks[i].height));
        }
    }
    if (out.peaks.empty())
        out.lowestHeight = std::max(floor, 0.0);
    return out;
}


/** What a residual search needs from the first pass. */
struct ResidualSearch
{
    const FloatImage& raw;
    const ColumnSignal& signal;
    const NoiseModel& noise;
    const ContrastMask& mask;
    const DetectionParams& used;
    double manualThreshold; ///< NaN: automatic (significance and floors)
    double brightHeight;
    const RefineParams& singleFit; ///< how residual columns are fitted (one at a time)
};

constexpr int kMaxResidualPasses = 2;
constexpr double kResidualSeparation = 0.35; ///< periods: a residual peak this close to a column is its misfit

/**
 * Atomap's sublattice idea: subtract the fitted columns, look for significant peaks in what is
 * left (weaker columns hidden by the bright ones' tails), fit them, repeat while any are found.
 * New columns are appended to `columns` (at their peak pixel) and, fitted, to `fitted`.
 * Returns how many were added.
 */
int searchResidual(const ResidualSearch& in, AtomColumns& columns, AtomColumns& fitted, Progress* progress)
{
    const double period = in.used.period;
    const RefineParams& rp = in.singleFit;
    const double minSq = kResidualSeparation * period * kResidualSeparation * period;
    int added = 0;
    FloatImage left; // one buffer for every pass
    for (int pass = 0; pass < kMaxResidualPasses; ++pass) {
        // The blurred residual: the first pass's column signal minus the fitted columns as the
        // matched filter sees them (blurring the model instead of the whole image again).
        copyImage(in.signal.height, left);
        subtractColumns(left, fitted, rp.sigmaGuess, in.signal.smoothing);
        throwIfCancelled(progress);
        auto peaks = suppressNonMaxima(findLocalMaxima(left, 0.0f, progress), in.used.minSeparation);
        // Away from every column already found (cells one separation wide; peaks judged in parallel).
        const double cell = kResidualSeparation * period;
        const CellGrid grid(fitted, left.width, left.height, cell);
        std::vector<char> nearColumn(peaks.size(), 0);
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, peaks.size(), 4096), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t i = r.begin(); i != r.end(); ++i) {
                const PeakCandidate& p = peaks[i];
                grid.near(p.x, p.y, cell, [&](int j) {
                    const double ex = fitted[std::size_t(j)].x - p.x, ey = fitted[std::size_t(j)].y - p.y;
                    if (ex * ex + ey * ey < minSq)
                        nearColumn[i] = 1;
                });
            }
        });
        std::size_t kept = 0;
        for (std::size_t i = 0; i < peaks.size(); ++i)
            if (!nearColumn[i])
                peaks[kept++] = peaks[i];
        peaks.resize(kept);
        // A residual peak is judged against the noise where it sits: the background plus the
        // fitted columns' own signal.
        const NoiseLevel level{in.signal.background, &in.signal.height, &left};
        const Acceptance found = acceptPeaks(peaks, level, in.signal.smoothing, in.noise, in.used.significance,
                                             in.mask, in.manualThreshold, in.brightHeight);
        if (found.peaks.empty())
            break;
        AtomColumns fresh = candidatesToColumns(found.peaks, in.signal); // heights from the residual peaks
        columns.insert(columns.end(), fresh.begin(), fresh.end());
        refineColumns(in.raw, fresh, rp, progress);
        fitted.insert(fitted.end(), fresh.begin(), fresh.end());
        added += int(fresh.size());
    }
    return added;
}

/** The period is a property of the whole image: a central crop of at most 1024 x 1024 suffices. */
constexpr int kPeriodCropSide = 1024;

FloatImage centralCrop(const float* pixels, int width, int height)
{
    const int cw = std::min(width, kPeriodCropSide), ch = std::min(height, kPeriodCropSide);
    const int x0 = (width - cw) / 2, y0 = (height - ch) / 2;
    FloatImage crop(cw, ch);
    for (int y = 0; y < ch; ++y)
        std::copy_n(&pixels[std::size_t(y0 + y) * width + x0], cw, &crop.data[std::size_t(y) * cw]);
    return crop;
}

/**
 * estimateLatticePeriod on the (finite) central crop. When it measures the crop's noise model on the
 * way, that is stored in *noise (if given).
 */
double latticePeriodOfCrop(const FloatImage& raw, Progress* progress, std::optional<NoiseModel>* noise = nullptr)
{
    // The spectrum (a serial transform) and the noise model (needed unless there is no lattice)
    // side by side.
    PeriodEstimate spectral;
    NoiseModel cropNoise;
    tbb::parallel_invoke([&] { spectral = estimateSpectralSpacing(raw); }, [&] { cropNoise = estimateNoiseModel(raw); });
    // No lattice: isolated atoms or clusters. Their size in scale space sets the scale.
    auto blobScale = [&raw] {
        const double blob = estimateBlobSigma(raw);
        if (!(blob > 0.0))
            throw std::runtime_error("no lattice periodicity and no isolated atoms found in the image; "
                                     "give the column spacing by hand");
        return kPeriodPerColumnSigma * blob;
    };
    if (noise)
        *noise = cropNoise;
    if (spectral.spacing <= 0.0)
        return blobScale();
    throwIfCancelled(progress);
    // Provisional detection at the spectral scale: nearest neighbours lie at 2/3 to 1 spacing.
    const double smoothing = 0.08 * spectral.spacing;
    const ColumnSignal signal = columnSignal(raw, smoothing, spectral.spacing);
    const auto peaks = suppressNonMaxima(findLocalMaxima(signal.height, 0.0f, progress), 0.4 * spectral.spacing);
    const ContrastMask mask = atomicContrastMask(signal, cropNoise, spectral.spacing, peaks);
    const Acceptance accepted = acceptPeaks(peaks, NoiseLevel{signal.background}, smoothing, cropNoise,
                                            automaticSignificance(raw.data.size(), smoothing), mask,
                                            std::numeric_limits<double>::quiet_NaN());
    AtomColumns provisional = candidatesToColumns(accepted.peaks, signal);
    // Integer positions bias the nearest-neighbour distance low (the minimum of noisy distances):
    // a centre-of-mass pass removes most of that bias.
    RefineParams com;
    com.radius = std::clamp(0.25 * spectral.spacing, 1.5, 40.0);
    com.maxShift = 0.3 * spectral.spacing;
    com.gaussianFit = false;
    refineColumns(raw, provisional, com, progress);
    const double nn = medianNearestNeighbourDistance(provisional);
    // Columns spaced as the spectrum says lie 2/3 to 1 spacing apart. Far closer, the spectral
    // peak was not a lattice but slow variation (a support's thickness, a gradient) and the peaks
    // are isolated atoms or speckle.
    if (nn > 0.0 && nn < kMinNeighbourPerSpacing * spectral.spacing)
        return blobScale();
    return nn > 0.0 ? nn : spectral.spacing;
}

/**
 * estimateLatticePeriod; when the crop is the whole image and the estimate measured its noise model,
 * that model is stored in *wholeImageNoise (detection needs the same one).
 */
double latticePeriodAndNoise(const FloatImage& raw, Progress* progress, std::optional<NoiseModel>* wholeImageNoise)
{
    if (raw.width <= kPeriodCropSide && raw.height <= kPeriodCropSide)
        return latticePeriodOfCrop(raw, progress, wholeImageNoise);
    return latticePeriodOfCrop(centralCrop(raw.data.data(), raw.width, raw.height), progress);
}

} // namespace

double estimateLatticePeriod(const FloatImage& raw, Progress* progress)
{
    return latticePeriodAndNoise(raw, progress, nullptr);
}

double estimateLatticePeriod(const Micrograph& image, Progress* progress)
{
    const FloatImage crop = centralCrop(image.pixels.data(), image.width, image.height);
    return latticePeriodOfCrop(withFiniteValues(crop.data.data(), crop.width, crop.height), progress);
}

namespace {

DetectionResult detectOnce(const FloatImage& raw, const DetectionParams& params, Progress* progress)
{
    if (raw.width < 8 || raw.height < 8)
        throw std::runtime_error("image too small for column detection");
    DetectionResult result;
    DetectionParams& used = result.used;
    used = params;
    if (progress)
        progress->beginStage("lattice period", 0.0, 0.1);
    std::optional<NoiseModel> measuredNoise; // by the period estimate, when it looked at the whole image
    if (!(used.period > 0.0))
        used.period = latticePeriodAndNoise(raw, progress, &measuredNoise);
    if (!(used.minSeparation > 0.0))
        used.minSeparation = 0.5 * used.period;

    if (progress)
        progress->beginStage("finding columns", 0.1, 0.4);
    // The background under the columns depends on the period only: made beside the width estimate.
    FloatImage background;
    auto makeBackground = [&] { background = columnBackground(raw, used.period); };
    if (!(used.smoothingSigma > 0.0)) {
        // Matched filter: smoothing at the columns' own width (a little narrower, so close
        // neighbours stay apart), within 0.1 .. 0.2 periods.
        ColumnWidthEstimate width;
        tbb::parallel_invoke([&] { width = estimateColumnSigma(raw, used.period); }, makeBackground);
        used.smoothingSigma = width.width > 0.0 ? std::clamp(0.8 * width.width, 0.1 * used.period, 0.2 * used.period)
                                                : 0.1 * used.period;
        if (width.fromAverage && !(used.columnWidth > 0.0))
            used.columnWidth = width.width;
    } else {
        makeBackground();
    }
    const NoiseModel noise = measuredNoise ? *measuredNoise : estimateNoiseModel(raw);
    result.noiseGain = noise.gain;
    result.noiseOffset = noise.offset;
    result.noiseReadVariance = noise.readVariance;
    const ColumnSignal signal = columnSignal(raw, used.smoothingSigma, std::move(background));
    throwIfCancelled(progress);
    std::vector<PeakCandidate> maxima = findLocalMaxima(signal.height, 0.0f, progress);
    result.candidates = maxima.size();
    const std::vector<PeakCandidate> peaks = suppressNonMaxima(std::move(maxima), used.minSeparation);
    ContrastMask mask;
    if (used.atomicContrastOnly)
        mask = atomicContrastMask(signal, noise, used.period, peaks);
    result.heights.reserve(peaks.size());
    for (const auto& p : peaks)
        if (mask.contains(p.x, p.y))
            result.heights.push_back(p.height);
    result.noiseSigma = std::sqrt(noise.variance(upperMedian(signal.background.data.data(), signal.background.data.size())));
    if (!(used.significance > 0.0))
        used.significance = automaticSignificance(raw.data.size(), used.smoothingSigma);
    const Acceptance accepted = acceptPeaks(peaks, NoiseLevel{signal.background}, signal.smoothing, noise,
                                            used.significance, mask, params.threshold);
    if (std::isnan(used.threshold))
        used.threshold = accepted.lowestHeight;
    result.columns = candidatesToColumns(accepted.peaks, signal);
    if (used.atomicContrastOnly && std::isnan(params.threshold)) {
        // The crystal's outermost columns, as weak as the support beside them, on its rows.
        const AtomColumns rim = crystalRimColumns(signal, peaks, mask, result.columns);
        result.rimColumns = int(rim.size());
        result.columns.insert(result.columns.end(), rim.begin(), rim.end());
    }
    if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
        std::fprintf(stderr, "detect: period %.2f smoothing %.2f noise gain %.4g offset %.4g read %.4g min %.4g z0 %.2f bright %.4g lowest %.4g peaks %zu accepted %zu rim %d mask %dx%d\n",
                     used.period, used.smoothingSigma, noise.gain, noise.offset, noise.readVariance, noise.minimumVariance,
                     used.significance, accepted.brightHeight, accepted.lowestHeight, peaks.size(), accepted.peaks.size(),
                     result.rimColumns, mask.width, mask.height);
    result.passes = 1;
    result.contrastMask = mask.inside;
    result.maskWidth = mask.width;
    result.maskHeight = mask.height;
    result.maskStep = mask.step;
    throwIfCancelled(progress);

    if (used.residualPasses) {
        if (progress)
            progress->beginStage("weaker sublattices", 0.4, 0.75);
        AtomColumns fitted = result.columns;
        // Single fits suffice to subtract; the joint refinement sees first- and residual-pass
        // columns together. The same fits refineDetectedColumns would make (noise known).
        RefineParams single = refineParamsWithNoise(result);
        single.jointFit = false;
        refineColumns(raw, fitted, single, progress);
        const ResidualSearch search{raw, signal, noise, mask, used, params.threshold, accepted.brightHeight, single};
        const int added = searchResidual(search, result.columns, fitted, progress);
        result.passes += added > 0 ? 1 : 0;
        auto rowMajor = [](const AtomColumn& a, const AtomColumn& b) { return a.y != b.y ? a.y < b.y : a.x < b.x; };
        if (!used.refine) {
            // Keep the fits for refineDetectedColumns, in the detected columns' order.
            std::vector<int> order(result.columns.size());
            std::iota(order.begin(), order.end(), 0);
            std::sort(order.begin(), order.end(),
                      [&](int a, int b) { return rowMajor(result.columns[std::size_t(a)], result.columns[std::size_t(b)]); });
            AtomColumns sorted, sortedFits;
            sorted.reserve(order.size());
            sortedFits.reserve(order.size());
            for (int i : order) {
                sorted.push_back(result.columns[std::size_t(i)]);
                sortedFits.push_back(fitted[std::size_t(i)]);
            }
            result.columns = std::move(sorted);
            result.singleFits = std::move(sortedFits);
        } else {
            std::sort(result.columns.begin(), result.columns.end(), rowMajor);
            std::sort(fitted.begin(), fitted.end(), rowMajor);
        }
        if (progress)
            progress->beginStage(used.refine ? "scan jitter" : "finishing", 0.75, 1.0);
        if (used.refine) {
            // Every column is fitted already (one at a time): refine them all jointly, first-pass
            // and residual-pass columns together, then correct the scan jitter.
            result.columns = std::move(fitted);
            finishRefinement(raw, result, progress);
            if (progress)
                progress->report(1.0);
            return result;
        }
    }
    if (used.refine)
        refineDetectedColumns(raw, result, progress);
    if (progress)
        progress->report(1.0);
    return result;
}

constexpr std::size_t kMinPairsToSplit = 10;   ///< recurring unresolved pairs that make detection split them
constexpr std::size_t kPairLookSample = 1500;  ///< columns the first look at pairs tests

} // namespace

DetectionResult detectColumns(const Micrograph& image, const DetectionParams& params, Progress* progress)
{
    return detectColumns(withFiniteValues(image), params, progress);
}

DetectionResult detectColumns(const FloatImage& raw, const DetectionParams& params, Progress* progress)
{
    DetectionResult result = detectOnce(raw, params, progress);
    const DetectionParams& used = result.used;
    if (used.splitPairs || !used.jointFit || !used.refine || result.columns.size() < 2 * kMinPairsToSplit)
        return result;
    // A crystal of unresolved pairs (dumbbells closer than 2 widths) looks like one of single
    // columns until the split test looks: when it finds recurring pairs that, averaged, are pairs
    // rather than an elliptical probe, detect again with pairs in mind (single fits over a pair's
    // flat top keep their centre of mass, the pairs split before the joint fit).
    // Rows shifted by scan jitter make round columns look elongated: look on the image with the
    // jitter the detection found taken out (its columns already are).
    FloatImage unjittered;
    if (!result.scanJitterRows.empty()) {
        ScanJitter jitter;
        jitter.rowShift = result.scanJitterRows;
        unjittered = withoutScanJitter(raw, jitter);
    }
    RefineParams rp = refineParamsWithNoise(result);
    rp.splitPairs = true;
    const UnresolvedPairs pairs = findUnresolvedPairs(unjittered.data.empty() ? raw : unjittered, result.columns, rp,
                                                      progress, kPairLookSample);
    if (pairs.column.size() < kMinPairsToSplit || !pairs.verdict.pairs)
        return result;
    DetectionParams again = used;
    again.splitPairs = true;
    return detectOnce(raw, again, progress);
}

RefineParams refineParamsFor(const DetectionParams& used)
{
    RefineParams rp;
    rp.radius = std::clamp(0.35 * used.period, 2.0, 40.0);
    rp.sigmaGuess = std::max(0.7, 0.12 * used.period); // single fits in small windows: a narrow start
    rp.columnWidth = used.columnWidth;
    rp.maxShift = 0.35 * used.period;
    rp.jointFit = used.jointFit;
    rp.splitPairs = used.jointFit && used.splitPairs;
    return rp;
}

namespace {

void removeJitter(const FloatImage& raw, DetectionResult& result)
{
    result.scanJitterRms = 0.0;
    result.scanJitterRows.clear();
    const double radius = refineParamsFor(result.used).radius;
    if (result.used.correctScanJitter && result.columns.size() >= 50) {
        const ScanJitter jitter = estimateScanJitter(raw, result.columns, radius);
        if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
            std::fprintf(stderr, "jitter: rms %.3f reliability %.3f\n", jitter.rms, jitter.reliability);
        if (jitter.reliability >= kScanJitterMinReliability) {
            removeScanJitter(result.columns, jitter, radius);
            result.scanJitterRms = jitter.rms;
            result.scanJitterRows = jitter.rowShift;
        }
    }
}

} // namespace

namespace {

/** The refinement settings of a detection, with the noise model it measured (fit weights, positionSigma). */
RefineParams refineParamsWithNoise(const DetectionResult& result)
{
    RefineParams rp = refineParamsFor(result.used);
    rp.noise.gain = result.noiseGain;
    rp.noise.offset = result.noiseOffset;
    rp.noise.readVariance = result.noiseReadVariance;
    return rp;
}

/**
 * A column whose peak is cut by the border can be fitted to a centre beyond it (on the bundled MoSe2
 * sample 27 of 389 columns landed 1-4.5 px above the top row): the atom is outside the field of
 * view. The image covers [-0.5, size - 0.5] in pixel-centre coordinates; keep what lies inside.
 */
void dropColumnsOutsideImage(AtomColumns& columns, int width, int height)
{
    const auto outside = [&](const AtomColumn& c) {
        return !(c.x >= -0.5 && c.y >= -0.5 && c.x <= width - 0.5 && c.y <= height - 0.5);
    };
    columns.erase(std::remove_if(columns.begin(), columns.end(), outside), columns.end());
}

void finishRefinement(const FloatImage& raw, DetectionResult& result, Progress* progress)
{
    RefineParams rp = refineParamsWithNoise(result);
    if (rp.jointFit && rp.splitPairs) {
        // Row jitter makes a round column look elongated, and an unresolved pair fakes row shifts.
        // So: split on the raw image; measure the jitter on what is then single columns (split
        // members overlap and are left out); if there is jitter, redo the test on the image with
        // the jitter taken out. Fitting is on the raw pixels.
        const AtomColumns unsplit = result.columns;
        splitUnresolvedPairs(raw, result.columns, rp, progress);
        if (result.used.correctScanJitter && result.columns.size() >= 50) {
            const ScanJitter jitter = estimateScanJitter(raw, result.columns, rp.radius);
            if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
                std::fprintf(stderr, "split: scan jitter rms %.3f px, reliability %.2f over %d rows\n", jitter.rms,
                             jitter.reliability, jitter.rowsMeasured);
            if (jitter.reliability >= kScanJitterMinReliability) {
                result.columns = unsplit;
                splitUnresolvedPairs(withoutScanJitter(raw, jitter), result.columns, rp, progress);
            }
        }
        rp.splitPairs = false;
    }
    if (rp.jointFit) {
        refineJointly(raw, result.columns, rp, progress);
        const int merged = mergeUnresolvedPairs(raw, result.columns, rp, progress);
        if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
            std::fprintf(stderr, "merged %d pairs\n", merged);
    }
    removeJitter(raw, result);
    dropColumnsOutsideImage(result.columns, raw.width, raw.height);
}

} // namespace

void refineDetectedColumns(const FloatImage& raw, DetectionResult& result, Progress* progress)
{
    // One column at a time first; then, as after the residual search, pairs split and overlapping
    // columns fitted together, and the scan jitter removed.
    RefineParams single = refineParamsWithNoise(result);
    single.jointFit = false;
    if (progress)
        progress->beginStage("refining positions", 0.4, 0.7);
    if (result.singleFits.size() == result.columns.size())
        result.columns = std::move(result.singleFits); // detection fitted them already, the same way
    else
        refineColumns(raw, result.columns, single, progress);
    result.singleFits = AtomColumns();
    if (progress)
        progress->beginStage("fitting neighbours jointly", 0.7, 1.0);
    finishRefinement(raw, result, progress);
}

} // namespace motifscope
