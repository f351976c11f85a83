/** The polygon hierarchy on tilings with known truth built here, and on the real pentagon network. */

#include "hierarchy/hierarchy.h"
#include "hierarchy_test_support.h"
#include "io/micrograph.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>

using namespace motifscope;
using motifscope::test::signature;
using motifscope::test::transformed;

namespace {

constexpr double kPi = 3.14159265358979323846;

Point2 centroid(const std::vector<Point2>& p, const std::vector<int>& idx)
{
    Point2 c;
    for (int i : idx)
        c.x += p[std::size_t(i)].x, c.y += p[std::size_t(i)].y;
    return {c.x / double(idx.size()), c.y / double(idx.size())};
}

double dist(Point2 a, Point2 b)
{
    return std::hypot(a.x - b.x, a.y - b.y);
}

/** Index pairs (i < j) of points closer than `radius` (grid hashing). */
std::vector<std::pair<int, int>> pairsWithin(const std::vector<Point2>& p, double radius)
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

SnubSquare snubSquare(int cells, double a)
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

Cairo cairo(int cells, double a)
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

FilledNetwork filledNetwork(int cells, double fillFraction, double noise, unsigned seed)
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

} // namespace

class TestHierarchy : public QObject
{
    Q_OBJECT

private slots:
    void snubSquareRingsExact();
    void cairoPentagonsExact();
    void invariantToRotationAndMirror();
    void filledPentagonsAndPairs_data();
    void filledPentagonsAndPairs();
    void holesAndRaggedBorder();
    void labelsEnterLevelOne();
    void realPentagonNetwork();
    void jsonStructure();
    void pointsCsv();
    void degenerateInputs();
    void hundredThousandColumns();
};

void TestHierarchy::snubSquareRingsExact()
{
    const SnubSquare s = snubSquare(14, 10.0);
    const HierarchyResult r = buildPolygonHierarchy(s.vertices, nullptr, {});
    QVERIFY(r.bondCutoff > 10.5 && r.bondCutoff < 13.5);
    // Truth inside a window two periods from the patch edge, compared ring by ring.
    const double L = 10.0 * (1.0 + std::sqrt(3.0)) / std::sqrt(2.0);
    const auto inside = [&](Point2 c) { return c.x > 2 * L && c.y > 2 * L && c.x < 11 * L && c.y < 11 * L; };
    int trueTriangles = 0, trueSquares = 0, triangles = 0, squares = 0;
    for (const auto& t : s.triangles)
        trueTriangles += inside(centroid(s.vertices, {t[0], t[1], t[2]}));
    for (const Point2& c : s.squareCentres)
        trueSquares += inside(c);
    for (const Ring& ring : r.rings) {
        if (!inside({ring.cx, ring.cy}))
            continue;
        QVERIFY(ring.counted && !ring.filled());
        QVERIFY(ring.members.size() == 3 || ring.members.size() == 4);
        (ring.members.size() == 3 ? triangles : squares)++;
    }
    QCOMPARE(triangles, trueTriangles);
    QCOMPARE(squares, trueSquares);
    // Level 1 over the whole patch: only triangles and squares, about 2:1.
    QCOMPARE(r.levels[0].motifs.size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(r.levels[0].motifs[0].name), QString("triangle"));
    QCOMPARE(QString::fromStdString(r.levels[0].motifs[1].name), QString("square"));
    QVERIFY(std::fabs(r.levels[0].motifs[0].fraction - 2.0 / 3.0) < 0.03);
    // Level 2: triangle+square (each square has 4 triangle neighbours) and triangle+triangle (1 per 2 triangles).
    std::map<std::string, long long> l2;
    for (const MotifNode& m : r.levels[1].motifs)
        l2[m.name] = m.count;
    QCOMPARE(l2.size(), std::size_t(2));
    QVERIFY(std::fabs(double(l2["triangle + square"]) / double(l2["triangle + triangle"]) - 4.0) < 0.3);
    // Level 3: every square sees four triangles; every triangle sees square, square, triangle.
    std::set<std::string> l3;
    for (const MotifNode& m : r.levels[2].motifs)
        l3.insert(m.name);
    QVERIFY(l3.count("square : triangle, triangle, triangle, triangle"));
    QVERIFY(l3.count("triangle : triangle, square, square"));
    QCOMPARE(l3.size(), std::size_t(2));
}

