#pragma once
/** A headless annotated picture of an analysis: the micrograph, columns coloured by motif, legend, scale bar. */

#include "detect/atom_column.h"
#include "io/micrograph.h"

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
    std::vector<std::string> motifColours; ///< colour of motif id i; unassigned columns are drawn grey
    std::vector<OverlayLegendEntry> legend;
    double lowPercent = 0.5;
    double highPercent = 99.5;
    int maxSide = 4096; ///< larger micrographs are drawn scaled down
};

/** Renders and writes the overlay as PNG (atomically). `motif` may be empty (all columns one colour). */
void writeOverlayPng(const Micrograph& image, const AtomColumns& columns, const std::vector<int>& motif,
                     const OverlayStyle& style, const std::string& path);

/** "#rrggbb" to (r, g, b); grey for anything unparsable. */
void parseHexColour(const std::string& hex, int& r, int& g, int& b);

} // namespace motifscope
