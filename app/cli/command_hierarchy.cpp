#include "app/cli/cli_args.h"
#include "app/cli/cli_progress.h"
#include "app/cli/commands.h"
#include "core/disorder/disorder.h"
#include "core/hierarchy/hierarchy.h"
#include "core/io/micrograph.h"
#include "core/pipeline/full_analysis.h"
#include "core/util/threads.h"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace motifscope::cli {

int runHierarchy(const Args& argv)
{
    const CommandSpec spec{"hierarchy",
                           "usage: motifscope-cli hierarchy POINTS.csv --out DIR [--route auto|polygons|cells]\n"
                           "         [--bond-cutoff PX] [--threads N] [--progress]\n\n"
                           "The motif hierarchy from column positions alone. POINTS.csv has a header with\n"
                           "x and y (pixels) and optionally motif (or label): integer labels that enter the\n"
                           "level-1 motifs. Writes DIR/hierarchy.json, DIR/disorder.json (docs/disorder.md) and DIR/columns.csv\n"
                           "(x,y,motif,coordination[,input_motif]; motif = the level-1 motif index, -1 none).\n"
                           "--route: auto (default; see docs/hierarchy.md), polygons or cells.\n"
                           "--bond-cutoff: longest neighbour bond in pixels (default: chosen from the data).\n",
                           {"--out", "--route", "--bond-cutoff", "--threads"},
                           {"--progress"},
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
    HierarchyParams params;
    params.bondCutoff = args.positiveNumber("--bond-cutoff", 0.0);
    const std::string routeName = args.value("--route", "auto");
    HierarchyRoute route = HierarchyRoute::Automatic;
    if (routeName == "polygons")
        route = HierarchyRoute::Polygons;
    else if (routeName == "cells")
        route = HierarchyRoute::Cells;
    else if (routeName != "auto")
        throw UsageError("--route: must be auto, polygons or cells, not '" + routeName + "'");

    const std::string& path = args.positional[0];
    const PointSet in = readPointsCsv(path);
    if (in.points.size() < 3)
        throw InputError(path + ": needs at least 3 points, found " + std::to_string(in.points.size()));
    const std::vector<int>* labels = in.labels.empty() ? nullptr : &in.labels;

    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw InputError(dir + ": cannot create the output folder" + (ec ? " (" + ec.message() + ")" : ""));

    TerminalProgress bar(args.has("--progress"));
    HierarchyResult result;
    try {
        result = buildHierarchy(in.points, labels, params, route, bar.progress());
    } catch (const std::invalid_argument& e) {
        throw InputError(path + ": " + e.what());
    }
    writeHierarchyJson(result, (fs::path(dir) / "hierarchy.json").string());
    writeHierarchyColumnsCsv(in.points, labels, result, (fs::path(dir) / "columns.csv").string());
    // Disorder of the level-1 motifs written to columns.csv; no map, so no motif continuity.
    disorder::DisorderInput measures;
    measures.points = &in.points;
    measures.columnMotif = &result.columnMotif;
    measures.hierarchy = &result;
    disorder::writeDisorderJson(disorder::measureDisorder(measures), (fs::path(dir) / "disorder.json").string());
    return ExitOk;
}

} // namespace motifscope::cli
