#pragma once
/** Atom columns as CSV: `x,y,intensity` (+ fit results), and reading any CSV with x and y columns. */

#include "detect/atom_column.h"

#include <string>

namespace motifscope {

/** Writes `x,y,intensity,width,background,residual,refinement` atomically (temp file + rename). */
void writeColumnsCsv(const AtomColumns& columns, const std::string& path);

/**
 * Reads columns from a CSV whose header names at least `x` and `y` (any order, extra columns
 * ignored; `intensity`, `width`, `background`, `residual` used when present). Throws IoError naming
 * the file and line on malformed content.
 */
AtomColumns readColumnsCsv(const std::string& path);

} // namespace motifscope
