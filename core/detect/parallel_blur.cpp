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
    const int strips = std::max(1, src.rows / kMinStripRows);
    auto rowsOf = [&](int s) {
        return cv::Range(int((long long)src.rows * s / strips), int((long long)src.rows * (s + 1) / strips));
    };
    cv::Mat input;
    if (dst.data == src.data) { // strips read rows that other strips write: blur a copy (made in parallel)
        input.create(src.size(), src.type());
        tbb::parallel_for(0, strips, [&](int s) {
            cv::Mat rows = input.rowRange(rowsOf(s));
            src.rowRange(rowsOf(s)).copyTo(rows);
        });
    } else {
        input = src;
    }
    dst.create(src.size(), src.type());
    tbb::parallel_for(tbb::blocked_range<int>(0, strips, 1), [&](const tbb::blocked_range<int>& range) {
        for (int s = range.begin(); s != range.end(); ++s) {
            cv::Mat out = dst.rowRange(rowsOf(s));
            cv::GaussianBlur(input.rowRange(rowsOf(s)), out, kernel, sigma, sigma, cv::BORDER_REFLECT);
        }
    });
}

} // namespace motifscope
