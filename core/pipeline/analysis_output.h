#pragma once
/** Writes an analysis into a folder, in the formats fixed by docs/CLI.md. Every file is atomic. */

#include "core/learn/learner.h"
#include "core/learn/motifs.h"
#include "core/pipeline/analysis.h"

#include <cstdint>
#include <string>
#include <vector>

namespace motifscope {

/** A whole-number column that columns.csv carries after its fixed ones. */
struct ExtraColumn
{
    std::string name;
    std::vector<int> values; ///< one per column
};

/** Per-column motif labels and confidences, when motifs have been learned. */
struct ColumnLabels
{
    std::vector<int> motif;        ///< -1 = unassigned
    std::vector<float> confidence; ///< [0, 1]
    /// Per column, from the 2-D classification: the in-plane angle (degrees, [0, 360)) and mirror
    /// that lay the column onto its motif's average; NaN / 0 where it did not run (empty: nowhere).
    std::vector<float> angleDeg;
    std::vector<std::uint8_t> mirrored;
    std::vector<ExtraColumn> extra; ///< written last, in order (classify's novel, nearest_motif)
};

/**
 * columns.csv: x,y,intensity,motif,confidence, then width,background,residual,patch_inside,sigma_px
 * (the position's standard error in pixels from the Gaussian fit, 0 when not fitted), angle_deg,
 * mirrored (the 2-D classification's pose; empty cells where it did not run), then the labels'
 * extra columns.
 */
void writeAnalysisColumnsCsv(const AnalysisResult& result, const ColumnLabels& labels, const std::string& path);

/** features.csv: x,y then the rotation-invariant Zernike magnitudes z0..z{d-1}. */
void writeFeaturesCsv(const AnalysisResult& result, const std::string& path);

/** timings.json as in the contract (stages, total, columns, threads, peak_rss_mb). */
void writeTimingsJson(const StageTimings& timings, std::size_t columns, int threads, const std::string& path);

/** embedding.csv: x,y,e1,e2,motif, one row per learned column (`rows[r]` = its column index). */
void writeEmbeddingCsv(const AnalysisResult& result, const std::vector<int>& rows, const LearnResult& learned,
                       const std::string& path);

/**
 * motifs.json: {"patch_size": P, "columns": n, "unassigned": u, "motifs": [{"id", "count", "fraction",
 * "colour", "average": {"size": P, "values": [P*P floats, row-major]}}]}.
 */
void writeMotifsJson(const std::vector<Motif>& motifs, int patchSize, const ColumnLabels& labels,
                     const std::string& path);

/** Appends a number as printf("%.<precision>g") in the C locale (appendGeneral: fast, locale-free). */
void appendNumber(std::string& out, double value, int precision = 6);

/** Writes text to `path` atomically (temporary file + rename); IoError naming the file on failure. */
void writeTextFile(const std::string& path, const std::string& text);

} // namespace motifscope
