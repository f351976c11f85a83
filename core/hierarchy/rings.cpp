#include "core/hierarchy/rings.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>

namespace motifscope::hierarchy_detail {

namespace {

/** A directed boundary edge of a face: the face is on its left, `other` on its right. */
struct HalfEdge
{
    int from;
    int to;
    int other;
};

/** The faces of the graph left after cutting some Delaunay edges. */
struct Faces
{
    std::vector<int> triangleFace;                 ///< per triangle
    int outer = 0;                                 ///< the face outside the hull
    std::vector<std::vector<HalfEdge>> boundary;   ///< per face, unordered
    std::vector<std::vector<HalfEdge>> cycle;      ///< per face: its boundary in order when it is one simple small cycle
    std::vector<std::vector<int>> interior;        ///< per face with a cycle: its columns that are not on it
};

/** Chains half-edges into one simple cycle; empty when they form anything else. */
std::vector<HalfEdge> chainCycle(const std::vector<HalfEdge>& edges)
{
    const std::size_t k = edges.size();
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = i + 1; j < k; ++j)
            if (edges[i].from == edges[j].from)
                return {};
    std::vector<HalfEdge> cycle{edges[0]};
    while (cycle.size() < k) {
        const int at = cycle.back().to;
        const auto next = std::find_if(edges.begin(), edges.end(), [&](const HalfEdge& h) { return h.from == at; });
        if (next == edges.end() || next->from == edges[0].from)
            return {};
        cycle.push_back(*next);
    }
    return cycle.back().to == cycle.front().from ? cycle : std::vector<HalfEdge>{};
}

Faces computeFaces(const Triangulation& tri, const std::vector<char>& cut, int maxMembers)
{
    const int nTri = int(tri.triangles.size());
    const int outside = nTri; // sentinel node for the unbounded side
    UnionFind uf(nTri + 1);
    const std::size_t nEdges = tri.edgeU.size();
    for (std::size_t e = 0; e < nEdges; ++e)
        if (cut[e]) {
            const int l = tri.edgeLeft[e] < 0 ? outside : tri.edgeLeft[e];
            const int r = tri.edgeRight[e] < 0 ? outside : tri.edgeRight[e];
            uf.unite(l, r);
        }
    Faces f;
    std::vector<int> faceOfRoot(std::size_t(nTri) + 1, -1);
    int count = 0;
    const auto faceOf = [&](int node) {
        const int root = uf.find(node);
        if (faceOfRoot[std::size_t(root)] < 0)
            faceOfRoot[std::size_t(root)] = count++;
        return faceOfRoot[std::size_t(root)];
    };
    f.outer = faceOf(outside);
    f.triangleFace.resize(std::size_t(nTri));
    for (int t = 0; t < nTri; ++t)
        f.triangleFace[std::size_t(t)] = faceOf(t);
    f.boundary.resize(std::size_t(count));
    for (std::size_t e = 0; e < nEdges; ++e) {
        if (cut[e])
            continue;
        const int l = tri.edgeLeft[e] < 0 ? f.outer : f.triangleFace[std::size_t(tri.edgeLeft[e])];
        const int r = tri.edgeRight[e] < 0 ? f.outer : f.triangleFace[std::size_t(tri.edgeRight[e])];
        if (l == r)
            continue; // a dangling edge inside one face
        f.boundary[std::size_t(l)].push_back({tri.edgeU[e], tri.edgeV[e], r});
        f.boundary[std::size_t(r)].push_back({tri.edgeV[e], tri.edgeU[e], l});
    }
    f.cycle.resize(std::size_t(count));
    f.interior.resize(std::size_t(count));
    for (int face = 0; face < count; ++face) {
        const auto& b = f.boundary[std::size_t(face)];
        if (face != f.outer && b.size() >= 3 && int(b.size()) <= maxMembers)
            f.cycle[std::size_t(face)] = chainCycle(b);
    }
    // Columns of a ring's triangles that are not on its cycle lie inside it.
    for (int t = 0; t < nTri; ++t) {
        const int face = f.triangleFace[std::size_t(t)];
        const auto& cyc = f.cycle[std::size_t(face)];
        if (cyc.empty())
            continue;
        for (int v : tri.triangles[std::size_t(t)]) {
            const bool onCycle = std::any_of(cyc.begin(), cyc.end(), [&](const HalfEdge& h) { return h.from == v; });
            auto& in = f.interior[std::size_t(face)];
            if (!onCycle && std::find(in.begin(), in.end(), v) == in.end())
                in.push_back(v);
        }
    }
    return f;
}

double distance(const Point2& a, const Point2& b)
{
    return std::hypot(a.x - b.x, a.y - b.y);
}

/** A border column whose remaining faces are all triangles around it, nearer to it than to each
 *  other: a filled ring cut open by the border. Its triangles are not rings of their own. */
void markOpenFan(const std::vector<Point2>& points, const Triangulation& tri, const Faces& f,
                 const HierarchyParams& params, int c, std::span<const int> triangles, std::vector<int>& out)
{
    double spoke = 0.0, rim = 0.0;
    int nSpoke = 0, nRim = 0;
    std::vector<int> inner;
    for (int t : triangles) {
        const int face = f.triangleFace[std::size_t(t)];
        if (face == f.outer)
            continue;
        if (f.cycle[std::size_t(face)].size() != 3)
            return;
        inner.push_back(t);
        for (int s = 0; s < 3; ++s) {
            const int u = tri.triangles[std::size_t(t)][std::size_t(s)];
            const int v = tri.triangles[std::size_t(t)][std::size_t((s + 1) % 3)];
            const double d = distance(points[std::size_t(u)], points[std::size_t(v)]);
            if (u == c || v == c)
                spoke += d, ++nSpoke;
            else
                rim += d, ++nRim;
        }
    }
    if (inner.size() < 2 || spoke / nSpoke >= params.filledCentreRatio * rim / nRim)
        return;
    out.insert(out.end(), inner.begin(), inner.end());
}

/** A column whose incident faces close into one even ring around it. */
struct CentreCandidate
{
    int column;
    double score;
    std::vector<int> faces;
};

/**
 * Columns whose fans of faces form filled rings, chosen greedily by evenness, faces not shared.
 * Fans cut open by the outer face (a filled ring at the border) give `openFanTriangles`.
 */
std::vector<CentreCandidate> findCentres(const std::vector<Point2>& points, const Triangulation& tri,
                                         const Faces& f, const HierarchyParams& params,
                                         std::vector<int>& openFanTriangles)
{
    const std::size_t n = points.size();
    std::vector<int> start(n + 1, 0);
    for (const auto& t : tri.triangles)
        for (int v : t)
            ++start[std::size_t(v) + 1];
    for (std::size_t i = 0; i < n; ++i)
        start[i + 1] += start[i];
    std::vector<int> incident(static_cast<std::size_t>(start[n]));
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (std::size_t t = 0; t < tri.triangles.size(); ++t)
        for (int v : tri.triangles[t])
            incident[std::size_t(fill[std::size_t(v)]++)] = int(t);

    std::vector<CentreCandidate> candidates;
    std::vector<int> faces;
    std::vector<HalfEdge> rim;
    for (std::size_t c = 0; c < n; ++c) {
        faces.clear();
        bool ok = start[c + 1] > start[c], open = false;
        for (int k = start[c]; ok && k < start[c + 1]; ++k) {
            const int face = f.triangleFace[std::size_t(incident[std::size_t(k)])];
            if (face == f.outer) {
                open = true;
                continue;
            }
            ok = !f.cycle[std::size_t(face)].empty() && f.interior[std::size_t(face)].empty();
            if (std::find(faces.begin(), faces.end(), face) == faces.end())
                faces.push_back(face);
        }
        if (ok && open) {
            markOpenFan(points, tri, f, params, int(c), std::span(incident).subspan(std::size_t(start[c]),
                        std::size_t(start[c + 1] - start[c])), openFanTriangles);
            continue;
        }
        if (!ok || faces.size() < 3)
            continue;
        rim.clear();
        for (int face : faces)
            for (const HalfEdge& h : f.cycle[std::size_t(face)])
                if (std::find(faces.begin(), faces.end(), h.other) == faces.end())
                    rim.push_back(h);
        if (rim.size() < 3 || int(rim.size()) > params.maxRingMembers)
            continue;
        const std::vector<HalfEdge> cycle = chainCycle(rim);
        if (cycle.empty() ||
            std::any_of(cycle.begin(), cycle.end(), [&](const HalfEdge& h) { return h.from == int(c); }))
            continue;
        double sum = 0.0, sum2 = 0.0, bond = 0.0;
        for (const HalfEdge& h : cycle) {
            const double r = distance(points[c], points[std::size_t(h.from)]);
            sum += r;
            sum2 += r * r;
            bond += distance(points[std::size_t(h.from)], points[std::size_t(h.to)]);
        }
        const double m = double(cycle.size());
        const double mean = sum / m;
        const double spread = std::sqrt(std::max(0.0, sum2 / m - mean * mean)) / mean;
        if (spread > params.filledRadiusSpread || mean > params.filledCentreRatio * bond / m)
            continue;
        candidates.push_back({int(c), spread, faces});
    }
    std::sort(candidates.begin(), candidates.end(), [](const CentreCandidate& a, const CentreCandidate& b) {
        return a.score != b.score ? a.score < b.score : a.column < b.column;
    });
    std::vector<char> used(f.boundary.size(), 0);
    std::vector<CentreCandidate> chosen;
    for (auto& cand : candidates) {
        if (std::any_of(cand.faces.begin(), cand.faces.end(), [&](int face) { return used[std::size_t(face)]; }))
            continue;
        for (int face : cand.faces)
            used[std::size_t(face)] = 1;
        chosen.push_back(std::move(cand));
    }
    return chosen;
}

} // namespace

