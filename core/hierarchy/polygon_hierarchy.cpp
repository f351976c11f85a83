#include "core/hierarchy/hierarchy.h"
#include "core/hierarchy/motif_tally.h"
#include "core/hierarchy/neighbour_graph.h"
#include "core/hierarchy/rings.h"
#include "core/util/progress.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <span>
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

/**
 * The distinct ring types of a ring set, each with its canonical form and name made once: a type
 * is the ring's size, its centres and (with labels) the canonical cyclic label sequence and the
 * sorted labels inside. Types are numbered in the order of their canonical forms, so comparing
 * type numbers compares canonical forms.
 */
struct RingTypes
{
    std::vector<int> typeOf;          ///< per ring
    std::vector<std::string> key;     ///< per type: canonical form
    std::vector<std::string> name;    ///< per type
    std::vector<int> members;         ///< per type: columns around the ring
};

/** Reused buffers for ring signatures and unions (no allocation per ring once they have grown). */
struct Scratch
{
    std::vector<int> cycle, canonical, candidate, all;
};

/** A ring type's signature: size m, centre count c, then with labels the canonical label cycle
 *  (m labels) and the sorted labels inside (c labels). */
void ringSignature(const Ring& ring, const std::vector<int>* labels, std::vector<int>& out, Scratch& scratch)
{
    out.assign({int(ring.members.size()), int(ring.centres.size())});
    if (!labels)
        return;
    scratch.cycle.clear();
    for (int v : ring.members)
        scratch.cycle.push_back((*labels)[std::size_t(v)]);
    canonicalCycleInto(scratch.cycle, scratch.canonical, scratch.candidate);
    out.insert(out.end(), scratch.canonical.begin(), scratch.canonical.end());
    const std::size_t insideBegin = out.size();
    for (int v : ring.centres)
        out.push_back((*labels)[std::size_t(v)]);
    std::sort(out.begin() + std::ptrdiff_t(insideBegin), out.end());
}

/** Canonical form and name of a ring type from its signature (see ringSignature). */
std::pair<std::string, std::string> ringTypeText(const std::vector<int>& signature, bool labelled)
{
    const int m = signature[0];
    const int centres = signature[1];
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
    if (labelled) {
        const auto insideBegin = signature.begin() + 2 + m;
        const std::vector<int> seq(signature.begin() + 2, insideBegin);
        const std::vector<int> inside(insideBegin, signature.end());
        const std::string body = joinInts(seq, ".") + (inside.empty() ? "" : "|" + joinInts(inside, "."));
        key += "[" + body + "]";
        name += " [" + joinInts(seq, " ") + (inside.empty() ? "" : " | " + joinInts(inside, " ")) + "]";
    }
    return {key, name};
}

RingTypes internRingTypes(const std::vector<Ring>& rings, const std::vector<int>* labels)
{
    std::map<std::vector<int>, int> firstSeen; // signature -> type in order of first appearance
    std::vector<int> signature, seenType(rings.size());
    Scratch scratch;
    for (std::size_t r = 0; r < rings.size(); ++r) {
        ringSignature(rings[r], labels, signature, scratch);
        seenType[r] = firstSeen.try_emplace(signature, int(firstSeen.size())).first->second;
    }
    std::vector<std::pair<std::string, std::string>> text(firstSeen.size());
    std::vector<int> members(firstSeen.size());
    for (const auto& [sig, t] : firstSeen) {
        text[std::size_t(t)] = ringTypeText(sig, labels != nullptr);
        members[std::size_t(t)] = sig[0];
    }
    std::vector<int> order(text.size());
    for (std::size_t t = 0; t < order.size(); ++t)
        order[t] = int(t);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return text[std::size_t(a)].first < text[std::size_t(b)].first; });
    RingTypes types;
    std::vector<int> rankOf(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        rankOf[std::size_t(order[k])] = int(k);
        types.key.push_back(text[std::size_t(order[k])].first);
        types.name.push_back(text[std::size_t(order[k])].second);
        types.members.push_back(members[std::size_t(order[k])]);
    }
    types.typeOf.resize(rings.size());
    for (std::size_t r = 0; r < rings.size(); ++r)
        types.typeOf[r] = rankOf[std::size_t(seenType[r])];
    return types;
}

