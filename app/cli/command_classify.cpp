#include "app/cli/cli_args.h"
#include "app/cli/cli_progress.h"
#include "app/cli/commands.h"
#include "app/cli/series_runner.h"
#include "core/util/threads.h"

#include <cstdio>
#include <set>
#include <string>

namespace motifscope::cli {

namespace {

std::set<std::string> classifyValueOptions()
{
    std::set<std::string> options = seriesValueOptions();
    options.insert("--frame");
    return options;
}

} // namespace

int runClassify(const Args& argv)
{
    const CommandSpec spec{"classify",
                           "usage: motifscope-cli classify DICT.motifdict IMAGE... --out DIR [--spacing dictionary|auto|PX]\n"
                           "         [--frame I] [--threads N] [--timings] [--progress]\n\n"
                           "Classifies every frame of every image with the dictionary, without learning anew:\n"
                           "motif ids are the dictionary's. Columns that fit no motif get motif -1 and\n"
                           "novel = 1 (\"new structure?\"). Writes DIR/<frame stem>/ (columns.csv,\n"
                           "motifs.json, hierarchy.json, disorder.json, manifest.json, timings.json with\n"
                           "--timings) and DIR/series.csv, one row per frame. Frames already in series.csv\n"
                           "are skipped, so a stopped run resumes. --spacing: the column spacing to detect\n"
                           "at; default: the dictionary's (scaled to the frame's calibration), auto: estimated\n"
                           "from each frame. --frame I: only frame I (0 = the first) of each image, named and\n"
                           "written as a run over all its frames writes it (one frame per job on a cluster;\n"
                           "merge-series joins the parts). See docs/motif-dictionary.md and docs/scale-out.md.\n",
                           classifyValueOptions(),
                           {"--timings", "--progress"},
                           2,
                           1 << 20};
    const ParsedArgs args = parseArgs(spec, argv);
    if (args.has("--help")) {
        std::fputs(spec.usage.c_str(), stdout);
        return ExitOk;
    }
    const int threads = configureThreads(args);
    const ThreadLimit limit(threads);
    SeriesRunner runner(args.positional[0], args.required("--out"), args, threads);
    TerminalProgress bar(args.has("--progress"));
    for (std::size_t i = 1; i < args.positional.size(); ++i)
        runner.classifyFile(args.positional[i], bar.progress());
    return ExitOk;
}

} // namespace motifscope::cli
