#include "core/learn/cross_products.h"

#include "core/util/cpu_features.h"

#include <algorithm>
#include <cstring>

// Built with -ffp-contract=off (core/CMakeLists.txt): a multiply and an add are never fused, so
// both kernels round exactly as the scalar sum does.

namespace motifscope {

namespace {

// Everything below is inlined into each kernel, so that the AVX2 kernel's copy is compiled for AVX2.
template <typename V>
[[gnu::always_inline]] inline V loadVector(const float* p)
{
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
}

template <typename V>
[[gnu::always_inline]] inline void storeVector(float* p, V v)
{
    std::memcpy(p, &v, sizeof(V));
}

/**
 * R query rows against 2 vectors of candidates at a time, the R x 2 sums in registers. V is a
 * GCC vector of W floats; a scalar times a vector broadcasts the scalar.
 */
template <typename V, int W, int R>
[[gnu::always_inline]] inline void rowsKernel(const float* q, const CandidateBlock& b, float* out)
{
    static_assert(2 * W <= CandidateBlock::kPanel && CandidateBlock::kPanel % (2 * W) == 0);
    const int d = b.d, stride = b.stride;
    for (int j = 0; j < stride; j += 2 * W) {
        V acc[R][2] = {};
        // The panel's features, kPanel candidates each, lie one after another.
        const float* col = b.byFeature.data() + std::size_t(j / CandidateBlock::kPanel) * d * CandidateBlock::kPanel +
                           j % CandidateBlock::kPanel;
        for (int k = 0; k < d; ++k, col += CandidateBlock::kPanel) {
            const V b0 = loadVector<V>(col);
            const V b1 = loadVector<V>(col + W);
#pragma GCC unroll 4
            for (int r = 0; r < R; ++r) {
                const float a = q[std::size_t(r) * d + k];
                acc[r][0] = acc[r][0] + a * b0;
                acc[r][1] = acc[r][1] + a * b1;
            }
        }
#pragma GCC unroll 4
        for (int r = 0; r < R; ++r) {
            storeVector(out + std::size_t(r) * stride + j, acc[r][0]);
            storeVector(out + std::size_t(r) * stride + j + W, acc[r][1]);
        }
    }
}

template <typename V, int W>
[[gnu::always_inline]] inline void allRows(const float* queries, int rows, const CandidateBlock& b, float* out)
{
    constexpr int kRows = 4;
    int i = 0;
    for (; i + kRows <= rows; i += kRows)
        rowsKernel<V, W, kRows>(queries + std::size_t(i) * b.d, b, out + std::size_t(i) * b.stride);
    for (; i < rows; ++i)
        rowsKernel<V, W, 1>(queries + std::size_t(i) * b.d, b, out + std::size_t(i) * b.stride);
}

typedef float Float4 __attribute__((vector_size(16)));
typedef float Float8 __attribute__((vector_size(32)));

void portableKernel(const float* queries, int rows, const CandidateBlock& b, float* out)
{
    allRows<Float4, 4>(queries, rows, b, out);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define MOTIFSCOPE_HAVE_AVX2_KERNEL 1
__attribute__((target("avx2"))) void avx2Kernel(const float* queries, int rows, const CandidateBlock& b, float* out)
{
    allRows<Float8, 8>(queries, rows, b, out);
}
#endif

} // namespace

void CandidateBlock::pack(const float* const* rows, int n, int features)
{
    count = n;
    d = features;
    stride = (n + kPanel - 1) / kPanel * kPanel;
    byFeature.assign(std::size_t(stride) * std::size_t(d), 0.0f);
    for (int j0 = 0; j0 < n; j0 += kPanel) {
        float* panel = byFeature.data() + std::size_t(j0) * d;
        for (int jj = 0; jj < kPanel && j0 + jj < n; ++jj)
            for (int k = 0; k < d; ++k)
                panel[std::size_t(k) * kPanel + jj] = rows[j0 + jj][k];
    }
}

void crossProductsWith(bool avx2, const float* queries, int rows, const CandidateBlock& block, float* out)
{
#ifdef MOTIFSCOPE_HAVE_AVX2_KERNEL
    if (avx2 && cpuHasAvx2())
        return avx2Kernel(queries, rows, block, out);
#endif
    (void)avx2;
    portableKernel(queries, rows, block, out);
}

void crossProducts(const float* queries, int rows, const CandidateBlock& block, float* out)
{
    crossProductsWith(true, queries, rows, block, out);
}

} // namespace motifscope
