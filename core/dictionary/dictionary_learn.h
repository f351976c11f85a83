#pragma once
/**
 * `motifscope-cli learn`: a motif dictionary from one or several frames. Every frame is detected
 * on its own; several frames are then laid into one mosaic (at the first frame's pixel size) so the
 * one learning stage, learnColumnMotifs, learns all their columns together and the motif ids hold
 * across them. The class model is fitted to the learned columns (fitClassModel) and the first
 * frame's hierarchy fixes the route and the names every classified frame uses.
 */

#include "core/dictionary/motif_dictionary.h"
#include "core/pipeline/full_analysis.h"

#include <string>
#include <vector>

namespace motifscope {

class Progress;

struct DictionaryLearnParams
{
    FullAnalysisParams analysis; ///< detection, features, learning, hierarchy settings as `analyze` takes them
    double noveltyQuantile = 0.99;
    double noveltyMargin = 2.0;
};

/** One learning frame and where it came from. */
struct LearnFrame
{
    const Micrograph* image = nullptr;
    std::string source; ///< "file" or "file#index" for a frame of a stack
};

/** What learning found besides the dictionary (for messages and tests). */
struct DictionaryLearnReport
{
    std::size_t columns = 0;        ///< detected over all frames
    std::size_t learnedColumns = 0; ///< columns whose patch lay wholly inside their frame
    std::vector<int> firstFrameMotif; ///< the first frame's columns' motif ids (-1 = none)
    AtomColumns firstFrameColumns;
};

/**
 * Learns a dictionary from `frames` (at least one). Throws std::runtime_error when a frame cannot be
 * analysed or too few columns are learnable, OperationCancelled when `progress` is cancelled.
 */
MotifDictionary learnMotifDictionary(const std::vector<LearnFrame>& frames, const DictionaryLearnParams& params,
                                     Progress* progress = nullptr, DictionaryLearnReport* report = nullptr);

/** A motif as the user left it (renamed, recoloured, merged): what the dictionary keeps of it besides its model. */
struct LabelledMotif
{
    std::string name;
    std::string colour;         ///< "#rrggbb"
    std::vector<float> average; ///< patchSize^2, row-major (may be empty)
};

/**
 * One image whose columns already carry motifs (the window's document after learning and the
 * user's edits): motif[i] indexes `motifs` (the motif's id), -1 = none.
 */
struct LabelledImage
{
    const FloatImage* image = nullptr; ///< finite pixels (withFiniteValues)
    Calibration calibration;
    AtomColumns columns;
    std::vector<int> motif;
    std::vector<LabelledMotif> motifs;
    int patchSize = 0; ///< the patch the motifs were learned with (0 = featurePatchSize's rule)
    std::string source;
};

/**
 * The dictionary `learn` would write for this image and its columns, with the motifs as labelled:
 * features at the image's patch size, the class model fitted to the columns whose patch lies wholly
 * inside the image, the hierarchy's route and names from these columns (params.analysis.hierarchy,
 * .route), the given names and colours. Throws std::runtime_error without labelled columns.
 */
MotifDictionary dictionaryFromLabels(const LabelledImage& labelled, const DictionaryLearnParams& params,
                                     Progress* progress = nullptr);

} // namespace motifscope
