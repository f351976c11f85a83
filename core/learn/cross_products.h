#pragma once
/**
 * Blocks of dot products between feature rows, the inner work of the kNN search. Each product is
 * summed over the features in order (0 + a0 b0 + a1 b1 + ...), one rounding per multiply and per
 * add: the same bits on any CPU (Eigen's matrix product, used before, summed some remainder rows in
 * another order). Where the CPU has AVX2 the products are taken 8 candidates at a time, else 4.
 */

#include <cstddef>
#include <vector>

namespace motifscope {

/**
 * Candidate rows for crossProducts, in panels of kPanel candidates stored feature by feature (so
 * the kernel reads each panel front to back); zero beyond `count`.
 */
struct CandidateBlock
{
    static constexpr int kPanel = 16;
    int count = 0;   ///< candidates
    int stride = 0;  ///< count rounded up to a multiple of kPanel
    int d = 0;       ///< features per row
    /// byFeature[(j / kPanel) * d * kPanel + k * kPanel + j % kPanel] = feature k of candidate j
    std::vector<float> byFeature;

    /** Packs `count` rows of `d` floats; row j starts at rows[j] (each d consecutive floats). */
    void pack(const float* const* rows, int count, int d);
};

/**
 * out[i * block.stride + j] = sum_k queries[i * d + k] * candidate j's feature k, for `rows`
 * queries of block.d features each (row-major); out holds rows x block.stride floats.
 */
void crossProducts(const float* queries, int rows, const CandidateBlock& block, float* out);

/** crossProducts with the AVX2 kernel allowed or not (tests compare the two). */
void crossProductsWith(bool avx2, const float* queries, int rows, const CandidateBlock& block, float* out);

} // namespace motifscope
