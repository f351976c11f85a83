#pragma once
/** Rotation-invariant Zernike features of every atom column's neighbourhood. */

#include "core/detect/atom_column.h"
#include "core/features/zernike_basis.h"
#include "core/image/float_image.h"

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <vector>

namespace motifscope {

class Progress;

enum class FeatureNormalization
{
    None,     ///< raw magnitudes
    UnitNorm, ///< each column's feature vector scaled to unit length (contrast independent)
};

struct FeatureParams
{
    int nMax = 10;
    int patchSize = 0; ///< 0 = automaticPatchSize(period)
    FeatureNormalization normalization = FeatureNormalization::None;
};

/** Features of N columns. Row i belongs to column i. */
struct FeatureSet
{
    std::shared_ptr<const ZernikeBasis> basis;
    Eigen::MatrixXf moments;      ///< N x basis->count(): real Zernike moments of each patch
    Eigen::MatrixXf invariants;   ///< N x d: |A_nm| for m >= 0 (36 for n_max 10), optionally normalised
    std::vector<ZernikeIndex> invariantIndex; ///< (n, m) of each invariant
    std::vector<float> orientation;           ///< radians: phase of the dominant m > 0, divided by m
    std::vector<int> orientationOrder;        ///< the m that gave the orientation (its rotational symmetry)
    std::vector<std::uint8_t> inside;         ///< 1 when the patch lies wholly inside the image
};

/** (n, m) of the rotation-invariant magnitudes, m >= 0, in basis order. */
std::vector<ZernikeIndex> invariantIndices(int nMax);

/**
 * Computes features for `columns` on `image`. Patches are sampled straight into blocks of a
 * (columns x disk pixels) matrix in parallel and multiplied by the basis (one GEMM per block).
 * Throws OperationCancelled when cancelled.
 */
FeatureSet computeFeatures(const FloatImage& image, const AtomColumns& columns, int patchSize,
                           const FeatureParams& params, Progress* progress = nullptr);

/** Invariant magnitudes of one moment vector (length basis.count()) into `out` (length invariants). */
void invariantsFromMoments(const ZernikeBasis& basis, const float* moments, float* out);

} // namespace motifscope
