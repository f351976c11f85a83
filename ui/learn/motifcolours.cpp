#include "learn/motifcolours.h"

#include "learn/motifs.h"

namespace motifscope::ui {

QColor motifDisplayColour(int id)
{
    if (id < 0)
        return unassignedColour();
    return QColor(QString::fromStdString(motifColour(id)));
}

QColor unassignedColour()
{
    return QColor(0xa8, 0xa8, 0xa8);
}

} // namespace motifscope::ui
