#include "ui/hierarchy/hierarchyoccurrences.h"

#include <QPainterPath>

#include <algorithm>
#include <set>

namespace motifscope::ui {

namespace {

QPolygonF ringOutline(const Ring& ring, const AtomColumns& columns)
{
    QPolygonF polygon;
    for (int m : ring.members)
        if (m >= 0 && m < int(columns.size()))
            polygon << QPointF(columns[std::size_t(m)].x, columns[std::size_t(m)].y);
    if (!polygon.isEmpty())
        polygon << polygon.front();
    return polygon;
}

QPolygonF squareAround(const AtomColumn& c, double half)
{
    return QPolygonF(QRectF(c.x - half, c.y - half, 2 * half, 2 * half));
}

std::string levelOneForm(const HierarchyResult& result, const Ring& ring)
{
    if (result.levels.empty() || ring.motif < 0 || ring.motif >= int(result.levels[0].motifs.size()))
        return {};
    return result.levels[0].motifs[std::size_t(ring.motif)].canonical;
}

/** Cells route: level 1 its cells, level 2 one outline per cluster (union of its cells). */
QVector<QPolygonF> cellOccurrences(const HierarchyResult& result, const AtomColumns& columns, int level, int index)
{
    QVector<QPolygonF> out;
    const LatticeCells& cells = result.cells;
    if (cells.counted.empty()) { // no cell geometry: mark the columns of a level-1 type
        if (level != 1)
            return out;
        const double half = result.bondCutoff > 0 ? 0.35 * result.bondCutoff : 3.0;
        for (std::size_t i = 0; i < columns.size() && i < result.columnMotif.size(); ++i)
            if (result.columnMotif[i] == index)
                out << squareAround(columns[i], half);
        return out;
    }
    if (level == 1) {
        for (const LatticeCell& cell : cells.counted)
            if (cell.motif == index)
                out << cellOutline(cells, cell);
        return out;
    }
    if (level != 2)
        return out;
    // One path per matching cluster, in the order the clusters were found.
    std::vector<int> slot(cells.groupMotif.size(), -1);
    std::vector<QPainterPath> paths;
    for (std::size_t g = 0; g < cells.groupMotif.size(); ++g)
        if (cells.groupMotif[g] == index) {
            slot[g] = int(paths.size());
            paths.emplace_back();
            paths.back().setFillRule(Qt::WindingFill);
        }
    for (const LatticeCell& cell : cells.counted)
        if (cell.group >= 0 && cell.group < int(slot.size()) && slot[std::size_t(cell.group)] >= 0)
            paths[std::size_t(slot[std::size_t(cell.group)])].addPolygon(cellOutline(cells, cell));
    for (const QPainterPath& path : paths)
        out << path.simplified().toFillPolygon();
    return out;
}

} // namespace

QPolygonF cellOutline(const LatticeCells& c, const LatticeCell& cell)
{
    const auto corner = [&](int i, int j) {
        return QPointF(c.originX + i * c.a1x + j * c.a2x, c.originY + i * c.a1y + j * c.a2y);
    };
    QPolygonF polygon;
    polygon << corner(cell.i, cell.j) << corner(cell.i + 1, cell.j) << corner(cell.i + 1, cell.j + 1)
            << corner(cell.i, cell.j + 1) << corner(cell.i, cell.j);
    return polygon;
}

QVector<QPolygonF> hierarchyOccurrences(const HierarchyResult& result, const AtomColumns& columns, const QString& id)
{
    QVector<QPolygonF> out;
    const QStringList parts = id.mid(1).split(QLatin1Char('-'));
    if (!id.startsWith(QLatin1Char('L')) || parts.size() != 2)
        return out;
    const int level = parts[0].toInt();
    const int index = parts[1].toInt();
    if (level < 1 || level > int(result.levels.size()) || index < 0
        || index >= int(result.levels[std::size_t(level - 1)].motifs.size()))
        return out;
    const MotifNode& node = result.levels[std::size_t(level - 1)].motifs[std::size_t(index)];

    if (result.route == "cells" || result.rings.empty())
        return cellOccurrences(result, columns, level, index);
    if (level == 1) {
        for (const Ring& ring : result.rings)
            if (ring.counted && ring.motif == index)
                out << ringOutline(ring, columns);
        return out;
    }
    if (level == 2) {
        std::set<int> rings;
        for (const auto& [a, b] : result.ringPairs) {
            std::string fa = levelOneForm(result, result.rings[std::size_t(a)]);
            std::string fb = levelOneForm(result, result.rings[std::size_t(b)]);
            if (fb < fa)
                std::swap(fa, fb);
            if (fa + "+" + fb == node.canonical) {
                rings.insert(a);
                rings.insert(b);
            }
        }
        for (int r : rings)
            out << ringOutline(result.rings[std::size_t(r)], columns);
        return out;
    }
    // Level 3: the centre ring of each occurrence (the form before ':').
    const std::string centre = node.canonical.substr(0, node.canonical.find(':'));
    std::vector<int> shared(result.rings.size(), 0);
    for (const auto& [a, b] : result.ringPairs) {
        ++shared[std::size_t(a)];
        ++shared[std::size_t(b)];
    }
    for (std::size_t r = 0; r < result.rings.size(); ++r) {
        const Ring& ring = result.rings[r];
        if (ring.counted && levelOneForm(result, ring) == centre && shared[r] >= int(ring.members.size()))
            out << ringOutline(ring, columns);
    }
    return out;
}

MotifShapes hierarchyMotifShapes(const HierarchyResult& result, const AtomColumns& columns)
{
    MotifShapes out;
    if (result.route == "cells") {
        out.shapes.reserve(qsizetype(result.cells.counted.size()));
        for (const LatticeCell& cell : result.cells.counted) {
            out.shapes << cellOutline(result.cells, cell);
            out.motif << cell.motif;
        }
        return out;
    }
    for (const Ring& ring : result.rings)
        if (ring.counted && ring.motif >= 0) {
            out.shapes << ringOutline(ring, columns);
            out.motif << ring.motif;
        }
    return out;
}

} // namespace motifscope::ui
