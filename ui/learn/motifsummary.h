#pragma once
/** What the motif gallery shows of one learned motif. */

#include <QColor>
#include <QString>
#include <QVector>

#include <vector>

namespace motifscope {
struct Motif;
}

namespace motifscope::ui {

/** One motif as the gallery lists it: identity, look, abundance and its average patch. */
struct MotifSummary
{
    int id = 0;
    QString name;
    QColor colour;
    long long count = 0;
    double fraction = 0.0;           ///< of the labelled columns, 0..1
    int patchSize = 0;
    std::vector<float> averagePatch; ///< patchSize^2 values, row-major (may be empty)
};

/** Summaries of core's motifs with default names ("Motif <id>") and their palette colours. */
QVector<MotifSummary> summariesFromMotifs(const std::vector<Motif>& motifs);

} // namespace motifscope::ui
