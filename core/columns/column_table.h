#pragma once
/**
 * The one per-column table: every atom column with what was learned about it and what the user
 * changed by hand. The window's document keeps one (ui: ColumnSet), sessions save and load one;
 * plain C++, no Qt (names and colours of motifs stay at the UI edge).
 */

#include "core/detect/atom_column.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace motifscope {

/** A column's position in the 2-D map of the learner (NaN when the column was not learned). */
struct MapPoint
{
    float x = std::numeric_limits<float>::quiet_NaN();
    float y = std::numeric_limits<float>::quiet_NaN();
    bool learned() const { return std::isfinite(x) && std::isfinite(y); }
    bool operator==(const MapPoint&) const = default;
};

/** What the user changed by hand about a column (bits, as the session file's "edits" stores them). */
enum ColumnEditBits : std::uint8_t
{
    kColumnAddedByHand = 1,
    kColumnMovedByHand = 2,
    kColumnLabelledByHand = 4,
};

/**
 * The atom columns of a micrograph with an optional colour class per column (the motif, -1 or an
 * empty `classes` = the default colour). The other per-column vectors are empty or one entry per
 * column, and are filled by motif learning. Cheap to copy into undo commands.
 */
struct ColumnTable
{
    AtomColumns columns;
    std::vector<int> classes;       ///< motif id per column, -1 = unassigned
    std::vector<float> confidence;  ///< how sure the learner is of the motif, 0..1
    std::vector<MapPoint> map;      ///< position in the learner's 2-D map
    std::vector<float> orientation; ///< Zernike orientation (radians), registers the motif averages
    std::vector<std::uint8_t> edits; ///< ColumnEditBits per column (empty = nothing edited by hand)

    std::size_t size() const { return columns.size(); }
    bool empty() const { return columns.empty(); }
    int classOf(std::size_t i) const { return i < classes.size() ? classes[i] : -1; }
    float confidenceOf(std::size_t i) const { return i < confidence.size() ? confidence[i] : 0.0f; }
    MapPoint mapOf(std::size_t i) const { return i < map.size() ? map[i] : MapPoint{}; }
    bool hasMap() const { return !map.empty(); }
    std::uint8_t editsOf(std::size_t i) const { return i < edits.size() ? edits[i] : 0; }
    /** Sets edit bit `bit` of column i (fills `edits` when it was empty). */
    void markEdited(std::size_t i, std::uint8_t bit);

    /** Pads (unassigned, not learned) or trims the non-empty per-column vectors to size(). */
    void conform();
    /** Appends a column: unassigned and not learned. */
    void append(const AtomColumn& column);
    /** Removes the columns at these indices (ascending, unique) with everything known about them. */
    void erase(const std::vector<int>& sortedIndices);
};

/** Number of columns of motif `id`. */
long long membersOf(const ColumnTable& table, int id);

} // namespace motifscope
