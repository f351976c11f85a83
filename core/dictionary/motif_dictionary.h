#pragma once
/**
 * A motif dictionary: what `motifscope-cli learn` writes and `classify` / `watch` read, so that
 * motif ids mean the same in every frame of a series. One versioned JSON file (docs/motif-dictionary.md):
 * the feature settings, the patch size in pixels and in calibrated units, one Gaussian class model
 * per motif in the shape-normalised Zernike feature space, the motifs' ids, names, colours and
 * averages, a 2-D map projection for motif continuity, and the hierarchy's route and names.
 */

#include "core/features/zernike_features.h"

#include <Eigen/Core>

#include <string>
#include <vector>

namespace motifscope {

inline constexpr const char* kDictionaryFormat = "motifscope-motif-dictionary";
inline constexpr int kDictionaryVersion = 1;

/** One motif of the dictionary: how it looks and its class model. */
struct DictionaryMotif
{
    int id = 0;                 ///< the motif id every classified frame uses
    std::string name;           ///< readable name ("motif 0" until renamed)
    std::string colour;         ///< "#rrggbb"
    long long count = 0;        ///< columns of this motif in the learning images
    double fraction = 0.0;      ///< their share of the labelled columns
    std::vector<float> average; ///< patchSize^2, row-major, rotation-registered mean patch
    Eigen::VectorXd mean;       ///< class mean in shape-feature space (length = features)
    Eigen::MatrixXd covariance; ///< class covariance, shrunk and regularised (positive definite)
    /// Squared Mahalanobis distance beyond which a column does not fit this motif: the learning
    /// columns' own distances' `noveltyQuantile` quantile times `noveltyMargin`.
    double noveltyDistance2 = 0.0;
};

/** A level-n motif of the learning images' hierarchy: its canonical form and the name it goes by. */
struct DictionaryHierarchyName
{
    int level = 1;
    std::string canonical;
    std::string name;
};

struct MotifDictionary
{
    // Feature settings.
    int nMax = 10;
    FeatureNormalization normalization = FeatureNormalization::None;
    int patchSize = 0;          ///< pixels at the dictionary's pixel size (odd)
    double pixelSize = 1.0;     ///< of the learning images, in `unit` (1 and "" = uncalibrated)
    std::string unit;           ///< "" = uncalibrated: frames are then taken at the same pixel size
    double columnSpacing = 0.0; ///< median nearest-neighbour column distance of the learning images, pixels

    // Class model.
    std::vector<DictionaryMotif> motifs; ///< ascending id
    double noveltyQuantile = 0.99;
    double noveltyMargin = 2.0;
    Eigen::MatrixXd mapProjection; ///< 2 x features: shape features -> 2-D map (discriminant directions)

    // Hierarchy.
    std::string route = "auto";                   ///< "auto", "polygons" or "cells": the route every frame takes
    std::vector<DictionaryHierarchyName> hierarchyNames;

    std::vector<std::string> sources; ///< the learning images (provenance)

    int featureCount() const { return int(mapProjection.cols()); }
    /** Patch width in calibrated units (patchSize x pixelSize). */
    double patchSizeCalibrated() const { return patchSize * pixelSize; }
};

/** Writes the dictionary atomically; IoError naming the file when it cannot. */
void writeMotifDictionary(const MotifDictionary& dictionary, const std::string& path);

/** Reads and validates a dictionary; IoError naming the file and the problem. */
MotifDictionary readMotifDictionary(const std::string& path);

/**
 * The shape of a column's feature vector: minus its mean, scaled to unit length (the correlation
 * geometry the learning's kNN uses), so brightness and dose changes between frames do not move a
 * column between motifs. A constant vector becomes all zeros.
 */
void shapeFeatures(const float* features, int count, double* out);

} // namespace motifscope
