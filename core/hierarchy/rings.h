#pragma once
/** Rings: the faces of the planar neighbour graph, with filled rings recognised from their fans. */

#include "core/hierarchy/hierarchy.h"
#include "core/hierarchy/neighbour_graph.h"

#include <utility>
#include <vector>

namespace motifscope::hierarchy_detail {

/** The rings of a point set and what lies across each of their edges. */
struct RingSet
{
    std::vector<Ring> rings;
    std::vector<std::pair<int, int>> bonds;       ///< kept Delaunay edges (i < j)
    /** Per ring, per edge members[k] -> members[k+1]: the ring across it, kOuter or kHole. */
    std::vector<std::vector<int>> across;
    static constexpr int kOuter = -1;
    static constexpr int kHole = -2;
};

/**
 * Faces of the graph of Delaunay edges not longer than `cutoff`: triangles joined across cut edges
 * (union-find) form the faces; a face whose boundary is one simple cycle of 3..maxRingMembers
 * columns is a ring, its other columns are its centres. With detectFilled, a column whose incident
 * faces close around it into one even ring (members at similar distances, nearer to it than to each
 * other) becomes the centre of one filled ring: its spokes are merged away.
 */
RingSet findRings(const std::vector<Point2>& points, const Triangulation& tri, double cutoff,
                  const HierarchyParams& params);

} // namespace motifscope::hierarchy_detail
