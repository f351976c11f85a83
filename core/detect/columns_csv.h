#pragma once
/** Atom columns as CSV: `x,y,intensity` (+ fit results), and reading any CSV with x and y columns. */

#include "core/detect/atom_column.h"

#include <string>

namespace motifscope {

/**
 * Writes `x,y,intensity,width,background,residual,refinement,sigma_px` atomically (temp file +
 * rename). `sigma_px` is the position's standard error in pixels (AtomColumn::positionSigma, 0 = not fitted).
 */
void writeColumnsCsv(const AtomColumns& columns, const std::string& path);

/**
 * Reads columns from a CSV whose header names at least `x` and `y` (any order, extra columns
 * ignored; `intensity`, `width`, `background`, `residual`, `sigma_px` used when present, else 0).
 * Throws IoError naming the file and line on malformed content (also a negative `sigma_px`).
 */
AtomColumns readColumnsCsv(const std::string& path);

} // namespace motifscope
