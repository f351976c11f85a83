#pragma once
/** Helpers shared by the hierarchy tests: rigid transforms of point sets and a comparable summary of a result. */

#include "core/hierarchy/hierarchy.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

namespace motifscope::test {

/** The points rotated by `degrees` about the origin (mirrored in x first when `mirror`), shifted by (1000, 1000). */
inline std::vector<Point2> transformed(const std::vector<Point2>& p, double degrees, bool mirror)
{
    const double t = degrees * std::numbers::pi / 180.0;
    std::vector<Point2> out;
    out.reserve(p.size());
    for (const Point2& q : p) {
        const double x = mirror ? -q.x : q.x;
        out.push_back({1000.0 + x * std::cos(t) - q.y * std::sin(t), 1000.0 + x * std::sin(t) + q.y * std::cos(t)});
    }
    return out;
}

/** Per level, the sorted (canonical form, count) of every motif: equal signatures = the same hierarchy. */
using HierarchySignature = std::vector<std::vector<std::pair<std::string, long long>>>;

inline HierarchySignature signature(const HierarchyResult& r)
{
    HierarchySignature sig;
    for (const HierarchyLevel& l : r.levels) {
        sig.emplace_back();
        for (const MotifNode& m : l.motifs)
            sig.back().emplace_back(m.canonical, m.count);
        std::sort(sig.back().begin(), sig.back().end());
    }
    return sig;
}

/** Count of the motif with canonical form `canonical` in level `level` (1-based), 0 when absent. */
inline long long motifCount(const HierarchyResult& r, int level, const std::string& canonical)
{
    if (level < 1 || level > int(r.levels.size()))
        return 0;
    for (const MotifNode& m : r.levels[std::size_t(level - 1)].motifs)
        if (m.canonical == canonical)
            return m.count;
    return 0;
}

} // namespace motifscope::test
