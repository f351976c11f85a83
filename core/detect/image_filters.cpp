#include "core/detect/image_filters.h"

#include "core/detect/parallel_blur.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace motifscope {

FloatImage gaussianBlur(const FloatImage& image, double sigma)
{
    if (sigma <= 0.0)
        return image;
    FloatImage out = FloatImage::uninitialised(image.width, image.height);
    const cv::Mat src(image.height, image.width, CV_32F, const_cast<float*>(image.data.data()));
    cv::Mat dst(out.height, out.width, CV_32F, out.data.data());
    const int radius = std::max(1, int(std::ceil(3.5 * sigma)));
    parallelGaussianBlur(src, dst, sigma, radius);
    return out;
}

FloatImage smoothBackground(const FloatImage& image, double sigma)
{
    // A wide blur needs no full resolution: blur a copy shrunk by an integer factor (area averaging),
    // then interpolate back. Cost falls by the factor squared; the error is far below the noise.
    const int factor = std::max(1, int(sigma / 3.0));
    if (factor == 1 || image.width < 4 * factor || image.height < 4 * factor)
        return gaussianBlur(image, sigma);
    const cv::Mat src(image.height, image.width, CV_32F, const_cast<float*>(image.data.data()));
    cv::Mat small;
    cv::resize(src, small, cv::Size(image.width / factor, image.height / factor), 0, 0, cv::INTER_AREA);
    const double s = sigma / factor;
    const int radius = std::max(1, int(std::ceil(3.5 * s)));
    parallelGaussianBlur(small, small, s, radius);
    FloatImage out = FloatImage::uninitialised(image.width, image.height);
    cv::Mat dst(out.height, out.width, CV_32F, out.data.data());
    cv::resize(small, dst, dst.size(), 0, 0, cv::INTER_LINEAR);
    return out;
}

double estimateNoiseSigma(const FloatImage& image)
{
    if (image.width < 3 || image.height < 3)
        return 0.0;
    // Kernel [1 -2 1; -2 4 -2; 1 -2 1] has zero response to planes and quadratics; for white noise of
    // variance s^2 its output has variance 36 s^2. Use the median absolute value (robust to edges and
    // atom columns) on a subsample of rows for speed.
    std::vector<float> responses;
    const int rowStep = std::max(1, image.height / 512);
    const int colStep = std::max(1, image.width / 512);
    for (int y = 1; y + 1 < image.height; y += rowStep) {
        for (int x = 1; x + 1 < image.width; x += colStep) {
            const double r = image.at(x - 1, y - 1) - 2 * image.at(x, y - 1) + image.at(x + 1, y - 1)
                - 2 * image.at(x - 1, y) + 4 * image.at(x, y) - 2 * image.at(x + 1, y) + image.at(x - 1, y + 1)
                - 2 * image.at(x, y + 1) + image.at(x + 1, y + 1);
            responses.push_back(float(std::abs(r)));
        }
    }
    std::nth_element(responses.begin(), responses.begin() + responses.size() / 2, responses.end());
    const double mad = responses[responses.size() / 2];
    // For a normal variable with std 6 s, the median of |.| is 0.6745 * 6 s.
    return mad / (0.6745 * 6.0);
}

} // namespace motifscope
