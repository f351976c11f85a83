#include "ui/learn/plotlegend.h"

#include "ui/learn/qcustomplotinclude.h"

namespace motifscope::ui {

void placeLegendBelowAxes(QCustomPlot* plot)
{
    plot->legend->setVisible(true);
    plot->legend->setBrush(QColor(255, 255, 255, 225));
    plot->legend->setBorderPen(QPen(QColor(0xb0, 0xb0, 0xb0)));
    plot->legend->setRowSpacing(0);
    plot->legend->setColumnSpacing(12);
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->addElement(1, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(1, 0.001);
    plot->plotLayout()->setRowSpacing(0);
    plot->legend->setMargins(QMargins(6, 2, 6, 4));
}

QStringList legendNames(const QCustomPlot* plot)
{
    QStringList names;
    for (int i = 0; i < plot->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot->legend->item(i)))
            names.append(item->plottable()->name());
    return names;
}

} // namespace motifscope::ui
