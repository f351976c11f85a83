#pragma once
/**
 * Local translational order of a set of peaks: does the neighbourhood of a peak repeat itself as
 * a lattice does? A crystal, however weak, is ordered; the speckle of an amorphous film and the
 * noise of vacuum are not. This is what tells a weak crystalline domain from a support.
 */

#include "core/detect/peak_finder.h"

#include <vector>

namespace motifscope {

/**
 * For each peak, the fraction of its neighbours j (between 0.6 and 1.9 `period` away, at offset v)
 * for which another peak lies within 0.2 period of the point reflected through it (p_i - v): in
 * every lattice the same-sublattice neighbours have such a partner (a Bravais lattice is
 * centrosymmetric about each site), so a crystal scores 0.6-1 (honeycomb ~0.67, square or
 * hexagonal ~1), while random points score about the chance of a peak in the tolerance disk
 * (~0.2). Peaks with fewer than two neighbours score 0. Only peaks with `use[i]` count, as
 * centres and as neighbours; the result has one value per peak (0 where not used).
 */
std::vector<float> translationOrder(const std::vector<PeakCandidate>& peaks, const std::vector<char>& use,
                                    double period);

} // namespace motifscope
