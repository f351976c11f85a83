#pragma once
/**
 * 2-D classification of the columns' patches, as single-particle imaging refines its classes:
 * expectation-maximisation over K class references x in-plane rotations x mirror, Gaussian noise.
 * Works on the patches' Zernike moments, where a rotation is a phase shift per azimuthal order, so
 * every column's match with every rotated reference is a short Fourier series (matrix products).
 * Details: docs/learning.md, "2-D classification".
 */

#include "core/features/zernike_basis.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace motifscope {

class Progress;

struct Classification2DParams
{
    int angles = 24;           ///< in-plane rotations sampled over the full turn (the best then refined)
    bool mirror = true;        ///< also match each column's mirror image
    int alignIterations = 2;   ///< first EM iterations with the classes held (references and angles only)
    int iterations = 4;        ///< further EM iterations with free classes
    int maxFitColumns = 4000;  ///< the references are fitted on at most this many columns (an even stride)
    /// Two classes whose columns spread along their log posterior odds with no valley deeper than
    /// this share of the lower density peak, by two standard errors, are one (oddsValley); 0 = never merge.
    double continuumValley = 0.5;
    int mergeIterations = 2;   ///< EM iterations after each such merge
};

struct Classification2D
{
    int classes = 0;
    std::vector<int> labels;         ///< per row: the class of highest posterior
    std::vector<float> posterior;    ///< per row: that class's posterior probability
    std::vector<float> angle;        ///< per row: radians; sampleRotatedPatch by it (after the mirror) brings the column onto its class
    std::vector<std::uint8_t> mirrored; ///< per row: 1 when the column matches its class mirrored (v -> -v)
    Eigen::MatrixXf references;      ///< classes x moments: each class's reference in Zernike moments
    std::vector<double> share;       ///< per class: prior probability
    double noiseVariance = 0.0;      ///< per real moment, of the last iteration (harmonic mean over the moments)
    int changed = 0;                 ///< rows whose class differs from the start
};

/**
 * EM on the rows of `moments` (N x basis.count(), the real Zernike moments of each patch) starting
 * from the classes `labels` (0..K-1; rows with -1 are classified but do not shape the references).
 * Model: moments_i = R(angle_i) M(mirror_i) reference_k + Gaussian noise with a variance per
 * (n, m) (a noise spectrum: what the references leave unexplained), uniform prior over angles and
 * mirror, class shares estimated. The first references are the
 * classes' means registered by the phase of their strongest rotational order. Deterministic on
 * any number of threads (fixed blocks summed in order). Throws std::invalid_argument on
 * inconsistent sizes and OperationCancelled when cancelled.
 */
Classification2D classify2d(const ZernikeBasis& basis, const Eigen::MatrixXf& moments, const std::vector<int>& labels,
                            const Classification2DParams& params = {}, Progress* progress = nullptr);

} // namespace motifscope
