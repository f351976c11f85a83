#pragma once
/** One call gives a control its tooltip and the same text as status-bar tip. */

#include <QString>
#include <QWidget>

namespace motifscope::ui {

inline void setHint(QWidget* widget, const QString& text)
{
    widget->setToolTip(text);
    widget->setStatusTip(text);
}

} // namespace motifscope::ui
