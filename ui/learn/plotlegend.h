#pragma once
/** The plots' one legend layout: below the axes, never over the points. */

#include <QStringList>

class QCustomPlot;

namespace motifscope::ui {

/**
 * Shows `plot`'s legend in a row of its own below the axis rect (thin grey border, no row spacing,
 * 12 px between columns); the caller sets its font, icon size and fill order.
 */
void placeLegendBelowAxes(QCustomPlot* plot);

/** The names the legend of `plot` shows, in its order. */
QStringList legendNames(const QCustomPlot* plot);

} // namespace motifscope::ui
