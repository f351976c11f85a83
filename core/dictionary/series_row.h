#pragma once
/**
 * series.csv's rows (shared/docs/CLI.md, docs/motif-dictionary.md): the header, one row per frame,
 * the frame folder names, and a whole series.csv written at once from rows kept in memory (the
 * Series window's export). classify, watch, merge-series and the window all format rows here.
 */

#include "core/dictionary/frame_classify.h"

#include <set>
#include <string>
#include <vector>

namespace motifscope {

/** The frame's folder name: the file's stem, with "_f<index>" (4 digits at least) for a frame of a stack. */
std::string frameStem(const std::string& file, int index, int frames);

/** `stem`, or the first of stem-2, stem-3, ... not in `taken`: classify's folder name rule. */
std::string firstFreeStem(const std::set<std::string>& taken, const std::string& stem);

/**
 * series.csv's header: frame,file,index,columns, count_<id>,fraction_<id> per motif, then
 * motif_entropy_bits, motif_continuity, novel, novel_fraction, level1..3_entropy_bits (empty past the
 * frame's last level), psi4_mean, psi6_mean, ring_size_mean (empty on the cells route), scale, time
 * (the frame's time stamp).
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

/** The numbers of a frame's series.csv row: a few hundred bytes to keep per frame instead of its classification. */
struct SeriesRowValues
{
    std::size_t columns = 0;
    std::vector<MotifShare> shares; ///< in the dictionary's order
    double motifEntropyBits = 0.0, motifContinuity = 0.0;
    long long novel = 0;
    std::vector<double> levelEntropyBits; ///< one per hierarchy level the frame has
    double psi4Mean = 0.0, psi6Mean = 0.0;
    bool hasRings = false; ///< false on the cells route (ring_size_mean left empty)
    double ringSizeMean = 0.0;
    double scale = 1.0;
};

SeriesRowValues seriesRowValues(const MotifDictionary& dictionary, const FrameClassification& frame);

/** One row (with its newline) in seriesHeader's order. */
std::string seriesRow(const std::string& stem, const std::string& file, int index, const SeriesRowValues& values,
                      const std::string& time);
/** The same from the frame's classification. */
std::string seriesRow(const MotifDictionary& dictionary, const std::string& stem, const std::string& file, int index,
                      const FrameClassification& frame, const std::string& time);

/** The time stamp a frame's file records (TIFF DateTime, DM or EMD acquisition time), "" when none. */
std::string frameTime(const Micrograph& frame);

/** A classified frame as series.csv lists it: frame `index` of `file` (which holds `frames` frames). */
struct SeriesFrameRow
{
    std::string file;
    int index = 0;
    int frames = 1;
    SeriesRowValues values;
    std::string time; ///< frameTime of the frame
};

/**
 * A whole series.csv: the header, then one row per frame in `rows`' order, each frame's folder named
 * as classify names it (frameStem, made unique with firstFreeStem), so it is byte for byte the
 * series.csv `classify DICT FILE...` writes for these frames in this order.
 */
std::string seriesCsv(const MotifDictionary& dictionary, const std::vector<SeriesFrameRow>& rows);

/** Writes seriesCsv to `path` atomically (temporary file, then rename); IoError naming the file. */
void writeSeriesCsv(const std::string& path, const MotifDictionary& dictionary, const std::vector<SeriesFrameRow>& rows);

/** CSV field: quoted (quotes doubled) when it holds a comma, quote or line break. */
std::string csvField(const std::string& text);

} // namespace motifscope
