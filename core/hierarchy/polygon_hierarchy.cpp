#include "core/hierarchy/hierarchy.h"
#include "core/hierarchy/motif_tally.h"
#include "core/hierarchy/neighbour_graph.h"
#include "core/hierarchy/rings.h"
#include "core/util/progress.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace motifscope {

using namespace hierarchy_detail;

namespace {

std::string polygonName(int members)
{
    static const char* names[] = {"triangle", "square", "pentagon", "hexagon", "heptagon", "octagon",
                                  "nonagon", "decagon"};
    return members >= 3 && members <= 10 ? names[members - 3] : std::to_string(members) + "-ring";
}

std::string joinInts(const std::vector<int>& v, const char* sep)
{
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i)
        s += (i ? sep : "") + std::to_string(v[i]);
    return s;
}

/** Canonical form and name of a ring type: size, hollow/filled, and the cyclic label sequence. */
std::pair<std::string, std::string> ringType(const Ring& ring, const std::vector<int>* labels)
{
    const int m = int(ring.members.size());
    const int centres = int(ring.centres.size());
    std::string key = std::to_string(m) + (centres ? "F" : "H");
    if (centres > 1)
        key += std::to_string(centres);
    std::string name = polygonName(m);
    if (centres == 1)
        name += " (filled)";
    else if (centres > 1)
        name += " (filled, " + std::to_string(centres) + " centres)";
    else if (m >= 5)
        name += " (hollow)";
    if (labels) {
        std::vector<int> seq;
        for (int v : ring.members)
            seq.push_back((*labels)[std::size_t(v)]);
        seq = canonicalCycle(seq);
        std::vector<int> inside;
        for (int v : ring.centres)
            inside.push_back((*labels)[std::size_t(v)]);
        std::sort(inside.begin(), inside.end());
        const std::string body = joinInts(seq, ".") + (inside.empty() ? "" : "|" + joinInts(inside, "."));
        key += "[" + body + "]";
        name += " [" + joinInts(seq, " ") + (inside.empty() ? "" : " | " + joinInts(inside, " ")) + "]";
    }
    return {key, name};
}

int unionSize(const std::vector<const Ring*>& rings)
{
    std::vector<int> all;
    for (const Ring* r : rings)
        all.insert(all.end(), r->members.begin(), r->members.end());
    std::sort(all.begin(), all.end());
    return int(std::unique(all.begin(), all.end()) - all.begin());
}

void validate(const std::vector<Point2>& points, const std::vector<int>* labels)
{
    for (std::size_t i = 0; i < points.size(); ++i)
        if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y))
            throw std::invalid_argument("point " + std::to_string(i) + " has a non-finite coordinate");
    if (labels && labels->size() != points.size())
        throw std::invalid_argument("motif labels: " + std::to_string(labels->size()) + " labels for " +
                                    std::to_string(points.size()) + " points");
}

/** Each column's level-1 motif: the centre of a filled ring takes that ring's type; any other
 *  column the most common type among the counted rings it is a member of (ties: the more abundant). */
std::vector<int> columnMotifs(std::size_t n, const std::vector<Ring>& rings)
{
    std::vector<int> motif(n, -1);
    std::vector<std::map<int, int>> votes(n);
    for (const Ring& r : rings) {
        if (!r.counted)
            continue;
        for (int v : r.members)
            ++votes[std::size_t(v)][r.motif];
    }
    for (std::size_t i = 0; i < n; ++i) {
        int best = 0;
        for (const auto& [m, c] : votes[i])
            if (c > best) {
                best = c;
                motif[i] = m;
            }
    }
    for (const Ring& r : rings)
        if (r.counted)
            for (int v : r.centres)
                motif[std::size_t(v)] = r.motif;
    return motif;
}

} // namespace

