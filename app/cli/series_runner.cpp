#include "app/cli/series_runner.h"

#include "app/cli/analysis_flags.h"
#include "core/io/frame_source.h"
#include "core/util/progress.h"
#include "core/util/threads.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>

namespace motifscope::cli {

std::set<std::string> seriesValueOptions()
{
    return {"--out", "--spacing", "--threads"};
}

SeriesRunner::SeriesRunner(const std::string& dictionaryPath, const std::string& outDir, const ParsedArgs& args,
                           int threads)
    : mDictionary(readMotifDictionary(dictionaryPath)), mDir(outDir), mTimings(args.has("--timings")),
      mOnlyFrame(args.has("--frame") ? int(args.integer("--frame", 0, 0, 1 << 30)) : -1)
{
    try {
        mModel = std::make_unique<ClassModel>(mDictionary);
    } catch (const std::invalid_argument& e) {
        throw InputError(dictionaryPath + ": " + e.what());
    }
    const std::string spacing = args.value("--spacing", "dictionary");
    mParams.spacingFromDictionary = spacing == "dictionary";
    mParams.analysis.detection.period = spacing == "dictionary" ? 0.0 : autoOrPositive(args, "--spacing");
    mParams.analysis.threads = threads;
    std::error_code ec;
    std::filesystem::create_directories(outDir, ec);
    if (ec || !std::filesystem::is_directory(outDir))
        throw InputError(outDir + ": cannot create the output folder" + (ec ? " (" + ec.message() + ")" : ""));
    mLock = std::make_unique<FolderLock>(outDir); // one writer per series folder
    removeUnfinishedFrameFolders(outDir);
    mTable = std::make_unique<SeriesTable>(outDir, seriesHeader(mDictionary));
}

int SeriesRunner::classifyFile(const std::string& file, Progress* progress)
{
    // `count`: the file's frames (they name the folders: _f0003 in a stack); `end`: past the last to classify.
    const int first = std::max(mOnlyFrame, 0);
    int added = 0, count = 1, end = first + 1;
    if (mOnlyFrame >= 0 && mTable->has(file, mOnlyFrame))
        return 0;
    std::optional<FrameSource> source; // a DM / EMD / HyperSpy / SER stack is read from disk once, not per frame
    for (int index = first; index < end; ++index) {
        const auto t0 = std::chrono::steady_clock::now();
        if (index > first && mTable->has(file, index))
            continue;
        if (!source)
            source.emplace(file); // in the first frame's load time
        const Micrograph image = source->frame(index);
        if (index == first) {
            count = std::max(image.frames, 1); // TIFF pages, DM / EMD / HyperSpy stacks, SER elements
            end = mOnlyFrame >= 0 ? first + 1 : count;
            if (mTable->has(file, first))
                continue;
        }
        const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const std::string where = count > 1 ? file + " (frame " + std::to_string(index) + ")" : file;
        requireFitsImage("--spacing", mParams.analysis.detection.period, std::min(image.width, image.height) / 3.0,
                         image.width, image.height);
        FrameClassification frame;
        try {
            frame = classifyFrame(mDictionary, *mModel, image, mParams, progress);
        } catch (const OperationCancelled&) {
            throw;
        } catch (const std::runtime_error& e) {
            throw InputError(where + ": " + e.what());
        }
        const std::string stem = mTable->uniqueStem(frameStem(file, index, count));
        std::vector<std::string> outputs = frameFileNames();
        if (mTimings)
            outputs.push_back("timings.json");
        publishFrameFolder(mDir, stem, where, [&](const std::string& dir) {
            writeFrameFiles(frame, dir);
            if (mTimings) {
                StageTimings timings = frame.base.timings;
                timings.seconds["load"] = loadSeconds;
                timings.total += loadSeconds;
                writeTimingsJson(timings, frame.base.detection.columns.size(), ThreadLimit::active(),
                                 (std::filesystem::path(dir) / "timings.json").string());
            }
        }, outputs);
        mTable->add(file, index, stem, seriesRow(mDictionary, stem, file, index, frame, frameTime(image)));
        ++added;
    }
    return added;
}

} // namespace motifscope::cli
