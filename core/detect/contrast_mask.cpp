#include "core/detect/contrast_mask.h"

#include "core/detect/lattice_period.h"
#include "core/detect/local_order.h"
#include "core/detect/parallel_blur.h"

#include <opencv2/imgproc.hpp>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace motifscope {

namespace {

constexpr double kMinContrastRatio = 3.0;  ///< the two populations' typical amplitudes differ at least this much
constexpr double kMinCrystalToSupport = 2.0; ///< a disordered region this much weaker than the crystal is not part of it
constexpr double kNearCrystal = 2.5;       ///< periods: disordered parts this close to the crystal may belong to it
constexpr double kMinMaskedFraction = 0.04; ///< a masked region smaller than this is not worth the risk
constexpr double kMaxMaskedFraction = 0.96;
constexpr double kOrderedLattice = 0.45;   ///< translational order above this is a crystal (random points ~0.2)
constexpr double kPeakZ = 2.0;             ///< peaks that count for the order: this far above the noise
constexpr double kNoLattice = 0.05;        ///< below this ordered share the image holds no lattice
constexpr double kMinSpeckleShare = 0.6;   ///< the speckle is the bulk of the peaks, the atoms a minority
constexpr double kMaxValleyDepth = 0.05;   ///< between the two, the peak-height histogram nearly empties

double median(std::vector<float> v)
{
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
}

/** Calls rowOf(y) for every block row y in [0, rows), rows in parallel. */
template <typename RowFunction>
void forEachBlockRow(int rows, RowFunction&& rowOf)
{
    tbb::parallel_for(tbb::blocked_range<int>(0, rows, 16), [&](const tbb::blocked_range<int>& range) {
        for (int y = range.begin(); y != range.end(); ++y)
            rowOf(y);
    });
}

/** Per block: the largest column-signal height inside it. */
cv::Mat blockMaxima(const FloatImage& h, int step, int bw, int bh)
{
    cv::Mat peak(bh, bw, CV_32F);
    forEachBlockRow(bh, [&](int by) {
        for (int bx = 0; bx < bw; ++bx) {
            float m = 0.0f;
            for (int y = by * step; y < (by + 1) * step; ++y) {
                const float* row = &h.data[std::size_t(y) * h.width + std::size_t(bx) * step];
                for (int x = 0; x < step; ++x)
                    m = std::max(m, row[x]);
            }
            peak.at<float>(by, bx) = m;
        }
    });
    return peak;
}

void blurBlocks(cv::Mat& m, double s)
{
    parallelGaussianBlur(m, m, s, std::max(1, int(std::ceil(3.0 * s))));
}

/** Which peaks stand kPeakZ noise standard deviations above their background. */
std::vector<char> significantPeaks(const ColumnSignal& signal, const NoiseModel& noise,
                                   const std::vector<PeakCandidate>& peaks)
{
    std::vector<char> significant(peaks.size(), 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, peaks.size(), 4096), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i)
            significant[i] = peakSignificance(peaks[i].height, signal.background.at(peaks[i].x, peaks[i].y), noise,
                                              signal.smoothing) >= kPeakZ;
    });
    return significant;
}

/**
 * Per block: the translational order of the peaks in `use` around it (local_order.h), averaged
 * over about a period; 0 where there are none.
 */
cv::Mat blockOrder(const std::vector<PeakCandidate>& peaks, const std::vector<char>& use, double period, int step,
                   int bw, int bh)
{
    const std::vector<float> order = translationOrder(peaks, use, period);
    cv::Mat sum(bh, bw, CV_32F, cv::Scalar(0)), count(bh, bw, CV_32F, cv::Scalar(0));
    for (std::size_t i = 0; i < peaks.size(); ++i) {
        if (!use[i])
            continue;
        const int bx = std::min(peaks[i].x / step, bw - 1), by = std::min(peaks[i].y / step, bh - 1);
        sum.at<float>(by, bx) += order[i];
        count.at<float>(by, bx) += 1.0f;
    }
    const double s = period / step;
    blurBlocks(sum, s);
    blurBlocks(count, s);
    cv::Mat out(bh, bw, CV_32F);
    // Fewer than ~0.3 significant peaks per period^2 nearby (a lattice has about one): no lattice.
    const float minCount = float(0.3 / (s * s));
    for (int y = 0; y < bh; ++y)
        for (int x = 0; x < bw; ++x) {
            const float c = count.at<float>(y, x);
            out.at<float>(y, x) = c > minCount ? sum.at<float>(y, x) / c : 0.0f;
        }
    return out;
}

