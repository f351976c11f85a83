#pragma once
/** The whole `analyze` pipeline: columns and features, motif learning, motif summaries, hierarchy, outputs. */

#include "core/disorder/disorder.h"
#include "core/hierarchy/hierarchy.h"
#include "core/learn/learner.h"
#include "core/learn/motifs.h"
#include "core/pipeline/analysis.h"
#include "core/pipeline/analysis_output.h"
#include "core/pipeline/motif_learning.h"

#include <string>
#include <vector>

namespace motifscope {

class Progress;

/** Which hierarchy route to take: decided from the data, or forced. */
enum class HierarchyRoute
{
    Automatic, ///< polygons for networks of non-lattice rings or when no lattice is found, else cells
    Polygons,
    Cells,
};

struct FullAnalysisParams
{
    AnalysisParams analysis;
    LearnParams learn;
    HierarchyParams hierarchy;
    HierarchyRoute route = HierarchyRoute::Automatic;
    bool refineClasses = true; ///< the 2-D classification after the map (MotifLearningParams::refineClasses)
};

/** Everything `analyze` computes. Columns whose patch is not wholly inside the image are not learned (motif -1). */
struct FullAnalysis
{
    AnalysisResult base;          ///< columns, features, stage timings (load excluded)
    std::vector<int> learnedRows; ///< the column index of each row of learned.embedding
    LearnResult learned;
    /// Per learned row: the class the map gave, before the 2-D classification refined it (empty
    /// without it); motif continuity measures the map's valleys between these.
    std::vector<int> mapMotif;
    ColumnLabels labels;          ///< per column: motif (-1 = not learned) and confidence
    std::vector<Motif> motifs;
    HierarchyResult hierarchy;
    std::string routeReason;      ///< one line: why this hierarchy route was taken
};

/**
 * Runs every stage on `raw`, one micrograph's finite copy (image/finite_image.h), read by every
 * stage (none copies it again): detect, refine, features (analyzeMicrograph), embed and
 * cluster (learnMotifs on the columns whose patch lies inside the image), motif averages, and the
 * hierarchy of the column positions with the learned motifs as labels. Deterministic for a given
 * seed on any number of threads. Throws std::runtime_error for images that cannot be analysed and
 * OperationCancelled when `progress` is cancelled.
 */
FullAnalysis runFullAnalysis(const FloatImage& raw, const FullAnalysisParams& params, Progress* progress = nullptr);
/** runFullAnalysis on the micrograph's finite copy, made here once (timed in "detect"). */
FullAnalysis runFullAnalysis(const Micrograph& image, const FullAnalysisParams& params, Progress* progress = nullptr);

/**
 * The hierarchy with the route rule of docs/hierarchy.md: the polygon route first; polygons when at
 * least 20% of its counted rings are 5-, 7- or 8-membered (faces no lattice's neighbour graph makes)
 * or when no ring size makes up 80% of the rings (a network of mixed rings). Otherwise the cell route
 * is tried: taken when a lattice is found and its pristine cell is at least half of the counted
 * cells (a crystal with defects); else polygons. `triangulation`, when given, is that of `points`
 * (made ahead); otherwise one is made and shared by the two routes.
 */
HierarchyResult buildHierarchy(const std::vector<Point2>& points, const std::vector<int>* labels,
                               const HierarchyParams& params, HierarchyRoute route, Progress* progress = nullptr,
                               std::string* reason = nullptr, const ColumnTriangulation* triangulation = nullptr);

/**
 * buildHierarchy, or, for fewer than three points or points that make none, an empty hierarchy
 * (every column's motif -1) with `reason` saying why.
 */
HierarchyResult hierarchyOrNone(const std::vector<Point2>& points, const std::vector<int>* labels,
                                const HierarchyParams& params, HierarchyRoute route, Progress* progress = nullptr,
                                std::string* reason = nullptr, const ColumnTriangulation* triangulation = nullptr);

/** The columns' positions, as the hierarchy and the disorder measures take them. */
std::vector<Point2> columnPositions(const AtomColumns& columns);

/** What writeAnalysisFolder writes besides the fixed files. */
struct AnalysisFolderOptions
{
    bool timings = false;     ///< write timings.json
    int threads = 1;          ///< reported in timings.json
    double loadSeconds = 0.0; ///< the "load" stage, measured by the caller (reading the file, its finite copy)
};

/**
 * The disorder measures of an analysis (docs/disorder.md): motif entropy over the columns' motifs,
 * the hierarchy's levels, rings and bond order, and motif continuity on the learned map.
 */
disorder::DisorderReport measureAnalysisDisorder(const FullAnalysis& analysis);

/**
 * Writes columns.csv, features.csv, embedding.csv, motifs.json, hierarchy.json, disorder.json, overlay.png and
 * (optionally) timings.json into `dir`, each atomically. `dir` must exist. "total" in timings.json is
 * load + the stages + writing the other files. The overlay shows `pixels` (the analysis's finite
 * copy) with the scale bar from `calibration`.
 */
void writeAnalysisFolder(const FloatImage& pixels, const Calibration& calibration, const FullAnalysis& analysis,
                         const std::string& dir, const AnalysisFolderOptions& options);

} // namespace motifscope
