#include "core/hierarchy/hierarchy.h"
#include "core/hierarchy/motif_tally.h"
#include "core/hierarchy/neighbour_graph.h"
#include "core/util/progress.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

namespace motifscope {

using namespace hierarchy_detail;

namespace {

struct Vec
{
    double x = 0.0, y = 0.0;
};

double norm(Vec v)
{
    return std::hypot(v.x, v.y);
}

std::uint64_t packKey(std::int64_t i, std::int64_t j)
{
    return (std::uint64_t(i + (std::int64_t(1) << 31)) << 32) | std::uint64_t(j + (std::int64_t(1) << 31));
}

/**
 * Lattice translations: displacements to neighbours within 2.6 bonds are binned (0.1 bond); a
 * bin (with its 8 neighbours) reached from at least 55% of the columns is a translation, which a
 * basis vector pointing to another sublattice never is. a1 = the shortest, a2 = the shortest at
 * 30-150 degrees to it, then Lagrange-reduced.
 */
std::pair<Vec, Vec> latticeVectors(const std::vector<Point2>& p, double bond)
{
    const double bin = 0.1 * bond, reach = 2.6 * bond;
    // 0.3 bond <= |d| <= reach, with the exact norm only near either limit (the squared length
    // decides everywhere else, far beyond its rounding).
    const double farSquared = 1.001 * reach * reach, nearSquared = 0.999 * (0.3 * bond) * (0.3 * bond);
    const auto withinReach = [&](Vec d) {
        const double squared = d.x * d.x + d.y * d.y;
        if (squared > farSquared || squared < nearSquared)
            return false;
        const double length = norm(d);
        return !(length > reach || length < 0.3 * bond);
    };
    std::unordered_map<std::uint64_t, std::vector<int>> grid;
    for (std::size_t i = 0; i < p.size(); ++i)
        grid[packKey(std::int64_t(std::floor(p[i].x / reach)), std::int64_t(std::floor(p[i].y / reach)))].push_back(int(i));
    std::unordered_map<std::uint64_t, std::pair<long long, Vec>> hist;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const auto gx = std::int64_t(std::floor(p[i].x / reach)), gy = std::int64_t(std::floor(p[i].y / reach));
        for (std::int64_t dx = -1; dx <= 1; ++dx)
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                const auto it = grid.find(packKey(gx + dx, gy + dy));
                if (it == grid.end())
                    continue;
                for (int j : it->second) {
                    const Vec d{p[std::size_t(j)].x - p[i].x, p[std::size_t(j)].y - p[i].y};
                    if (int(i) == j || !withinReach(d))
                        continue;
                    auto& h = hist[packKey(std::int64_t(std::lround(d.x / bin)), std::int64_t(std::lround(d.y / bin)))];
                    ++h.first;
                    h.second.x += d.x;
                    h.second.y += d.y;
                }
            }
    }
    struct Peak
    {
        Vec v;
        long long count;
    };
    std::vector<Peak> peaks;
    const long long need = (long long)(0.55 * double(p.size()));
    for (const auto& [key, h] : hist) {
        const auto bi = std::int64_t(key >> 32) - (std::int64_t(1) << 31);
        const auto bj = std::int64_t(key & 0xffffffffu) - (std::int64_t(1) << 31);
        long long count = 0;
        Vec sum;
        bool isMax = true;
        for (std::int64_t di = -1; di <= 1; ++di)
            for (std::int64_t dj = -1; dj <= 1; ++dj) {
                const auto it = hist.find(packKey(bi + di, bj + dj));
                if (it == hist.end())
                    continue;
                count += it->second.first;
                sum.x += it->second.second.x;
                sum.y += it->second.second.y;
                const bool later = std::make_pair(di, dj) > std::make_pair(std::int64_t(0), std::int64_t(0));
                if (it->second.first > h.first || (it->second.first == h.first && later))
                    isMax = false;
            }
        if (isMax && count >= need)
            peaks.push_back({{sum.x / double(count), sum.y / double(count)}, count});
    }
    std::sort(peaks.begin(), peaks.end(), [](const Peak& a, const Peak& b) {
        return norm(a.v) != norm(b.v) ? norm(a.v) < norm(b.v) : std::atan2(a.v.y, a.v.x) < std::atan2(b.v.y, b.v.x);
    });
    if (peaks.empty())
        throw std::invalid_argument("no lattice found: no displacement repeats at most columns");
    Vec a1 = peaks[0].v, a2;
    bool found = false;
    for (const Peak& pk : peaks) {
        const double s = std::fabs(a1.x * pk.v.y - a1.y * pk.v.x) / (norm(a1) * norm(pk.v));
        if (s >= 0.5) {
            a2 = pk.v;
            found = true;
            break;
        }
    }
    if (!found)
        throw std::invalid_argument("no lattice found: the repeating displacements are all parallel");
    for (int iter = 0; iter < 20; ++iter) { // Lagrange reduction: shortest possible basis
        if (norm(a2) < norm(a1))
            std::swap(a1, a2);
        const double mu = std::round((a1.x * a2.x + a1.y * a2.y) / (a1.x * a1.x + a1.y * a1.y));
        if (mu == 0.0)
            break;
        a2 = {a2.x - mu * a1.x, a2.y - mu * a1.y};
    }
    if (a1.x * a2.y - a1.y * a2.x < 0.0)
        a2 = {-a2.x, -a2.y};
    return {a1, a2};
}

