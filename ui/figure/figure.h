#pragma once
/** Publication figures of an analysis: micrograph, motif-coloured columns, scale bar, legend, insets. */

#include "core/io/micrograph.h"

#include <limits>
#include <string>
#include <vector>

namespace motifscope {

/** One column as drawn: position in image pixels, its motif (-1 = unassigned), its mapped value. */
struct FigureColumn
{
    double x = 0.0;
    double y = 0.0;
    int motif = -1;
    double value = std::numeric_limits<double>::quiet_NaN(); ///< of FigureContent::valueName; NaN = none
};

/** One legend entry and its average patch (patchSize 0 = none). */
struct FigureMotif
{
    int id = 0;
    std::string name;   ///< "motif 0" unless named
    std::string colour; ///< "#rrggbb"
    long long count = 0;
    int patchSize = 0;
    std::vector<float> average; ///< patchSize^2, row-major
};

/** One line of the hierarchy summary: a motif of a level and how often it occurs. */
struct FigureHierarchyEntry
{
    int level = 1;
    std::string name;
    long long count = 0;
    double fraction = 0.0;
};

/** Everything a figure shows, from an analysis folder or a session. */
struct FigureContent
{
    Micrograph image;         ///< empty when the micrograph is unknown (markers on white)
    int width = 0;            ///< image frame in pixels (the micrograph's, else the columns' extent)
    int height = 0;
    Calibration calibration;  ///< for the scale bar (uncalibrated: a bar in pixels)
    std::vector<FigureColumn> columns;
    std::vector<FigureMotif> motifs;
    std::vector<FigureHierarchyEntry> hierarchy; ///< most common motifs of each level, in level order
    std::string hierarchyRoute;                  ///< "polygons", "cells" or "" (none)
    /// A per-column measure drawn as translucent colour tiles under the markers (columns' `value`),
    /// with a colour bar in the legend: e.g. "local motif entropy (bits)". Empty = no map.
    std::string valueName;
    double valueLow = 0.0, valueHigh = 1.0;       ///< the colour scale's ends
    std::string warning;      ///< one line when something was missing (e.g. no micrograph), else ""
};

/**
 * Reads an analysis folder (columns.csv, motifs.json, hierarchy.json; see docs/CLI.md). The folder
 * does not name its micrograph: pass `imagePath` to draw it (its calibration gives the scale bar),
 * else columns are drawn on white and `warning` says so. IoError naming the file on malformed input.
 */
FigureContent loadAnalysisFolder(const std::string& dir, const std::string& imagePath = {});

/** Reads a session (its image resolved as resolveSessionImage does, or `imagePath` when given). */
FigureContent loadSessionFigure(const std::string& sessionPath, const std::string& imagePath = {});

enum class FigureFormat
{
    Png,
    Svg,
    Pdf,
};

/** The format named by a path's extension (.png, .svg, .pdf); false for anything else. */
bool figureFormatFor(const std::string& path, FigureFormat& format);

struct FigureOptions
{
    int dpi = 300;              ///< PNG resolution (vector formats are resolution-free)
    double widthMm = 183.0;     ///< total width: 183 mm = a two-column journal figure, 89 mm = one column
    double lowPercent = 0.5;    ///< contrast limits as percentiles of the micrograph
    double highPercent = 99.5;
    double markerScale = 0.4;   ///< marker diameter over the median column spacing
    bool filledMarkers = false; ///< discs; the default rings leave each atom visible inside its marker
    bool legend = true;         ///< motif legend (and the insets below it)
    bool averages = true;       ///< inset of average patches
    bool hierarchy = true;      ///< hierarchy summary
    bool scaleBar = true;
    bool panelLabels = true;    ///< bold "a", "b" as journals ask
};

/** Where things are, in points (1/72 inch) from the figure's top-left corner. */
struct FigureLayout
{
    double width = 0.0, height = 0.0;   ///< whole figure
    double imageLeft = 0.0, imageTop = 0.0, imageScale = 1.0; ///< image pixel (x, y) -> left + scale * (x + 0.5)
    double markerDiameter = 0.0;
    double tileSide = 0.0;              ///< a value tile: one median column spacing
    double sideLeft = 0.0, sideWidth = 0.0; ///< legend column (width 0 when there is none)
    double scaleBarLength = 0.0;        ///< in calibrated units (pixels when uncalibrated); 0 = none
    std::string scaleBarLabel;
    double scaleBarLeft = 0.0, scaleBarTop = 0.0, scaleBarWidth = 0.0, scaleBarHeight = 0.0; ///< its backing box
    /// The bar stands under the micrograph (no corner of it is free of columns); else over the
    /// micrograph in the corner that hides none (placeInEmptiestCorner, core/render).
    bool scaleBarBelow = false;
};

FigureLayout computeFigureLayout(const FigureContent& content, const FigureOptions& options);

/**
 * Renders the figure to `path` (format from the extension): PNG at options.dpi, or SVG/PDF with
 * vector markers, legend and scale bar (the micrograph embedded as an image). One SVG group per
 * motif holds that motif's column markers. Written atomically; IoError naming the file on failure.
 * Needs a QGuiApplication (text rendering).
 */
void renderFigure(const FigureContent& content, const FigureOptions& options, const std::string& path);

} // namespace motifscope
