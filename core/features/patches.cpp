#include "core/features/patches.h"

#include <algorithm>
#include <cmath>

namespace motifscope {

namespace {

inline float bilinear(const FloatImage& image, double x, double y)
{
    x = std::clamp(x, 0.0, double(image.width - 1));
    y = std::clamp(y, 0.0, double(image.height - 1));
    const int x0 = std::min(int(x), image.width - 2 < 0 ? 0 : image.width - 2);
    const int y0 = std::min(int(y), image.height - 2 < 0 ? 0 : image.height - 2);
    const int x1 = std::min(x0 + 1, image.width - 1);
    const int y1 = std::min(y0 + 1, image.height - 1);
    const float fx = float(x - x0), fy = float(y - y0);
    const float top = image.at(x0, y0) + fx * (image.at(x1, y0) - image.at(x0, y0));
    const float bottom = image.at(x0, y1) + fx * (image.at(x1, y1) - image.at(x0, y1));
    return top + fy * (bottom - top);
}

} // namespace

int automaticPatchSize(double period)
{
    const int half = std::max(3, int(std::lround(period)));
    return 2 * half + 1;
}

std::vector<int> patchDiskPixels(int size)
{
    const double half = (size - 1) / 2.0;
    std::vector<int> disk;
    for (int v = 0; v < size; ++v)
        for (int u = 0; u < size; ++u)
            if ((u - half) * (u - half) + (v - half) * (v - half) <= half * half)
                disk.push_back(v * size + u);
    return disk;
}

bool patchInside(const FloatImage& image, double x, double y, int size)
{
    const double half = (size - 1) / 2.0;
    return x - half >= 0.0 && y - half >= 0.0 && x + half <= image.width - 1 && y + half <= image.height - 1;
}

void samplePatch(const FloatImage& image, double x, double y, int size, float* out)
{
    const double half = (size - 1) / 2.0;
    for (int j = 0; j < size; ++j)
        for (int i = 0; i < size; ++i)
            out[j * size + i] = bilinear(image, x - half + i, y - half + j);
}

void samplePatchPixels(const FloatImage& image, double x, double y, int size, const int* pixels, int count,
                       float* out)
{
    const double half = (size - 1) / 2.0;
    const double ox = x - half, oy = y - half;
    if (patchInside(image, x, y, size) && image.width >= 2 && image.height >= 2) {
        // Fast path: the sub-pixel offset is the same for every pixel of the patch.
        const int bx = int(std::floor(ox)), by = int(std::floor(oy));
        const float fx = float(ox - bx), fy = float(oy - by);
        for (int k = 0; k < count; ++k) {
            const int i = pixels[k] % size, j = pixels[k] / size;
            const int px = std::min(bx + i, image.width - 2), py = std::min(by + j, image.height - 2);
            const float gx = fx + float(bx + i - px), gy = fy + float(by + j - py);
            const float* r0 = &image.data[std::size_t(py) * image.width + px];
            const float* r1 = r0 + image.width;
            const float top = r0[0] + gx * (r0[1] - r0[0]);
            const float bottom = r1[0] + gx * (r1[1] - r1[0]);
            out[k] = top + gy * (bottom - top);
        }
        return;
    }
    for (int k = 0; k < count; ++k)
        out[k] = bilinear(image, ox + pixels[k] % size, oy + pixels[k] / size);
}

void sampleRotatedPatch(const FloatImage& image, double x, double y, int size, double angle, float* out,
                        bool mirrored)
{
    const double flip = mirrored ? -1.0 : 1.0;
    const double half = (size - 1) / 2.0;
    const double c = std::cos(angle), s = std::sin(angle);
    // Every sample within a radius half * sqrt(2) (+ a margin for rounding) of the centre: where
    // that disk lies inside [0, width - 1) x [0, height - 1), bilinear's clamps change nothing and
    // the interpolation is taken directly (the same arithmetic, so the same values).
    const double reach = half * 1.4142135623730951 + 1e-6;
    if (x - reach >= 0.0 && y - reach >= 0.0 && x + reach < image.width - 1 && y + reach < image.height - 1) {
        for (int j = 0; j < size; ++j) {
            const double v = half - j;
            for (int i = 0; i < size; ++i) {
                const double u = i - half;
                const double sx = x + (c * u - s * v), sy = y - flip * (s * u + c * v);
                const int x0 = int(sx), y0 = int(sy);
                const float fx = float(sx - x0), fy = float(sy - y0);
                const float* r0 = &image.data[std::size_t(y0) * image.width + x0];
                const float* r1 = r0 + image.width;
                const float top = r0[0] + fx * (r0[1] - r0[0]);
                const float bottom = r1[0] + fx * (r1[1] - r1[0]);
                out[j * size + i] = top + fy * (bottom - top);
            }
        }
        return;
    }
    for (int j = 0; j < size; ++j) {
        for (int i = 0; i < size; ++i) {
            // Patch offset (u right, v up) rotated by +angle (then reflected) gives the image offset to sample.
            const double u = i - half, v = half - j;
            const double ru = c * u - s * v, rv = s * u + c * v;
            out[j * size + i] = bilinear(image, x + ru, y - flip * rv);
        }
    }
}

} // namespace motifscope
