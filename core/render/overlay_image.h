#pragma once
/** A headless annotated picture of an analysis: the micrograph, columns coloured by motif, legend, scale bar. */

#include "core/detect/atom_column.h"
#include "core/image/float_image.h"
#include "core/io/micrograph.h"

#include <string>
#include <vector>

namespace motifscope {

struct OverlayLegendEntry
{
    std::string label;  ///< e.g. "motif 0 (2,314)"
    std::string colour; ///< "#rrggbb"
};

struct OverlayStyle
{
    std::vector<std::string> motifColours; ///< colour of motif id i; unassigned columns in motifColour(-1)
    std::vector<OverlayLegendEntry> legend;
    double lowPercent = 0.5;
    double highPercent = 99.5;
    int maxSide = 4096; ///< larger micrographs are drawn scaled down
};

/**
 * Renders and writes the overlay as PNG (atomically). `motif` may be empty (all columns one colour).
 * Columns are rings (the atom shows inside). Nothing is drawn over the micrograph but the rings: the
 * legend (and the scale bar, unless a corner of the micrograph holds no column) stand in a white
 * band to its right, in text of one readable size however small the micrograph.
 */
void writeOverlayPng(const Micrograph& image, const AtomColumns& columns, const std::vector<int>& motif,
                     const OverlayStyle& style, const std::string& path);
/** The same from an analysis's finite pixels and the micrograph's calibration. */
void writeOverlayPng(const FloatImage& pixels, const Calibration& calibration, const AtomColumns& columns,
                     const std::vector<int>& motif, const OverlayStyle& style, const std::string& path);

/** The overlay's text: OpenCV's simplex font at `scale`, lines `lineHeight` pixels apart. */
struct OverlayText
{
    double scale = 1.0;
    int thickness = 1;
    int capHeight = 0;  ///< height of a capital letter in pixels
    int lineHeight = 0; ///< one legend line
};

/** The text for a picture whose longer side is `pictureSide` pixels: capitals >= 13 px, 2 % of a large picture. */
OverlayText overlayText(int pictureSide);

/** The rings' radius in pixels for `columns` columns over a width x height picture. */
int overlayMarkerRadius(int width, int height, std::size_t columns);

/** "#rrggbb" to (r, g, b); grey for anything unparsable. */
void parseHexColour(const std::string& hex, int& r, int& g, int& b);

} // namespace motifscope
