#include "cli/cli_args.h"
#include "cli/cli_progress.h"
#include "cli/commands.h"
#include "io/readers.h"
#include "pipeline/analysis.h"
#include "pipeline/analysis_output.h"
#include "render/overlay_image.h"
#include "util/threads.h"

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
                           "hierarchy.json, overlay.png, and timings.json with --timings.\n",
                           {"--out", "--classes", "--method", "--n-max", "--patch-size", "--spacing", "--seed",
                            "--threads"},
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
    params.features.nMax = int(args.integer("--n-max", 10, 0, 30));
    const double patch = autoOrPositive(args, "--patch-size");
    if (patch > 0 && (patch != double(int(patch)) || int(patch) % 2 == 0 || patch < 5 || patch > 401))
        throw UsageError("--patch-size: must be 'auto' or an odd whole number of pixels from 5 to 401");
    params.features.patchSize = int(patch);
    const std::string method = args.value("--method", "segment");
    if (method != "segment" && method != "gmm" && method != "kmeans")
        throw UsageError("--method: must be segment, gmm or kmeans, not '" + method + "'");
    const std::string classes = args.value("--classes", "auto");
    if (classes != "auto")
        args.integer("--classes", 0, 1, 64);
    args.integer("--seed", 0, 0, (1LL << 62));

    const std::string& path = args.positional[0];
    const auto t0 = std::chrono::steady_clock::now();
    const Micrograph image = readMicrograph(path);
    const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir))
        throw InputError(dir + ": cannot create the output folder" + (ec ? " (" + ec.message() + ")" : ""));

    TerminalProgress bar(args.has("--progress"));
    AnalysisResult result;
    try {
        result = analyzeMicrograph(image, params, bar.progress());
    } catch (const std::runtime_error& e) {
        throw InputError(path + ": " + e.what());
    }
    result.timings.seconds["load"] = loadSeconds;
    result.timings.total += loadSeconds;

    namespace fs = std::filesystem;
    const ColumnLabels labels; // motifs: not learned yet
    writeAnalysisColumnsCsv(result, labels, (fs::path(dir) / "columns.csv").string());
    writeFeaturesCsv(result, (fs::path(dir) / "features.csv").string());
    OverlayStyle style;
    style.legend.push_back({std::to_string(result.detection.columns.size()) + " columns", "#ffc828"});
    writeOverlayPng(image, result.detection.columns, labels.motif, style, (fs::path(dir) / "overlay.png").string());
    if (args.has("--timings"))
        writeTimingsJson(result, ThreadLimit::active(), (fs::path(dir) / "timings.json").string());
    return ExitOk;
}

} // namespace motifscope::cli
