#pragma once
/**
 * A classified series on disk (docs/motif-dictionary.md): DIR/<frame stem>/ per frame (written
 * in a hidden folder, then renamed into place) and DIR/series.csv, one row per frame, rewritten
 * whole through a temporary file at every row, so a killed run leaves either the old table or the
 * new one, never a truncated one. A restart reads series.csv and skips the frames it lists.
 */

#include "core/dictionary/frame_classify.h"
#include "core/dictionary/series_row.h"

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace motifscope {

inline constexpr const char* kSeriesName = "series.csv";

/** series.csv of one output folder: the rows so far, added one at a time. */
class SeriesTable
{
public:
    /** One row: the frame (`index` of `file`), its folder `stem` and the row's text with its newline. */
    struct Row
    {
        std::string file;
        int index = 0;
        std::string stem;
        std::string text;
    };

    /**
     * Reads DIR/series.csv when it exists. IoError when its header is not `header` (written with
     * another dictionary) or a row cannot be read.
     */
    SeriesTable(std::string dir, std::string header);

    /** True when the table has the row of frame `index` of `file`. */
    bool has(const std::string& file, int index) const;
    /** True when a row names the frame folder `stem`. */
    bool hasFrame(const std::string& stem) const;
    /** `stem`, or the first of stem-2, stem-3, ... that no row names: classify's folder name rule. */
    std::string uniqueStem(const std::string& stem) const;
    /** Appends a row (frame `index` of `file`, folder `stem`) and rewrites series.csv atomically. */
    void add(const std::string& file, int index, const std::string& stem, const std::string& row);
    /** Appends a row in memory only; save() writes the table (one write for many rows). */
    void append(const std::string& file, int index, const std::string& stem, const std::string& row);
    /** Rewrites series.csv atomically with every row so far. */
    void save() const;
    std::size_t rows() const { return mRows.size(); }
    const std::vector<Row>& entries() const { return mRows; }
    const std::string& path() const { return mPath; }

private:
    std::string mPath, mHeader;
    std::vector<Row> mRows;
    std::set<std::pair<std::string, int>> mFrames; ///< (file, index) of every row
    std::set<std::string> mStems;
};

/** What mergeSeries did: rows added, rows skipped (their frame was listed already). */
struct SeriesMerge
{
    std::size_t added = 0, skipped = 0;
};

/**
 * Merges series folders written by classify (`parts`, each a classify --out) into DIR: each part's
 * rows in order, part after part, appended to DIR/series.csv with a copy of the row's frame folder
 * (copyFrameFolder) named as classify names it: the row's folder name, or -2, -3, ... when an earlier
 * row has it. Parts of one frame each (classify --frame) thus merge into the series.csv one classify
 * over all the frames in the same order writes, byte for byte. Rows whose frame (file + index) DIR's
 * series.csv or an earlier part lists already are skipped, as classify skips them. The frame folders
 * are placed first, then series.csv is written once. IoError naming the part when its series.csv
 * is missing, its header differs from the first part's (another dictionary) or a frame folder is
 * not complete. The caller holds DIR's lock.
 */
SeriesMerge mergeSeries(const std::vector<std::string>& parts, const std::string& dir);

/** The header line (with its newline) of DIR/series.csv; IoError when there is none. */
std::string readSeriesHeader(const std::string& dir);

/** Removes what a killed run left in DIR: hidden frame folders being written or replaced. */
void removeUnfinishedFrameFolders(const std::string& dir);

/**
 * Writes a frame's folder: `write(tempDir)` fills DIR/.<stem>.partial, then it is renamed to
 * DIR/<stem> (an older folder of that name is replaced). The folder's manifest.json (FolderRun)
 * lists its files with checksums.
 */
void publishFrameFolder(const std::string& dir, const std::string& stem, const std::string& input,
                        const std::function<void(const std::string& tempDir)>& write,
                        const std::vector<std::string>& outputs);

/**
 * Copies the complete frame folder `from` (its manifest.json says so, else IoError) to DIR/<stem>
 * as publishFrameFolder places a new one: into DIR/.<stem>.partial, then renamed into place. The
 * files, manifest.json with them, keep their bytes.
 */
void copyFrameFolder(const std::string& from, const std::string& dir, const std::string& stem);

/**
 * A series row of folder `stem` naming `newStem` instead (its first field); std::invalid_argument
 * when it does not start with csvField(stem).
 */
std::string renameSeriesRow(const std::string& row, const std::string& stem, const std::string& newStem);

} // namespace motifscope
