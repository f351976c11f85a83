#include "core/detect/lattice_period.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace motifscope {

namespace {

/** round(sqrt(s)) for s >= 0 (exactly: no half-integer radius has an integer square). */
inline int nearestRadius(int s)
{
    const int q = int(std::sqrt(double(s))); // exact floor: s < 2^53
    return s > q * q + q ? q + 1 : q;         // (q + 1/2)^2 = q^2 + q + 1/4
}

/**
 * |Y(v, u)|^2 of a real n x n transform (n even) held in OpenCV's packed layout (CCS): the
 * non-redundant half, Y(n - v, n - u) = conj Y(v, u) for the rest.
 */
inline double packedPower(const cv::Mat& packed, int v, int u)
{
    const int n = packed.rows, half = n / 2;
    float re = 0.0f, im = 0.0f;
    if (u == 0 || u == half) {
        // Columns 0 and n/2 of the transform are real sequences' transforms, packed down one column.
        const float* column = &packed.at<float>(0, u == 0 ? 0 : n - 1);
        const std::size_t stride = packed.step1();
        const int w = v <= half ? v : n - v;
        if (w == 0)
            re = column[0];
        else if (w == half)
            re = column[std::size_t(n - 1) * stride];
        else
            re = column[std::size_t(2 * w - 1) * stride], im = column[std::size_t(2 * w) * stride];
    } else {
        const int w = u < half ? v : (n - v) % n, k = u < half ? u : n - u;
        const float* row = packed.ptr<float>(w);
        re = row[2 * k - 1], im = row[2 * k];
    }
    return double(re) * re + double(im) * im;
}

} // namespace

std::vector<double> radialPowerProfile(const FloatImage& image, int n)
{
    const int x0 = (image.width - n) / 2;
    const int y0 = (image.height - n) / 2;
    cv::Mat crop(n, n, CV_32F);
    double mean = 0.0;
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            mean += image.at(x0 + x, y0 + y);
    mean /= double(n) * n;
    std::vector<double> window(n);
    for (int i = 0; i < n; ++i)
        window[i] = 0.5 - 0.5 * std::cos(2.0 * M_PI * (i + 0.5) / n);
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            crop.at<float>(y, x) = float((image.at(x0 + x, y0 + y) - mean) * window[x] * window[y]);

    // A power-of-two side is transformed in place (packed): the same powers, bit for bit, as the
    // complex output (test_detect powerProfileIsTheComplexTransforms), without its two image-sized
    // buffers. Other sides take the complex output, whose columns 0 and n/2 are rounded differently.
    const bool packed = (n & (n - 1)) == 0;
    cv::Mat spectrum;
    if (packed)
        cv::dft(crop, crop);
    else
        cv::dft(crop, spectrum, cv::DFT_COMPLEX_OUTPUT);
    const int half = n / 2;
    std::vector<double> sum(half + 1, 0.0);
    std::vector<int> count(half + 1, 0);
    for (int v = 0; v < n; ++v) {
        const int fy = v <= half ? v : v - n;
        for (int u = 0; u < n; ++u) {
            const int fx = u <= half ? u : u - n;
            const int r = nearestRadius(fx * fx + fy * fy);
            if (r > half)
                continue;
            if (packed) {
                sum[r] += packedPower(crop, v, u);
            } else {
                const cv::Vec2f c = spectrum.at<cv::Vec2f>(v, u);
                sum[r] += double(c[0]) * c[0] + double(c[1]) * c[1];
            }
            ++count[r];
        }
    }
    for (int r = 0; r <= half; ++r)
        sum[r] = count[r] ? sum[r] / count[r] : 0.0;
    return sum;
}

PeriodEstimate estimateSpectralSpacing(const FloatImage& image)
{
    const int side = std::min(image.width, image.height);
    if (side < 32)
        return {};
    const int n = std::min(1024, side - side % 2);
    const std::vector<double> profile = radialPowerProfile(image, n);
    const int rMax = n / 3;  // spacing >= 3 px
    const int rMin = 4;      // spacing <= n / 4
    if (rMax <= rMin + 2)
        return {};

    // Peak strength: power over the median of a surrounding band in log space.
    std::vector<double> strength(profile.size(), 0.0);
    for (int r = rMin; r <= rMax; ++r) {
        const int lo = std::max(1, int(r * 0.6));
        const int hi = std::min(int(profile.size()) - 1, int(std::ceil(r * 1.6)));
        std::vector<double> band(profile.begin() + lo, profile.begin() + hi + 1);
        std::nth_element(band.begin(), band.begin() + band.size() / 2, band.end());
        const double background = band[band.size() / 2];
        strength[r] = background > 0 ? profile[r] / background : 0.0;
    }
    const double best = *std::max_element(strength.begin() + rMin, strength.begin() + rMax + 1);
    if (best < 2.0)
        return {};
    // The lowest-frequency local maximum within half of the strongest: the first-order reflection.
    int peak = -1;
    for (int r = rMin; r <= rMax; ++r) {
        const bool isMax = strength[r] >= strength[r - 1] && strength[r] >= strength[r + 1];
        if (isMax && strength[r] >= 0.5 * best) {
            peak = r;
            break;
        }
    }
    // Sub-bin peak position from a parabola through the power at r-1, r, r+1.
    const double a = profile[peak - 1], b = profile[peak], c = profile[peak + 1];
    const double denom = a - 2 * b + c;
    const double offset = denom < 0 ? std::clamp(0.5 * (a - c) / denom, -0.5, 0.5) : 0.0;
    return {double(n) / (peak + offset), strength[peak]};
}

} // namespace motifscope
