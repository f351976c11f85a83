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

} // namespace motifscope
