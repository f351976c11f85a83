// Point defects on any preset (option `defects`): a share of the columns of site motif 0 are made
// dim (their peak x kDimFactor: a partial vacancy, as an Se2 column missing one Se in MoSe2). Each
// such column is its own motif, "dim <site>", and its nearest neighbours (within kNeighbourReach
// periods) get "<their site> next to a dim <host site>". Defects lie at least kIsolation periods
// apart, so a neighbour sees one dim column and the defect motifs are well defined.
#include "core/synth/presets.h"

#include <cmath>

namespace motifscope::synth {

namespace {

constexpr double kDimFactor = 0.5;
constexpr double kNeighbourReach = 1.25; ///< periods
constexpr double kIsolation = 3.0;       ///< periods between two defects at least
constexpr std::uint64_t kDefectStream = 0xDEF;

} // namespace

void plantPointDefects(Planted& planted, const SynthOptions& options, double period)
{
    if (!(options.defects > 0.0))
        return;
    SynthResult& result = planted.result;
    std::vector<TruthColumn>& truth = result.truth;
    if (truth.empty() || result.motifNames.empty())
        return;
    const int sites = int(result.motifNames.size());
    const int host = 0;
    Random random(deriveSeed(options.seed, kDefectStream));

    // Columns on a grid of one-period cells, for the neighbourhood queries.
    const double cell = period;
    const int gw = int(std::ceil(options.size / cell)) + 1;
    std::vector<std::vector<int>> grid(std::size_t(gw) * std::size_t(gw));
    auto cellOf = [&](double v) { return std::clamp(int(v / cell), 0, gw - 1); };
    for (std::size_t i = 0; i < truth.size(); ++i)
        grid[std::size_t(cellOf(truth[i].y)) * std::size_t(gw) + std::size_t(cellOf(truth[i].x))].push_back(int(i));
    auto near = [&](std::size_t i, double reach, auto&& visit) {
        const int r = int(std::ceil(reach / cell));
        const int cx = cellOf(truth[i].x), cy = cellOf(truth[i].y);
        for (int gy = std::max(0, cy - r); gy <= std::min(gw - 1, cy + r); ++gy)
            for (int gx = std::max(0, cx - r); gx <= std::min(gw - 1, cx + r); ++gx)
                for (int j : grid[std::size_t(gy) * std::size_t(gw) + std::size_t(gx)])
                    if (std::size_t(j) != i && std::hypot(truth[std::size_t(j)].x - truth[i].x, truth[std::size_t(j)].y - truth[i].y) < reach)
                        visit(std::size_t(j));
    };

    std::vector<char> dim(truth.size(), 0);
    int defects = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (truth[i].motif != host || truth[i].nearBoundary || !(random.uniform() < options.defects))
            continue;
        bool isolated = true;
        near(i, kIsolation * period, [&](std::size_t j) { isolated = isolated && !dim[j]; });
        if (!isolated)
            continue;
        dim[i] = 1;
        ++defects;
    }
    const int dimMotif = sites;
    result.motifNames.push_back("dim " + result.motifNames[std::size_t(host)]);
    for (int s = 0; s < sites; ++s)
        result.motifNames.push_back(result.motifNames[std::size_t(s)] + " next to a dim " + result.motifNames[std::size_t(host)]);
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (!dim[i])
            continue;
        planted.amplitudes[i] *= kDimFactor;
        near(i, kNeighbourReach * period, [&](std::size_t j) {
            if (!dim[j] && truth[j].motif < sites)
                truth[j].motif = dimMotif + 1 + truth[j].motif;
        });
    }
    for (std::size_t i = 0; i < truth.size(); ++i)
        if (dim[i])
            truth[i].motif = dimMotif;
    planted.metadata.push_back({"Synth.Defects", formatNumber(options.defects)});
    planted.metadata.push_back({"Synth.DefectColumns", std::to_string(defects)});
}

} // namespace motifscope::synth
