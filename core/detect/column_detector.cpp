#include "detect/column_detector.h"

#include "detect/image_filters.h"
#include "detect/lattice_period.h"
#include "detect/peak_finder.h"
#include "detect/refine.h"
#include "detect/scan_jitter.h"
#include "util/progress.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace motifscope {

namespace {

/** Smoothed image minus its slowly varying background: columns stand out as positive peaks. */
FloatImage columnSignal(const FloatImage& raw, double smoothingSigma, double period)
{
    FloatImage signal = gaussianBlur(raw, smoothingSigma);
    const FloatImage background = smoothBackground(raw, 1.5 * period);
    for (std::size_t i = 0; i < signal.data.size(); ++i)
        signal.data[i] -= background.data[i];
    return signal;
}

/** Noise left after smoothing white noise of std `sigma` with a Gaussian of std `s` pixels. */
double smoothedNoise(double sigma, double s)
{
    return s > 0.3 ? sigma / (2.0 * std::sqrt(M_PI) * s) : sigma;
}

/** Automatic height threshold: above the smoothed noise, and not far below the typical column. */
double automaticThreshold(const std::vector<float>& heights, double noise)
{
    const double noiseFloor = 4.0 * noise;
    std::vector<float> strong;
    for (float h : heights)
        if (h > noiseFloor)
            strong.push_back(h);
    if (strong.empty())
        return noiseFloor;
    std::nth_element(strong.begin(), strong.begin() + strong.size() / 2, strong.end());
    const double typical = strong[strong.size() / 2];
    return std::max(noiseFloor, 0.15 * typical);
}

AtomColumns candidatesToColumns(const std::vector<PeakCandidate>& peaks, const FloatImage& raw, double threshold)
{
    AtomColumns columns;
    columns.reserve(peaks.size());
    for (const PeakCandidate& p : peaks) {
        if (p.height < threshold)
            continue;
        AtomColumn c;
        c.x = p.x;
        c.y = p.y;
        c.intensity = p.height;
        c.background = raw.at(p.x, p.y) - p.height;
        columns.push_back(c);
    }
    // Row-major order: stable, readable output independent of heights.
    std::sort(columns.begin(), columns.end(), [](const AtomColumn& a, const AtomColumn& b) {
        return a.y != b.y ? a.y < b.y : a.x < b.x;
    });
    return columns;
}

} // namespace

double medianNearestNeighbourDistance(const AtomColumns& columns)
{
    if (columns.size() < 2)
        return 0.0;
    // Grid hash with a cell sized from the mean density; search rings outward until found.
    double minX = columns[0].x, maxX = minX, minY = columns[0].y, maxY = minY;
    for (const auto& c : columns) {
        minX = std::min(minX, c.x), maxX = std::max(maxX, c.x);
        minY = std::min(minY, c.y), maxY = std::max(maxY, c.y);
    }
    const double area = std::max(1.0, (maxX - minX + 1) * (maxY - minY + 1));
    const double cell = std::max(1.0, std::sqrt(area / double(columns.size())) * 1.5);
    auto key = [](long long cx, long long cy) { return (cx << 32) ^ (cy & 0xffffffffLL); };
    std::unordered_map<long long, std::vector<int>> grid;
    for (int i = 0; i < int(columns.size()); ++i)
        grid[key((long long)std::floor(columns[i].x / cell), (long long)std::floor(columns[i].y / cell))].push_back(i);
    std::vector<double> nearest(columns.size());
    for (int i = 0; i < int(columns.size()); ++i) {
        const long long cx = (long long)std::floor(columns[i].x / cell);
        const long long cy = (long long)std::floor(columns[i].y / cell);
        double best = std::numeric_limits<double>::infinity();
        for (int ring = 1; ring < 64; ++ring) {
            for (long long dy = -ring; dy <= ring; ++dy) {
                for (long long dx = -ring; dx <= ring; ++dx) {
                    const auto it = grid.find(key(cx + dx, cy + dy));
                    if (it == grid.end())
                        continue;
                    for (int j : it->second) {
                        if (j != i)
                            best = std::min(best, std::hypot(columns[j].x - columns[i].x, columns[j].y - columns[i].y));
                    }
                }
            }
            if (best <= (ring - 0.5) * cell || ring * cell > 1e6)
                break;
        }
        nearest[i] = best;
    }
    std::nth_element(nearest.begin(), nearest.begin() + nearest.size() / 2, nearest.end());
    return nearest[nearest.size() / 2];
}

