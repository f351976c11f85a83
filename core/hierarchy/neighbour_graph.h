#pragma once
/** Delaunay triangulation of column positions and the bond cut-off that turns it into a neighbour graph. */

#include "core/hierarchy/hierarchy.h"

#include <array>
#include <vector>

namespace motifscope::hierarchy_detail {

/** A Delaunay triangulation with its edges: each edge knows the triangles on its two sides. */
struct Triangulation
{
    std::vector<std::array<int, 3>> triangles; ///< column indices, counter-clockwise (y up) / clockwise on screen
    std::vector<int> edgeU, edgeV;             ///< edge endpoints, edgeU < edgeV
    std::vector<int> edgeLeft, edgeRight;      ///< triangle left / right of U->V, -1 = outside the hull
    std::vector<double> edgeLength;
    std::vector<int> duplicateOf;              ///< per column: the column it coincides with, or -1
};

/** Delaunay triangulation (OpenCV's Subdiv2D, inserted in a space-filling order for speed). */
Triangulation delaunayTriangulation(const std::vector<Point2>& points);

/** `given` (made ahead from `points`), or else `points`' triangulation made into `own`. */
const Triangulation& givenOrOwnTriangulation(const std::vector<Point2>& points, const Triangulation* given,
                                             Triangulation& own);

/**
 * The bond cut-off from the pooled Delaunay edge lengths: in the smoothed histogram of
 * log(length) (2% Gaussian), the bond peak m is the shortest peak at least half as high as the
 * highest; the cut-off is the centre of the first stretch between 1.12 m and 2 m where the density
 * stays below 5% of that peak (the gap between bonds and the diagonals of rings), or, when there is
 * no such gap, of the lowest stretch there. Returns 0 for fewer than 3 lengths.
 */
double chooseBondCutoff(std::vector<double> lengths);

/** Minimal union-find over 0..n-1 (path halving, union by index). */
class UnionFind
{
public:
    explicit UnionFind(int n);
    int find(int a);
    void unite(int a, int b);

private:
    std::vector<int> mParent;
};

} // namespace motifscope::hierarchy_detail
