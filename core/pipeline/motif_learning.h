#pragma once
/**
 * The one motif-learning stage: columns + image -> Zernike features -> map -> classes -> motifs.
 * `motifscope-cli analyze` (runFullAnalysis), the window's Learn (LearnJob) and the benchmark all
 * call learnColumnMotifs, so the same columns, settings and seed give the same motifs everywhere.
 */

#include "core/detect/atom_column.h"
#include "core/features/zernike_features.h"
#include "core/image/float_image.h"
#include "core/learn/classification2d.h"
#include "core/learn/learner.h"
#include "core/learn/motifs.h"

#include <functional>
#include <vector>

namespace motifscope {

class Progress;

/**
 * The patch for features and motif averages: `requested` when > 0, else about two column
 * spacings, automaticPatchSize(median nearest-neighbour distance of the columns); always odd.
 * The one patch-size rule: it needs only the columns, so hand-edited or imported columns get the
 * same patch as detected ones.
 */
int featurePatchSize(int requested, const AtomColumns& columns);
/** The same rule from the columns' median nearest-neighbour distance `spacing` (pixels), when known. */
int featurePatchSize(int requested, double spacing);

struct MotifLearningParams
{
    FeatureParams features; ///< features.patchSize 0 = featurePatchSize's rule
    LearnParams learn;
    /// Columns whose patch leaves the image get the motif of the learned neighbours their visible
    /// part matches best (assignBorderMotifs), with a lower confidence; false: they stay -1.
    bool classifyBorderColumns = true;
    /// With an automatic class count: motifs whose registered averages differ by less than this
    /// share of their contrast are merged (mergeLookalikeMotifs); 0 = never.
    double lookalikeDifference = 0.15;
    /// With an automatic class count: columns beside a dim (defect) column become a motif of their
    /// own (splitBesideDimColumns).
    bool besideDimColumns = true;
    /// After the map's classes: the 2-D classification (classify2d: EM over classes x in-plane
    /// rotations x mirror) refines the learned columns' motifs, gives each its class posterior as
    /// confidence and its angle, and the motif averages are registered by those poses.
    bool refineClasses = true;
    Classification2DParams classification;
};

/** Where each phase reports; the same Progress may serve all three (core stages restart at 0). */
struct MotifLearningProgress
{
    Progress* features = nullptr;
    Progress* learning = nullptr;
    Progress* averages = nullptr;

    static MotifLearningProgress all(Progress* p) { return {p, p, p}; }
};

/** The layout in progress with provisional labels; learnedRows[r] is the column of embedding row r. */
using MotifLearningSnapshot = std::function<void(const std::vector<int>& learnedRows, const Eigen::MatrixX2f& embedding,
                                                 const std::vector<int>& labels, int epoch)>;

struct MotifLearning
{
    int patchSize = 0;
    FeatureSet features;          ///< of every column (features.inside: patch wholly in the image)
    std::vector<int> learnedRows; ///< the column index of each row of learned.embedding
    LearnResult learned;
    std::vector<int> motif;        ///< per column: motif id, -1 = none (border columns when not classified)
    std::vector<float> confidence; ///< per column, [0, 1]; 0 where no motif
    std::vector<Motif> motifs;     ///< averages of the learned columns, counts and shares of all
    /// Per column, how its patch lies on its motif's average (refineClasses: the 2-D classification's
    /// angle and mirror for the learned columns; else the Zernike orientation); weight = posterior.
    PatchRegistration registration;
    std::vector<std::uint8_t> refined; ///< per column: 1 when the 2-D classification gave its motif and pose
    std::vector<int> mapLabels;        ///< per learned row: the map's class before the 2-D classification (empty without it)
    int refinedChanged = 0;            ///< learned columns whose motif the 2-D classification changed
    std::size_t borderAssigned = 0; ///< border columns given a motif from their visible part
    int lookalikesMerged = 0;       ///< merges of look-alike motifs after the clustering
    int besideDimMotifs = 0;        ///< motifs added for columns beside a dim column
    double featureSeconds = 0.0;
    double averageSeconds = 0.0;
    double refineSeconds = 0.0; ///< of the 2-D classification (within averageSeconds)
};

/**
 * Features of every column, then learnMotifs on the columns whose patch lies wholly inside the
 * image (a cut patch looks like a motif of its own), then the registered motif averages of those,
 * look-alike motifs merged (automatic class count only), then (refineClasses) the 2-D
 * classification of the learned columns and their averages registered by its poses, then
 * (classifyBorderColumns) the border columns' motifs, counted in the motifs' counts.
 * Deterministic for a seed on any number of threads. Throws std::runtime_error when too few
 * columns lie inside the image and OperationCancelled when a phase's Progress is cancelled.
 */
MotifLearning learnColumnMotifs(const FloatImage& raw, const AtomColumns& columns, const MotifLearningParams& params,
                                const MotifLearningProgress& progress = {},
                                const MotifLearningSnapshot& onSnapshot = {});

} // namespace motifscope
