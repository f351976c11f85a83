#include "ui/hierarchy/motifdrawing.h"

#include "core/hierarchy/hierarchy.h"
#include "ui/hierarchy/hierarchyoccurrences.h"

#include <QMap>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace motifscope::ui {

namespace {

/** Lexicographically smallest rotation or reflection of a cyclic sequence. */
std::vector<std::string> smallestCycle(const std::vector<std::string>& seq)
{
    std::vector<std::string> best = seq, candidate(seq.size());
    const std::size_t n = seq.size();
    for (int mirror = 0; mirror < 2; ++mirror)
        for (std::size_t shift = 0; shift < n; ++shift) {
            for (std::size_t i = 0; i < n; ++i)
                candidate[i] = mirror ? seq[(shift + n - i) % n] : seq[(shift + i) % n];
            best = std::min(best, candidate);
        }
    return best;
}

/** Collects the rings (indices into result.rings) of one occurrence into a drawing. */
MotifDrawing drawRings(const HierarchyResult& result, const std::vector<Point2>& points, const std::vector<int>& rings)
{
    MotifDrawing d;
    QMap<int, int> slot; // column -> index in d.columns
    const auto columnSlot = [&](int c) {
        auto it = slot.find(c);
        if (it != slot.end())
            return it.value();
        const int s = int(d.columns.size());
        d.columns.append(QPointF(points[std::size_t(c)].x, points[std::size_t(c)].y));
        const bool known = std::size_t(c) < result.columnMotif.size();
        d.columnMotif.append(known ? result.columnMotif[std::size_t(c)] : -1);
        slot.insert(c, s);
        return s;
    };
    QVector<QPair<int, int>> seen;
    const auto addBond = [&](int a, int b) {
        const QPair<int, int> key(std::min(a, b), std::max(a, b));
        if (!seen.contains(key)) {
            seen.append(key);
            d.bonds.append({columnSlot(a), columnSlot(b)});
        }
    };
    for (int r : rings) {
        const Ring& ring = result.rings[std::size_t(r)];
        QPolygonF outline;
        const std::size_t m = ring.members.size();
        for (std::size_t i = 0; i < m; ++i) {
            outline.append(d.columns[columnSlot(ring.members[i])]);
            addBond(ring.members[i], ring.members[(i + 1) % m]);
        }
        for (int c : ring.centres)
            for (int v : ring.members)
                addBond(c, v);
        d.rings.append(outline);
        d.ringMotif.append(ring.motif);
    }
    return d;
}

bool pointsValid(const HierarchyResult& result, const std::vector<Point2>& points)
{
    for (const Ring& ring : result.rings) {
        for (int v : ring.members)
            if (v < 0 || std::size_t(v) >= points.size())
                return false;
        for (int v : ring.centres)
            if (v < 0 || std::size_t(v) >= points.size())
                return false;
    }
    return true;
}

/** Cells (indices into cells.counted) as outlines, with the columns inside them and their bonds. */
MotifDrawing drawCells(const HierarchyResult& result, const std::vector<Point2>& points,
                       const std::map<std::pair<int, int>, std::vector<int>>& columnsIn, const std::vector<int>& cells)
{
    MotifDrawing d;
    QMap<int, int> slot; // column -> index in d.columns
    for (int k : cells) {
        const LatticeCell& cell = result.cells.counted[std::size_t(k)];
        d.rings.append(cellOutline(result.cells, cell));
        d.ringMotif.append(cell.motif);
        const auto it = columnsIn.find({cell.i, cell.j});
        if (it == columnsIn.end())
            continue;
        for (int c : it->second) {
            slot.insert(c, int(d.columns.size()));
            d.columns.append(QPointF(points[std::size_t(c)].x, points[std::size_t(c)].y));
            d.columnMotif.append(std::size_t(c) < result.columnMotif.size() ? result.columnMotif[std::size_t(c)] : -1);
        }
    }
    for (const auto& [a, b] : result.bonds)
        if (slot.contains(a) && slot.contains(b))
            d.bonds.append({slot.value(a), slot.value(b)});
    return d;
}

/** Cells route: level 1 one cell of each type, level 2 the first defect cluster of each form. */
QHash<QString, MotifDrawing> cellDrawings(const HierarchyResult& result, const std::vector<Point2>& points)
{
    QHash<QString, MotifDrawing> drawings;
    const LatticeCells& c = result.cells;
    if (result.levels.empty() || c.counted.empty() || c.cellI.size() != points.size() || c.cellJ.size() != points.size())
        return drawings;
    std::map<std::pair<int, int>, std::vector<int>> columnsIn;
    for (std::size_t i = 0; i < points.size(); ++i)
        columnsIn[{c.cellI[i], c.cellJ[i]}].push_back(int(i));
    const std::size_t types = result.levels[0].motifs.size();
    const std::size_t forms = result.levels.size() > 1 ? result.levels[1].motifs.size() : 0;
    std::vector<int> firstCell(types, -1), firstGroup(forms, -1);
    std::vector<std::vector<int>> clusterCells(forms);
    for (std::size_t k = 0; k < c.counted.size(); ++k) {
        const LatticeCell& cell = c.counted[k];
        if (cell.motif >= 0 && std::size_t(cell.motif) < types && firstCell[std::size_t(cell.motif)] < 0)
            firstCell[std::size_t(cell.motif)] = int(k);
        if (cell.group < 0 || std::size_t(cell.group) >= c.groupMotif.size())
            continue;
        const int form = c.groupMotif[std::size_t(cell.group)];
        if (form < 0 || std::size_t(form) >= forms)
            continue;
        if (firstGroup[std::size_t(form)] < 0)
            firstGroup[std::size_t(form)] = cell.group;
        if (firstGroup[std::size_t(form)] == cell.group)
            clusterCells[std::size_t(form)].push_back(int(k));
    }
    for (std::size_t t = 0; t < types; ++t)
        if (firstCell[t] >= 0)
            drawings.insert(QString::fromStdString(result.levels[0].motifs[t].id),
                            drawCells(result, points, columnsIn, {firstCell[t]}));
    for (std::size_t f = 0; f < forms; ++f)
        if (!clusterCells[f].empty())
            drawings.insert(QString::fromStdString(result.levels[1].motifs[f].id),
                            drawCells(result, points, columnsIn, clusterCells[f]));
    return drawings;
}

} // namespace

