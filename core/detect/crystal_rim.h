#pragma once
/**
 * The rim of a crystal on a support. Where thickness falls off (a nanoparticle's surface, a wedge's
 * edge) the outermost columns are as weak as the support's speckle, and the contrast mask, which
 * judges blocks, leaves them out. What tells such a column from speckle is where it sits: on the
 * crystal's rows. A site just beyond the crystal that two rows of columns (two directions) both
 * predict is tested at that site against the support around the crystal (an empirical null of the
 * column signal at random points there), so a speckle peak passes only when it happens to lie on a
 * predicted site and to be brighter than nearly all of the support; a site that only one row
 * predicts must be brighter still.
 */

#include "core/detect/atom_column.h"
#include "core/detect/column_signal.h"
#include "core/detect/contrast_mask.h"
#include "core/detect/peak_finder.h"

#include <vector>

namespace motifscope {

struct CrystalRimParams
{
    /// Quantile of the support's column signal (at random points near the crystal) a predicted
    /// site must exceed: the chance that an empty predicted site holding a speckle peak passes.
    double nullQuantile = 0.85;
    /// The same for a site that only one row predicts (the crystal's outline gives many such).
    double oneRowQuantile = 0.98;
    int maxRings = 50; ///< growth steps beyond the accepted columns (a thick particle's dim outer zone spans many)
};

/**
 * Columns beyond the contrast mask's edge on the crystal's rows: peaks (from `peaks`, not among
 * `accepted`) lying on a site that rows of accepted columns predict, whose column signal there
 * exceeds the null quantile (nullQuantile for two crossing rows, oneRowQuantile for one). Grows ring by ring from the
 * columns found. Empty when the mask covers the whole image or too few columns were accepted.
 */
AtomColumns crystalRimColumns(const ColumnSignal& signal, const std::vector<PeakCandidate>& peaks,
                              const ContrastMask& mask, const AtomColumns& accepted,
                              const CrystalRimParams& params = {});

} // namespace motifscope
