#include "views/hierarchyoverlay.h"

#include <QPainter>
#include <QPen>

namespace motifscope::ui {

void HierarchyOverlay::setOccurrences(const QString& id, QVector<QPolygonF> outlines)
{
    mNode = id;
    mOutlines = std::move(outlines);
    Q_EMIT changed();
}

void HierarchyOverlay::setColour(const QColor& colour)
{
    mColour = colour;
    Q_EMIT changed();
}

void HierarchyOverlay::paint(QPainter& painter, const OverlayContext& context)
{
    if (mOutlines.isEmpty())
        return;
    painter.save();
    QPen pen(mColour, context.zoom >= 2.0 ? 2.0 : 1.0);
    pen.setCosmetic(true);
    painter.setPen(pen);
    QColor fill = mColour;
    fill.setAlpha(50);
    painter.setBrush(fill);
    for (const QPolygonF& outline : mOutlines)
        if (outline.boundingRect().intersects(context.visibleImage))
            painter.drawPolygon(outline);
    painter.restore();
}

} // namespace motifscope::ui
