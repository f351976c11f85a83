#pragma once
/** The motif hierarchy from column positions: rings (polygons) of the neighbour graph and how they join. */

#include <string>
#include <utility>
#include <memory>
#include <vector>

namespace motifscope {

class Progress;

/** A column position in pixels (x = column index, y = row index, y down). */
struct Point2
{
    double x = 0.0;
    double y = 0.0;
};

/** Settings of the hierarchy; the defaults suit columns of one network at roughly uniform spacing. */
struct HierarchyParams
{
    double bondCutoff = 0.0;          ///< longest neighbour bond in pixels; <= 0: chosen from the data
    int maxRingMembers = 8;           ///< larger faces are holes (vacancy clusters, border), not rings
    bool detectFilled = true;         ///< merge a column's fan of triangles into one filled ring
    double filledRadiusSpread = 0.25; ///< max relative spread (std/mean) of centre-to-member distances
    double filledCentreRatio = 0.95;  ///< max mean centre-to-member distance over mean ring bond length
    bool countBorderRings = true;     ///< count rings that share an edge with the outer face
};

/** One ring: a face of the planar neighbour graph, its members in order around it. */
struct Ring
{
    std::vector<int> members;        ///< columns around the ring, positive turn in (x, y): clockwise on screen
    std::vector<int> centres;        ///< columns inside the ring (non-empty = filled)
    bool border = false;             ///< shares an edge with the outer face
    bool besideHole = false;         ///< shares an edge with a hole (a face too large to be a ring)
    bool counted = false;            ///< included in the motif counts
    int motif = -1;                  ///< index into level 1's motifs when counted, else -1
    double cx = 0.0, cy = 0.0;       ///< centroid of the members
    bool filled() const { return !centres.empty(); }
};

/** One motif of one level: a canonical type and how often it occurs. */
struct MotifNode
{
    std::string id;                  ///< "L<level>-<index>", index in the level's sorted order
    std::string name;                ///< readable name ("pentagon (filled)", "square + triangle", ...)
    std::string canonical;           ///< canonical form, invariant to rotation and mirror
    int members = 0;                 ///< columns in one occurrence (the most common value)
    long long count = 0;
    double fraction = 0.0;           ///< count over the level's total
    std::vector<std::string> children;
    std::vector<std::string> parents;
    long long atEdge = 0;            ///< of count, occurrences at the edge of the point set (polygon route, level 1)
};

/** All motifs of one level, sorted by count (descending), then name. */
struct HierarchyLevel
{
    int level = 1;
    std::vector<MotifNode> motifs;
    long long total() const;
};

/** One counted unit cell of the "cells" route: the parallelogram origin + (i..i+1) a1 + (j..j+1) a2. */
struct LatticeCell
{
    int i = 0, j = 0;  ///< cell indices along a1 and a2
    int motif = -1;    ///< its cell type: index into level 1's motifs
    int group = -1;    ///< its defect cluster (index into LatticeCells::groupMotif), -1 for a pristine cell
};

/** Two lattice vectors and the unit-cell labelling of the "cells" route. */
struct LatticeCells
{
    double a1x = 0.0, a1y = 0.0, a2x = 0.0, a2y = 0.0; ///< lattice vectors in pixels
    double originX = 0.0, originY = 0.0;             ///< a cell corner
    std::string symmetry;                            ///< "square", "hexagonal", "rectangular" or "oblique"
    std::vector<int> cellI, cellJ;                   ///< per column, the cell it falls in
    std::string pristine;                            ///< canonical label of the background cell
    std::vector<LatticeCell> counted;                ///< every counted cell (empty ones too), sorted by (i, j)
    std::vector<int> groupMotif;                     ///< per defect cluster (a level-2 occurrence): its level-2 motif index
};

/** Everything the hierarchy found: the graph, the rings, the levels, and a level-1 motif per column. */
struct HierarchyResult
{
    std::string route = "polygons";                 ///< "polygons" or "cells"
    double bondCutoff = 0.0;                        ///< the bond length cut-off used, pixels
    std::vector<std::pair<int, int>> bonds;         ///< neighbour graph edges (i < j), spokes of filled rings included
    std::vector<Ring> rings;                        ///< every face that is a ring (counted or not)
    std::vector<std::pair<int, int>> ringPairs;     ///< counted rings sharing an edge (indices into rings)
    std::vector<HierarchyLevel> levels;             ///< level 1, 2, 3
    std::vector<int> columnMotif;                   ///< per column: index into level 1's motifs, -1 = none
    LatticeCells cells;                             ///< route "cells" only
};

namespace hierarchy_detail {
struct Triangulation;
}

/**
 * The columns' Delaunay triangulation, made once and shared by both routes (it does not depend on
 * the motif labels, so it can be made while they are learned). Both builders take one made of the
 * same points, or make their own when given none.
 */
using ColumnTriangulation = hierarchy_detail::Triangulation;

/**
 * The Delaunay triangulation of `points` (what the builders would make), or nullptr for points the
 * builders reject or cannot triangulate (a non-finite coordinate, fewer than three): they then
 * triangulate, or report the problem, themselves.
 */
std::shared_ptr<const ColumnTriangulation> triangulateColumns(const std::vector<Point2>& points);

/**
 * The polygon route. Neighbour graph: Delaunay edges not longer than the bond cut-off. Rings: its
 * bounded faces, a column whose fan of triangles closes into an even ring merged into one filled
 * ring. Level 1 = ring types (with `motifLabels`, also the canonical cyclic label sequence),
 * level 2 = edge-sharing ring pairs, level 3 = a ring with its complete shell of edge-sharing
 * rings. Throws std::invalid_argument on non-finite points or a label vector of the wrong size;
 * OperationCancelled when `progress` is cancelled.
 */
HierarchyResult buildPolygonHierarchy(const std::vector<Point2>& points, const std::vector<int>* motifLabels,
                                      const HierarchyParams& params, Progress* progress = nullptr,
                                      const ColumnTriangulation* triangulation = nullptr);

/**
 * The lattice-cell route: unit cells from two lattice vectors, each labelled by the motif labels of
 * its columns; level 1 = cell types (the most common is the pristine background), level 2 =
 * connected groups of non-pristine cells (neighbours = the shortest lattice translations: 4, or 6
 * on a hexagonal lattice), canonical up to the lattice's rotations. Cell labels are the sorted
 * multiset of their columns' labels (0 for all without labels).
 */
HierarchyResult buildCellHierarchy(const std::vector<Point2>& points, const std::vector<int>* motifLabels,
                                   const HierarchyParams& params, Progress* progress = nullptr,
                                   const ColumnTriangulation* triangulation = nullptr);

/** Writes hierarchy.json as in docs/CLI.md (deterministic; atomically via a temporary file). */
void writeHierarchyJson(const HierarchyResult& result, const std::string& path);

/** hierarchy.json as text (what writeHierarchyJson writes). */
std::string hierarchyJsonText(const HierarchyResult& result);

/** Writes `x,y,motif,coordination` (+ `input_motif` when labels are given): motif = level-1 index. */
void writeHierarchyColumnsCsv(const std::vector<Point2>& points, const std::vector<int>* motifLabels,
                              const HierarchyResult& result, const std::string& path);

/** Points read from a CSV with columns x, y and optionally motif (or label). */
struct PointSet
{
    std::vector<Point2> points;
    std::vector<int> labels; ///< empty when the file has no motif/label column
};

/** Reads a points CSV; IoError naming the file and line on malformed content. */
PointSet readPointsCsv(const std::string& path);

} // namespace motifscope
