/**
 * The polygon hierarchy against the planted truth of `synth pentagon-network`: which rings it
 * planted (hollow or filled) and which rings share an edge. Run on the truth positions and on the
 * columns detected in the synthetic image; and the same hierarchy at any rotation of the input.
 */

#include "core/detect/column_detector.h"
#include "core/hierarchy/hierarchy.h"
#include "hierarchy_test_support.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "synth_truth_match.h"

#include <QtTest>

#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace motifscope;
using motifscope::test::motifCount;
using motifscope::test::signature;
using motifscope::test::transformed;

namespace {

/** How the found hierarchy compares with what the generator planted. */
struct Recovery
{
    int planted = 0;            ///< planted rings, those at the edge of the network included (the hierarchy counts every ring)
    int recovered = 0;          ///< of those, found as a counted ring with the same members and kind
    int foundCounted = 0;       ///< counted rings the hierarchy found
    int foundCorrect = 0;       ///< of those, a planted ring of the same kind
    std::map<std::string, long long> plantedPairs; ///< level-2 form -> planted pairs of rings
    double recall() const { return planted ? double(recovered) / planted : 0.0; }
    double precision() const { return foundCounted ? double(foundCorrect) / foundCounted : 0.0; }
};

std::string plantedForm(const synth::SynthResult& s, int ring) { return s.ringFilled[std::size_t(ring)] ? "5F" : "5H"; }

std::array<int, 5> sortedMembers(const std::vector<int>& members)
{
    std::array<int, 5> key{};
    std::copy_n(members.begin(), 5, key.begin());
    std::sort(key.begin(), key.end());
    return key;
}

/**
 * Compares `h` (built on points whose i-th is truth column toTruth[i], -1 = none) with the planted
 * rings and pairs of `s`.
 */
Recovery compareWithPlanted(const synth::SynthResult& s, const HierarchyResult& h, const std::vector<int>& toTruth)
{
    Recovery out;
    for (const auto& [a, b] : s.ringPairs) {
        std::string fa = plantedForm(s, a), fb = plantedForm(s, b);
        if (fb < fa)
            std::swap(fa, fb);
        ++out.plantedPairs[fa + "+" + fb];
    }
    std::map<std::array<int, 5>, int> plantedByMembers;
    for (std::size_t r = 0; r < s.rings.size(); ++r) {
        plantedByMembers[sortedMembers(s.rings[r])] = int(r);
        ++out.planted;
    }

    const auto truthOf = [&](int column) { return column >= 0 && column < int(toTruth.size()) ? toTruth[std::size_t(column)] : -1; };
    for (const Ring& ring : h.rings) {
        if (!ring.counted)
            continue;
        ++out.foundCounted;
        if (ring.members.size() != 5)
            continue;
        std::vector<int> members;
        for (int m : ring.members)
            members.push_back(truthOf(m));
        if (std::find(members.begin(), members.end(), -1) != members.end())
            continue;
        const auto it = plantedByMembers.find(sortedMembers(members));
        if (it == plantedByMembers.end())
            continue;
        const int planted = it->second;
        const std::string form = h.levels[0].motifs[std::size_t(ring.motif)].canonical;
        const int plantedCentre = s.ringCentre[std::size_t(planted)];
        const bool sameCentre = plantedCentre < 0 ? ring.centres.empty()
                                                  : ring.centres.size() == 1 && truthOf(ring.centres[0]) == plantedCentre;
        if (form != plantedForm(s, planted) || !sameCentre)
            continue;
        ++out.foundCorrect;
        ++out.recovered;
    }
    return out;
}

/** Asserts level 1 >= 95% right both ways and each planted level-2 count within 1% (reported): rings at the edge count too. */
void checkAgainstPlanted(const synth::SynthResult& s, const HierarchyResult& h, const std::vector<int>& toTruth,
                         const char* what)
{
    const Recovery rec = compareWithPlanted(s, h, toTruth);
    qInfo("%s: %zu planted rings (%zu pairs); level 1 recovered %d/%d = %.2f%%, found rings right "
          "%d/%d = %.2f%%",
          what, s.rings.size(), s.ringPairs.size(), rec.recovered, rec.planted,
          100.0 * rec.recall(), rec.foundCorrect, rec.foundCounted, 100.0 * rec.precision());
    QVERIFY(rec.planted > 300);
    QVERIFY2(rec.recall() >= 0.95, what);
    QVERIFY2(rec.precision() >= 0.95, what);
    QCOMPARE(rec.plantedPairs.size(), std::size_t(3)); // 5F+5F, 5F+5H, 5H+5H all planted
    long long plantedTotal = 0;
    for (const auto& [form, planted] : rec.plantedPairs) {
        const long long found = motifCount(h, 2, form);
        const double error = double(found - planted) / double(planted);
        qInfo("  level 2 %s: %lld found, %lld planted, error %+.2f%%", form.c_str(), found, planted, 100.0 * error);
        QVERIFY2(std::fabs(error) <= 0.01, qPrintable(QString("%1 %2").arg(what, QString::fromStdString(form))));
        plantedTotal += planted;
    }
    // Whatever else level 2 holds (pairs with a misread ring) stays within 1% of the total.
    QVERIFY(std::fabs(double(h.levels[1].total() - plantedTotal)) <= 0.01 * double(plantedTotal));
}

synth::SynthResult pentagonNetwork(int size, std::uint64_t seed, double dose = 200.0)
{
    return synth::synthesize(test::synthOptions("pentagon-network", size, seed, dose));
}

std::vector<Point2> plantedPositions(const synth::SynthResult& s)
{
    std::vector<Point2> points;
    points.reserve(s.truth.size());
    for (const synth::TruthColumn& t : s.truth)
        points.push_back({t.x, t.y});
    return points;
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

class TestHierarchySynth : public QObject
{
    Q_OBJECT

private slots:
    void plantedRingsAndPairs();
    void truthPoints_data();
    void truthPoints();
    void detectedColumns_data();
    void detectedColumns();
    void unfilledReadingFailsTheComparison();
    void sameAtAnyRotation();
};

void TestHierarchySynth::plantedRingsAndPairs()
{
    // The generator's pairs are exactly the rings sharing two consecutive members; in the bulk every
    // pentagon of a Cairo tiling has five neighbours.
    const synth::SynthResult s = pentagonNetwork(512, 5);
    std::map<std::pair<int, int>, std::vector<int>> ringsOfEdge;
    for (std::size_t r = 0; r < s.rings.size(); ++r)
        for (std::size_t k = 0; k < 5; ++k) {
            const int u = s.rings[r][k], v = s.rings[r][(k + 1) % 5];
            ringsOfEdge[{std::min(u, v), std::max(u, v)}].push_back(int(r));
        }
    std::vector<std::pair<int, int>> pairs;
    for (const auto& [edge, rings] : ringsOfEdge) {
        QVERIFY(rings.size() <= 2);
        if (rings.size() == 2)
            pairs.emplace_back(std::min(rings[0], rings[1]), std::max(rings[0], rings[1]));
    }
    std::sort(pairs.begin(), pairs.end());
    QVERIFY(pairs.size() > s.rings.size()); // 2.5 pairs per ring in the bulk
    QCOMPARE(s.ringPairs, pairs);
}

void TestHierarchySynth::truthPoints_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("seed");
    QTest::newRow("1024 px, seed 1") << 1024 << 1;
    QTest::newRow("1024 px, seed 2") << 1024 << 2;
    QTest::newRow("768 px, seed 3") << 768 << 3;
}

void TestHierarchySynth::truthPoints()
{
    QFETCH(int, size);
    QFETCH(int, seed);
    const synth::SynthResult s = pentagonNetwork(size, std::uint64_t(seed));
    const std::vector<Point2> points = plantedPositions(s);
    const auto start = std::chrono::steady_clock::now();
    const HierarchyResult h = buildPolygonHierarchy(points, nullptr, {});
    qInfo("%zu truth columns: hierarchy in %.3f s, bond cut-off %.2f px (bond %.2f px)", points.size(),
          secondsSince(start), h.bondCutoff, s.latticePeriod);
    std::vector<int> identity(points.size());
    for (std::size_t i = 0; i < identity.size(); ++i)
        identity[i] = int(i);
    checkAgainstPlanted(s, h, identity, "truth points");
}

void TestHierarchySynth::detectedColumns_data()
{
    QTest::addColumn<double>("dose");
    QTest::newRow("dose 200") << 200.0;
    QTest::newRow("dose 25") << 25.0;
}

void TestHierarchySynth::detectedColumns()
{
    QFETCH(double, dose);
    const synth::SynthResult s = pentagonNetwork(1024, 7, dose);
    auto start = std::chrono::steady_clock::now();
    const DetectionResult detected = detectColumns(s.image, DetectionParams{});
    const double detectSeconds = secondsSince(start);
    const std::vector<int> toTruth = test::matchTruthOneToOne(detected.columns, s.truth, 0.3 * s.latticePeriod);
    const long long matched = std::count_if(toTruth.begin(), toTruth.end(), [](int t) { return t >= 0; });
    std::vector<Point2> points;
    for (const AtomColumn& c : detected.columns)
        points.push_back({c.x, c.y});
    start = std::chrono::steady_clock::now();
    const HierarchyResult h = buildPolygonHierarchy(points, nullptr, {});
    qInfo("detected %zu columns (%lld within 0.3 bond of the %zu planted) in %.2f s; hierarchy in %.3f s",
          detected.columns.size(), matched, s.truth.size(), detectSeconds, secondsSince(start));
    QVERIFY(matched >= 0.98 * double(s.truth.size()));
    checkAgainstPlanted(s, h, toTruth, "detected columns");
}

void TestHierarchySynth::unfilledReadingFailsTheComparison()
{
    // The comparison is not lenient: without recognising filled rings, each filled pentagon reads
    // as a fan of five triangles, and both level 1 and the pairs with a filled ring are lost.
    const synth::SynthResult s = pentagonNetwork(768, 3);
    const std::vector<Point2> points = plantedPositions(s);
    HierarchyParams params;
    params.detectFilled = false;
    const HierarchyResult h = buildPolygonHierarchy(points, nullptr, params);
    std::vector<int> identity(points.size());
    for (std::size_t i = 0; i < identity.size(); ++i)
        identity[i] = int(i);
    const Recovery rec = compareWithPlanted(s, h, identity);
    qInfo("filled rings not recognised: level 1 recovered %.1f%%, found rings right %.1f%%", 100.0 * rec.recall(),
          100.0 * rec.precision());
    QVERIFY(rec.recall() < 0.8);
    QVERIFY(rec.precision() < 0.5);
    QCOMPARE(motifCount(h, 2, "5F+5H"), 0LL);
}

void TestHierarchySynth::sameAtAnyRotation()
{
    // The synthetic network itself lies at a random angle; turning its points further, or mirroring
    // them, must not change a single count at any level.
    const synth::SynthResult s = pentagonNetwork(640, 4);
    const std::vector<Point2> points = plantedPositions(s);
    const HierarchyResult reference = buildPolygonHierarchy(points, nullptr, {});
    const auto expected = signature(reference);
    QCOMPARE(expected.size(), std::size_t(3));
    QVERIFY(expected[0].size() == 2 && expected[1].size() == 3 && expected[2].size() > 3);
    for (double angle : {0.0, 7.5, 30.0, 45.0, 90.0, 133.0, 180.0, 251.3, 333.0})
        for (bool mirror : {false, true}) {
            const HierarchyResult h = buildPolygonHierarchy(transformed(points, angle, mirror), nullptr, {});
            QVERIFY2(signature(h) == expected, qPrintable(QString("angle %1 mirror %2").arg(angle).arg(mirror)));
            QCOMPARE(h.columnMotif.size(), reference.columnMotif.size());
            // Per column the same level-1 motif (the same canonical form: ids follow the sorted counts).
            for (std::size_t i = 0; i < h.columnMotif.size(); ++i) {
                const int a = reference.columnMotif[i], b = h.columnMotif[i];
                QCOMPARE(a < 0, b < 0);
                if (a >= 0)
                    QCOMPARE(h.levels[0].motifs[std::size_t(b)].canonical,
                             reference.levels[0].motifs[std::size_t(a)].canonical);
            }
        }
}

QTEST_GUILESS_MAIN(TestHierarchySynth)
#include "test_hierarchy_synth.moc"
