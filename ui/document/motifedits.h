#pragma once
/** The edits of learned motifs as plain functions: from the columns and motif table before to after. */

#include "ui/document/columnset.h"
#include "core/image/float_image.h"

#include <cstdint>
#include <vector>

namespace motifscope::ui {

/** Columns and motif table together: what one motif edit changes. */
struct MotifState
{
    ColumnSet columns;
    MotifTable table;
};

/** Default name of motif `id` ("Motif 3"). */
QString defaultMotifName(int id);

/**
 * Joins the motifs `ids` (two or more valid ids) into the lowest of them, which keeps its name
 * and colour; the motifs above each removed id move down by one. Its average is the members'
 * count-weighted mean of the merged averages (what resampling them would give). Returns `before`
 * when fewer than two valid ids are given.
 */
MotifState mergedMotifs(const MotifState& before, std::vector<int> ids);

/**
 * Splits motif `id` in two by k-means (K = 2, fixed seed) on its members' map positions; the
 * smaller half becomes a new motif with the next free id and colour. Returns `before` when the
 * motif has fewer than 2 learned members or k-means cannot separate them.
 */
MotifState splitMotif(const MotifState& before, int id, std::uint64_t seed = 1);

/**
 * `learned` (a new learning run's motif table for the columns `after`) with the names the user gave
 * the motifs of `before` that survive: a new motif takes the name of an old one when each is the
 * other's largest share of columns (same columns, same order). Default names are not carried.
 */
MotifTable withSurvivingNames(const ColumnSet& before, const MotifTable& beforeTable, const ColumnSet& after,
                              MotifTable learned);

/** Gives the columns `indices` motif `id` with confidence 1. Returns `before` for an unknown id. */
MotifState assignedToMotif(const MotifState& before, const std::vector<int>& indices, int id);

/** Recomputes the registered average patches of motifs `ids` from their current members. */
void updateAverages(MotifState& state, const FloatImage& image, const std::vector<int>& ids);

/**
 * Updates the averages of the motifs that the columns `moved` left or joined between `before` and
 * `after` (same motif numbering; new motifs at the end), from the averages before and the patches
 * of the moved columns alone: an edit costs its own columns, not the members of the motifs it
 * touches (an assignment to a motif of 50,000 columns samples only the assigned ones).
 */
void updateAveragesForMoves(MotifState& after, const MotifState& before, const FloatImage& image,
                            const std::vector<int>& moved);

} // namespace motifscope::ui
