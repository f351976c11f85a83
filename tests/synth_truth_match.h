#pragma once
/** Matching detected columns to the planted columns of a synthetic micrograph (tests and the benchmark). */

#include "detect/atom_column.h"
#include "synth/synth.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace motifscope::test {

/** Index of the truth column within `radius` px of each detected column (-1 when none). */
inline std::vector<int> matchTruth(const AtomColumns& columns, const std::vector<synth::TruthColumn>& truth, double radius)
{
    const double cell = std::max(8.0, radius);
    auto key = [&](double x, double y) {
        return (std::int64_t(std::floor(x / cell)) << 32) ^ std::int64_t(std::floor(y / cell) + 1e6);
    };
    std::unordered_map<std::int64_t, std::vector<int>> grid;
    for (std::size_t t = 0; t < truth.size(); ++t)
        grid[key(truth[t].x, truth[t].y)].push_back(int(t));
    std::vector<int> match(columns.size(), -1);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        double best = radius;
        for (int dx = -1; dx <= 1; ++dx)
            for (int dy = -1; dy <= 1; ++dy) {
                const auto it = grid.find(key(columns[i].x + dx * cell, columns[i].y + dy * cell));
                if (it == grid.end())
                    continue;
                for (int t : it->second) {
                    const double d = std::hypot(truth[std::size_t(t)].x - columns[i].x, truth[std::size_t(t)].y - columns[i].y);
                    if (d < best) {
                        best = d;
                        match[i] = t;
                    }
                }
            }
    }
    return match;
}

/** Learned motif and planted site type of every matched column away from grain boundaries. */
struct MotifTruthPairs
{
    std::vector<int> found, site, lattice;
};

inline MotifTruthPairs pairWithTruth(const AtomColumns& columns, const std::vector<int>& motif,
                                     const std::vector<synth::TruthColumn>& truth, double radius)
{
    const std::vector<int> match = matchTruth(columns, truth, radius);
    MotifTruthPairs out;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (match[i] < 0 || motif[i] < 0)
            continue;
        const synth::TruthColumn& t = truth[std::size_t(match[i])];
        if (t.nearBoundary)
            continue;
        out.found.push_back(motif[i]);
        out.site.push_back(t.motif);
        out.lattice.push_back(t.label);
    }
    return out;
}

} // namespace motifscope::test
