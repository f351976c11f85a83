#pragma once
/**
 * Tilings with known rings for the hierarchy tests, built here: the snub-square (3.3.4.3.4) tiling,
 * the Cairo pentagon tiling (its dual) and a Cairo network with a share of its pentagons filled.
 */

#include "core/hierarchy/hierarchy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>
#include <utility>
#include <vector>

namespace motifscope::test {

inline constexpr double kPi = 3.14159265358979323846;

inline Point2 centroid(const std::vector<Point2>& p, const std::vector<int>& idx)
{
    Point2 c;
    for (int i : idx)
        c.x += p[std::size_t(i)].x, c.y += p[std::size_t(i)].y;
    return {c.x / double(idx.size()), c.y / double(idx.size())};
}

inline double dist(Point2 a, Point2 b)
{
    return std::hypot(a.x - b.x, a.y - b.y);
}

/** Index pairs (i < j) of points closer than `radius` (grid hashing). */
inline std::vector<std::pair<int, int>> pairsWithin(const std::vector<Point2>& p, double radius)
{
    std::map<std::pair<long, long>, std::vector<int>> grid;
    for (std::size_t i = 0; i < p.size(); ++i)
        grid[{long(std::floor(p[i].x / radius)), long(std::floor(p[i].y / radius))}].push_back(int(i));
    std::vector<std::pair<int, int>> out;
    for (const auto& [cell, members] : grid)
        for (long dx = -1; dx <= 1; ++dx)
            for (long dy = -1; dy <= 1; ++dy) {
                const auto it = grid.find({cell.first + dx, cell.second + dy});
                if (it == grid.end())
                    continue;
                for (int i : members)
                    for (int j : it->second)
                        if (i < j && dist(p[std::size_t(i)], p[std::size_t(j)]) < radius)
                            out.emplace_back(i, j);
            }
    return out;
}

/** A snub-square (3.3.4.3.4) tiling with bond a: vertices, square centres and triangles (vertex triples). */
struct SnubSquare
{
    std::vector<Point2> vertices;
    std::vector<Point2> squareCentres;
    std::vector<std::array<int, 3>> triangles;
    std::vector<std::pair<int, int>> edges;
    double a = 10.0;
};

inline SnubSquare snubSquare(int cells, double a)
{
    SnubSquare s;
    s.a = a;
    const double L = a * (1.0 + std::sqrt(3.0)) / std::sqrt(2.0);
    const double r = a / std::sqrt(2.0);
    for (int i = 0; i < cells; ++i)
        for (int j = 0; j < cells; ++j) {
            const Point2 c{i * L, j * L};
            s.squareCentres.push_back(c);
            s.squareCentres.push_back({c.x + L / 2, c.y + L / 2});
            for (int k = 0; k < 4; ++k) {
                const double t = (60.0 + 90.0 * k) * kPi / 180.0;
                s.vertices.push_back({c.x + r * std::cos(t), c.y + r * std::sin(t)});
            }
        }
    const std::size_t n = s.vertices.size();
    std::vector<std::vector<int>> nb(n);
    for (const auto& [i, j] : pairsWithin(s.vertices, 1.000001 * a))
        if (dist(s.vertices[std::size_t(i)], s.vertices[std::size_t(j)]) > 0.999999 * a) {
            nb[std::size_t(i)].push_back(j);
            nb[std::size_t(j)].push_back(i);
            s.edges.emplace_back(i, j);
        }
    for (std::size_t i = 0; i < n; ++i)
        for (int j : nb[i])
            for (int k : nb[std::size_t(j)])
                if (int(i) < j && j < k && std::find(nb[i].begin(), nb[i].end(), k) != nb[i].end())
                    s.triangles.push_back({int(i), j, k});
    return s;
}


/** The equilateral Cairo tiling, dual of a snub-square tiling: one pentagon per snub vertex. */
struct Cairo
{
    std::vector<Point2> vertices;
    std::vector<std::vector<int>> pentagons; ///< per snub vertex: the Cairo vertices around it
    std::vector<Point2> pentagonCentres;     ///< the snub vertex (inside its pentagon)
    std::vector<std::pair<int, int>> adjacent; ///< pentagons sharing an edge (= snub edges)
    double bond = 0.0;
};

inline Cairo cairo(int cells, double a)
{
    const SnubSquare s = snubSquare(cells, a);
    Cairo c;
    c.adjacent = s.edges;
    // Faces of the snub tiling: squares, then triangles; the triangle's dual vertex is moved along
    // the line from its triangle neighbour's shared edge so that all Cairo edges are equally long.
    std::vector<Point2> dual = s.squareCentres;
    const double inradius = a / (2.0 * std::sqrt(3.0));
    std::map<std::pair<int, int>, int> edgeTriangles;
    for (const auto& t : s.triangles)
        for (int e = 0; e < 3; ++e)
            ++edgeTriangles[std::minmax(t[std::size_t(e)], t[std::size_t((e + 1) % 3)])];
    std::vector<Point2> triCentres;
    for (const auto& t : s.triangles)
        triCentres.push_back(centroid(s.vertices, {t[0], t[1], t[2]}));
    std::vector<int> nearestSquare(s.triangles.size(), 0);
    for (const auto& [q, t] : pairsWithin([&] {
             std::vector<Point2> all = s.squareCentres;
             all.insert(all.end(), triCentres.begin(), triCentres.end());
             return all;
         }(), 0.8 * a))
        if (q < int(s.squareCentres.size()) && t >= int(s.squareCentres.size()))
            nearestSquare[std::size_t(t) - s.squareCentres.size()] = q;
    for (std::size_t ti = 0; ti < s.triangles.size(); ++ti) {
        const auto& t = s.triangles[ti];
        const Point2 g = triCentres[ti];
        Point2 m{};
        bool found = false;
        for (int e = 0; e < 3 && !found; ++e) { // the edge shared with another triangle
            const int u = t[std::size_t(e)], v = t[std::size_t((e + 1) % 3)];
            if (edgeTriangles[std::minmax(u, v)] == 2) {
                m = {(s.vertices[std::size_t(u)].x + s.vertices[std::size_t(v)].x) / 2,
                     (s.vertices[std::size_t(u)].y + s.vertices[std::size_t(v)].y) / 2};
                found = true;
            }
        }
        if (!found) { // at the patch border: keep the centroid (excluded from the truth anyway)
            dual.push_back(g);
            continue;
        }
        const Point2 u{(g.x - m.x) / inradius, (g.y - m.y) / inradius};
        const Point2 sq = s.squareCentres[std::size_t(nearestSquare[ti])];
        double lo = 0.0, hi = 0.8 * a;
        for (int it = 0; it < 60; ++it) { // solve 2t = |P(t) - square centre|
            const double t = 0.5 * (lo + hi);
            const Point2 p{m.x + t * u.x, m.y + t * u.y};
            (2.0 * t < dist(p, sq) ? lo : hi) = t;
        }
        c.bond = lo + hi;
        dual.push_back({m.x + lo * u.x, m.y + lo * u.y});
    }
    c.vertices = dual;
    const std::size_t nSq = s.squareCentres.size();
    std::vector<std::vector<int>> faces(s.vertices.size());
    for (std::size_t t = 0; t < s.triangles.size(); ++t)
        for (int v : s.triangles[t])
            faces[std::size_t(v)].push_back(int(nSq + t));
    std::vector<Point2> both = s.vertices;
    both.insert(both.end(), s.squareCentres.begin(), s.squareCentres.end());
    for (const auto& [v, q] : pairsWithin(both, 0.72 * a))
        if (v < int(s.vertices.size()) && q >= int(s.vertices.size()))
            faces[std::size_t(v)].push_back(q - int(s.vertices.size()));
    for (std::size_t v = 0; v < s.vertices.size(); ++v) {
        std::vector<int> around = faces[v];
        const Point2 o = s.vertices[v];
        std::sort(around.begin(), around.end(), [&](int p, int q) {
            return std::atan2(dual[std::size_t(p)].y - o.y, dual[std::size_t(p)].x - o.x) <
                   std::atan2(dual[std::size_t(q)].y - o.y, dual[std::size_t(q)].x - o.x);
        });
        c.pentagons.push_back(around);
        c.pentagonCentres.push_back(o);
    }
    return c;
}

/** A Cairo network with a chosen subset of pentagons filled (a column added at each centre) and noise. */
struct FilledNetwork
{
    Cairo tiling;
    std::vector<Point2> points;
    std::vector<char> filled; ///< per pentagon
};

inline FilledNetwork filledNetwork(int cells, double fillFraction, double noise, unsigned seed)
{
    FilledNetwork f;
    f.tiling = cairo(cells, 10.0);
    std::mt19937 rng(seed);
    std::bernoulli_distribution fill(fillFraction);
    f.points = f.tiling.vertices;
    for (std::size_t p = 0; p < f.tiling.pentagons.size(); ++p) {
        const bool coin = fill(rng); // only complete pentagons (the patch edge cuts some)
        f.filled.push_back(coin && f.tiling.pentagons[p].size() == 5);
        if (f.filled.back())
            f.points.push_back(centroid(f.tiling.vertices, f.tiling.pentagons[p]));
    }
    std::normal_distribution<double> g(0.0, noise * f.tiling.bond);
    for (Point2& q : f.points)
        q.x += g(rng), q.y += g(rng);
    return f;
}

} // namespace motifscope::test
