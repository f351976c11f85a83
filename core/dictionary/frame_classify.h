#pragma once
/**
 * `classify` on one frame: detect the columns, sample their patches at the dictionary's pixel size,
 * assign each to the dictionary's motifs (class_model), then the hierarchy (the dictionary's route)
 * and the disorder measures, as `analyze` writes them.
 */

#include "core/dictionary/class_model.h"
#include "core/dictionary/motif_dictionary.h"
#include "core/disorder/disorder.h"
#include "core/hierarchy/hierarchy.h"
#include "core/learn/motifs.h"
#include "core/pipeline/analysis.h"
#include "core/pipeline/analysis_output.h"

#include <string>
#include <vector>

namespace motifscope {

class Progress;

struct ClassifyParams
{
    AnalysisParams analysis; ///< detection settings (features come from the dictionary)
    /// With analysis.detection.period 0: detect at the dictionary's column spacing (scaled to the
    /// frame), which skips the period estimate; false: estimate the period from the frame.
    bool spacingFromDictionary = true;
    HierarchyParams hierarchy;
    bool averages = true;    ///< per-frame motif averages in motifs.json (false: the dictionary's)
};

struct FrameClassification
{
    AnalysisResult base;        ///< columns in the frame's pixels; features sampled at the dictionary's pixel size
    ColumnLabels labels;        ///< dictionary ids, -1 = fits no motif (or a border column left unassigned)
    std::vector<int> nearest;   ///< the most likely motif even when novel
    std::vector<std::uint8_t> novel; ///< 1 = "new structure?"
    long long novelCount = 0;
    double scale = 1.0;         ///< frame pixels -> dictionary pixels
    std::vector<Motif> motifs;  ///< one per dictionary motif (its id, colour), counted in this frame
    HierarchyResult hierarchy;
    std::string routeReason;
    disorder::DisorderReport disorder;
};

/**
 * Classifies one frame. Throws std::runtime_error for an image that cannot be analysed (no
 * columns), OperationCancelled when `progress` is cancelled. Deterministic on any number of threads.
 */
FrameClassification classifyFrame(const MotifDictionary& dictionary, const ClassModel& model, const Micrograph& frame,
                                  const ClassifyParams& params, Progress* progress = nullptr);

/**
 * Writes columns.csv (analyze's columns plus `novel` and `nearest_motif`), motifs.json,
 * hierarchy.json and disorder.json into `dir` (which must exist), each atomically.
 */
void writeFrameFiles(const FrameClassification& frame, const std::string& dir);

/** The file names writeFrameFiles writes. */
std::vector<std::string> frameFileNames();

} // namespace motifscope
