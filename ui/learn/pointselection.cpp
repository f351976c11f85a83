#include "ui/learn/pointselection.h"

#include <algorithm>
#include <iterator>

namespace motifscope::ui {

QVector<int> pointsInRect(const Eigen::MatrixX2f& points, const QRectF& rect)
{
    const QRectF r = rect.normalized();
    QVector<int> inside;
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        const double x = points(i, 0), y = points(i, 1);
        if (x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom())
            inside.append(int(i));
    }
    return inside;
}

QVector<int> pointsInPolygon(const Eigen::MatrixX2f& points, const QPolygonF& polygon)
{
    QVector<int> inside;
    const int n = int(polygon.size());
    if (n < 3)
        return inside;
    const QRectF bounds = polygon.boundingRect();
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        const double x = points(i, 0), y = points(i, 1);
        if (x < bounds.left() || x > bounds.right() || y < bounds.top() || y > bounds.bottom())
            continue;
        // Even-odd rule: count edge crossings of a ray towards +x.
        bool odd = false;
        for (int a = 0, b = n - 1; a < n; b = a++) {
            const QPointF& p = polygon[a];
            const QPointF& q = polygon[b];
            if ((p.y() > y) != (q.y() > y)) {
                const double crossX = p.x() + (y - p.y()) * (q.x() - p.x()) / (q.y() - p.y());
                if (x < crossX)
                    odd = !odd;
            }
        }
        if (odd)
            inside.append(int(i));
    }
    return inside;
}

QVector<int> combineSelections(const QVector<int>& current, const QVector<int>& picked, SelectionOperation op)
{
    QVector<int> a = current, b = picked, out;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    a.erase(std::unique(a.begin(), a.end()), a.end());
    b.erase(std::unique(b.begin(), b.end()), b.end());
    switch (op) {
    case SelectionOperation::Replace:
        return b;
    case SelectionOperation::Add:
        std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
        return out;
    case SelectionOperation::Subtract:
        std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
        return out;
    }
    return b;
}

} // namespace motifscope::ui
