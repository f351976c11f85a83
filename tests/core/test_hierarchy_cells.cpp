/** The lattice-cell route of the hierarchy on a honeycomb crystal with planted point defects. */

#include "core/hierarchy/hierarchy.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <map>
#include <random>

using namespace motifscope;

namespace {

constexpr double kPi = 3.14159265358979323846;

/** A honeycomb (two sites per cell, labels 0 and 1) of n x n cells with planted defects. */
struct Crystal
{
    std::vector<Point2> points;
    std::vector<int> labels;
};

Crystal honeycomb(int n, double a, double noise, double rotateDegrees, unsigned seed)
{
    Crystal c;
    const double a1x = a, a1y = 0.0, a2x = a / 2, a2y = a * std::sqrt(3.0) / 2;
    // Defects, in cell coordinates: single vacancies of site B, substitutions of B by label 2, and
    // divacancies (site B of two neighbouring cells) along a1 and along a1 - a2 (60 degrees apart).
    const std::map<std::pair<int, int>, std::pair<int, int>> vacancyB = {
        {{5, 5}, {0, 0}}, {{12, 6}, {0, 0}}, {{7, 15}, {0, 0}}, {{18, 18}, {0, 0}}, {{20, 8}, {0, 0}}};
    const std::map<std::pair<int, int>, int> substitute = {{{9, 10}, 2}, {{15, 12}, 2}, {{4, 20}, 2}};
    const std::map<std::pair<int, int>, int> divacancy = {{{10, 20}, 1}, {{11, 20}, 1}, {{16, 4}, 1}, {{17, 3}, 1}};
    std::mt19937 rng(seed);
    std::normal_distribution<double> g(0.0, noise * a);
    const double t = rotateDegrees * kPi / 180.0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            for (int site = 0; site < 2; ++site) {
                const double f = site == 0 ? 1.0 / 3.0 : 2.0 / 3.0;
                const bool gone = site == 1 && (vacancyB.count({i, j}) || divacancy.count({i, j}));
                if (gone)
                    continue;
                int label = site;
                if (site == 1 && substitute.count({i, j}))
                    label = 2;
                const double x = (i + f) * a1x + (j + f) * a2x + g(rng), y = (i + f) * a1y + (j + f) * a2y + g(rng);
                c.points.push_back({500 + x * std::cos(t) - y * std::sin(t), 500 + x * std::sin(t) + y * std::cos(t)});
                c.labels.push_back(label);
            }
    return c;
}

std::map<std::string, long long> countsByName(const HierarchyLevel& l)
{
    std::map<std::string, long long> m;
    for (const MotifNode& n : l.motifs)
        m[n.name] = n.count;
    return m;
}

} // namespace

class TestHierarchyCells : public QObject
{
    Q_OBJECT

private slots:
    void plantedDefects_data();
    void plantedDefects();
    void jsonRoute();
};

void TestHierarchyCells::plantedDefects_data()
{
    QTest::addColumn<double>("rotate");
    QTest::newRow("upright") << 0.0;
    QTest::newRow("rotated 17 degrees") << 17.0;
    QTest::newRow("rotated 90 degrees") << 90.0;
}

void TestHierarchyCells::plantedDefects()
{
    QFETCH(double, rotate);
    const Crystal c = honeycomb(26, 12.0, 0.03, rotate, 9);
    const HierarchyResult r = buildCellHierarchy(c.points, &c.labels, {});
    QCOMPARE(QString::fromStdString(r.route), QString("cells"));
    QCOMPARE(QString::fromStdString(r.cells.symmetry), QString("hexagonal"));
    QVERIFY(std::fabs(std::hypot(r.cells.a1x, r.cells.a1y) - 12.0) < 0.3);
    QVERIFY(std::fabs(std::hypot(r.cells.a2x, r.cells.a2y) - 12.0) < 0.3);
    QCOMPARE(QString::fromStdString(r.cells.pristine), QString("[0.1]"));
    QCOMPARE(r.levels.size(), std::size_t(2));
    const auto l1 = countsByName(r.levels[0]);
    QCOMPARE(l1.at("cell [0]"), 5LL + 4LL);  // single vacancies and the divacancy cells
    QCOMPARE(l1.at("cell [0.2]"), 3LL);      // substitutions
    const auto l2 = countsByName(r.levels[1]);
    QCOMPARE(l2.size(), std::size_t(3));
    QCOMPARE(l2.at("1 defect cell: [0]"), 5LL);
    QCOMPARE(l2.at("1 defect cell: [0.2]"), 3LL);
    QCOMPARE(l2.at("2 defect cells: [0]"), 2LL); // two orientations, one canonical form
    for (const MotifNode& m : r.levels[1].motifs)
        QVERIFY(!m.children.empty());
    // The counted cells and their clusters, as the overlay draws them: each level-1 count is that
    // many cells, each level-2 count that many clusters, and a cluster's cells are never pristine.
    std::vector<long long> cellsOfType(r.levels[0].motifs.size(), 0), clustersOfForm(r.levels[1].motifs.size(), 0);
    std::vector<int> cellsInCluster(r.cells.groupMotif.size(), 0);
    for (const LatticeCell& cell : r.cells.counted) {
        ++cellsOfType[std::size_t(cell.motif)];
        QCOMPARE(cell.group < 0, cell.motif == 0);
        if (cell.group >= 0)
            ++cellsInCluster[std::size_t(cell.group)];
    }
    for (int m : r.cells.groupMotif)
        ++clustersOfForm[std::size_t(m)];
    for (std::size_t k = 0; k < cellsOfType.size(); ++k)
        QCOMPARE(cellsOfType[k], r.levels[0].motifs[k].count);
    for (std::size_t k = 0; k < clustersOfForm.size(); ++k)
        QCOMPARE(clustersOfForm[k], r.levels[1].motifs[k].count);
    for (std::size_t g = 0; g < cellsInCluster.size(); ++g) // "2 defect cells" clusters hold two
        QCOMPARE(cellsInCluster[g], r.levels[1].motifs[std::size_t(r.cells.groupMotif[g])].name[0] == '2' ? 2 : 1);
    // Columns of pristine cells carry the pristine type (L1-0).
    int pristine = 0;
    for (int m : r.columnMotif)
        pristine += m == 0;
    QVERIFY(pristine > int(c.points.size()) * 3 / 4);
}

void TestHierarchyCells::jsonRoute()
{
    const Crystal c = honeycomb(16, 12.0, 0.02, 0.0, 2);
    const HierarchyResult r = buildCellHierarchy(c.points, &c.labels, {});
    const nlohmann::json j = nlohmann::json::parse(hierarchyJsonText(r));
    QCOMPARE(QString::fromStdString(j["route"].get<std::string>()), QString("cells"));
    for (const auto& level : j["levels"]) {
        double sum = 0.0;
        for (const auto& m : level["motifs"])
            sum += m["fraction"].get<double>();
        QVERIFY(std::fabs(sum - 1.0) < 1e-9);
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, buildCellHierarchy({{0, 0}, {1, 1}}, nullptr, {}));
}

QTEST_GUILESS_MAIN(TestHierarchyCells)
#include "test_hierarchy_cells.moc"
