#include "core/detect/blob_scale.h"

#include "core/detect/image_filters.h"
#include "core/detect/peak_finder.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace motifscope {

namespace {

/** -s^2 * Laplacian of the Gaussian-smoothed image (positive on bright blobs). */
FloatImage normalisedLoG(const FloatImage& raw, double s)
{
    FloatImage smooth = gaussianBlur(raw, s);
    const cv::Mat src(smooth.height, smooth.width, CV_32F, smooth.data.data());
    FloatImage out = FloatImage::uninitialised(raw.width, raw.height);
    cv::Mat dst(out.height, out.width, CV_32F, out.data.data());
    cv::Laplacian(src, dst, CV_32F, 1, -s * s, 0.0, cv::BORDER_REFLECT);
    return out;
}

} // namespace

double estimateBlobSigma(const FloatImage& raw)
{
    if (raw.width < 16 || raw.height < 16)
        return 0.0;
    std::vector<double> scales;
    for (double s = 0.8; s <= std::min(24.0, std::min(raw.width, raw.height) / 8.0); s *= 1.2)
        scales.push_back(s);
    if (scales.size() < 3)
        return 0.0;
    std::vector<FloatImage> responses;
    responses.reserve(scales.size());
    for (double s : scales)
        responses.push_back(normalisedLoG(raw, s));
    // Blob centres: maxima of the strongest response over all scales (a Gaussian blob of height A
    // gives A/2 at its own scale whatever its width, so small bright atoms beat a support's
    // coarser, weaker speckle), far from each other.
    FloatImage strongest = responses[0];
    for (std::size_t k = 1; k < scales.size(); ++k)
        for (std::size_t i = 0; i < strongest.data.size(); ++i)
            strongest.data[i] = std::max(strongest.data[i], responses[k].data[i]);
    auto peaks = suppressNonMaxima(findLocalMaxima(strongest, 0.0f, nullptr), 3.0 * scales[scales.size() / 2]);
    if (peaks.size() < 3)
        return 0.0;
    // Significance: the strongest must stand far above the typical maximum (noise and texture).
    const float typical = peaks[peaks.size() / 2].height;
    std::vector<double> best;
    for (std::size_t i = 0; i < std::min<std::size_t>(200, peaks.size()); ++i) {
        if (peaks[i].height < 3.0f * typical)
            break;
        // Characteristic scale: the arg max over scales, refined by a parabola in log scale.
        int arg = 0;
        for (std::size_t k = 1; k < scales.size(); ++k)
            if (responses[k].at(peaks[i].x, peaks[i].y) > responses[arg].at(peaks[i].x, peaks[i].y))
                arg = int(k);
        double logScale = std::log(scales[arg]);
        if (arg > 0 && arg + 1 < int(scales.size())) {
            const double a = responses[arg - 1].at(peaks[i].x, peaks[i].y), b = responses[arg].at(peaks[i].x, peaks[i].y),
                         c = responses[arg + 1].at(peaks[i].x, peaks[i].y);
            const double denom = a - 2 * b + c;
            if (denom < 0)
                logScale += std::clamp(0.5 * (a - c) / denom, -0.5, 0.5) * std::log(1.2);
        }
        best.push_back(std::exp(logScale));
    }
    if (best.size() < 3)
        return 0.0;
    std::nth_element(best.begin(), best.begin() + best.size() / 2, best.end());
    return best[best.size() / 2];
}

} // namespace motifscope
