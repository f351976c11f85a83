#pragma once
/** The hierarchy on the micrograph: the chosen node's occurrences outlined, and the motif layer. */

#include "ui/views/imageoverlay.h"

#include <QColor>
#include <QPolygonF>
#include <QRectF>
#include <QString>
#include <QVector>

class QAction;

namespace motifscope::ui {

/**
 * Two layers in image coordinates. The motif layer fills every counted ring (or unit cell) in the
 * colour of its level-1 motif; it is off until shown (setMotifLayerVisible or the checkable
 * motifLayerAction, "Motif Layer"). Above it, the occurrences of the chosen node as closed outlines
 * with a cosmetic pen; nothing when there are none.
 */
class HierarchyOverlay : public ImageOverlay
{
    Q_OBJECT
public:
    explicit HierarchyOverlay(QObject* parent = nullptr);

    /** Shows the occurrences of node `id` (empty id or outlines = nothing drawn). */
    void setOccurrences(const QString& id, QVector<QPolygonF> outlines);
    void clear() { setOccurrences(QString(), {}); }
    const QVector<QPolygonF>& occurrences() const { return mOutlines; }
    QString node() const { return mNode; }
    void setColour(const QColor& colour);

    /** The motif layer's shapes, each with its fill colour (sizes must match; else nothing is drawn). */
    void setMotifShapes(QVector<QPolygonF> shapes, QVector<QColor> colours);
    void clearMotifShapes() { setMotifShapes({}, {}); }
    const QVector<QPolygonF>& motifShapes() const { return mShapes; }
    const QVector<QColor>& motifColours() const { return mShapeColours; }
    bool isMotifLayerVisible() const { return mMotifLayerVisible; }
    void setMotifLayerVisible(bool visible);
    /** Checkable action that shows and hides the motif layer (kept in step with setMotifLayerVisible). */
    QAction* motifLayerAction() const { return mMotifLayerAction; }

    void paint(QPainter& painter, const OverlayContext& context) override;

private:
    QString mNode;
    QVector<QPolygonF> mOutlines;
    QColor mColour{255, 214, 0};
    QVector<QPolygonF> mShapes;
    QVector<QRectF> mShapeBounds;
    QVector<QColor> mShapeColours;
    bool mMotifLayerVisible = false;
    QAction* mMotifLayerAction = nullptr;
};

} // namespace motifscope::ui