RingSet findRings(const std::vector<Point2>& points, const Triangulation& tri, double cutoff,
                  const HierarchyParams& params)
{
    const int maxMembers = std::max(3, params.maxRingMembers);
    const std::size_t nEdges = tri.edgeU.size();
    std::vector<char> cut(nEdges, 0);
    RingSet out;
    for (std::size_t e = 0; e < nEdges; ++e) {
        cut[e] = tri.edgeLength[e] > cutoff;
        if (!cut[e])
            out.bonds.emplace_back(tri.edgeU[e], tri.edgeV[e]);
    }
    Faces f = computeFaces(tri, cut, maxMembers);
    std::vector<int> openFanTriangles;
    if (params.detectFilled) {
        const std::vector<CentreCandidate> centres = findCentres(points, tri, f, params, openFanTriangles);
        if (!centres.empty()) {
            // Join each chosen fan into one face: cut the kept edges between two of its faces.
            std::vector<int> fanOf(f.boundary.size(), -1);
            for (std::size_t k = 0; k < centres.size(); ++k)
                for (int face : centres[k].faces)
                    fanOf[std::size_t(face)] = int(k);
            for (std::size_t e = 0; e < nEdges; ++e) {
                if (cut[e] || tri.edgeLeft[e] < 0 || tri.edgeRight[e] < 0)
                    continue;
                const int l = fanOf[std::size_t(f.triangleFace[std::size_t(tri.edgeLeft[e])])];
                const int r = fanOf[std::size_t(f.triangleFace[std::size_t(tri.edgeRight[e])])];
                if (l >= 0 && l == r)
                    cut[e] = 1;
            }
            f = computeFaces(tri, cut, maxMembers);
        }
    }
    // Rings are the faces with one simple short cycle; every other face but the outer one is a hole.
    std::vector<int> ringOfFace(f.boundary.size(), -1);
    for (std::size_t face = 0; face < f.boundary.size(); ++face) {
        if (f.cycle[face].empty())
            continue;
        ringOfFace[face] = int(out.rings.size());
        Ring ring;
        for (const HalfEdge& h : f.cycle[face]) {
            ring.members.push_back(h.from);
            ring.cx += points[std::size_t(h.from)].x;
            ring.cy += points[std::size_t(h.from)].y;
        }
        ring.cx /= double(ring.members.size());
        ring.cy /= double(ring.members.size());
        ring.centres = f.interior[face];
        std::sort(ring.centres.begin(), ring.centres.end());
        out.rings.push_back(std::move(ring));
    }
    for (int t : openFanTriangles) {
        const int r = ringOfFace[std::size_t(f.triangleFace[std::size_t(t)])];
        if (r >= 0)
            out.rings[std::size_t(r)].border = true;
    }
    out.across.resize(out.rings.size());
    for (std::size_t face = 0; face < f.boundary.size(); ++face) {
        const int r = ringOfFace[face];
        if (r < 0)
            continue;
        Ring& ring = out.rings[std::size_t(r)];
        for (const HalfEdge& h : f.cycle[face]) {
            const int other = h.other == f.outer ? RingSet::kOuter
                              : ringOfFace[std::size_t(h.other)] >= 0 ? ringOfFace[std::size_t(h.other)]
                                                                      : RingSet::kHole;
            ring.border = ring.border || other == RingSet::kOuter;
            ring.besideHole = ring.besideHole || other == RingSet::kHole;
            out.across[std::size_t(r)].push_back(other);
        }
    }
    return out;
}

} // namespace motifscope::hierarchy_detail
