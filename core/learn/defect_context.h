#pragma once
/** Motifs of the columns beside a dim (defect) column, from the columns' fitted intensities. */

#include "core/detect/atom_column.h"

#include <vector>

namespace motifscope {

/**
 * The patch features see a neighbour at the rim of the patch disk only faintly, so a column
 * beside a dim (partly vacant) column stays in its site's motif. Here every column's dimmest
 * nearest neighbour (at 0.75 .. 1.3 x `spacing`: lattice neighbours, not a weak peak found
 * between two columns) is compared with its motif's: a
 * column whose dimmest neighbour is far dimmer than its motif's typical dimmest neighbour (below
 * the motif's median by more than kDefectContextSigmas robust standard deviations, and by at least
 * kDefectContextMinDrop of it) joins a new motif "beside a dim column" of that motif, when at least
 * kDefectContextMinColumns columns of the motif do. Neighbours cut by the border of the
 * width x height image (within 2 widths of it) are not compared: their fitted intensity is low for
 * want of pixels, not atoms. Labels < 0 are left alone. Returns how many
 * motifs were added (ids from the current count on).
 */
int splitBesideDimColumns(const AtomColumns& columns, double spacing, int width, int height, std::vector<int>& motif);

} // namespace motifscope
