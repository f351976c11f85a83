#include "bench_table.h"

#include "core/pipeline/analysis.h"
#include "core/pipeline/full_analysis.h"
#include "core/synth/synth.h"
#include "core/util/threads.h"
#include "synth_options.h"
#include "synth_truth_match.h"

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace motifscope;

namespace {

constexpr const char* kBegin = "<!-- bench-table:begin -->";
constexpr const char* kEnd = "<!-- bench-table:end -->";
constexpr const char* kStages[] = {"detect", "refine", "features", "embed", "cluster", "hierarchy"};

/**
 * Each size's peak memory on its own: the heap the previous sizes freed goes back to the system
 * (glibc keeps it otherwise) and the kernel's high-water mark (VmHWM) restarts from here.
 */
void restartPeakMemory()
{
    malloc_trim(0);
    std::ofstream("/proc/self/clear_refs") << "5";
}

std::string row(int size, std::uint64_t seed)
{
    restartPeakMemory();
    const synth::SynthResult scene = synth::synthesize(test::synthOptions("mixed-lattice", size, seed));
    const auto t0 = std::chrono::steady_clock::now();
    const FullAnalysis a = runFullAnalysis(scene.image, FullAnalysisParams{});
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto& columns = a.base.detection.columns;
    char line[512];
    int used = std::snprintf(line, sizeof line, "| %d^2 | %zu | %.2f s | %.0f us |", size, columns.size(), wall,
                             1e6 * wall / double(std::max<std::size_t>(1, columns.size())));
    for (const char* stage : kStages) {
        const auto it = a.base.timings.seconds.find(stage);
        used += std::snprintf(line + used, sizeof line - std::size_t(used), " %.2f |",
                              it == a.base.timings.seconds.end() ? 0.0 : it->second);
    }
    std::snprintf(line + used, sizeof line - std::size_t(used), " %.0f MB | %zu | %.3f |", peakResidentMemoryMiB(),
                  a.motifs.size(), test::siteAdjustedRandIndex(columns, a.labels.motif, scene));
    return line;
}

bool writeIntoDoc(const std::string& table, const std::string& docFile)
{
    std::ifstream in(docFile);
    std::stringstream text;
    text << in.rdbuf();
    std::string doc = text.str();
    const std::size_t begin = doc.find(kBegin), end = doc.find(kEnd);
    if (!in || begin == std::string::npos || end == std::string::npos || end < begin) {
        std::fprintf(stderr, "motifscope-bench: %s: no %s ... %s block to replace\n", docFile.c_str(), kBegin, kEnd);
        return false;
    }
    doc.replace(begin, end - begin, std::string(kBegin) + "\n" + table);
    std::ofstream out(docFile, std::ios::trunc);
    out << doc;
    return bool(out);
}

} // namespace

int runBenchTable(const std::vector<int>& sizes, std::uint64_t seed, const std::string& docFile)
{
    std::string table = "| image | columns | wall | per column | detect | refine | features | embed | cluster | hierarchy "
                        "| peak RSS | motifs | ARI (sites) |\n"
                        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (int size : sizes) {
        table += row(size, seed) + "\n";
        std::fprintf(stderr, "%d^2 done\n", size);
    }
    char footer[256];
    std::snprintf(footer, sizeof footer,
                  "\nmixed-lattice, seed %llu, %d threads; stages in seconds; peak RSS is the process's during "
                  "that size's run (it holds the synthetic image beside its finite copy, the CLI only the copy).\n",
                  static_cast<unsigned long long>(seed), ThreadLimit::active());
    table += footer;
    std::fputs(table.c_str(), stdout);
    return docFile.empty() || writeIntoDoc(table, docFile) ? 0 : 1;
}