/** Circular offset in [0,1) lying in the widest empty stretch of the fractional coordinates. */
double cellBoundary(const std::vector<double>& frac)
{
    constexpr int bins = 40;
    std::array<int, bins> h{};
    for (double f : frac)
        ++h[std::size_t(std::clamp(int((f - std::floor(f)) * bins), 0, bins - 1))];
    int best = 0, bestScore = -1;
    for (int b = 0; b < bins; ++b) { // the bin whose +-3 neighbourhood holds fewest columns
        int score = 0;
        for (int k = -3; k <= 3; ++k)
            score += h[std::size_t((b + k + bins) % bins)];
        if (bestScore < 0 || score < bestScore) {
            bestScore = score;
            best = b;
        }
    }
    return (best + 0.5) / bins;
}

using Op = std::array<int, 4>; // (i, j) -> (o0 i + o1 j, o2 i + o3 j)

std::vector<Op> rotations(const std::string& symmetry)
{
    if (symmetry == "square")
        return {Op{1, 0, 0, 1}, Op{0, -1, 1, 0}, Op{-1, 0, 0, -1}, Op{0, 1, -1, 0}};
    if (symmetry == "hexagonal")
        return {Op{1, 0, 0, 1}, Op{0, -1, 1, 1}, Op{-1, -1, 1, 0}, Op{-1, 0, 0, -1}, Op{0, 1, -1, -1}, Op{1, 1, -1, 0}};
    return {Op{1, 0, 0, 1}, Op{-1, 0, 0, -1}};
}

} // namespace

