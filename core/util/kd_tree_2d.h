#pragma once
/**
 * k nearest neighbours among 2-D points, by a k-d tree (median splits along the wider side, leaves
 * of a few points). For clustered point sets (a 2-D map of motifs: dense clouds, empty space between)
 * where a uniform grid puts hundreds of points in a cell. Header-only: any point type with .x and .y.
 *
 * Neighbours are ranked by (squared distance, index): ties go to the lower index, so the result
 * does not depend on the tree's layout.
 */

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace motifscope {

template <class PointT>
class KdTree2D
{
public:
    using Neighbour = std::pair<double, int>; ///< (squared distance, index)

    explicit KdTree2D(const std::vector<PointT>& points) : points_(points), order_(points.size())
    {
        for (std::size_t i = 0; i < order_.size(); ++i)
            order_[i] = int(i);
        nodes_.reserve(2 * (order_.size() / kLeafSize + 1));
        if (!order_.empty())
            build(0, int(order_.size()));
    }

    /**
     * The k nearest points to (x, y), `exclude` left out (-1: none), ascending by (squared distance,
     * index), written to `out` (k slots); returns how many were found (fewer only when there are fewer points).
     */
    int nearest(double x, double y, int k, int exclude, Neighbour* out) const
    {
        int found = 0;
        if (!nodes_.empty() && k > 0)
            search(0, x, y, k, exclude, out, found);
        return found;
    }

private:
    static constexpr int kLeafSize = 8;

    struct Node
    {
        int begin = 0, end = 0; ///< the points order_[begin, end)
        int left = -1, right = -1;
        int axis = 0;           ///< 0: x, 1: y
        double split = 0.0;     ///< left holds coordinates <= split, right >= split
    };

    double coordinate(int i, int axis) const { return axis == 0 ? points_[std::size_t(i)].x : points_[std::size_t(i)].y; }

    int build(int begin, int end)
    {
        const int id = int(nodes_.size());
        nodes_.push_back({begin, end, -1, -1, 0, 0.0});
        if (end - begin <= kLeafSize)
            return id;
        double x0 = coordinate(order_[std::size_t(begin)], 0), x1 = x0;
        double y0 = coordinate(order_[std::size_t(begin)], 1), y1 = y0;
        for (int s = begin; s < end; ++s) {
            const int i = order_[std::size_t(s)];
            x0 = std::min(x0, coordinate(i, 0)), x1 = std::max(x1, coordinate(i, 0));
            y0 = std::min(y0, coordinate(i, 1)), y1 = std::max(y1, coordinate(i, 1));
        }
        const int axis = (x1 - x0) >= (y1 - y0) ? 0 : 1;
        const int middle = begin + (end - begin) / 2;
        std::nth_element(order_.begin() + begin, order_.begin() + middle, order_.begin() + end,
                         [&](int a, int b) { return coordinate(a, axis) < coordinate(b, axis); });
        const double split = coordinate(order_[std::size_t(middle)], axis);
        const int left = build(begin, middle);
        const int right = build(middle, end);
        Node& node = nodes_[std::size_t(id)];
        node.left = left;
        node.right = right;
        node.axis = axis;
        node.split = split;
        return id;
    }

    /** Inserts into the sorted list `out` of `found` (at most k) entries. */
    static void offer(const Neighbour& d, int k, Neighbour* out, int& found)
    {
        if (found == k && !(d < out[k - 1]))
            return;
        int s = found < k ? found++ : k - 1;
        for (; s > 0 && d < out[s - 1]; --s)
            out[s] = out[s - 1];
        out[s] = d;
    }

    void search(int id, double x, double y, int k, int exclude, Neighbour* out, int& found) const
    {
        const Node& node = nodes_[std::size_t(id)];
        if (node.left < 0) {
            for (int s = node.begin; s < node.end; ++s) {
                const int j = order_[std::size_t(s)];
                if (j == exclude)
                    continue;
                const double dx = points_[std::size_t(j)].x - x, dy = points_[std::size_t(j)].y - y;
                offer({dx * dx + dy * dy, j}, k, out, found);
            }
            return;
        }
        const double offset = (node.axis == 0 ? x : y) - node.split;
        const int nearSide = offset <= 0.0 ? node.left : node.right;
        const int farSide = offset <= 0.0 ? node.right : node.left;
        search(nearSide, x, y, k, exclude, out, found);
        // The far side holds no point closer than the plane; equal distance can still win on index.
        if (found < k || offset * offset <= out[k - 1].first)
            search(farSide, x, y, k, exclude, out, found);
    }

    const std::vector<PointT>& points_;
    std::vector<int> order_;
    std::vector<Node> nodes_;
};

} // namespace motifscope
