#pragma once
/** Summary of each learned motif: count, share, display colour and rotation-registered average patch. */

#include "core/detect/atom_column.h"
#include "core/image/float_image.h"

#include <cstdint>
#include <string>
#include <vector>

namespace motifscope {

class Progress;

struct Motif
{
    int id = 0;
    std::string name;                ///< the user's name for it ("" = none: the CLI names no motifs)
    long long count = 0;
    double fraction = 0.0;           ///< of the labelled columns
    std::string colour;              ///< "#rrggbb" from a colour-blind-safe palette
    int patchSize = 0;
    std::vector<float> averagePatch; ///< patchSize^2, row-major: members' patches turned to orientation 0
};

/**
 * Colour of motif `id`: Okabe-Ito first, then Paul Tol's muted scheme, then repeating. Any id < 0
 * (unassigned) is the one neutral grey #808080 of the CLI overlay, the figures and the window.
 */
std::string motifColour(int id);

/** How each column's patch is laid onto its motif's average (per column; an empty vector = the default). */
struct PatchRegistration
{
    std::vector<float> angle;           ///< radians, as sampleRotatedPatch takes it (default 0)
    std::vector<std::uint8_t> mirrored; ///< 1: reflected before the turn (default 0)
    std::vector<float> weight;          ///< the column's weight in the average (default 1)
};

/**
 * One Motif per label 0..max(labels). Each member's patch is sampled rotated by its orientation
 * (radians; empty = no rotation) so that the averages are registered. Parallel over fixed blocks of
 * columns reduced in order (deterministic). Throws OperationCancelled when cancelled.
 */
std::vector<Motif> summariseMotifs(const FloatImage& image, const AtomColumns& columns,
                                   const std::vector<float>& orientation, const std::vector<int>& labels,
                                   int patchSize, Progress* progress = nullptr, std::size_t maxAveraged = 0);

/**
 * As above, each member registered by its angle and mirror and weighted (count = members).
 * `maxAveraged` > 0: a motif's average takes every k-th member only (in column order, k the
 * smallest that leaves at most maxAveraged), for pictures of frames with 10^5 columns where the
 * average of a few thousand is indistinguishable; counts and fractions are still of all members.
 */
std::vector<Motif> summariseMotifs(const FloatImage& image, const AtomColumns& columns,
                                   const PatchRegistration& registration, const std::vector<int>& labels,
                                   int patchSize, Progress* progress = nullptr, std::size_t maxAveraged = 0);

/**
 * Motifs that look alike are one motif: while two motifs' registered averages differ, over the
 * patch disk, by an rms less than `minDifference` times their mean contrast (the rms of an
 * average about its own mean), the closest two are merged (count-weighted average). A crystal's
 * columns of one site at different sub-pixel phases or with a shade of the neighbours' strain
 * differ by 2-12% (the simulated PbZrO3 [110]); distinct sites of the real gallery by 29% and more.
 * `oldToNew[l]` is the merged motif of old label l; survivors are renumbered by size (0 = the
 * largest) with their colours. Returns how many merges were made.
 */
int mergeLookalikeMotifs(std::vector<Motif>& motifs, std::vector<int>& oldToNew, double minDifference);

} // namespace motifscope
