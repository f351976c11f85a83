#include "hierarchy/hierarchyoccurrences.h"

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

} // namespace

QVector<QPolygonF> hierarchyOccurrences(const HierarchyResult& result, const AtomColumns& columns, const QString& id)
{
    QVector<QPolygonF> out;
    int level = 0;
    int index = -1;
    const QStringList parts = id.mid(1).split(QLatin1Char('-'));
    if (!id.startsWith(QLatin1Char('L')) || parts.size() != 2)
        return out;
    level = parts[0].toInt();
    index = parts[1].toInt();
    if (level < 1 || level > int(result.levels.size()) || index < 0
        || index >= int(result.levels[std::size_t(level - 1)].motifs.size()))
        return out;
    const MotifNode& node = result.levels[std::size_t(level - 1)].motifs[std::size_t(index)];

    if (result.rings.empty() || result.route == "cells") {
        if (level != 1)
            return out;
        const double half = result.bondCutoff > 0 ? 0.35 * result.bondCutoff : 3.0;
        for (std::size_t i = 0; i < columns.size() && i < result.columnMotif.size(); ++i)
            if (result.columnMotif[i] == index)
                out << squareAround(columns[i], half);
        return out;
    }
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

} // namespace motifscope::ui