void TestHierarchy::cairoPentagonsExact()
{
    const Cairo c = cairo(12, 10.0);
    for (const auto& p : c.pentagons)
        if (p.size() == 5)
            for (int k = 0; k < 5; ++k) // the dual tiling really is equilateral where complete
                if (c.pentagonCentres.size() && p[0] >= 0) {
                    const double d = dist(c.vertices[std::size_t(p[std::size_t(k)])],
                                          c.vertices[std::size_t(p[std::size_t((k + 1) % 5)])]);
                    QVERIFY(d < 1.0001 * c.bond);
                }
    const HierarchyResult r = buildPolygonHierarchy(c.vertices, nullptr, {});
    const double L = 10.0 * (1.0 + std::sqrt(3.0)) / std::sqrt(2.0);
    const auto inside = [&](Point2 q) { return q.x > 2 * L && q.y > 2 * L && q.x < 9.5 * L && q.y < 9.5 * L; };
    int truth = 0, found = 0;
    for (const Point2& q : c.pentagonCentres)
        truth += inside(q);
    for (const Ring& ring : r.rings)
        if (inside({ring.cx, ring.cy})) {
            QCOMPARE(ring.members.size(), std::size_t(5));
            QVERIFY(!ring.filled() && ring.counted);
            ++found;
        }
    QCOMPARE(found, truth);
    QCOMPARE(r.levels[0].motifs.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(r.levels[0].motifs[0].name), QString("pentagon (hollow)"));
    QCOMPARE(r.levels[0].motifs[0].members, 5);
    QCOMPARE(r.levels[1].motifs[0].members, 8);
}

void TestHierarchy::invariantToRotationAndMirror()
{
    const FilledNetwork f = filledNetwork(10, 0.3, 0.03, 7);
    const auto reference = signature(buildPolygonHierarchy(f.points, nullptr, {}));
    QCOMPARE(reference.size(), std::size_t(3));
    QVERIFY(reference[0].size() >= 2 && !reference[2].empty());
    for (const auto& [angle, mirror] : {std::pair{17.0, false}, std::pair{90.0, false}, std::pair{0.0, true},
                                        std::pair{17.0, true}}) {
        const auto sig = signature(buildPolygonHierarchy(transformed(f.points, angle, mirror), nullptr, {}));
        QVERIFY2(sig == reference, qPrintable(QString("angle %1 mirror %2").arg(angle).arg(mirror)));
    }
    const SnubSquare s = snubSquare(8, 10.0);
    QVERIFY(signature(buildPolygonHierarchy(s.vertices, nullptr, {})) ==
            signature(buildPolygonHierarchy(transformed(s.vertices, 17.0, true), nullptr, {})));
}

void TestHierarchy::filledPentagonsAndPairs_data()
{
    QTest::addColumn<double>("fill");
    QTest::addColumn<double>("noise");
    QTest::addColumn<double>("minRecovered");
    QTest::newRow("30% filled, 3% noise") << 0.3 << 0.03 << 1.0;
    QTest::newRow("70% filled, 3% noise") << 0.7 << 0.03 << 1.0;
    QTest::newRow("all filled, 3% noise") << 1.0 << 0.03 << 1.0;
    QTest::newRow("50% filled, 5% noise") << 0.5 << 0.05 << 0.95;
}

