#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/folder_lock.h"
#include "core/dictionary/series.h"
#include "core/io/readers.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace motifscope::cli {

namespace {

/** The part folders a --list file names, one per line (empty lines skipped). */
std::vector<std::string> readList(const std::string& path)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path);
    std::vector<std::string> parts;
    std::string line;
    for (std::size_t i = 0; i <= bytes.size(); ++i) {
        if (i < bytes.size() && bytes[i] != '\n') {
            line += char(bytes[i]);
            continue;
        }
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!line.empty())
            parts.push_back(line);
        line.clear();
    }
    return parts;
}

} // namespace

int runMergeSeries(const Args& argv)
{
    const CommandSpec spec{"merge-series",
                           "usage: motifscope-cli merge-series PART... --out DIR [--list FILE]\n\n"
                           "Merges series folders written by classify (each PART a classify --out, e.g. one\n"
                           "frame each from classify --frame on a cluster) into one: DIR/series.csv gets every\n"
                           "part's rows, part after part in the order given, and DIR/<frame stem>/ a copy of\n"
                           "each row's frame folder. A folder name an earlier row has already gets -2, -3, ...\n"
                           "as classify gives it, so the parts of frames merged in classify's order give the\n"
                           "series.csv one classify over all of them writes. Frames DIR/series.csv (or an\n"
                           "earlier part) lists already are skipped. The parts must share one dictionary (the\n"
                           "same series header) and their frame folders be complete. --list FILE: more PART\n"
                           "folders, one per line, after those on the command line. See docs/scale-out.md.\n",
                           {"--out", "--list"},
                           {},
                           0,
                           1 << 20};
    const ParsedArgs args = parseArgs(spec, argv);
    if (args.has("--help")) {
        std::fputs(spec.usage.c_str(), stdout);
        return ExitOk;
    }
    const std::string out = args.required("--out");
    std::vector<std::string> parts = args.positional;
    if (args.has("--list")) {
        const std::vector<std::string> listed = readList(args.value("--list"));
        parts.insert(parts.end(), listed.begin(), listed.end());
    }
    if (parts.empty())
        throw UsageError("merge-series: no PART folder (give them as arguments or with --list)");
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec || !std::filesystem::is_directory(out))
        throw InputError(out + ": cannot create the output folder" + (ec ? " (" + ec.message() + ")" : ""));
    FolderLock lock(out);
    removeUnfinishedFrameFolders(out);
    const SeriesMerge merge = mergeSeries(parts, out);
    std::fprintf(stderr, "motifscope-cli: merged %zu frame%s from %zu part%s into %s", merge.added,
                 merge.added == 1 ? "" : "s", parts.size(), parts.size() == 1 ? "" : "s", out.c_str());
    if (merge.skipped > 0)
        std::fprintf(stderr, " (%zu listed already)", merge.skipped);
    std::fputc('\n', stderr);
    return ExitOk;
}

} // namespace motifscope::cli