/** Columns in the union of a ring and the rings across its edges (`across`, or none). */
int unionSize(const std::vector<Ring>& rings, std::size_t ring, std::span<const int> across, std::vector<int>& all)
{
    all.assign(rings[ring].members.begin(), rings[ring].members.end());
    for (int other : across) {
        const auto& m = rings[std::size_t(other)].members;
        all.insert(all.end(), m.begin(), m.end());
    }
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
    // Each column's votes (the motifs of the counted rings it is a member of), stored per column.
    std::vector<int> start(n + 1, 0);
    for (const Ring& r : rings)
        if (r.counted)
            for (int v : r.members)
                ++start[std::size_t(v) + 1];
    for (std::size_t i = 0; i < n; ++i)
        start[i + 1] += start[i];
    std::vector<int> votes(std::size_t(start[n])), filled(start.begin(), start.end() - 1);
    for (const Ring& r : rings)
        if (r.counted)
            for (int v : r.members)
                votes[std::size_t(filled[std::size_t(v)]++)] = r.motif;
    std::vector<int> motif(n, -1);
    for (std::size_t i = 0; i < n; ++i) {
        // The most frequent vote; on ties the lower motif index (the more abundant motif).
        const auto first = votes.begin() + start[i], last = votes.begin() + start[i + 1];
        int best = 0;
        for (auto v = first; v != last; ++v) {
            const int c = int(std::count(first, last, *v));
            if (c > best || (c == best && *v < motif[i])) {
                best = c;
                motif[i] = *v;
            }
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
                                      const HierarchyParams& params, Progress* progress,
                                      const ColumnTriangulation* triangulation)
{
    validate(points, motifLabels);
    if (progress)
        progress->beginStage("hierarchy", 0.0, 1.0);
    HierarchyResult result;
    result.route = "polygons";
    Triangulation own;
    const Triangulation& tri = givenOrOwnTriangulation(points, triangulation, own);
    throwIfCancelled(progress);
    if (progress)
        progress->report(0.5);
    result.bondCutoff = params.bondCutoff > 0.0 ? params.bondCutoff : chooseBondCutoff(tri.edgeLength);
    RingSet rs = findRings(points, tri, result.bondCutoff, params);
    throwIfCancelled(progress);
    if (progress)
        progress->report(0.8);
    result.bonds = std::move(rs.bonds);

    // Level 1: ring types, each type's canonical form and name made once.
    const RingTypes types = internRingTypes(rs.rings, motifLabels);
    std::vector<long long> typeCount(types.key.size(), 0);
    for (std::size_t r = 0; r < rs.rings.size(); ++r) {
        Ring& ring = rs.rings[r];
        ring.counted = params.countBorderRings || !ring.border;
        if (ring.counted)
            ++typeCount[std::size_t(types.typeOf[r])];
    }
    MotifTally tally1;
    for (std::size_t t = 0; t < typeCount.size(); ++t)
        if (typeCount[t] > 0)
            tally1.add(types.key[t], types.name[t], types.members[t], {}, typeCount[t]);
    HierarchyLevel level1 = tally1.finish(1, {});
    const auto ids1 = MotifTally::idsOf(level1);
    std::vector<int> levelIndexOfType(types.key.size(), -1);
    for (std::size_t k = 0; k < level1.motifs.size(); ++k) {
        const auto t = std::lower_bound(types.key.begin(), types.key.end(), level1.motifs[k].canonical);
        levelIndexOfType[std::size_t(t - types.key.begin())] = int(k);
    }
    for (std::size_t r = 0; r < rs.rings.size(); ++r)
        if (rs.rings[r].counted) {
            rs.rings[r].motif = levelIndexOfType[std::size_t(types.typeOf[r])];
            level1.motifs[std::size_t(rs.rings[r].motif)].atEdge += rs.rings[r].border;
        }

    // Level 2: pairs of counted rings sharing an edge, tallied by their (ordered) pair of types.
    const auto counted = [&](int r) { return r >= 0 && rs.rings[std::size_t(r)].counted; };
    for (std::size_t r = 0; r < rs.rings.size(); ++r)
        for (int other : rs.across[r])
            if (counted(int(r)) && counted(other) && int(r) < other)
                result.ringPairs.emplace_back(int(r), other);
    std::sort(result.ringPairs.begin(), result.ringPairs.end());
    result.ringPairs.erase(std::unique(result.ringPairs.begin(), result.ringPairs.end()), result.ringPairs.end());
    const auto typePair = [&](int a, int b) {
        const int ta = types.typeOf[std::size_t(a)], tb = types.typeOf[std::size_t(b)];
        return ta < tb ? std::pair<int, int>(ta, tb) : std::pair<int, int>(tb, ta);
    };
    const auto pairKey = [&](std::pair<int, int> t) {
        return types.key[std::size_t(t.first)] + "+" + types.key[std::size_t(t.second)];
    };
    Scratch scratch;
    std::map<std::pair<std::pair<int, int>, int>, long long> pairTally; // (type pair, union size) -> count
    for (const auto& [a, b] : result.ringPairs) {
        const int other[] = {b};
        ++pairTally[{typePair(a, b), unionSize(rs.rings, std::size_t(a), other, scratch.all)}];
    }
    MotifTally tally2;
    for (const auto& [pairAndSize, times] : pairTally) {
        const auto& [t, size] = pairAndSize;
        tally2.add(pairKey(t), types.name[std::size_t(t.first)] + " + " + types.name[std::size_t(t.second)], size,
                   {types.key[std::size_t(t.first)], types.key[std::size_t(t.second)]}, times);
    }
    HierarchyLevel level2 = tally2.finish(2, ids1);
    const auto ids2 = MotifTally::idsOf(level2);

    // Level 3: a ring with its complete shell of edge-sharing rings, one neighbour per edge, tallied
    // by its type followed by the canonical cycle of its neighbours' types.
    std::map<std::pair<std::vector<int>, int>, long long> shellTally; // (signature, union size) -> count
    std::pair<std::vector<int>, int> shell;
    for (std::size_t r = 0; r < rs.rings.size(); ++r) {
        const auto& across = rs.across[r];
        if (!counted(int(r)) || !std::all_of(across.begin(), across.end(), counted))
            continue;
        scratch.cycle.clear();
        for (int other : across)
            scratch.cycle.push_back(types.typeOf[std::size_t(other)]);
        canonicalCycleInto(scratch.cycle, scratch.canonical, scratch.candidate);
        shell.first.assign(1, types.typeOf[r]);
        shell.first.insert(shell.first.end(), scratch.canonical.begin(), scratch.canonical.end());
        shell.second = unionSize(rs.rings, r, across, scratch.all);
        ++shellTally[shell];
    }
    MotifTally tally3;
    for (const auto& [signatureAndSize, times] : shellTally) {
        const auto& [signature, size] = signatureAndSize;
        const int centre = signature[0];
        std::string k = types.key[std::size_t(centre)] + ":(", n = types.name[std::size_t(centre)] + " : ";
        std::vector<std::string> children;
        for (std::size_t i = 1; i < signature.size(); ++i) {
            const int t = signature[i];
            k += (i > 1 ? "," : "") + types.key[std::size_t(t)];
            n += (i > 1 ? ", " : "") + types.name[std::size_t(t)];
            children.push_back(pairKey(centre < t ? std::pair<int, int>(centre, t) : std::pair<int, int>(t, centre)));
        }
        tally3.add(k + ")", n, size, children, times);
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