double estimateLatticePeriod(const Micrograph& image, Progress* progress)
{
    // The period is a property of the whole image: a central crop of at most 1024 x 1024 suffices.
    const int cw = std::min(image.width, 1024), ch = std::min(image.height, 1024);
    const int x0 = (image.width - cw) / 2, y0 = (image.height - ch) / 2;
    FloatImage crop(cw, ch);
    for (int y = 0; y < ch; ++y)
        std::copy_n(&image.pixels[std::size_t(y0 + y) * image.width + x0], cw, &crop.data[std::size_t(y) * cw]);
    const FloatImage raw = withFiniteValues(crop.data.data(), cw, ch);
    const PeriodEstimate spectral = estimateSpectralSpacing(raw);
    if (spectral.spacing <= 0.0)
        throw std::runtime_error("no lattice periodicity found in the image; give the column spacing by hand");
    throwIfCancelled(progress);
    // Provisional detection at the spectral scale: nearest neighbours lie at 2/3 to 1 spacing.
    const double smoothing = 0.08 * spectral.spacing;
    const FloatImage signal = columnSignal(raw, smoothing, spectral.spacing);
    auto peaks = suppressNonMaxima(findLocalMaxima(signal, 0.0f, progress), 0.4 * spectral.spacing);
    std::vector<float> heights;
    for (const auto& p : peaks)
        heights.push_back(p.height);
    const double noise = smoothedNoise(estimateNoiseSigma(raw), smoothing);
    AtomColumns provisional = candidatesToColumns(peaks, raw, automaticThreshold(heights, noise));
    // Integer positions bias the nearest-neighbour distance low (the minimum of noisy distances):
    // a centre-of-mass pass removes most of that bias.
    RefineParams com;
    com.radius = std::clamp(0.25 * spectral.spacing, 1.5, 40.0);
    com.maxShift = 0.3 * spectral.spacing;
    com.gaussianFit = false;
    refineColumns(raw, provisional, com, progress);
    const double nn = medianNearestNeighbourDistance(provisional);
    return nn > 0.0 ? nn : spectral.spacing;
}

DetectionResult detectColumns(const Micrograph& image, const DetectionParams& params, Progress* progress)
{
    if (image.width < 8 || image.height < 8)
        throw std::runtime_error("image too small for column detection");
    DetectionResult result;
    DetectionParams& used = result.used;
    used = params;
    if (progress)
        progress->beginStage("lattice period", 0.0, 0.1);
    if (!(used.period > 0.0))
        used.period = estimateLatticePeriod(image, progress);
    if (!(used.smoothingSigma > 0.0))
        used.smoothingSigma = 0.1 * used.period;
    if (!(used.minSeparation > 0.0))
        used.minSeparation = 0.5 * used.period;

    if (progress)
        progress->beginStage("finding columns", 0.1, 0.4);
    const FloatImage raw = withFiniteValues(image.pixels.data(), image.width, image.height);
    const FloatImage signal = columnSignal(raw, used.smoothingSigma, used.period);
    throwIfCancelled(progress);
    std::vector<PeakCandidate> maxima = findLocalMaxima(signal, 0.0f, progress);
    result.candidates = maxima.size();
    const std::vector<PeakCandidate> peaks = suppressNonMaxima(std::move(maxima), used.minSeparation);
    result.heights.reserve(peaks.size());
    for (const auto& p : peaks)
        result.heights.push_back(p.height);
    result.noiseSigma = estimateNoiseSigma(raw);
    if (std::isnan(used.threshold))
        used.threshold = automaticThreshold(result.heights, smoothedNoise(result.noiseSigma, used.smoothingSigma));
    result.columns = candidatesToColumns(peaks, raw, used.threshold);
    throwIfCancelled(progress);

    if (used.refine)
        refineDetectedColumns(raw, result, progress);
    if (progress)
        progress->report(1.0);
    return result;
}

void refineDetectedColumns(const FloatImage& raw, DetectionResult& result, Progress* progress)
{
    const DetectionParams& used = result.used;
    if (progress)
        progress->beginStage("refining positions", 0.4, 1.0);
    RefineParams rp;
    rp.radius = std::clamp(0.35 * used.period, 2.0, 40.0);
    rp.sigmaGuess = std::max(0.7, 0.12 * used.period);
    rp.maxShift = 0.35 * used.period;
    refineColumns(raw, result.columns, rp, progress);
    result.scanJitterRms = 0.0;
    if (used.correctScanJitter && result.columns.size() >= 50) {
        const ScanJitter jitter = estimateScanJitter(raw, result.columns, rp.radius);
        if (jitter.reliability >= kScanJitterMinReliability) {
            removeScanJitter(result.columns, jitter, rp.radius);
            result.scanJitterRms = jitter.rms;
        }
    }
}

} // namespace motifscope