/**
 * The speckle floor of an image without a lattice (isolated atoms or clusters on a support): the
 * histogram of the significant peaks' log heights has a bulk (the support's speckle) and, above a
 * near-empty valley, a bright minority (the atoms) typically kMinContrastRatio times higher. The
 * floor is the deepest point of that valley. 0 when the heights form one population.
 */
float speckleFloor(const std::vector<PeakCandidate>& peaks, const std::vector<char>& significant)
{
    std::vector<float> logHeight;
    for (std::size_t i = 0; i < peaks.size(); ++i)
        if (significant[i])
            logHeight.push_back(std::log(std::max(1e-30f, peaks[i].height)));
    if (logHeight.size() < 50)
        return 0.0f;
    std::sort(logHeight.begin(), logHeight.end());
    const double lo = logHeight.front(), width = 0.1; // bins a tenth of a natural-log unit wide (~10%)
    const int bins = std::max(3, int((logHeight.back() - lo) / width) + 2);
    std::vector<double> count(std::size_t(bins), 0.0), smooth(std::size_t(bins), 0.0);
    for (float v : logHeight)
        count[std::size_t((v - lo) / width)] += 1.0;
    for (int b = 0; b < bins; ++b)
        smooth[std::size_t(b)] = 0.5 * count[std::size_t(b)] + 0.25 * (b > 0 ? count[std::size_t(b - 1)] : 0.0)
                                 + 0.25 * (b + 1 < bins ? count[std::size_t(b + 1)] : 0.0);
    const int mode = int(std::max_element(smooth.begin(), smooth.end()) - smooth.begin());
    const double medianLog = logHeight[logHeight.size() / 2];
    int valley = -1;
    for (int b = mode + 1; b < bins; ++b) {
        const double edge = lo + b * width;
        const std::size_t above = std::size_t(logHeight.end() - std::lower_bound(logHeight.begin(), logHeight.end(), float(edge)));
        const double share = double(above) / double(logHeight.size());
        if (share > 1.0 - kMinSpeckleShare || above < 5)
            continue;
        if (valley < 0 || smooth[std::size_t(b)] < smooth[std::size_t(valley)])
            valley = b;
    }
    if (valley < 0 || smooth[std::size_t(valley)] > kMaxValleyDepth * smooth[std::size_t(mode)])
        return 0.0f;
    const float edge = float(lo + (valley + 0.5) * width);
    const auto first = std::lower_bound(logHeight.begin(), logHeight.end(), edge);
    double brightSum = 0.0;
    for (auto it = first; it != logHeight.end(); ++it)
        brightSum += *it;
    const double brightMean = brightSum / double(logHeight.end() - first);
    if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
        std::fprintf(stderr, "speckle: %zu peaks, valley at %.2f (%.1f of mode %.1f), bright mean %.2f, median %.2f\n",
                     logHeight.size(), edge, smooth[std::size_t(valley)], smooth[std::size_t(mode)], brightMean, medianLog);
    if (brightMean - medianLog < std::log(kMinContrastRatio))
        return 0.0f;
    return std::exp(edge);
}

/**
 * Does the power spectrum show a characteristic spacing at the column scale, as a disordered
 * network of columns does (lattice-plane spacing 1 to 1.5 nearest-neighbour distances, with margin)?
 */
bool columnScaleRing(const FloatImage& height, double period)
{
    const double spacing = estimateSpectralSpacing(height).spacing;
    if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
        std::fprintf(stderr, "no lattice order; spectral spacing %.2f px, period %.2f px\n", spacing, period);
    return spacing >= 0.8 * period && spacing <= 1.8 * period;
}

} // namespace

