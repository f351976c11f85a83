#pragma once
/**
 * A classified series on disk (docs/motif-dictionary.md): DIR/<frame stem>/ per frame (written
 * in a hidden folder, then renamed into place) and DIR/series.csv, one row per frame, rewritten
 * whole through a temporary file at every row, so a killed run leaves either the old table or the
 * new one, never a truncated one. A restart reads series.csv and skips the frames it lists.
 */

#include "core/dictionary/frame_classify.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace motifscope {

inline constexpr const char* kSeriesName = "series.csv";

/** The frame's folder name: the file's stem, with "_f<index>" (4 digits at least) for a frame of a stack. */
std::string frameStem(const std::string& file, int index, int frames);

/**
 * series.csv's header: frame,file,index,columns, count_<id>,fraction_<id> per motif, then
 * motif_entropy_bits, motif_continuity, novel, novel_fraction, scale, time (the frame's time stamp).
 */
std::string seriesHeader(const MotifDictionary& dictionary);

/** A dictionary motif in one classified frame: its columns and their share of the columns with a motif. */
struct MotifShare
{
    long long count = 0;
    double fraction = 0.0;
};

/** Every dictionary motif's share of the frame, in the dictionary's order (series.csv's count_ / fraction_ pairs). */
std::vector<MotifShare> motifShares(const MotifDictionary& dictionary, const FrameClassification& frame);

/** One row (with its newline) in seriesHeader's order. */
std::string seriesRow(const MotifDictionary& dictionary, const std::string& stem, const std::string& file, int index,
                      const FrameClassification& frame, const std::string& time);

/** The time stamp a frame's file records (TIFF DateTime, DM or EMD acquisition time), "" when none. */
std::string frameTime(const Micrograph& frame);

/** series.csv of one output folder: the rows so far, added one at a time. */
class SeriesTable
{
public:
    /**
     * Reads DIR/series.csv when it exists. IoError when its header is not `header` (written with
     * another dictionary) or a row cannot be read.
     */
    SeriesTable(std::string dir, std::string header);

    /** True when the table has the row of frame `index` of `file`. */
    bool has(const std::string& file, int index) const;
    /** True when a row names the frame folder `stem`. */
    bool hasFrame(const std::string& stem) const;
    /** Appends a row (frame `index` of `file`, folder `stem`) and rewrites series.csv atomically. */
    void add(const std::string& file, int index, const std::string& stem, const std::string& row);
    std::size_t rows() const { return mRows.size(); }

private:
    struct Key
    {
        std::string file;
        int index = 0;
        std::string stem;
    };
    std::string mPath, mHeader;
    std::vector<Key> mKeys;
    std::vector<std::string> mRows;
};

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

/** CSV field: quoted (quotes doubled) when it holds a comma, quote or line break. */
std::string csvField(const std::string& text);

} // namespace motifscope