void TestHierarchy::filledPentagonsAndPairs()
{
    QFETCH(double, fill);
    QFETCH(double, noise);
    QFETCH(double, minRecovered);
    const FilledNetwork f = filledNetwork(16, fill, noise, 11);
    const HierarchyResult r = buildPolygonHierarchy(f.points, nullptr, {});
    const double L = 10.0 * (1.0 + std::sqrt(3.0)) / std::sqrt(2.0);
    const auto inside = [&](Point2 q) { return q.x > 2 * L && q.y > 2 * L && q.x < 13.5 * L && q.y < 13.5 * L; };
    // Truth: pentagons inside the window, and edge-sharing pairs with both inside.
    int trueHollow = 0, trueFilled = 0;
    std::map<std::string, int> truePairs;
    const auto kind = [](bool filled) { return filled ? std::string("F") : std::string("H"); };
    for (std::size_t p = 0; p < f.tiling.pentagons.size(); ++p)
        if (inside(f.tiling.pentagonCentres[p]))
            (f.filled[p] ? trueFilled : trueHollow)++;
    for (const auto& [a, b] : f.tiling.adjacent)
        if (inside(f.tiling.pentagonCentres[std::size_t(a)]) && inside(f.tiling.pentagonCentres[std::size_t(b)])) {
            std::string k = kind(f.filled[std::size_t(a)]) + kind(f.filled[std::size_t(b)]);
            std::sort(k.begin(), k.end());
            ++truePairs[k];
        }
    // Found: each ring matched to the nearest true pentagon centre; must agree on hollow/filled.
    int hollow = 0, filled = 0, wrong = 0;
    std::vector<int> match(r.rings.size(), -1);
    for (std::size_t i = 0; i < r.rings.size(); ++i) {
        const Ring& ring = r.rings[i];
        int best = -1;
        double bestD = 1e300;
        for (std::size_t p = 0; p < f.tiling.pentagonCentres.size(); ++p)
            if (dist(f.tiling.pentagonCentres[p], {ring.cx, ring.cy}) < bestD)
                bestD = dist(f.tiling.pentagonCentres[p], {ring.cx, ring.cy}), best = int(p);
        if (!inside(f.tiling.pentagonCentres[std::size_t(best)]) || bestD > 0.3 * f.tiling.bond)
            continue;
        match[i] = best;
        if (ring.members.size() != 5 || ring.filled() != bool(f.filled[std::size_t(best)]) || !ring.counted)
            ++wrong;
        else
            (ring.filled() ? filled : hollow)++;
    }
    qInfo("fill %.1f noise %.2f: hollow %d/%d filled %d/%d wrong %d, cutoff %.2f (bond %.2f)", fill, noise, hollow,
          trueHollow, filled, trueFilled, wrong, r.bondCutoff, f.tiling.bond);
    QVERIFY(hollow >= minRecovered * trueHollow && hollow <= trueHollow);
    QVERIFY(filled >= minRecovered * trueFilled && filled <= trueFilled);
    QVERIFY(wrong <= (1.0 - minRecovered) * (trueHollow + trueFilled) + 1e-9);
    std::map<std::string, int> pairs;
    for (const auto& [a, b] : r.ringPairs) {
        const int pa = match[std::size_t(a)], pb = match[std::size_t(b)];
        if (pa < 0 || pb < 0)
            continue;
        std::string k = kind(r.rings[std::size_t(a)].filled()) + kind(r.rings[std::size_t(b)].filled());
        std::sort(k.begin(), k.end());
        ++pairs[k];
    }
    for (const auto& [k, n] : truePairs) {
        qInfo("  pair %s: %d found, %d true", k.c_str(), pairs[k], n);
        QVERIFY(std::abs(pairs[k] - n) <= std::max(1.0, 0.05 * n));
    }
    // The same shares in the level-2 motifs of the whole network (border effects aside).
    long long total = r.levels[1].total();
    for (const MotifNode& m : r.levels[1].motifs)
        QVERIFY2(m.canonical == "5F+5F" || m.canonical == "5F+5H" || m.canonical == "5H+5H" || m.count * 50 < total,
                 m.canonical.c_str());
}