ContrastMask atomicContrastMask(const ColumnSignal& signal, const NoiseModel& noise, double period,
                                const std::vector<PeakCandidate>& peaks)
{
    ContrastMask mask;
    const FloatImage& h = signal.height;
    const int step = std::clamp(int(period / 4.0), 1, 32);
    const int bw = h.width / step, bh = h.height / step;
    if (bw < 8 || bh < 8)
        return mask;
    const std::vector<char> significant = significantPeaks(signal, noise, peaks);
    const cv::Mat lattice = blockOrder(peaks, significant, period, step, bw, bh) >= kOrderedLattice; // 255 where ordered
    mask.orderedFraction = double(cv::countNonZero(lattice)) / double(bw * bh);
    if (mask.orderedFraction < kNoLattice) {
        // No lattice anywhere, and no characteristic spacing at the column scale either (a
        // disordered network of columns still has one: a ring in the power spectrum): isolated
        // atoms on a support, whose speckle the atoms must stand out from.
        if (!columnScaleRing(signal.height, period))
            mask.textureFloor = speckleFloor(peaks, significant);
        return mask;
    }
    // Local peak envelope of the column signal: the largest height within ~0.6 period (every
    // point of a lattice lies that close to a column), per block, against the noise expected there.
    // Unlike a mean energy it does not dilute with the lattice's fill factor, so a crystal stands
    // far above the noise of vacuum and above the speckle of an amorphous film.
    cv::Mat blockLevel;
    const cv::Mat bg(h.height, h.width, CV_32F, const_cast<float*>(signal.background.data.data()));
    cv::resize(bg(cv::Rect(0, 0, bw * step, bh * step)), blockLevel, cv::Size(bw, bh), 0, 0, cv::INTER_AREA);
    const int reach = std::max(1, int(std::lround(0.6 * period / step)));
    cv::Mat envelope;
    cv::dilate(blockMaxima(h, step, bw, bh), envelope,
               cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * reach + 1, 2 * reach + 1)),
               cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    blurBlocks(envelope, 0.5 * period / step);

    std::vector<float> logRatio(std::size_t(bw) * bh);
    forEachBlockRow(bh, [&](int y) {
        for (int x = 0; x < bw; ++x) {
            const double sd = std::max(1e-30, nullHeightSigma(noise, blockLevel.at<float>(y, x), signal.smoothing));
            logRatio[std::size_t(y) * bw + x] = float(std::log(std::max(0.0f, envelope.at<float>(y, x)) / sd + 1e-6));
        }
    });
    // The crystal's typical contrast (ordered blocks) against that of the rest (vacuum, support,
    // but also defects, boundaries and noisy patches of the crystal itself).
    std::vector<float> orderedContrast, disorderedContrast;
    for (std::size_t b = 0; b < logRatio.size(); ++b)
        (lattice.data[b] != 0 ? orderedContrast : disorderedContrast).push_back(logRatio[b]);
    const double disorderedFraction = double(disorderedContrast.size()) / double(logRatio.size());
    if (disorderedFraction < kMinMaskedFraction)
        return mask;
    const double crystal = median(orderedContrast), rest = median(disorderedContrast);
    if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
        std::fprintf(stderr, "mask: ordered %.3f contrast %.2f, disordered contrast %.2f, speckle floor %.4g\n",
                     mask.orderedFraction, crystal, rest, mask.textureFloor);
    // Disordered parts as contrasted as the crystal are part of it; only a clearly weaker,
    // disordered region is something else.
    if (crystal - rest < std::log(kMinCrystalToSupport))
        return mask;

    // Keep the crystal, and the disordered blocks next to it that are nearer the crystal's
    // contrast than the rest's (defects, boundaries, edges); a bright spot of the support far from
    // any crystal stays out. Grow by half a period so edge columns stay in.
    const float boundary = float(rest + std::log(kMinCrystalToSupport) * 0.5);
    cv::Mat nearLattice;
    const int near = std::max(1, int(std::lround(kNearCrystal * period / step)));
    cv::dilate(lattice, nearLattice, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * near + 1, 2 * near + 1)));
    cv::Mat keep(bh, bw, CV_8U);
    std::size_t kept = 0;
    for (int y = 0; y < bh; ++y)
        for (int x = 0; x < bw; ++x) {
            const bool in = lattice.at<std::uint8_t>(y, x) != 0
                            || (nearLattice.at<std::uint8_t>(y, x) != 0 && logRatio[std::size_t(y) * bw + x] >= boundary);
            keep.at<std::uint8_t>(y, x) = in ? 1 : 0;
            kept += in ? 1 : 0;
        }
    if (double(kept) / double(logRatio.size()) > kMaxMaskedFraction)
        return mask;
    const int grow = std::max(1, int(std::lround(0.5 * period / step)));
    cv::dilate(keep, keep, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * grow + 1, 2 * grow + 1)));
    mask.width = bw;
    mask.height = bh;
    mask.step = step;
    mask.inside.assign(keep.datastart, keep.dataend);
    return mask;
}

} // namespace motifscope
