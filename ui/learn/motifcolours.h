#pragma once
/** Display colours of learned motifs, shared by the embedding plot, gallery and hierarchy view. */

#include <QColor>

namespace motifscope::ui {

/** Colour of motif `id` from core's colour-blind-safe palette; neutral grey for -1 (unassigned). */
QColor motifDisplayColour(int id);

/** The grey of unassigned columns: core's motifColour(-1), as in the CLI overlay and the figures. */
QColor unassignedColour();

} // namespace motifscope::ui
