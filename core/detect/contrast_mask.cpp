#include "detect/contrast_mask.h"

#include "detect/peak_finder.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace motifscope {

namespace {

constexpr double kMinContrastRatio = 3.0;  ///< the two populations' typical amplitudes differ at least this much
constexpr double kMaxMaskedContrast = 4.0; ///< and the weaker one stays within this factor of the noise
constexpr double kMinMaskedFraction = 0.04; ///< a masked region smaller than this is not worth the risk
constexpr double kMaxMaskedFraction = 0.96;

} // namespace

ContrastMask atomicContrastMask(const ColumnSignal& signal, const NoiseModel& noise, double period)
{
    ContrastMask mask;
    const FloatImage& h = signal.height;
    const int step = std::clamp(int(period / 4.0), 1, 32);
    const int bw = h.width / step, bh = h.height / step;
    if (bw < 8 || bh < 8)
        return mask;
    // Positive-part energy of the column signal and the background level, per block.
    cv::Mat energy(h.height, h.width, CV_32F);
    for (int y = 0; y < h.height; ++y) {
        const float* row = &h.data[std::size_t(y) * h.width];
        float* out = energy.ptr<float>(y);
        for (int x = 0; x < h.width; ++x)
            out[x] = row[x] > 0.0f ? row[x] * row[x] : 0.0f;
    }
    const cv::Mat bg(h.height, h.width, CV_32F, const_cast<float*>(signal.background.data.data()));
    cv::Mat blockEnergy, blockLevel;
    cv::resize(energy(cv::Rect(0, 0, bw * step, bh * step)), blockEnergy, cv::Size(bw, bh), 0, 0, cv::INTER_AREA);
    cv::resize(bg(cv::Rect(0, 0, bw * step, bh * step)), blockLevel, cv::Size(bw, bh), 0, 0, cv::INTER_AREA);
    const double s = 0.75 * period / step;
    const int radius = std::max(1, int(std::ceil(3.0 * s)));
    cv::GaussianBlur(blockEnergy, blockEnergy, cv::Size(2 * radius + 1, 2 * radius + 1), s, s, cv::BORDER_REFLECT);

    // log(local RMS column signal / noise expected there).
    std::vector<float> logRatio(std::size_t(bw) * bh);
    for (int y = 0; y < bh; ++y)
        for (int x = 0; x < bw; ++x) {
            const double sd = std::max(1e-30, nullHeightSigma(noise, blockLevel.at<float>(y, x), signal.smoothing));
            logRatio[std::size_t(y) * bw + x] = float(std::log(std::sqrt(std::max(0.0f, blockEnergy.at<float>(y, x))) / sd + 1e-6));
        }
    const float split = otsuThreshold(logRatio);
    double lowSum = 0.0, highSum = 0.0;
    std::size_t low = 0;
    for (float v : logRatio) {
        if (v < split) {
            lowSum += v;
            ++low;
        } else {
            highSum += v;
        }
    }
    const std::size_t high = logRatio.size() - low;
    if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
        std::fprintf(stderr, "mask: split %.2f low %.3f mean low %.2f high %.2f\n", split,
                     double(low) / logRatio.size(), low ? lowSum / low : 0.0, high ? highSum / high : 0.0);
    const double lowFraction = double(low) / double(logRatio.size());
    if (low == 0 || high == 0 || lowFraction < kMinMaskedFraction || lowFraction > kMaxMaskedFraction)
        return mask;
    if (highSum / double(high) - lowSum / double(low) < std::log(kMinContrastRatio)
        || lowSum / double(low) > std::log(kMaxMaskedContrast))
        return mask;

    // Keep the high-contrast class, grown by half a period so edge columns stay in.
    cv::Mat keep(bh, bw, CV_8U);
    for (int y = 0; y < bh; ++y)
        for (int x = 0; x < bw; ++x)
            keep.at<std::uint8_t>(y, x) = logRatio[std::size_t(y) * bw + x] >= split ? 1 : 0;
    const int grow = std::max(1, int(std::lround(0.5 * period / step)));
    cv::dilate(keep, keep, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * grow + 1, 2 * grow + 1)));
    mask.width = bw;
    mask.height = bh;
    mask.step = step;
    mask.inside.assign(keep.datastart, keep.dataend);
    return mask;
}

} // namespace motifscope
