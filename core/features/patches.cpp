#include "core/features/patches.h"

#include "core/util/cpu_features.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

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

/** A rotated patch's sample grid: pixel (i, j) samples at x + (c u - s v), y - flip (s u + c v). */
struct RotatedGrid
{
    double x, y, c, s, flip, half;
    int size;
};

/**
 * Row j of a patch wholly inside the image, from pixel `first` on: bilinear without clamps (every
 * sample lies in [0, width - 1) x [0, height - 1)).
 */
inline void insideRow(const FloatImage& image, const RotatedGrid& g, int j, int first, float* row)
{
    const double v = g.half - j;
    for (int i = first; i < g.size; ++i) {
        const double u = i - g.half;
        const double sx = g.x + (g.c * u - g.s * v), sy = g.y - g.flip * (g.s * u + g.c * v);
        const int x0 = int(sx), y0 = int(sy);
        const float fx = float(sx - x0), fy = float(sy - y0);
        const float* r0 = &image.data[std::size_t(y0) * image.width + x0];
        const float* r1 = r0 + image.width;
        const float top = r0[0] + fx * (r0[1] - r0[0]);
        const float bottom = r1[0] + fx * (r1[1] - r1[0]);
        row[i] = top + fy * (bottom - top);
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define MOTIFSCOPE_HAVE_AVX2_PATCHES 1

/**
 * insideRow for every row, four pixels at a time: the same operations in the same order on each
 * (multiplies and adds unfused, truncation for int()), so the same values; the image's four
 * neighbours gathered as two pairs. Needs fewer than 2^31 pixels (32-bit offsets).
 */
__attribute__((target("avx2"))) void insideAvx2(const FloatImage& image, const RotatedGrid& g, float* out)
{
    const __m256d c = _mm256_set1_pd(g.c), s = _mm256_set1_pd(g.s), x = _mm256_set1_pd(g.x), y = _mm256_set1_pd(g.y);
    const __m256d flip = _mm256_set1_pd(g.flip), steps = _mm256_set_pd(3.0, 2.0, 1.0, 0.0);
    const __m128i width = _mm_set1_epi32(image.width);
    const __m256i leftsThenRights = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const float* data = image.data.data();
    for (int j = 0; j < g.size; ++j) {
        const __m256d v = _mm256_set1_pd(g.half - j);
        const __m256d sv = _mm256_mul_pd(s, v), cv = _mm256_mul_pd(c, v);
        float* row = out + std::size_t(j) * g.size;
        int i = 0;
        for (; i + 4 <= g.size; i += 4) {
            // u = i - half per lane (exact: small integers and halves)
            const __m256d u = _mm256_sub_pd(_mm256_add_pd(_mm256_set1_pd(double(i)), steps), _mm256_set1_pd(g.half));
            const __m256d sx = _mm256_add_pd(x, _mm256_sub_pd(_mm256_mul_pd(c, u), sv));
            const __m256d sy = _mm256_sub_pd(y, _mm256_mul_pd(flip, _mm256_add_pd(_mm256_mul_pd(s, u), cv)));
            const __m128i x0 = _mm256_cvttpd_epi32(sx), y0 = _mm256_cvttpd_epi32(sy);
            const __m128 fx = _mm256_cvtpd_ps(_mm256_sub_pd(sx, _mm256_cvtepi32_pd(x0)));
            const __m128 fy = _mm256_cvtpd_ps(_mm256_sub_pd(sy, _mm256_cvtepi32_pd(y0)));
            const __m128i at = _mm_add_epi32(_mm_mullo_epi32(y0, width), x0);
            const __m128i below = _mm_add_epi32(at, width);
            // Each lane's two horizontal neighbours are adjacent floats: one 8-byte gather fetches
            // both (half the gathered elements), then the pairs are split into left and right.
            const __m256 upperPairs = _mm256_castpd_ps(_mm256_i32gather_pd(reinterpret_cast<const double*>(data), at, 4));
            const __m256 lowerPairs = _mm256_castpd_ps(_mm256_i32gather_pd(reinterpret_cast<const double*>(data), below, 4));
            const __m256 upper = _mm256_permutevar8x32_ps(upperPairs, leftsThenRights);
            const __m256 lower = _mm256_permutevar8x32_ps(lowerPairs, leftsThenRights);
            const __m128 r00 = _mm256_castps256_ps128(upper), r01 = _mm256_extractf128_ps(upper, 1);
            const __m128 r10 = _mm256_castps256_ps128(lower), r11 = _mm256_extractf128_ps(lower, 1);
            const __m128 top = _mm_add_ps(r00, _mm_mul_ps(fx, _mm_sub_ps(r01, r00)));
            const __m128 bottom = _mm_add_ps(r10, _mm_mul_ps(fx, _mm_sub_ps(r11, r10)));
            _mm_storeu_ps(row + i, _mm_add_ps(top, _mm_mul_ps(fy, _mm_sub_ps(bottom, top))));
        }
        insideRow(image, g, j, i, row);
    }
}
#endif

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

void sampleRotatedPatchWith(bool useAvx2, const FloatImage& image, double x, double y, int size, double angle,
                            float* out, bool mirrored)
{
    const double flip = mirrored ? -1.0 : 1.0;
    const double half = (size - 1) / 2.0;
    const double c = std::cos(angle), s = std::sin(angle);
    // Every sample within a radius half * sqrt(2) (+ a margin for rounding) of the centre: where
    // that disk lies inside [0, width - 1) x [0, height - 1), bilinear's clamps change nothing and
    // the interpolation is taken directly (the same arithmetic, so the same values).
    const double reach = half * 1.4142135623730951 + 1e-6;
    if (x - reach >= 0.0 && y - reach >= 0.0 && x + reach < image.width - 1 && y + reach < image.height - 1) {
        const RotatedGrid grid{x, y, c, s, flip, half, size};
#ifdef MOTIFSCOPE_HAVE_AVX2_PATCHES
        if (useAvx2 && cpuHasAvx2() && image.data.size() < std::size_t(1) << 31)
            return insideAvx2(image, grid, out);
#endif
        (void)useAvx2;
        for (int j = 0; j < size; ++j)
            insideRow(image, grid, j, 0, out + std::size_t(j) * size);
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

void sampleRotatedPatch(const FloatImage& image, double x, double y, int size, double angle, float* out,
                        bool mirrored)
{
    sampleRotatedPatchWith(true, image, x, y, size, angle, out, mirrored);
}

} // namespace motifscope
