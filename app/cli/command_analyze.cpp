#include "cli/cli_args.h"
#include "cli/cli_progress.h"
#include "cli/commands.h"
#include "cli/folder_lock.h"
#include "io/folder_manifest.h"
#include "io/readers.h"
#include "pipeline/analysis.h"
#include "pipeline/full_analysis.h"
#include "util/threads.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace motifscope::cli {

namespace {

/** "auto" (returns 0) or a positive number. */
double autoOrPositive(const ParsedArgs& args, const std::string& option)
{
    const std::string v = args.value(option, "auto");
    if (v == "auto")
        return 0.0;
    return args.positiveNumber(option, 0.0);
}

} // namespace

int runAnalyze(const Args& argv)
{
    const CommandSpec spec{"analyze",
                           "usage: motifscope-cli analyze IMAGE --out DIR [--classes auto|K]\n"
                           "         [--method segment|gmm|kmeans] [--n-max N] [--patch-size auto|PX]\n"
                           "         [--spacing auto|PX] [--seed S] [--threads N] [--timings] [--progress]\n\n"
                           "The whole pipeline: columns, Zernike features, embedding, motifs, hierarchy.\n"
                           "Writes into DIR: columns.csv, features.csv, embedding.csv, motifs.json,\n"
                           "hierarchy.json, disorder.json, overlay.png, timings.json with --timings, and\n"
                           "manifest.json "
                           "last (the run's files with sizes and checksums; see docs/formats.md).\n"
                           "--route auto|polygons|cells forces the hierarchy route (default: auto, see\n"
                           "docs/hierarchy.md). --n-max: Zernike order 2..20 (default 10). --spacing: at\n"
                           "most a third of the image's shorter side; --patch-size: at most that side.\n"
                           "--threads 1..1024 (default: all cores).\n",
                           {"--out", "--classes", "--method", "--n-max", "--patch-size", "--spacing", "--seed",
                            "--threads", "--route"},
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
    AnalysisParams params;
    params.detection.period = autoOrPositive(args, "--spacing");
    params.features.nMax = int(args.integer("--n-max", 10, 2, 20));
    const double patch = autoOrPositive(args, "--patch-size");
    if (patch > 0 && (patch != double(int(patch)) || int(patch) % 2 == 0 || patch < 5 || patch > 401))
        throw UsageError("--patch-size: must be 'auto' or an odd whole number of pixels from 5 to 401");
    params.features.patchSize = int(patch);
    FullAnalysisParams full;
    full.analysis = params;
    full.analysis.threads = threads;
    const std::string method = args.value("--method", "segment");
    if (method == "segment")
        full.learn.method = ClusterMethod::Segment;
    else if (method == "gmm")
        full.learn.method = ClusterMethod::Gmm;
    else if (method == "kmeans")
        full.learn.method = ClusterMethod::Kmeans;
    else
        throw UsageError("--method: must be segment, gmm or kmeans, not '" + method + "'");
    const std::string classes = args.value("--classes", "auto");
    full.learn.classes = classes == "auto" ? 0 : int(args.integer("--classes", 0, 1, 64));
    full.learn.seed = std::uint64_t(args.integer("--seed", 1, 0, (1LL << 62)));
    const std::string route = args.value("--route", "auto");
    if (route == "polygons")
        full.route = HierarchyRoute::Polygons;
    else if (route == "cells")
        full.route = HierarchyRoute::Cells;
    else if (route != "auto")
        throw UsageError("--route: must be auto, polygons or cells, not '" + route + "'");

    const std::string& path = args.positional[0];
    const auto t0 = std::chrono::steady_clock::now();
    const Micrograph image = readMicrograph(path);
    const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const int shorter = std::min(image.width, image.height);
    requireFitsImage("--spacing", full.analysis.detection.period, shorter / 3.0, image.width, image.height);
    requireFitsImage("--patch-size", full.analysis.features.patchSize, shorter, image.width, image.height);

    std::error_code ec;
    const bool existed = std::filesystem::exists(dir, ec);
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir))
        throw InputError(dir + ": cannot create the output folder" + (ec ? " (" + ec.message() + ")" : ""));

    FolderLock lock(dir); // one run per folder at a time
    TerminalProgress bar(args.has("--progress"));
    FullAnalysis analysis;
    try {
        analysis = runFullAnalysis(image, full, bar.progress());
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
    writeAnalysisFolder(image, analysis, dir, options);
    run.finish();
    return ExitOk;
}

} // namespace motifscope::cli
