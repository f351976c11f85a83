#pragma once
/**
 * What `classify` and `watch` share: one output folder of a classified series (locked for this
 * process), the dictionary and its class model, and classifyFile, which adds every frame of a file
 * that series.csv does not list yet (core/dictionary/series.h: frame folders renamed into place,
 * series.csv rewritten atomically per row).
 */

#include "app/cli/cli_args.h"
#include "app/cli/folder_lock.h"
#include "core/dictionary/class_model.h"
#include "core/dictionary/frame_classify.h"
#include "core/dictionary/motif_dictionary.h"
#include "core/dictionary/series.h"

#include <memory>
#include <set>
#include <string>

namespace motifscope {
class Progress;
}

namespace motifscope::cli {

/** The flags classify and watch both take besides their own. */
std::set<std::string> seriesValueOptions();

class SeriesRunner
{
public:
    /** Reads the dictionary, creates and locks `outDir`, removes what a killed run left, reads series.csv. */
    SeriesRunner(const std::string& dictionaryPath, const std::string& outDir, const ParsedArgs& args, int threads);

    /**
     * Classifies the frames of `file` (with --frame I: frame I only) that series.csv does not list,
     * each into DIR/<frame stem>/ and a row of series.csv. Returns how many were added. IoError /
     * InputError naming the file (and frame) on a frame that cannot be read or analysed;
     * OperationCancelled when `progress` is.
     */
    int classifyFile(const std::string& file, Progress* progress);

private:
    MotifDictionary mDictionary;
    std::unique_ptr<ClassModel> mModel;
    std::string mDir;
    std::unique_ptr<FolderLock> mLock;
    std::unique_ptr<SeriesTable> mTable;
    ClassifyParams mParams;
    bool mTimings = false;
    int mOnlyFrame = -1; ///< classify --frame I: frame I of each file only; -1: every frame
};

} // namespace motifscope::cli
