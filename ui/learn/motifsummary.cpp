#include "ui/learn/motifsummary.h"

#include "core/learn/motifs.h"

#include <QCoreApplication>

namespace motifscope::ui {

QVector<MotifSummary> summariesFromMotifs(const std::vector<Motif>& motifs)
{
    QVector<MotifSummary> out;
    out.reserve(qsizetype(motifs.size()));
    for (const Motif& m : motifs) {
        MotifSummary s;
        s.id = m.id;
        s.name = QCoreApplication::translate("MotifGallery", "Motif %1").arg(m.id);
        s.colour = QColor(QString::fromStdString(m.colour));
        s.count = m.count;
        s.fraction = m.fraction;
        s.patchSize = m.patchSize;
        s.averagePatch = m.averagePatch;
        out.append(s);
    }
    return out;
}

} // namespace motifscope::ui
