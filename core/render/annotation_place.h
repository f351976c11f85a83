#pragma once
/**
 * Where a scale bar or a legend goes over a picture of atom columns so that it hides none: the
 * corner whose box covers no column, else outside the picture (a margin band). One rule for the
 * CLI's overlay.png, the publication figure and the window's scale bar.
 */

#include <cstddef>
#include <vector>

namespace motifscope {

/** A column's centre in the picture's own coordinates (pixels or points, y down). */
struct FramePoint
{
    double x = 0.0;
    double y = 0.0;
};

enum class FrameCorner
{
    BottomLeft,
    BottomRight,
    TopLeft,
    TopRight,
};

struct BoxPlacement
{
    FrameCorner corner = FrameCorner::BottomLeft;
    double left = 0.0; ///< the box's top-left in the picture's coordinates (for the chosen corner)
    double top = 0.0;
    std::size_t hidden = 0; ///< columns the box covers there
    bool fits = false;      ///< the box fits inside the picture at all
    /** True when the box may go over the picture: it fits and hides at most the tolerated columns. */
    bool inside = false;
};

/**
 * The corner of a `frameWidth` x `frameHeight` picture where a `boxWidth` x `boxHeight` box, `inset`
 * from both edges, covers the fewest columns (a column counts when its marker of `markerRadius`
 * touches the box). Corners are tried bottom-left, bottom-right, top-left, top-right; a tie keeps
 * the earlier. `inside` when that corner hides at most `tolerated` columns and the box fits;
 * otherwise the caller puts the box outside the picture.
 */
BoxPlacement placeInEmptiestCorner(double frameWidth, double frameHeight, double boxWidth, double boxHeight,
                                   double inset, const std::vector<FramePoint>& columns, double markerRadius,
                                   std::size_t tolerated = 0);

} // namespace motifscope