QHash<QString, MotifDrawing> representativeDrawings(const HierarchyResult& result, const std::vector<Point2>& points)
{
    if (result.route == "cells" && !points.empty())
        return cellDrawings(result, points);
    QHash<QString, MotifDrawing> drawings;
    if (result.route != "polygons" || result.levels.empty() || points.empty() || !pointsValid(result, points))
        return drawings;
    const std::vector<MotifNode>& level1 = result.levels[0].motifs;
    const auto keyOf = [&](int ring) -> const std::string& {
        return level1[std::size_t(result.rings[std::size_t(ring)].motif)].canonical;
    };
    const auto counted = [&](int ring) {
        const Ring& r = result.rings[std::size_t(ring)];
        return r.counted && r.motif >= 0 && std::size_t(r.motif) < level1.size();
    };
    std::map<std::string, std::vector<int>> first; // canonical form -> rings of its first occurrence

    // Level 1: one ring of each type.
    for (std::size_t r = 0; r < result.rings.size(); ++r)
        if (counted(int(r)))
            first.emplace("1:" + keyOf(int(r)), std::vector<int>{int(r)});

    // Level 2: a pair of edge-sharing rings, keyed as core keys it (sorted, joined by '+').
    std::vector<std::vector<int>> neighbours(result.rings.size());
    for (const auto& [a, b] : result.ringPairs) {
        if (a < 0 || b < 0 || std::size_t(a) >= result.rings.size() || std::size_t(b) >= result.rings.size() ||
            !counted(a) || !counted(b))
            continue;
        neighbours[std::size_t(a)].push_back(b);
        neighbours[std::size_t(b)].push_back(a);
        const std::string& ka = keyOf(a);
        const std::string& kb = keyOf(b);
        first.emplace("2:" + (ka < kb ? ka + "+" + kb : kb + "+" + ka), std::vector<int>{a, b});
    }

    // Level 3: a ring whose every edge is shared with a counted ring; neighbours in angular order.
    for (std::size_t r = 0; r < result.rings.size(); ++r) {
        const Ring& ring = result.rings[r];
        std::vector<int> shell = neighbours[r];
        if (!counted(int(r)) || shell.size() != ring.members.size() || shell.empty())
            continue;
        const auto angle = [&](int o) {
            const Ring& other = result.rings[std::size_t(o)];
            return std::atan2(other.cy - ring.cy, other.cx - ring.cx);
        };
        std::sort(shell.begin(), shell.end(), [&](int a, int b) { return angle(a) < angle(b); });
        std::vector<std::string> keys;
        for (int o : shell)
            keys.push_back(keyOf(o));
        std::string key = keyOf(int(r)) + ":(";
        const std::vector<std::string> cycle = smallestCycle(keys);
        for (std::size_t i = 0; i < cycle.size(); ++i)
            key += (i ? "," : "") + cycle[i];
        std::vector<int> members{int(r)};
        members.insert(members.end(), shell.begin(), shell.end());
        first.emplace("3:" + key + ")", members);
    }

    for (const HierarchyLevel& level : result.levels)
        for (const MotifNode& node : level.motifs) {
            const auto it = first.find(std::to_string(level.level) + ":" + node.canonical);
            if (it != first.end())
                drawings.insert(QString::fromStdString(node.id), drawRings(result, points, it->second));
        }
    return drawings;
}

} // namespace motifscope::ui
