/**
 * The polygon hierarchy on tilings with known truth (hierarchy_tilings.h): exact rings and motifs,
 * filled pentagons and their pairs, holes and a ragged border, labels, rotations and mirrors,
 * degenerate input. The real pentagon network, the output files and 10^5 columns: test_hierarchy_files.cpp.
 */

#include "core/hierarchy/hierarchy.h"
#include "core/hierarchy/motif_tally.h"
#include "core/hierarchy/triangulation_ahead.h"
#include "hierarchy_test_support.h"
#include "hierarchy_tilings.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace motifscope;
using namespace motifscope::test;

class TestHierarchy : public QObject
{
    Q_OBJECT

private slots:
    void snubSquareRingsExact();
    void cairoPentagonsExact();
    void invariantToRotationAndMirror();
    void triangulationMadeAheadGivesTheSameHierarchy();
    void filledPentagonsAndPairs_data();
    void filledPentagonsAndPairs();
    void holesAndRaggedBorder();
    void labelsEnterLevelOne();
    void ringTypesMatchTheirRings();
    void degenerateInputs();
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

void TestHierarchy::triangulationMadeAheadGivesTheSameHierarchy()
{
    // Made on a task while other work runs, shared by both routes: the same hierarchies as each
    // builder triangulating for itself.
    const FilledNetwork f = filledNetwork(10, 0.3, 0.03, 7);
    TriangulationAhead ahead(f.points);
    const ColumnTriangulation* tri = ahead.get();
    QVERIFY(tri != nullptr);
    QVERIFY(signature(buildPolygonHierarchy(f.points, nullptr, {}, nullptr, tri)) ==
            signature(buildPolygonHierarchy(f.points, nullptr, {})));
    const SnubSquare s = snubSquare(8, 10.0);
    TriangulationAhead snub(s.vertices);
    const HierarchyResult cellsAhead = buildCellHierarchy(s.vertices, nullptr, {}, nullptr, snub.get());
    const HierarchyResult cellsOwn = buildCellHierarchy(s.vertices, nullptr, {});
    QVERIFY(signature(cellsAhead) == signature(cellsOwn));
    QCOMPARE(cellsAhead.bonds, cellsOwn.bonds);
    // Nothing is made for points the builders reject or too few: they triangulate (and complain) themselves.
    std::vector<Point2> bad = f.points;
    bad[3].x = std::numeric_limits<double>::quiet_NaN();
    TriangulationAhead none(bad);
    QVERIFY(none.get() == nullptr);
    const std::vector<Point2> pair(f.points.begin(), f.points.begin() + 2);
    TriangulationAhead two(pair);
    QVERIFY(two.get() == nullptr);
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

/**
 * Every counted ring's level-1 motif is the type its own members and centres spell, written out
 * here from the definition (size, F/H, centres, canonical label cycle, sorted inside labels), with
 * labels that include -1 (columns without a motif) and several species; every level-2 pair and
 * level-3 shell count adds up to the ring pairs and complete shells. canonicalCycleInto agrees
 * with canonicalCycle on random sequences.
 */
void TestHierarchy::ringTypesMatchTheirRings()
{
    std::mt19937 random(7);
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<int> seq(std::size_t(1 + random() % 9));
        for (int& v : seq)
            v = int(random() % 4) - 1;
        std::vector<int> best, scratch;
        hierarchy_detail::canonicalCycleInto(seq, best, scratch);
        QVERIFY(best == hierarchy_detail::canonicalCycle(seq));
    }
    const SnubSquare s = snubSquare(12, 10.0);
    std::vector<int> labels(s.vertices.size());
    for (std::size_t i = 0; i < labels.size(); ++i)
        labels[i] = int(random() % 3) - 1;
    const HierarchyResult r = buildPolygonHierarchy(s.vertices, &labels, {});
    const auto join = [](const std::vector<int>& v) {
        std::string out;
        for (std::size_t i = 0; i < v.size(); ++i)
            out += (i ? "." : "") + std::to_string(v[i]);
        return out;
    };
    int checked = 0;
    for (const Ring& ring : r.rings) {
        if (!ring.counted)
            continue;
        std::vector<int> around, inside;
        for (int v : ring.members)
            around.push_back(labels[std::size_t(v)]);
        for (int v : ring.centres)
            inside.push_back(labels[std::size_t(v)]);
        std::sort(inside.begin(), inside.end());
        const int c = int(ring.centres.size());
        const std::string expected = std::to_string(ring.members.size()) + (c ? "F" : "H") +
                                     (c > 1 ? std::to_string(c) : "") + "[" +
                                     join(hierarchy_detail::canonicalCycle(around)) +
                                     (inside.empty() ? "" : "|" + join(inside)) + "]";
        QCOMPARE(QString::fromStdString(r.levels[0].motifs[std::size_t(ring.motif)].canonical),
                 QString::fromStdString(expected));
        ++checked;
    }
    QVERIFY(checked > 200);
    long long pairs = 0;
    for (const MotifNode& m : r.levels[1].motifs)
        pairs += m.count;
    QCOMPARE(pairs, (long long)r.ringPairs.size());
    QVERIFY(r.levels[2].motifs.size() > 3);
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

QTEST_GUILESS_MAIN(TestHierarchy)
#include "test_hierarchy.moc"
