// Which unit cells of a rotated 2-D lattice can hold columns inside a box of the image.
#include "core/synth/presets.h"

#include <algorithm>
#include <cmath>

namespace motifscope::synth {

std::vector<CellIndex> cellsCovering(double originX, double originY, double a1x, double a1y, double a2x, double a2y,
                                     double x0, double y0, double x1, double y1)
{
    // Lattice coordinates of the box corners; one extra cell each side covers any basis in [0, 1)^2.
    const double det = a1x * a2y - a1y * a2x;
    double n1Min = 1e300, n1Max = -1e300, n2Min = 1e300, n2Max = -1e300;
    for (const double cx : {x0, x1}) {
        for (const double cy : {y0, y1}) {
            const double dx = cx - originX, dy = cy - originY;
            const double n1 = (dx * a2y - dy * a2x) / det;
            const double n2 = (a1x * dy - a1y * dx) / det;
            n1Min = std::min(n1Min, n1);
            n1Max = std::max(n1Max, n1);
            n2Min = std::min(n2Min, n2);
            n2Max = std::max(n2Max, n2);
        }
    }
    std::vector<CellIndex> cells;
    for (int n2 = static_cast<int>(std::floor(n2Min)) - 1; n2 <= static_cast<int>(std::ceil(n2Max)); ++n2)
        for (int n1 = static_cast<int>(std::floor(n1Min)) - 1; n1 <= static_cast<int>(std::ceil(n1Max)); ++n1)
            cells.push_back({n1, n2});
    return cells;
}

} // namespace motifscope::synth
