#include "ui/views/hierarchyoverlay.h"

#include <QAction>
#include <QPainter>
#include <QPen>

namespace motifscope::ui {

HierarchyOverlay::HierarchyOverlay(QObject* parent) : ImageOverlay(parent)
{
    mMotifLayerAction = new QAction(tr("&Motif Layer"), this);
    mMotifLayerAction->setObjectName(QStringLiteral("motifLayerAction"));
    mMotifLayerAction->setCheckable(true);
    mMotifLayerAction->setChecked(mMotifLayerVisible);
    mMotifLayerAction->setStatusTip(tr("Fill every ring or unit cell of the hierarchy in the colour of its motif"));
    connect(mMotifLayerAction, &QAction::toggled, this, &HierarchyOverlay::setMotifLayerVisible);
}

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

void HierarchyOverlay::setMotifShapes(QVector<QPolygonF> shapes, QVector<QColor> colours)
{
    if (shapes.size() != colours.size())
        shapes.clear(), colours.clear();
    mShapes = std::move(shapes);
    mShapeColours = std::move(colours);
    mShapeBounds.clear();
    mShapeBounds.reserve(mShapes.size());
    for (const QPolygonF& shape : mShapes)
        mShapeBounds.append(shape.boundingRect());
    if (mMotifLayerVisible)
        Q_EMIT changed();
}

void HierarchyOverlay::setMotifLayerVisible(bool visible)
{
    if (visible == mMotifLayerVisible)
        return;
    mMotifLayerVisible = visible;
    mMotifLayerAction->setChecked(visible);
    Q_EMIT changed();
}

void HierarchyOverlay::paint(QPainter& painter, const OverlayContext& context)
{
    if ((!mMotifLayerVisible || mShapes.isEmpty()) && mOutlines.isEmpty())
        return;
    painter.save();
    if (mMotifLayerVisible) {
        QPen edge(Qt::NoPen);
        const bool edges = context.zoom >= 1.5; // outlines only where they do not merge into a smear
        for (qsizetype k = 0; k < mShapes.size(); ++k) {
            if (!mShapeBounds[k].intersects(context.visibleImage))
                continue;
            QColor fill = mShapeColours[k];
            if (edges) {
                QColor line = fill.darker(140);
                line.setAlpha(200);
                QPen pen(line, 1.0);
                pen.setCosmetic(true);
                painter.setPen(pen);
            } else {
                painter.setPen(edge);
            }
            painter.setBrush(fill);
            painter.drawPolygon(mShapes[k]);
        }
    }
    if (!mOutlines.isEmpty()) {
        QPen pen(mColour, context.zoom >= 2.0 ? 2.0 : 1.0);
        pen.setCosmetic(true);
        painter.setPen(pen);
        QColor fill = mColour;
        fill.setAlpha(50);
        painter.setBrush(fill);
        for (const QPolygonF& outline : mOutlines)
            if (outline.boundingRect().intersects(context.visibleImage))
                painter.drawPolygon(outline);
    }
    painter.restore();
}

} // namespace motifscope::ui
