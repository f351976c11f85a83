#include "app/cli/analysis_flags.h"

#include "core/learn/cluster_method_name.h"

#include <algorithm>
#include <optional>

namespace motifscope::cli {

const char* const kAnalysisFlagsHelp =
    "--route auto|polygons|cells forces the hierarchy route (default: auto, see\n"
    "docs/hierarchy.md). --n-max: Zernike order 2..20 (default 10). --spacing: at\n"
    "most a third of the image's shorter side; --patch-size: at most that side.\n"
    "--threads 1..1024 (default: all cores). --refine-classes on|off: the 2-D\n"
    "classification after the map (EM over classes, in-plane rotations and mirror:\n"
    "confidence = posterior, angle_deg and mirrored in columns.csv; default on).\n";

std::set<std::string> analysisValueOptions()
{
    return {"--classes", "--method", "--n-max", "--patch-size", "--spacing", "--seed", "--route", "--refine-classes", "--out", "--threads"};
}

double autoOrPositive(const ParsedArgs& args, const std::string& option)
{
    const std::string v = args.value(option, "auto");
    if (v == "auto")
        return 0.0;
    return args.positiveNumber(option, 0.0);
}

FullAnalysisParams analysisParamsFromArgs(const ParsedArgs& args, int threads)
{
    FullAnalysisParams full;
    full.analysis.threads = threads;
    full.analysis.detection.period = autoOrPositive(args, "--spacing");
    full.analysis.features.nMax = int(args.integer("--n-max", 10, 2, 20));
    const double patch = autoOrPositive(args, "--patch-size");
    if (patch > 0 && (patch != double(int(patch)) || int(patch) % 2 == 0 || patch < 5 || patch > 401))
        throw UsageError("--patch-size: must be 'auto' or an odd whole number of pixels from 5 to 401");
    full.analysis.features.patchSize = int(patch);
    const std::string method = args.value("--method", "segment");
    const std::optional<ClusterMethod> named = clusterMethodFromName(method);
    if (!named)
        throw UsageError("--method: must be segment, gmm or kmeans, not '" + method + "'");
    full.learn.method = *named;
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
    const std::string refine = args.value("--refine-classes", "on");
    if (refine != "on" && refine != "off")
        throw UsageError("--refine-classes: must be on or off, not '" + refine + "'");
    full.refineClasses = refine == "on";
    return full;
}

void requireFlagsFitImage(const FullAnalysisParams& params, int width, int height)
{
    const int shorter = std::min(width, height);
    requireFitsImage("--spacing", params.analysis.detection.period, shorter / 3.0, width, height);
    requireFitsImage("--patch-size", params.analysis.features.patchSize, shorter, width, height);
}

} // namespace motifscope::cli
