#pragma once
/** The disorder measures of a column table (positions, motifs, map) and its hierarchy. */

#include "core/columns/column_table.h"
#include "core/disorder/disorder.h"
#include "core/hierarchy/hierarchy.h"

namespace motifscope::disorder {

/** As analyze measures them; `hierarchy` may be null. Map measures only when columns were learned. */
DisorderReport measureColumnTableDisorder(const ColumnTable& columns, const HierarchyResult* hierarchy);

} // namespace motifscope::disorder
