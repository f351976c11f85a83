#include "core/render/annotation_place.h"

#include <array>

namespace motifscope {

BoxPlacement placeInEmptiestCorner(double frameWidth, double frameHeight, double boxWidth, double boxHeight,
                                   double inset, const std::vector<FramePoint>& columns, double markerRadius,
                                   std::size_t tolerated)
{
    BoxPlacement best;
    best.fits = boxWidth + 2 * inset <= frameWidth && boxHeight + 2 * inset <= frameHeight;
    if (!best.fits) {
        best.left = inset;
        best.top = frameHeight - inset - boxHeight;
        best.hidden = columns.size();
        return best;
    }
    const double left = inset, right = frameWidth - inset - boxWidth;
    const double top = inset, bottom = frameHeight - inset - boxHeight;
    const std::array<BoxPlacement, 4> corners{BoxPlacement{FrameCorner::BottomLeft, left, bottom},
                                              BoxPlacement{FrameCorner::BottomRight, right, bottom},
                                              BoxPlacement{FrameCorner::TopLeft, left, top},
                                              BoxPlacement{FrameCorner::TopRight, right, top}};
    std::array<std::size_t, 4> hidden{};
    const double r = markerRadius > 0.0 ? markerRadius : 0.0;
    for (const FramePoint& p : columns)
        for (std::size_t k = 0; k < corners.size(); ++k)
            if (p.x + r >= corners[k].left && p.x - r <= corners[k].left + boxWidth && p.y + r >= corners[k].top
                && p.y - r <= corners[k].top + boxHeight)
                ++hidden[k];
    std::size_t k = 0;
    for (std::size_t i = 1; i < corners.size(); ++i)
        if (hidden[i] < hidden[k])
            k = i;
    best = corners[k];
    best.fits = true;
    best.hidden = hidden[k];
    best.inside = hidden[k] <= tolerated;
    return best;
}

} // namespace motifscope
