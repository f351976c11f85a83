#include "core/io/units.h"

#include <cmath>

namespace motifscope {

Calibration calibrationFromMetres(double sx, double sy, int width)
{
    if (!(std::isfinite(sx) && std::isfinite(sy) && sx > 0.0 && sy > 0.0))
        return {};
    const double fieldOfView = sx * width;
    double factor = 1e9;
    const char* unit = "nm";
    if (fieldOfView >= 1e-3) {
        factor = 1e3;
        unit = "mm";
    } else if (fieldOfView >= 1e-6) {
        factor = 1e6;
        unit = "\u00b5m";
    }
    return {sx * factor, sy * factor, unit};
}

} // namespace motifscope
