#pragma once
/**
 * Matching detected columns to known (planted or rendered) truth positions, for the tests and the
 * benchmark. Four rules, as the tests need them:
 *  - matchTruth: each column's nearest truth column within the radius (a truth column may serve several);
 *  - matchTruthOneToOne: the same, but a truth column stays with the closest of the columns that chose it;
 *  - matchInTurn: one to one, each query in index order taking its nearest target not yet taken;
 *  - matchClosestFirst: one to one, the closest of all pairs first.
 * Points are anything with x and y (AtomColumn, synth::TruthColumn, a test's own struct) or a
 * std::pair (x, y).
 */

#include "core/detect/atom_column.h"
#include "core/learn/metrics.h"
#include "core/synth/synth.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace motifscope::test {

namespace truth_match_detail {

template <class P> double xOf(const P& p)
{
    if constexpr (requires { p.x; })
        return p.x;
    else
        return p.first;
}

template <class P> double yOf(const P& p)
{
    if constexpr (requires { p.y; })
        return p.y;
    else
        return p.second;
}

} // namespace truth_match_detail

/** Euclidean distance between two points of any of the kinds above. */
template <class A, class B> double pointDistance(const A& a, const B& b)
{
    return std::hypot(truth_match_detail::xOf(a) - truth_match_detail::xOf(b),
                      truth_match_detail::yOf(a) - truth_match_detail::yOf(b));
}

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
                    const double d = pointDistance(truth[std::size_t(t)], columns[i]);
                    if (d < best) {
                        best = d;
                        match[i] = t;
                    }
                }
            }
    }
    return match;
}

/**
 * Per detected column, the truth column within `radius` nearest to it, each truth column taken once:
 * of the columns whose nearest it is, the closest keeps it (the first on a tie), the others get -1.
 */
inline std::vector<int> matchTruthOneToOne(const AtomColumns& columns, const std::vector<synth::TruthColumn>& truth,
                                           double radius)
{
    std::vector<int> match = matchTruth(columns, truth, radius);
    std::vector<double> taken(truth.size(), radius); // distance of the column that holds each truth column
    std::vector<int> holder(truth.size(), -1);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const int t = match[i];
        if (t < 0)
            continue;
        const double d = pointDistance(truth[std::size_t(t)], columns[i]);
        if (d >= taken[std::size_t(t)]) {
            match[i] = -1;
            continue;
        }
        if (holder[std::size_t(t)] >= 0)
            match[std::size_t(holder[std::size_t(t)])] = -1;
        holder[std::size_t(t)] = int(i);
        taken[std::size_t(t)] = d;
    }
    return match;
}

/**
 * One to one, greedy in index order: each of `queries` in turn takes the nearest of `targets` within
 * `radius` that no earlier query took. Per query, the target's index (-1 when none).
 */
template <class Query, class Target>
std::vector<int> matchInTurn(const std::vector<Query>& queries, const std::vector<Target>& targets, double radius)
{
    std::vector<int> match(queries.size(), -1);
    std::vector<char> taken(targets.size(), 0);
    for (std::size_t q = 0; q < queries.size(); ++q) {
        int best = -1;
        double bestD = radius;
        for (std::size_t t = 0; t < targets.size(); ++t) {
            const double d = pointDistance(targets[t], queries[q]);
            if (!taken[t] && d < bestD)
                bestD = d, best = int(t);
        }
        if (best >= 0) {
            taken[std::size_t(best)] = 1;
            match[q] = best;
        }
    }
    return match;
}

/**
 * One to one, greedy by distance: of all pairs closer than `radius`, the closest first. Per point
 * of `a`, the index of its partner in `b` (-1 when none).
 */
template <class A, class B> std::vector<int> matchClosestFirst(const std::vector<A>& a, const std::vector<B>& b, double radius)
{
    struct Pair
    {
        double d;
        int i, j;
    };
    std::vector<Pair> pairs;
    for (int i = 0; i < int(a.size()); ++i)
        for (int j = 0; j < int(b.size()); ++j) {
            const double d = pointDistance(b[std::size_t(j)], a[std::size_t(i)]);
            if (d < radius)
                pairs.push_back({d, i, j});
        }
    std::sort(pairs.begin(), pairs.end(), [](const Pair& p, const Pair& q) { return p.d < q.d; });
    std::vector<int> of(a.size(), -1);
    std::vector<char> taken(b.size(), 0);
    for (const Pair& p : pairs)
        if (of[std::size_t(p.i)] < 0 && !taken[std::size_t(p.j)])
            of[std::size_t(p.i)] = p.j, taken[std::size_t(p.j)] = 1;
    return of;
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

/** Adjusted Rand index of the motifs against a synthetic scene's planted site types (away from grain boundaries). */
inline double siteAdjustedRandIndex(const AtomColumns& columns, const std::vector<int>& motif, const synth::SynthResult& scene)
{
    const MotifTruthPairs pairs = pairWithTruth(columns, motif, scene.truth, 0.25 * scene.latticePeriod);
    return adjustedRandIndex(pairs.found, pairs.site);
}

} // namespace motifscope::test
