/**
 * The polygon hierarchy's files (hierarchy JSON, per-column CSV, points CSV), the real pentagon network
 * read from its points file, and a network of about 10^5 columns built whole. Tilings: test_hierarchy.cpp.
 */

#include "core/hierarchy/hierarchy.h"
#include "hierarchy_tilings.h"
#include "core/io/micrograph.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>

using namespace motifscope;
using motifscope::test::FilledNetwork;
using motifscope::test::filledNetwork;

class TestHierarchyFiles : public QObject
{
    Q_OBJECT

private slots:
    void realPentagonNetwork();
    void jsonStructure();
    void pointsCsv();
    void hundredThousandColumns();
};

void TestHierarchyFiles::realPentagonNetwork()
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

void TestHierarchyFiles::jsonStructure()
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

void TestHierarchyFiles::pointsCsv()
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

/** A network of about 112,000 columns is built whole (its time is reported; the bench target measures). */
void TestHierarchyFiles::hundredThousandColumns()
{
    const FilledNetwork f = filledNetwork(125, 0.3, 0.03, 1); // about 112,000 columns
    const auto t0 = std::chrono::steady_clock::now();
    const HierarchyResult r = buildPolygonHierarchy(f.points, nullptr, {});
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    qInfo("%zu columns: %.2f s, %zu rings", f.points.size(), s, r.rings.size());
    QVERIFY(r.rings.size() > f.tiling.pentagons.size() * 9 / 10);
}

QTEST_GUILESS_MAIN(TestHierarchyFiles)
#include "test_hierarchy_files.moc"
