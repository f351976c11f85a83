#include "app/cli/analysis_flags.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_progress.h"
#include "app/cli/commands.h"
#include "app/cli/folder_lock.h"
#include "core/image/finite_image.h"
#include "core/io/folder_manifest.h"
#include "core/io/readers.h"
#include "core/pipeline/analysis.h"
#include "core/pipeline/full_analysis.h"
#include "core/util/threads.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace motifscope::cli {

int runAnalyze(const Args& argv)
{
    const CommandSpec spec{"analyze",
                           "usage: motifscope-cli analyze IMAGE --out DIR [--classes auto|K]\n"
                           "         [--method segment|gmm|kmeans] [--n-max N] [--patch-size auto|PX]\n"
                           "         [--spacing auto|PX] [--seed S] [--threads N] [--refine-classes on|off]\n"
                           "         [--timings] [--progress]\n\n"
                           "The whole pipeline: columns, Zernike features, embedding, motifs, hierarchy.\n"
                           "Writes into DIR: columns.csv, features.csv, embedding.csv, motifs.json,\n"
                           "hierarchy.json, disorder.json, overlay.png, timings.json with --timings, and\n"
                           "manifest.json "
                           "last (the run's files with sizes and checksums; see docs/formats.md).\n" +
                               std::string(kAnalysisFlagsHelp),
                           analysisValueOptions(),
                           {"--timings", "--progress"},
                           1,
                           1};
    const ParsedArgs args = parseArgs(spec, argv);
    if (args.has("--help")) {
        std::fputs(spec.usage.c_str(), stdout);
        return ExitOk;
    }
    const int threads = configureThreads(args);
    const ThreadLimit limit(threads);
    const std::string dir = args.required("--out");
    const FullAnalysisParams full = analysisParamsFromArgs(args, threads);

    const std::string& path = args.positional[0];
    const auto t0 = std::chrono::steady_clock::now();
    Micrograph image = readMicrograph(path);
    // One copy of the pixels from here on: the finite copy every stage reads (and the overlay shows).
    const FloatImage pixels = takeFiniteValues(image);
    const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    requireFlagsFitImage(full, image.width, image.height);

    std::error_code ec;
    const bool existed = std::filesystem::exists(dir, ec);
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir))
        throw InputError(dir + ": cannot create the output folder" + (ec ? " (" + ec.message() + ")" : ""));

    FolderLock lock(dir); // one run per folder at a time
    TerminalProgress bar(args.has("--progress"));
    FullAnalysis analysis;
    try {
        analysis = runFullAnalysis(pixels, full, bar.progress());
    } catch (const std::runtime_error& e) {
        lock.release();
        if (!existed) // a failed run leaves no empty folder behind (nothing was written into it yet)
            std::filesystem::remove(dir, ec);
        throw InputError(path + ": " + e.what());
    }
    AnalysisFolderOptions options;
    options.timings = args.has("--timings");
    options.threads = ThreadLimit::active();
    options.loadSeconds = loadSeconds;
    // manifest.json says "writing" until every file is in place, so a killed run never passes for one.
    FolderRun run(dir, "analyze", path,
                  {"columns.csv", "features.csv", "embedding.csv", "motifs.json", "hierarchy.json", "overlay.png",
                   "disorder.json", "timings.json"});
    writeAnalysisFolder(pixels, image.calibration, analysis, dir, options);
    run.finish();
    return ExitOk;
}

} // namespace motifscope::cli
