#include "core/hierarchy/neighbour_graph.h"

#include <opencv2/imgproc.hpp>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>

namespace motifscope::hierarchy_detail {

UnionFind::UnionFind(int n) : mParent(std::size_t(n))
{
    std::iota(mParent.begin(), mParent.end(), 0);
}

int UnionFind::find(int a)
{
    while (mParent[std::size_t(a)] != a) {
        mParent[std::size_t(a)] = mParent[std::size_t(mParent[std::size_t(a)])];
        a = mParent[std::size_t(a)];
    }
    return a;
}

void UnionFind::unite(int a, int b)
{
    a = find(a);
    b = find(b);
    if (a == b)
        return;
    // The larger index becomes the root, so a sentinel placed last stays a root.
    if (a > b)
        std::swap(a, b);
    mParent[std::size_t(a)] = b;
}

namespace {

double cross(const Point2& o, const Point2& a, const Point2& b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Insertion order: rows of about one spacing, alternately left-to-right and right-to-left. */
std::vector<int> snakeOrder(const std::vector<Point2>& p, double minX, double minY, double spacing)
{
    std::vector<std::pair<std::int64_t, int>> keys(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        const auto row = std::int64_t((p[i].y - minY) / spacing);
        const std::int64_t col = std::int64_t((p[i].x - minX) / spacing * 16.0);
        keys[i] = {row * (std::int64_t(1) << 32) + ((row & 1) ? -col : col), int(i)};
    }
    std::sort(keys.begin(), keys.end());
    std::vector<int> order(p.size());
    for (std::size_t i = 0; i < p.size(); ++i)
        order[i] = keys[i].second;
    return order;
}

} // namespace

Triangulation delaunayTriangulation(const std::vector<Point2>& points)
{
    Triangulation t;
    const int n = int(points.size());
    t.duplicateOf.assign(std::size_t(n), -1);
    if (n < 3)
        return t;
    double minX = points[0].x, maxX = minX, minY = points[0].y, maxY = minY;
    for (const Point2& p : points) {
        minX = std::min(minX, p.x);
        maxX = std::max(maxX, p.x);
        minY = std::min(minY, p.y);
        maxY = std::max(maxY, p.y);
    }
    const double w = std::max(maxX - minX, 1e-9), h = std::max(maxY - minY, 1e-9);
    const double spacing = std::max({std::sqrt(w * h / n), std::max(w, h) / n, 1e-12});
    // Subdiv2D works in float inside an integer rectangle: shift to the origin and scale to a
    // spacing of 10 units, so precision is spent on the spread and any unit works.
    const double scale = 10.0 / spacing;
    cv::Subdiv2D subdiv(cv::Rect(-2, -2, int(w * scale) + 5, int(h * scale) + 5));
    std::vector<int> pointOfVertex;
    for (int i : snakeOrder(points, minX, minY, spacing)) {
        const cv::Point2f q(float((points[std::size_t(i)].x - minX) * scale),
                            float((points[std::size_t(i)].y - minY) * scale));
        const int id = subdiv.insert(q);
        if (id >= int(pointOfVertex.size()))
            pointOfVertex.resize(std::size_t(id) + 1, -1);
        if (pointOfVertex[std::size_t(id)] < 0)
            pointOfVertex[std::size_t(id)] = i;
        else
            t.duplicateOf[std::size_t(i)] = pointOfVertex[std::size_t(id)];
    }
    // Triangles from the rotation of edges around each real vertex (ids 0-3 are Subdiv2D's own).
    std::vector<int> ring;
    for (int v = 4; v < int(pointOfVertex.size()); ++v) {
        const int pv = pointOfVertex[std::size_t(v)];
        if (pv < 0)
            continue;
        int first = 0;
        subdiv.getVertex(v, &first);
        ring.clear();
        int e = first;
        for (int guard = 0; guard < 1000; ++guard) {
            ring.push_back(subdiv.edgeDst(e));
            e = subdiv.getEdge(e, cv::Subdiv2D::NEXT_AROUND_ORG);
            if (e == first)
                break;
        }
        for (std::size_t k = 0; k < ring.size(); ++k) {
            const int a = ring[k], b = ring[(k + 1) % ring.size()];
            if (a < 4 || b < 4 || a >= int(pointOfVertex.size()) || b >= int(pointOfVertex.size()))
                continue;
            const int pa = pointOfVertex[std::size_t(a)], pb = pointOfVertex[std::size_t(b)];
            if (pa < 0 || pb < 0 || pa == pb)
                continue;
            // Each triangle once: from its smallest column index.
            if (pv > pa || pv > pb)
                continue;
            const double c = cross(points[std::size_t(pv)], points[std::size_t(pa)], points[std::size_t(pb)]);
            if (c > 0.0)
                t.triangles.push_back({pv, pa, pb});
            else if (c < 0.0)
                t.triangles.push_back({pv, pb, pa});
        }
    }
    std::sort(t.triangles.begin(), t.triangles.end());
    t.triangles.erase(std::unique(t.triangles.begin(), t.triangles.end()), t.triangles.end());

    // Edges: sort the directed triangle sides by their undirected key and pair them up.
    struct Side
    {
        std::uint64_t key;
        int triangle;
        bool forward; // the side runs from the smaller to the larger column index
    };
    std::vector<Side> sides;
    sides.reserve(t.triangles.size() * 3);
    for (std::size_t k = 0; k < t.triangles.size(); ++k) {
        const auto& tri = t.triangles[k];
        for (int s = 0; s < 3; ++s) {
            const int a = tri[std::size_t(s)], b = tri[std::size_t((s + 1) % 3)];
            const auto lo = std::uint64_t(std::min(a, b)), hi = std::uint64_t(std::max(a, b));
            sides.push_back({(lo << 32) | hi, int(k), a < b});
        }
    }
    std::sort(sides.begin(), sides.end(), [](const Side& x, const Side& y) {
        return x.key != y.key ? x.key < y.key : x.triangle < y.triangle;
    });
    for (std::size_t i = 0; i < sides.size();) {
        std::size_t j = i;
        int left = -1, right = -1;
        for (; j < sides.size() && sides[j].key == sides[i].key; ++j)
            (sides[j].forward ? left : right) = sides[j].triangle;
        const int u = int(sides[i].key >> 32), v = int(sides[i].key & 0xffffffffu);
        t.edgeU.push_back(u);
        t.edgeV.push_back(v);
        t.edgeLeft.push_back(left);
        t.edgeRight.push_back(right);
        t.edgeLength.push_back(std::hypot(points[std::size_t(u)].x - points[std::size_t(v)].x,
                                          points[std::size_t(u)].y - points[std::size_t(v)].y));
        i = j;
    }
    return t;
}

double chooseBondCutoff(std::vector<double> lengths)
{
    lengths.erase(std::remove_if(lengths.begin(), lengths.end(), [](double l) { return !(l > 0.0); }),
                  lengths.end());
    if (lengths.size() < 3)
        return 0.0;
    tbb::parallel_sort(lengths.begin(), lengths.end()); // values: the same order as std::sort's
    const auto quantile = [&](double q) { return lengths[std::size_t(q * double(lengths.size() - 1))]; };
    const double lo = std::log(quantile(0.001)) - 0.1;
    const double hi = std::log(quantile(0.999)) + std::log(2.2);
    constexpr int bins = 512;
    const double width = (hi - lo) / bins;
    std::vector<double> hist(bins, 0.0);
    for (double l : lengths) {
        const int b = int((std::log(l) - lo) / width);
        if (b >= 0 && b < bins)
            hist[std::size_t(b)] += 1.0;
    }
    // Smooth with a Gaussian of 2% in length.
    const double sigma = 0.02 / width;
    const int reach = int(std::ceil(3.0 * sigma));
    std::vector<double> kernel(std::size_t(2 * reach + 1));
    for (int k = -reach; k <= reach; ++k)
        kernel[std::size_t(k + reach)] = std::exp(-0.5 * k * k / (sigma * sigma));
    std::vector<double> d(bins, 0.0);
    for (int b = 0; b < bins; ++b)
        for (int k = -reach; k <= reach; ++k)
            if (b + k >= 0 && b + k < bins)
                d[std::size_t(b)] += hist[std::size_t(b + k)] * kernel[std::size_t(k + reach)];
    const double top = *std::max_element(d.begin(), d.end());
    int peak = int(std::max_element(d.begin(), d.end()) - d.begin());
    for (int b = 1; b + 1 < bins; ++b)
        if (d[std::size_t(b)] >= 0.5 * top && d[std::size_t(b)] >= d[std::size_t(b - 1)] &&
            d[std::size_t(b)] >= d[std::size_t(b + 1)]) {
            peak = b;
            break;
        }
    const int from = std::min(bins - 1, peak + int(std::ceil(std::log(1.12) / width)));
    const int to = std::min(bins - 1, peak + int(std::log(2.0) / width));
    // The gap: the first stretch of the window where the density falls below 5% of the bond peak;
    // failing that, the stretch of near-minimal density around the window's minimum.
    int runFrom = -1, runTo = -1;
    for (int b = from; b <= to; ++b)
        if (d[std::size_t(b)] <= 0.05 * d[std::size_t(peak)]) {
            runFrom = runTo = b;
            while (runTo < to && d[std::size_t(runTo + 1)] <= 0.05 * d[std::size_t(peak)])
                ++runTo;
            break;
        }
    int best = from;
    if (runFrom < 0) {
        for (int b = from; b <= to; ++b)
            if (d[std::size_t(b)] < d[std::size_t(best)])
                best = b;
        const double level = d[std::size_t(best)] + 0.02 * d[std::size_t(peak)];
        runFrom = runTo = best;
        while (runFrom > from && d[std::size_t(runFrom - 1)] <= level)
            --runFrom;
        while (runTo < to && d[std::size_t(runTo + 1)] <= level)
            ++runTo;
    }
    const double centre = 0.5 * (runFrom + runTo) + 0.5;
    return std::exp(lo + centre * width);
}

const Triangulation& givenOrOwnTriangulation(const std::vector<Point2>& points, const Triangulation* given,
                                             Triangulation& own)
{
    if (given)
        return *given;
    own = delaunayTriangulation(points);
    return own;
}

} // namespace motifscope::hierarchy_detail

namespace motifscope {

std::shared_ptr<const ColumnTriangulation> triangulateColumns(const std::vector<Point2>& points)
{
    const bool finite = std::all_of(points.begin(), points.end(),
                                    [](const Point2& p) { return std::isfinite(p.x) && std::isfinite(p.y); });
    if (!finite || points.size() < 3)
        return nullptr;
    return std::make_shared<const ColumnTriangulation>(hierarchy_detail::delaunayTriangulation(points));
}

} // namespace motifscope
