#include "ui/learn/motifcolours.h"

#include "core/learn/motifs.h"

namespace motifscope::ui {

QColor motifDisplayColour(int id)
{
    if (id < 0)
        return unassignedColour();
    return QColor(QString::fromStdString(motifColour(id)));
}

QColor unassignedColour()
{
    static const QColor grey(QString::fromStdString(motifColour(-1)));
    return grey;
}

} // namespace motifscope::ui
