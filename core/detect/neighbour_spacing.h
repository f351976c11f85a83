#pragma once

#include "core/detect/atom_column.h"

namespace motifscope {

/**
 * Median distance from each point to its nearest neighbour (0 for fewer than two points).
 * The points are binned into square cells 1.5 mean spacings wide; each point's search widens by
 * rings of cells until no unsearched cell can hold a closer point (at most 63 rings, or 10^6 px).
 */
double medianNearestNeighbourDistance(const AtomColumns& columns);

} // namespace motifscope