void TestHierarchy::holesAndRaggedBorder()
{
    SnubSquare s = snubSquare(16, 10.0);
    const Point2 centre{80.0, 80.0}, hole{100.0, 110.0};
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> jitter(-6.0, 6.0);
    std::vector<Point2> pts;
    int single = -1;
    for (const Point2& p : s.vertices) {
        const double th = std::atan2(p.y - centre.y, p.x - centre.x);
        const double edge = 120.0 + 15.0 * std::sin(5.0 * th) + jitter(rng);
        if (dist(p, centre) > edge || dist(p, hole) < 22.0)
            continue; // ragged border, and a hole of several vacancies
        if (single < 0 && dist(p, {40.0, 60.0}) < 6.0) {
            single = int(pts.size()); // one vacancy: leave it out
            continue;
        }
        pts.push_back(p);
    }
    QVERIFY(single >= 0);
    const HierarchyResult r = buildPolygonHierarchy(pts, nullptr, {});
    int heptagons = 0;
    for (const Ring& ring : r.rings) {
        QVERIFY(ring.members.size() <= 8);
        QVERIFY(dist({ring.cx, ring.cy}, hole) > 15.0);
        if (!ring.counted)
            continue;
        if (ring.members.size() == 7) {
            ++heptagons; // the single vacancy: its five neighbours and two square corners
            QVERIFY(dist({ring.cx, ring.cy}, {40.0, 60.0}) < 8.0);
        } else {
            QVERIFY(ring.members.size() == 3 || ring.members.size() == 4);
        }
    }
    QCOMPARE(heptagons, 1);
    bool besideHole = false;
    for (const Ring& ring : r.rings)
        besideHole = besideHole || ring.besideHole;
    QVERIFY(besideHole);
}

void TestHierarchy::labelsEnterLevelOne()
{
    const SnubSquare s = snubSquare(10, 10.0);
    std::vector<int> labels(s.vertices.size());
    for (std::size_t i = 0; i < labels.size(); ++i)
        labels[i] = (i % 4 == 0) ? 1 : 0; // one vertex of each A square is a different species
    const HierarchyResult r = buildPolygonHierarchy(s.vertices, &labels, {});
    long long squares = 0;
    for (const MotifNode& m : r.levels[0].motifs) {
        QVERIFY(m.canonical.find('[') != std::string::npos);
        if (m.members == 4)
            squares += m.count;
    }
    // Squares hold exactly one labelled vertex: one canonical square type [0 0 0 1].
    int squareTypes = 0;
    for (const MotifNode& m : r.levels[0].motifs)
        if (m.members == 4) {
            ++squareTypes;
            QCOMPARE(QString::fromStdString(m.canonical), QString("4H[0.0.0.1]"));
        }
    QCOMPARE(squareTypes, 1);
    QVERIFY(squares > 0);
    std::vector<int> mirrored = labels;
    QVERIFY(signature(r) == signature(buildPolygonHierarchy(transformed(s.vertices, 17.0, true), &mirrored, {})));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, [&] {
        std::vector<int> wrong(3, 0);
        buildPolygonHierarchy(s.vertices, &wrong, {});
    }());
}