HierarchyResult buildPolygonHierarchy(const std::vector<Point2>& points, const std::vector<int>* motifLabels,
                                      const HierarchyParams& params, Progress* progress)
{
    validate(points, motifLabels);
    if (progress)
        progress->beginStage("hierarchy", 0.0, 1.0);
    HierarchyResult result;
    result.route = "polygons";
    const Triangulation tri = delaunayTriangulation(points);
    throwIfCancelled(progress);
    if (progress)
        progress->report(0.5);
    result.bondCutoff = params.bondCutoff > 0.0 ? params.bondCutoff : chooseBondCutoff(tri.edgeLength);
    RingSet rs = findRings(points, tri, result.bondCutoff, params);
    throwIfCancelled(progress);
    if (progress)
        progress->report(0.8);
    result.bonds = std::move(rs.bonds);

    // Level 1: ring types.
    MotifTally tally1;
    std::vector<std::string> key(rs.rings.size()), name(rs.rings.size());
    for (std::size_t r = 0; r < rs.rings.size(); ++r) {
        Ring& ring = rs.rings[r];
        ring.counted = params.countBorderRings || !ring.border;
        std::tie(key[r], name[r]) = ringType(ring, motifLabels);
        if (ring.counted)
            tally1.add(key[r], name[r], int(ring.members.size()), {});
    }
    HierarchyLevel level1 = tally1.finish(1, {});
    const auto ids1 = MotifTally::idsOf(level1);
    std::map<std::string, int> index1;
    for (std::size_t k = 0; k < level1.motifs.size(); ++k)
        index1[level1.motifs[k].canonical] = int(k);
    for (std::size_t r = 0; r < rs.rings.size(); ++r)
        if (rs.rings[r].counted) {
            rs.rings[r].motif = index1[key[r]];
            level1.motifs[std::size_t(rs.rings[r].motif)].atEdge += rs.rings[r].border;
        }

    // Level 2: pairs of counted rings sharing an edge.
    const auto counted = [&](int r) { return r >= 0 && rs.rings[std::size_t(r)].counted; };
    for (std::size_t r = 0; r < rs.rings.size(); ++r)
        for (int other : rs.across[r])
            if (counted(int(r)) && counted(other) && int(r) < other)
                result.ringPairs.emplace_back(int(r), other);
    std::sort(result.ringPairs.begin(), result.ringPairs.end());
    result.ringPairs.erase(std::unique(result.ringPairs.begin(), result.ringPairs.end()), result.ringPairs.end());
    const auto pairKey = [&](int a, int b) {
        return key[std::size_t(a)] < key[std::size_t(b)] ? key[std::size_t(a)] + "+" + key[std::size_t(b)]
                                                         : key[std::size_t(b)] + "+" + key[std::size_t(a)];
    };
    MotifTally tally2;
    for (const auto& [a, b] : result.ringPairs) {
        const bool aFirst = key[std::size_t(a)] < key[std::size_t(b)];
        const std::size_t first = std::size_t(aFirst ? a : b), second = std::size_t(aFirst ? b : a);
        tally2.add(pairKey(a, b), name[first] + " + " + name[second],
                   unionSize({&rs.rings[first], &rs.rings[second]}), {key[first], key[second]});
    }
    HierarchyLevel level2 = tally2.finish(2, ids1);
    const auto ids2 = MotifTally::idsOf(level2);

    // Level 3: a ring with its complete shell of edge-sharing rings, one neighbour per edge.
    MotifTally tally3;
    for (std::size_t r = 0; r < rs.rings.size(); ++r) {
        const auto& across = rs.across[r];
        if (!counted(int(r)) || !std::all_of(across.begin(), across.end(), counted))
            continue;
        std::vector<std::string> shellKeys, shellNames, children;
        std::vector<const Ring*> members{&rs.rings[r]};
        for (int other : across) {
            shellKeys.push_back(key[std::size_t(other)]);
            children.push_back(pairKey(int(r), other));
            members.push_back(&rs.rings[std::size_t(other)]);
        }
        // Canonical order of the neighbour keys; names follow the same order.
        std::vector<std::pair<std::string, std::string>> seq;
        for (int other : across)
            seq.emplace_back(key[std::size_t(other)], name[std::size_t(other)]);
        seq = canonicalCycle(seq);
        std::string k = key[r] + ":(", n = name[r] + " : ";
        for (std::size_t i = 0; i < seq.size(); ++i) {
            k += (i ? "," : "") + seq[i].first;
            n += (i ? ", " : "") + seq[i].second;
        }
        tally3.add(k + ")", n, unionSize(members), children);
    }
    HierarchyLevel level3 = tally3.finish(3, ids2);
    linkParents(level2, level3);
    linkParents(level1, level2);
    result.levels = {std::move(level1), std::move(level2), std::move(level3)};
    result.columnMotif = columnMotifs(points.size(), rs.rings);
    result.rings = std::move(rs.rings);
    if (progress)
        progress->report(1.0);
    return result;
}

} // namespace motifscope