HierarchyResult buildCellHierarchy(const std::vector<Point2>& points, const std::vector<int>* motifLabels,
                                   const HierarchyParams& params, Progress* progress,
                                   const ColumnTriangulation* triangulation)
{
    for (const Point2& q : points)
        if (!std::isfinite(q.x) || !std::isfinite(q.y))
            throw std::invalid_argument("a point has a non-finite coordinate");
    if (motifLabels && motifLabels->size() != points.size())
        throw std::invalid_argument("motif labels: wrong number of labels for the points");
    if (points.size() < 8)
        throw std::invalid_argument("too few points for a lattice (" + std::to_string(points.size()) + ")");
    if (progress)
        progress->beginStage("hierarchy", 0.0, 1.0);
    HierarchyResult result;
    result.route = "cells";
    Triangulation own;
    const Triangulation& tri = givenOrOwnTriangulation(points, triangulation, own);
    result.bondCutoff = params.bondCutoff > 0.0 ? params.bondCutoff : chooseBondCutoff(tri.edgeLength);
    std::vector<double> bondLengths;
    for (std::size_t e = 0; e < tri.edgeU.size(); ++e)
        if (tri.edgeLength[e] <= result.bondCutoff) {
            result.bonds.emplace_back(tri.edgeU[e], tri.edgeV[e]);
            bondLengths.push_back(tri.edgeLength[e]);
        }
    std::nth_element(bondLengths.begin(), bondLengths.begin() + long(bondLengths.size() / 2), bondLengths.end());
    throwIfCancelled(progress);
    const auto [a1, a2] = latticeVectors(points, bondLengths[bondLengths.size() / 2]);
    LatticeCells& c = result.cells;
    c.a1x = a1.x, c.a1y = a1.y, c.a2x = a2.x, c.a2y = a2.y;
    const double ratio = norm(a2) / norm(a1);
    const double angle = std::acos(std::clamp((a1.x * a2.x + a1.y * a2.y) / (norm(a1) * norm(a2)), -1.0, 1.0)) * 180.0 / M_PI;
    const bool equal = std::fabs(ratio - 1.0) < 0.1;
    c.symmetry = equal && std::fabs(angle - 90.0) < 8.0           ? "square"
                 : equal && std::fabs(std::fabs(angle - 90.0) - 30.0) < 8.0 ? "hexagonal"
                 : std::fabs(angle - 90.0) < 8.0                  ? "rectangular"
                                                                  : "oblique";
    Vec b2 = a2; // for the hexagonal rotations, a1 and a2 at 60 degrees
    if (c.symmetry == "hexagonal" && angle > 90.0)
        b2 = {a1.x + a2.x, a1.y + a2.y};
    c.a2x = b2.x, c.a2y = b2.y;
    // Fractional coordinates, cell boundaries placed where no columns lie.
    const double det = a1.x * b2.y - a1.y * b2.x;
    std::vector<double> f1(points.size()), f2(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        const double x = points[i].x - points[0].x, y = points[i].y - points[0].y;
        f1[i] = (x * b2.y - y * b2.x) / det;
        f2[i] = (a1.x * y - a1.y * x) / det;
    }
    const double o1 = cellBoundary(f1), o2 = cellBoundary(f2);
    c.originX = points[0].x + o1 * a1.x + o2 * b2.x;
    c.originY = points[0].y + o1 * a1.y + o2 * b2.y;
    std::map<std::pair<int, int>, std::vector<int>> cellLabels;
    c.cellI.resize(points.size());
    c.cellJ.resize(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        c.cellI[i] = int(std::floor(f1[i] - o1));
        c.cellJ[i] = int(std::floor(f2[i] - o2));
        cellLabels[{c.cellI[i], c.cellJ[i]}].push_back(motifLabels ? (*motifLabels)[i] : 0);
    }
    // Cells inside the sample: an occupied cell within 3 steps in each of the four axis directions.
    const auto occupied = [&](int i, int j) { return cellLabels.count({i, j}) > 0; };
    const auto enclosed = [&](int i, int j) {
        const int d[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (const auto& s : d) {
            bool hit = false;
            for (int k = 1; k <= 3 && !hit; ++k)
                hit = occupied(i + k * s[0], j + k * s[1]);
            if (!hit)
                return false;
        }
        return true;
    };
    std::map<std::pair<int, int>, std::string> cellKey;
    for (const auto& [ij, labels] : cellLabels)
        for (int di = -1; di <= 1; ++di)
            for (int dj = -1; dj <= 1; ++dj) {
                const std::pair<int, int> q{ij.first + di, ij.second + dj};
                if (cellKey.count(q) || !enclosed(q.first, q.second))
                    continue;
                const auto it = cellLabels.find(q);
                std::vector<int> l = it == cellLabels.end() ? std::vector<int>{} : it->second;
                std::sort(l.begin(), l.end());
                std::string k = "[";
                for (std::size_t m = 0; m < l.size(); ++m)
                    k += (m ? "." : "") + std::to_string(l[m]);
                cellKey[q] = k + "]";
            }
    throwIfCancelled(progress);
    MotifTally tally1;
    for (const auto& [ij, k] : cellKey) {
        const auto it = cellLabels.find(ij);
        const int n = it == cellLabels.end() ? 0 : int(it->second.size());
        tally1.add(k, k == "[]" ? "empty cell" : "cell " + k, n, {});
    }
    HierarchyLevel level1 = tally1.finish(1, {});
    if (level1.motifs.empty())
        throw std::invalid_argument("no complete unit cells inside the points");
    c.pristine = level1.motifs[0].canonical;
    // Level 2: connected groups of non-pristine cells, canonical up to the lattice's rotations.
    MotifTally tally2;
    std::set<std::pair<int, int>> seen;
    const std::vector<Op> ops = rotations(c.symmetry);
    // Neighbouring cells: the shortest lattice translations (four; six on a hexagonal lattice).
    std::map<std::pair<int, int>, int> groupOf; // defect cell -> its cluster
    std::vector<std::string> groupForm;         // per cluster: its canonical form
    std::vector<std::array<int, 2>> steps = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    if (c.symmetry == "hexagonal")
        steps.insert(steps.end(), {{1, -1}, {-1, 1}});
    for (const auto& [start, startKey] : cellKey) {
        if (startKey == c.pristine || seen.count(start))
            continue;
        std::vector<std::pair<int, int>> group{start}, stack{start};
        seen.insert(start);
        while (!stack.empty()) {
            const auto q = stack.back();
            stack.pop_back();
            for (const auto& s : steps) {
                const std::pair<int, int> r{q.first + s[0], q.second + s[1]};
                const auto it = cellKey.find(r);
                if (it != cellKey.end() && it->second != c.pristine && seen.insert(r).second) {
                    group.push_back(r);
                    stack.push_back(r);
                }
            }
        }
        std::string best;
        for (const Op& op : ops) {
            std::vector<std::tuple<int, int, std::string>> cells;
            for (const auto& q : group)
                cells.emplace_back(op[0] * q.first + op[1] * q.second, op[2] * q.first + op[3] * q.second, cellKey[q]);
            int mi = std::get<0>(cells[0]), mj = std::get<1>(cells[0]);
            for (const auto& t : cells)
                mi = std::min(mi, std::get<0>(t)), mj = std::min(mj, std::get<1>(t));
            for (auto& t : cells)
                std::get<0>(t) -= mi, std::get<1>(t) -= mj;
            std::sort(cells.begin(), cells.end());
            std::string k;
            for (const auto& t : cells)
                k += "(" + std::to_string(std::get<0>(t)) + "," + std::to_string(std::get<1>(t)) + ")" + std::get<2>(t);
            if (best.empty() || k < best)
                best = k;
        }
        std::vector<std::string> children;
        int columns = 0;
        for (const auto& q : group) {
            children.push_back(cellKey[q]);
            const auto it = cellLabels.find(q);
            columns += it == cellLabels.end() ? 0 : int(it->second.size());
        }
        std::set<std::string> kinds(children.begin(), children.end());
        std::string name = std::to_string(group.size()) + (group.size() == 1 ? " defect cell" : " defect cells") + ":";
        for (const std::string& k : kinds)
            name += " " + k;
        tally2.add(best, name, columns, children);
        for (const auto& q : group)
            groupOf[q] = int(groupForm.size());
        groupForm.push_back(best);
    }
    HierarchyLevel level2 = tally2.finish(2, MotifTally::idsOf(level1));
    linkParents(level1, level2);
    std::map<std::string, int> index1;
    for (std::size_t k = 0; k < level1.motifs.size(); ++k)
        index1[level1.motifs[k].canonical] = int(k);
    std::map<std::string, int> index2;
    for (std::size_t k = 0; k < level2.motifs.size(); ++k)
        index2[level2.motifs[k].canonical] = int(k);
    for (const std::string& form : groupForm)
        c.groupMotif.push_back(index2[form]);
    c.counted.reserve(cellKey.size());
    for (const auto& [ij, k] : cellKey) {
        const auto g = groupOf.find(ij);
        c.counted.push_back({ij.first, ij.second, index1[k], g == groupOf.end() ? -1 : g->second});
    }
    result.columnMotif.assign(points.size(), -1);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto it = cellKey.find({c.cellI[i], c.cellJ[i]});
        if (it != cellKey.end())
            result.columnMotif[i] = index1[it->second];
    }
    result.levels = {std::move(level1), std::move(level2)};
    if (progress)
        progress->report(1.0);
    return result;
}

} // namespace motifscope
