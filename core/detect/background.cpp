#include "core/detect/background.h"

#include "core/detect/parallel_blur.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace motifscope {

FloatImage columnBackground(const FloatImage& raw, double period)
{
    const int factor = std::clamp(int(period / 6.0), 1, 16);
    const cv::Mat src(raw.height, raw.width, CV_32F, const_cast<float*>(raw.data.data()));
    // Full resolution works in place in the output (image-sized buffers come with large pages).
    FloatImage out = FloatImage::uninitialised(raw.width, raw.height);
    cv::Mat dst(out.height, out.width, CV_32F, out.data.data());
    const bool shrink = factor > 1 && raw.width >= 8 * factor && raw.height >= 8 * factor;
    const double scale = shrink ? double(raw.width / factor) / raw.width : 1.0;
    auto blur = [&](const cv::Mat& in, cv::Mat& m, double sigmaFull) {
        const double s = sigmaFull * scale;
        if (s < 0.3) {
            if (in.data != m.data)
                in.copyTo(m);
            return;
        }
        const int radius = std::max(1, int(std::ceil(3.0 * s)));
        parallelGaussianBlur(in, m, s, radius);
    };
    // Noise would pull an erosion down (the minimum of many noisy pixels): smooth first. At full
    // resolution the first blur reads the image and writes the output (no copy of the image first).
    cv::Mat small;
    if (shrink) {
        cv::resize(src, small, cv::Size(raw.width / factor, raw.height / factor), 0, 0, cv::INTER_AREA);
        blur(small, small, 0.2 * period);
    } else {
        small = dst;
        blur(src, small, 0.2 * period);
    }
    const int half = std::max(1, int(std::lround(0.85 * period * scale)));
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * half + 1, 2 * half + 1));
    cv::morphologyEx(small, small, cv::MORPH_OPEN, kernel, cv::Point(-1, -1), 1, cv::BORDER_REFLECT);
    blur(small, small, 0.5 * period);
    if (small.data != dst.data)
        cv::resize(small, dst, dst.size(), 0, 0, cv::INTER_LINEAR);
    return out;
}

} // namespace motifscope
