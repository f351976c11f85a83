#pragma once
/** The document's columns (core's ColumnTable) and its motif table (names and colours: the UI edge). */

#include "core/columns/column_table.h"

#include <QColor>
#include <QString>

#include <vector>

namespace motifscope::ui {

/** The document's per-column table is core's ColumnTable. */
using ColumnSet = ColumnTable;

/** A learned motif as the document keeps it; its id is its index in MotifTable::motifs. */
struct MotifEntry
{
    QString name;
    QColor colour;
    std::vector<float> averagePatch; ///< patchSize^2 values, row-major, rotation-registered
};

/** Every learned motif, and the patch size the averages were taken with. */
struct MotifTable
{
    std::vector<MotifEntry> motifs;
    int patchSize = 0;

    int size() const { return int(motifs.size()); }
    bool empty() const { return motifs.empty(); }
    bool contains(int id) const { return id >= 0 && id < size(); }
};

} // namespace motifscope::ui
