#pragma once
/** Float patches (average motif patches, column neighbourhoods) as grey images for display. */

#include <QImage>

#include <utility>
#include <vector>

namespace motifscope::ui {

/** 1st and 99th percentile of the finite values: the display limits of a patch (low < high). */
std::pair<double, double> patchDisplayLimits(const std::vector<float>& values);

/**
 * size x size row-major `values` as an 8-bit grey image between `low` and `high`, enlarged
 * `scale` times with nearest-neighbour so single pixels stay visible. Null for an empty or
 * mis-sized patch.
 */
QImage greyPatchImage(const std::vector<float>& values, int size, double low, double high, int scale = 1);

/** As above with the patch's own percentile limits. */
QImage greyPatchImage(const std::vector<float>& values, int size, int scale = 1);

} // namespace motifscope::ui
