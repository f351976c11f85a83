#pragma once
/** The occurrences of the chosen hierarchy node outlined on the micrograph. */

#include "views/imageoverlay.h"

#include <QColor>
#include <QPolygonF>
#include <QString>
#include <QVector>

namespace motifscope::ui {

/** Closed outlines in image coordinates, drawn with a cosmetic pen; nothing when there are none. */
class HierarchyOverlay : public ImageOverlay
{
    Q_OBJECT
public:
    using ImageOverlay::ImageOverlay;

    /** Shows the occurrences of node `id` (empty id or outlines = nothing drawn). */
    void setOccurrences(const QString& id, QVector<QPolygonF> outlines);
    void clear() { setOccurrences(QString(), {}); }
    const QVector<QPolygonF>& occurrences() const { return mOutlines; }
    QString node() const { return mNode; }
    void setColour(const QColor& colour);

    void paint(QPainter& painter, const OverlayContext& context) override;

private:
    QString mNode;
    QVector<QPolygonF> mOutlines;
    QColor mColour{255, 214, 0};
};

} // namespace motifscope::ui
