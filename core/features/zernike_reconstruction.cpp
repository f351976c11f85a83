#include "core/features/zernike_reconstruction.h"

#include "core/features/zernike_features.h"

#include <Eigen/Cholesky>

#include <cmath>
#include <stdexcept>
#include <string>

namespace motifscope {

ZernikeReconstruction reconstructPatch(const ZernikeBasis& basis, const std::vector<float>& patch,
                                       ReconstructionMethod method)
{
    const std::size_t size = std::size_t(basis.patchSize());
    if (patch.size() != size * size)
        throw std::invalid_argument("zernike reconstruction: patch has " + std::to_string(patch.size()) +
                                    " values, expected " + std::to_string(size * size));
    const std::vector<int>& disk = basis.diskPixels();
    Eigen::VectorXf onDisk(Eigen::Index(disk.size()));
    for (std::size_t p = 0; p < disk.size(); ++p)
        onDisk[Eigen::Index(p)] = patch[std::size_t(disk[p])];

    ZernikeReconstruction r;
    const Eigen::VectorXf moments = basis.matrix().transpose() * onDisk;
    r.moments.assign(moments.data(), moments.data() + moments.size());
    r.invariantIndex = invariantIndices(basis.nMax());
    r.invariants.assign(r.invariantIndex.size(), 0.0f);
    invariantsFromMoments(basis, r.moments.data(), r.invariants.data());
    if (method == ReconstructionMethod::LeastSquares) {
        // Normal equations (M^T M) c = M^T p = moments; M^T M is close to the identity.
        const Eigen::MatrixXd m = basis.matrix().cast<double>();
        const Eigen::MatrixXd gram = m.transpose() * m;
        const Eigen::VectorXd c = gram.ldlt().solve(m.transpose() * onDisk.cast<double>());
        r.coefficients.resize(std::size_t(c.size()));
        for (Eigen::Index j = 0; j < c.size(); ++j)
            r.coefficients[std::size_t(j)] = float(c[j]);
    } else {
        r.coefficients = r.moments;
    }
    r.reconstruction = basis.reconstruct(r.coefficients.data());

    double error2 = 0.0, patch2 = 0.0;
    for (int p : disk) {
        const double v = patch[std::size_t(p)], d = v - r.reconstruction[std::size_t(p)];
        error2 += d * d;
        patch2 += v * v;
    }
    if (!disk.empty()) {
        r.rmsError = std::sqrt(error2 / double(disk.size()));
        r.rmsPatch = std::sqrt(patch2 / double(disk.size()));
    }
    return r;
}

} // namespace motifscope
