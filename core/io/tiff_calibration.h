#pragma once
/** Where a TIFF's pixel size comes from: ImageJ descriptions, DigitalMicrograph tags, resolution tags. */

#include "core/io/micrograph.h"

#include <string>

namespace motifscope {

/** The calibration-relevant tags of one TIFF directory, as libtiff reports them. */
struct TiffTags
{
    std::string description;  ///< ImageDescription (may be empty)
    double xResolution = 0.0; ///< pixels per resolution unit (0 = absent)
    double yResolution = 0.0;
    int resolutionUnit = 2; ///< 1 none, 2 inch, 3 centimetre
    std::string dmUnitX;    ///< DigitalMicrograph private tag 65003 (Latin-1), e.g. "\xB5m"
    std::string dmUnitY;    ///< DigitalMicrograph private tag 65004
    double dmScaleX = 0.0;  ///< DigitalMicrograph private tag 65009: size of one pixel in dmUnitX
    double dmScaleY = 0.0;  ///< DigitalMicrograph private tag 65010
};

/** Keys MotifScope adds to its ImageJ-style description to carry the pixel size exactly. */
constexpr const char* kExactPixelWidthKey = "motifscope_pixel_width";
constexpr const char* kExactPixelHeightKey = "motifscope_pixel_height";

/**
 * Sets m.calibration (and some metadata) from the tags. Sources, best first: DigitalMicrograph's
 * scale tags; an ImageJ description's unit with XResolution/YResolution as pixels per unit (or
 * MotifScope's exact keys); resolution tags in centimetres when they describe a pixel of at most
 * 10 µm. Inch resolutions are print DPI, not a physical calibration, and are ignored.
 * Returns the ImageJ "images=" count (0 when absent).
 */
int applyTiffCalibration(const TiffTags& tags, Micrograph& m);

/** Bytes that are not valid UTF-8 are taken as Latin-1 (as DigitalMicrograph writes them). */
std::string latin1ToUtf8(const std::string& text);

/** Canonical length unit: "nm", "µm", "Å", other units unchanged; "" for pixels / no unit. */
std::string normaliseLengthUnit(const std::string& unit);

/** The unit as an ImageJ description value: "micron" for µm, other non-ASCII as \uXXXX escapes. */
std::string imagejUnitText(const std::string& unit);

} // namespace motifscope
