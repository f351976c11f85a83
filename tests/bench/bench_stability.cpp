#include "bench_stability.h"

#include "core/detect/column_detector.h"
#include "core/learn/metrics.h"
#include "core/pipeline/full_analysis.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "synth_truth_match.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

using namespace motifscope;

namespace {

/// Relative changes of the period, in percent: first the estimate itself, which the others are compared with.
constexpr double kChangesPercent[] = {0.0, -0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2, 0.3};

/** Motif sizes, largest first, as a JSON list. */
std::string motifSizes(const std::vector<int>& motif)
{
    std::vector<long long> count;
    for (int m : motif)
        if (m >= 0) {
            if (std::size_t(m) >= count.size())
                count.resize(std::size_t(m) + 1, 0);
            ++count[std::size_t(m)];
        }
    std::sort(count.rbegin(), count.rend());
    std::string out = "[";
    for (std::size_t i = 0; i < count.size(); ++i)
        out += (i ? ", " : "") + std::to_string(count[i]);
    return out + "]";
}

/**
 * Prints, per class of `classOf` (per column, -1 = none), its columns by planted site type as a
 * JSON line: {"<what>": [[class, [count per site...], near-boundary, unmatched], ...]}.
 */
void printConfusion(const char* what, const AtomColumns& columns, const std::vector<int>& classOf,
                    const synth::SynthResult& scene)
{
    const std::vector<int> match = test::matchTruth(columns, scene.truth, 0.25 * scene.latticePeriod);
    const std::size_t sites = scene.motifNames.size();
    std::vector<std::vector<long long>> table; // per class: sites..., near boundary, unmatched
    for (std::size_t i = 0; i < columns.size() && i < classOf.size(); ++i) {
        const int c = classOf[i];
        if (c < 0)
            continue;
        if (std::size_t(c) >= table.size())
            table.resize(std::size_t(c) + 1, std::vector<long long>(sites + 2, 0));
        std::vector<long long>& row = table[std::size_t(c)];
        if (match[i] < 0)
            ++row[sites + 1];
        else if (scene.truth[std::size_t(match[i])].nearBoundary)
            ++row[sites];
        else
            ++row[std::size_t(scene.truth[std::size_t(match[i])].motif)];
    }
    std::string out = std::string("{\"") + what + "\": [";
    for (std::size_t c = 0; c < table.size(); ++c) {
        out += (c ? ", [" : "[") + std::to_string(c) + ", [";
        for (std::size_t s = 0; s < sites; ++s)
            out += (s ? ", " : "") + std::to_string(table[c][s]);
        out += "], " + std::to_string(table[c][sites]) + ", " + std::to_string(table[c][sites + 1]) + "]";
    }
    std::printf("%s]}\n", out.c_str());
}

} // namespace

int runStabilityBench(const std::string& preset, int size, std::uint64_t seed, bool confusion)
{
    const synth::SynthResult scene = synth::synthesize(test::synthOptions(preset, size, seed));
    const bool haveSites = !scene.motifNames.empty();
    const double estimate = estimateLatticePeriod(scene.image);
    std::vector<int> unchanged; // motif per column of the run at the estimate
    std::size_t unchangedColumns = 0;
    int fewest = 1 << 30, most = 0;
    double lowestAri = 1.0, highestAri = -1.0;
    for (double change : kChangesPercent) {
        FullAnalysisParams params;
        params.analysis.detection.period = estimate * (1.0 + change / 100.0);
        const FullAnalysis run = runFullAnalysis(scene.image, params);
        const AtomColumns& columns = run.base.detection.columns;
        const double ari = haveSites ? test::siteAdjustedRandIndex(columns, run.labels.motif, scene) : -1.0;
        if (change == 0.0) {
            unchanged = run.labels.motif;
            unchangedColumns = columns.size();
        }
        // Against the unchanged run: only when both found the same number of columns (then the
        // same columns in the same row-major order, up to sub-pixel positions).
        double ariUnchanged = -1.0;
        if (columns.size() == unchangedColumns)
            ariUnchanged = adjustedRandIndex(unchanged, run.labels.motif);
        const int motifs = int(run.motifs.size());
        fewest = std::min(fewest, motifs);
        most = std::max(most, motifs);
        if (haveSites)
            lowestAri = std::min(lowestAri, ari), highestAri = std::max(highestAri, ari);
        std::printf("{\"period_change_percent\": %+.2f, \"period_px\": %.4f, \"columns\": %zu, \"motifs\": %d, "
                    "\"sizes\": %s, \"ari_sites\": %.4f, \"ari_vs_unchanged\": %.4f}\n",
                    change, params.analysis.detection.period, columns.size(), motifs, motifSizes(run.labels.motif).c_str(),
                    ari, ariUnchanged);
        if (confusion && haveSites) {
            std::vector<int> mapClass(columns.size(), -1);
            for (std::size_t r = 0; r < run.learnedRows.size() && r < run.mapMotif.size(); ++r)
                mapClass[std::size_t(run.learnedRows[r])] = run.mapMotif[r];
            printConfusion("map_classes", columns, mapClass, scene);
            printConfusion("motifs", columns, run.labels.motif, scene);
        }
        std::fflush(stdout);
    }
    std::printf("{\"preset\": \"%s\", \"size\": %d, \"seed\": %llu, \"estimate_px\": %.4f, \"motifs\": [%d, %d], "
                "\"ari_sites\": [%.4f, %.4f]}\n",
                preset.c_str(), size, (unsigned long long)seed, estimate, fewest, most, haveSites ? lowestAri : -1.0,
                haveSites ? highestAri : -1.0);
    return 0;
}
