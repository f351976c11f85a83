#pragma once
/** Motifs for the columns whose patch leaves the image, from the part of the patch inside it. */

#include "core/detect/atom_column.h"
#include "core/image/float_image.h"

#include <cstdint>
#include <vector>

namespace motifscope {

class Progress;

/**
 * Columns whose patch is cut by the image border are not learned (a cut patch would look like a
 * motif of its own). Each such column (motif < 0 and inside == 0) is compared, over the pixels of
 * its patch disk that lie inside the image, with the learned columns nearest to it on the image
 * (same grain, same orientation, so no rotation is needed): Pearson correlation of the two
 * patches sampled at the same offsets. It takes the motif most of its kBorderVoters best-matching
 * neighbours have, and confidence = (visible share of the disk) x (share of those voters that
 * agree) x (their mean confidence). Returns how many columns got a motif. Parallel (TBB), no
 * per-column allocation; throws OperationCancelled when cancelled.
 */
std::size_t assignBorderMotifs(const FloatImage& image, const AtomColumns& columns, int patchSize,
                               const std::vector<std::uint8_t>& inside, std::vector<int>& motif,
                               std::vector<float>& confidence, Progress* progress = nullptr);

} // namespace motifscope