void TestHierarchy::realPentagonNetwork()
{
    MOTIFSCOPE_SHARED_FILE(path, "real/pentagon_network_points.csv");
    const PointSet set = readPointsCsv(path);
    QCOMPARE(set.points.size(), std::size_t(10006));
    QVERIFY(set.labels.empty());
    const HierarchyResult r = buildPolygonHierarchy(set.points, nullptr, {});
    // Coordination of columns away from the border (members of counted rings only).
    std::vector<int> degree(set.points.size(), 0);
    for (const auto& [a, b] : r.bonds)
        ++degree[std::size_t(a)], ++degree[std::size_t(b)];
    std::vector<char> border(set.points.size(), 0), member(set.points.size(), 0);
    for (const Ring& ring : r.rings)
        for (int v : ring.members)
            (ring.counted ? member : border)[std::size_t(v)] = 1;
    int interior = 0, five = 0;
    for (std::size_t i = 0; i < set.points.size(); ++i)
        if (member[i] && !border[i]) {
            ++interior;
            five += degree[i] == 5;
        }
    const double fiveFraction = double(five) / interior;
    qInfo("bond cut-off %.2f px; %d interior columns, %.1f%% with five neighbours", r.bondCutoff, interior,
          100.0 * fiveFraction);
    for (const HierarchyLevel& l : r.levels) {
        qInfo("level %d: %lld occurrences, %zu motifs", l.level, l.total(), l.motifs.size());
        for (std::size_t k = 0; k < std::min<std::size_t>(8, l.motifs.size()); ++k)
            qInfo("  %s %-60s members %d count %lld fraction %.4f", l.motifs[k].id.c_str(), l.motifs[k].name.c_str(),
                  l.motifs[k].members, l.motifs[k].count, l.motifs[k].fraction);
    }
    int fiveAll = 0;
    for (int d : degree)
        fiveAll += d == 5;
    qInfo("all columns: %.1f%% with five neighbours", 100.0 * fiveAll / double(degree.size()));
    QVERIFY(std::fabs(double(fiveAll) / double(degree.size()) - 0.96) < 0.03);
    QVERIFY(fiveFraction > 0.96);
    std::map<std::string, double> l1;
    for (const MotifNode& m : r.levels[0].motifs)
        l1[m.name] = m.fraction;
    QVERIFY(std::fabs(l1["triangle"] - 0.67) < 0.03);
    QVERIFY(std::fabs(l1["square"] - 0.33) < 0.03);
}

void TestHierarchy::jsonStructure()
{
    const FilledNetwork f = filledNetwork(8, 0.4, 0.03, 3);
    const HierarchyResult r = buildPolygonHierarchy(f.points, nullptr, {});
    test::TempDir dir;
    writeHierarchyJson(r, dir.file("hierarchy.json"));
    std::ifstream in(dir.file("hierarchy.json"));
    const nlohmann::json j = nlohmann::json::parse(in);
    QCOMPARE(QString::fromStdString(j.at("route").get<std::string>()), QString("polygons"));
    QCOMPARE(j.at("levels").size(), std::size_t(3));
    std::map<std::string, nlohmann::json> byId;
    for (std::size_t l = 0; l < 3; ++l) {
        const auto& level = j["levels"][l];
        QCOMPARE(level.at("level").get<int>(), int(l) + 1);
        QVERIFY(!level.at("motifs").empty());
        double sum = 0.0;
        long long previous = -1;
        for (const auto& m : level["motifs"]) {
            for (const char* key : {"id", "name", "members", "count", "fraction", "children", "parents"})
                QVERIFY2(m.contains(key), key);
            QVERIFY(m["id"].get<std::string>().rfind("L" + std::to_string(l + 1) + "-", 0) == 0);
            QVERIFY(previous < 0 || m["count"].get<long long>() <= previous);
            previous = m["count"].get<long long>();
            sum += m["fraction"].get<double>();
            byId[m["id"].get<std::string>()] = m;
        }
        QVERIFY(std::fabs(sum - 1.0) < 1e-9);
    }
    for (const auto& [id, m] : byId) {
        const int level = id[1] - '0';
        QCOMPARE(m["children"].empty(), level == 1);
        for (const auto& child : m["children"]) {
            QVERIFY(byId.count(child.get<std::string>()));
            const auto& parents = byId[child.get<std::string>()]["parents"];
            QVERIFY(std::find(parents.begin(), parents.end(), id) != parents.end());
            QCOMPARE(child.get<std::string>()[1] - '0', level - 1);
        }
        for (const auto& parent : m["parents"]) {
            const auto& children = byId[parent.get<std::string>()]["children"];
            QVERIFY(std::find(children.begin(), children.end(), id) != children.end());
        }
    }
    // Deterministic: the same input gives the same bytes.
    QCOMPARE(hierarchyJsonText(buildPolygonHierarchy(f.points, nullptr, {})), hierarchyJsonText(r));
    // Per-column level-1 motif: centres of filled rings carry the filled type.
    writeHierarchyColumnsCsv(f.points, nullptr, r, dir.file("columns.csv"));
    std::ifstream csv(dir.file("columns.csv"));
    std::string header;
    std::getline(csv, header);
    QCOMPARE(QString::fromStdString(header), QString("x,y,motif,coordination"));
    for (const Ring& ring : r.rings)
        for (int v : ring.centres)
            if (ring.counted)
                QCOMPARE(QString::fromStdString(r.levels[0].motifs[std::size_t(r.columnMotif[std::size_t(v)])].name),
                         QString("pentagon (filled)"));
}

