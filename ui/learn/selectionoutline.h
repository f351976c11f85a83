#pragma once
/** The rubber band of the embedding plot's rectangle and lasso tools, on a layer of its own. */

#include "ui/learn/qcustomplotinclude.h"

#include <QPolygonF>

namespace motifscope::ui {

/**
 * A QCustomPlot layerable drawing one outline in widget pixels: a closed, translucently filled
 * polygon. It lives on its own buffered layer so that updating it replots that layer alone,
 * never the (expensive) points.
 */
class SelectionOutline : public QCPLayerable
{
public:
    SelectionOutline(QCustomPlot* plot, const QString& layer);

    void setOutline(const QPolygonF& outline);
    const QPolygonF& outline() const { return mOutline; }

protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override;
    void draw(QCPPainter* painter) override;

private:
    QPolygonF mOutline;
};

} // namespace motifscope::ui
