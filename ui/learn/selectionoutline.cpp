#include "ui/learn/selectionoutline.h"

namespace motifscope::ui {

SelectionOutline::SelectionOutline(QCustomPlot* plot, const QString& layer) : QCPLayerable(plot, layer)
{
}

void SelectionOutline::setOutline(const QPolygonF& outline)
{
    mOutline = outline;
}

void SelectionOutline::applyDefaultAntialiasingHint(QCPPainter* painter) const
{
    applyAntialiasingHint(painter, true, QCP::aeOther);
}

void SelectionOutline::draw(QCPPainter* painter)
{
    if (mOutline.size() < 2)
        return;
    QPen pen(QColor(0x20, 0x20, 0x20), 1.2, Qt::DashLine);
    pen.setCosmetic(true);
    painter->setPen(pen);
    painter->setBrush(QColor(0x00, 0x72, 0xb2, 40));
    painter->drawPolygon(mOutline);
}

} // namespace motifscope::ui
