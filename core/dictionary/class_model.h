#pragma once
/**
 * The dictionary's class model: one Gaussian per motif in shape-feature space (shapeFeatures of
 * the Zernike magnitudes). Fitted from learned columns (fitClassModel), then every column of a new
 * frame is assigned to the most likely motif (ClassModel::classify), or flagged as fitting none
 * ("new structure?") when its Mahalanobis distance exceeds every motif's novelty distance.
 */

#include "core/dictionary/motif_dictionary.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace motifscope {

/**
 * Fills each motif's mean, covariance and novelty distance, and the map projection, from the
 * feature rows of the learned columns (`rows` with labels[row] = index into `motifs`, >= 0).
 * Covariances are shrunk towards their mean variance (more for small motifs) and given a small
 * ridge, so they are positive definite with any count. The map projection is the two leading
 * discriminant directions (between-motif against within-motif scatter), or the two leading
 * principal directions with a single motif.
 */
void fitClassModel(const Eigen::MatrixXf& invariants, const std::vector<int>& rows, const std::vector<int>& labels,
                   MotifDictionary& dictionary);

/** Per column of a frame: what the dictionary makes of it. */
struct ColumnClasses
{
    std::vector<int> motif;            ///< dictionary id, -1 = fits no motif (novel) or not classified
    std::vector<int> nearest;          ///< the most likely motif's id even when novel (-1 not classified)
    std::vector<float> confidence;     ///< posterior of the chosen motif (equal priors); 0 when novel
    std::vector<std::uint8_t> novel;   ///< 1 = "new structure?": beyond every motif's novelty distance
    Eigen::MatrixX2f map;              ///< every column's point on the dictionary's 2-D map
};

/** The dictionary's motifs ready to classify (Cholesky factors, log-determinants). */
class ClassModel
{
public:
    explicit ClassModel(const MotifDictionary& dictionary);

    /**
     * Classifies the columns with classify[i] != 0 (others get motif and nearest -1); parallel over
     * blocks of columns, deterministic. `invariants` is N x featureCount.
     */
    ColumnClasses classify(const Eigen::MatrixXf& invariants, const std::vector<std::uint8_t>& classify) const;

private:
    struct Class
    {
        int id = 0;
        Eigen::VectorXf mean;
        Eigen::MatrixXf whiten; ///< L^-1, covariance = L L^T
        float logDet = 0.0f;
        float novelty2 = 0.0f;
    };
    std::vector<Class> mClasses;
    Eigen::MatrixXf mProjection; ///< 2 x features
    int mFeatures = 0;
};

} // namespace motifscope
