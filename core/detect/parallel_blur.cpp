#include "core/detect/parallel_blur.h"

#include <opencv2/imgproc.hpp>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

namespace motifscope {

namespace {
constexpr int kMinStripRows = 64;         ///< below this a strip's overhead outweighs the split
constexpr long long kMinParallelPixels = 1 << 18; ///< smaller images blur on one thread
} // namespace

void parallelGaussianBlur(const cv::Mat& src, cv::Mat& dst, double sigma, int radius)
{
    const cv::Size kernel(2 * radius + 1, 2 * radius + 1);
    if ((long long)src.rows * src.cols < kMinParallelPixels || src.rows < 2 * kMinStripRows) {
        cv::GaussianBlur(src, dst, kernel, sigma, sigma, cv::BORDER_REFLECT);
        return;
    }
    cv::Mat input = src;
    if (dst.data == src.data)
        input = src.clone(); // strips read rows that other strips write
    dst.create(src.size(), src.type());
    const int strips = std::max(1, src.rows / kMinStripRows);
    tbb::parallel_for(tbb::blocked_range<int>(0, strips, 1), [&](const tbb::blocked_range<int>& range) {
        for (int s = range.begin(); s != range.end(); ++s) {
            const int top = int((long long)src.rows * s / strips), bottom = int((long long)src.rows * (s + 1) / strips);
            cv::Mat out = dst.rowRange(top, bottom);
            cv::GaussianBlur(input.rowRange(top, bottom), out, kernel, sigma, sigma, cv::BORDER_REFLECT);
        }
    });
}

} // namespace motifscope