void TestHierarchy::pointsCsv()
{
    test::TempDir dir;
    {
        std::ofstream out(dir.file("p.csv"));
        out << "id,y,x,motif\n0,2.5,1.5,3\n\n1,4,-2,0\n";
    }
    const PointSet p = readPointsCsv(dir.file("p.csv"));
    QCOMPARE(p.points.size(), std::size_t(2));
    QCOMPARE(p.points[0].x, 1.5);
    QCOMPARE(p.points[0].y, 2.5);
    QCOMPARE(p.labels, (std::vector<int>{3, 0}));
    {
        std::ofstream out(dir.file("bad.csv"));
        out << "x,y\n1,2\n3,abc\n";
    }
    try {
        readPointsCsv(dir.file("bad.csv"));
        QFAIL("no error for a malformed number");
    } catch (const IoError& e) {
        QVERIFY(std::string(e.what()).find("line 3") != std::string::npos);
    }
    QVERIFY_THROWS_EXCEPTION(IoError, readPointsCsv(dir.file("missing.csv")));
}

void TestHierarchy::degenerateInputs()
{
    for (const std::vector<Point2>& pts : {std::vector<Point2>{}, std::vector<Point2>{{1, 1}, {2, 2}},
                                           std::vector<Point2>{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}}}) {
        const HierarchyResult r = buildPolygonHierarchy(pts, nullptr, {});
        QVERIFY(r.rings.empty());
        QCOMPARE(r.columnMotif.size(), pts.size());
        QCOMPARE(r.levels.size(), std::size_t(3));
        const nlohmann::json j = nlohmann::json::parse(hierarchyJsonText(r));
        QCOMPARE(j["levels"].size(), std::size_t(3));
    }
    // A duplicated column is left out of the graph; the rest is unaffected.
    SnubSquare s = snubSquare(6, 10.0);
    const auto reference = signature(buildPolygonHierarchy(s.vertices, nullptr, {}));
    s.vertices.push_back(s.vertices[40]);
    const HierarchyResult r = buildPolygonHierarchy(s.vertices, nullptr, {});
    QVERIFY(signature(r) == reference);
    QCOMPARE(r.columnMotif.back(), -1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             buildPolygonHierarchy({{0, 0}, {1, std::nan("")}, {2, 1}}, nullptr, {}));
}

/** A network of about 112,000 columns is built whole (its time is reported; the bench target measures). */
void TestHierarchy::hundredThousandColumns()
{
    const FilledNetwork f = filledNetwork(125, 0.3, 0.03, 1); // about 112,000 columns
    const auto t0 = std::chrono::steady_clock::now();
    const HierarchyResult r = buildPolygonHierarchy(f.points, nullptr, {});
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    qInfo("%zu columns: %.2f s, %zu rings", f.points.size(), s, r.rings.size());
    QVERIFY(r.rings.size() > f.tiling.pentagons.size() * 9 / 10);
}

QTEST_GUILESS_MAIN(TestHierarchy)
#include "test_hierarchy.moc"
