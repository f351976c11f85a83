#pragma once
/** Agreement between two labellings of the same points. */

#include <vector>

namespace motifscope {

/**
 * Adjusted Rand index (Hubert & Arabie 1985): 1 for identical partitions up to renaming, about 0
 * for independent ones. Every distinct value (including -1) is a class. Sizes must match.
 */
double adjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b);

} // namespace motifscope
