#pragma once
/** One patch through the Zernike basis and back: its moments, invariants and reconstruction. */

#include "core/features/zernike_basis.h"

#include <vector>

namespace motifscope {

/** How the reconstruction weights the basis functions. */
enum class ReconstructionMethod
{
    /** The moments themselves (what the features hold). The square grid couples different m by a
     *  few per cent, so even a pure sum of basis functions comes back with ~5-10 % rms error. */
    Projection,
    /** Least-squares coefficients (Gram matrix solved): the best picture the basis can draw, exact
     *  for any combination of its functions. */
    LeastSquares,
};

/** What a patch looks like to the features: moments, invariant magnitudes, reconstruction. */
struct ZernikeReconstruction
{
    std::vector<float> moments;               ///< basis.count() real moments, as computeFeatures finds them
    std::vector<float> invariants;            ///< |A_nm| of `moments` for m >= 0 (36 for n_max 10)
    std::vector<ZernikeIndex> invariantIndex; ///< (n, m) of each invariant
    std::vector<float> coefficients;          ///< weights of the basis functions in `reconstruction`
    std::vector<float> reconstruction;        ///< size x size, row-major; 0 outside the disk
    double rmsError = 0.0;    ///< root-mean-square patch - reconstruction over the disk pixels
    double rmsPatch = 0.0;    ///< root-mean-square of the patch over the disk pixels
    double relativeError() const { return rmsPatch > 0.0 ? rmsError / rmsPatch : 0.0; }
};

/**
 * Projects `patch` (basis.patchSize()^2 values, row-major) on the basis exactly as computeFeatures
 * does (moments = disk pixels^T * basis matrix), then rebuilds it with `method` (the moments
 * themselves, or least-squares coefficients from them). Throws std::invalid_argument when the
 * patch has the wrong number of values.
 */
ZernikeReconstruction reconstructPatch(const ZernikeBasis& basis, const std::vector<float>& patch,
                                       ReconstructionMethod method = ReconstructionMethod::LeastSquares);

} // namespace motifscope
