/**
 * Disorder measures against planted truth: the level-1 entropy of pentagon networks whose filled
 * fraction is set here, and disorder.json written by `analyze` and `hierarchy` end to end.
 */

#include "core/disorder/disorder.h"
#include "core/io/readers.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "test_support.h"

#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <random>

using namespace motifscope;

namespace {

int runCli(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(MOTIFSCOPE_CLI_PATH), args);
    if (!p.waitForFinished(300000))
        return -1;
    return p.exitCode();
}

QString q(const std::string& s) { return QString::fromStdString(s); }

nlohmann::json readJson(const std::string& path)
{
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

double binaryEntropy(double f)
{
    return f <= 0.0 || f >= 1.0 ? 0.0 : -f * std::log2(f) - (1 - f) * std::log2(1 - f);
}

/** The contract's keys (docs/CLI.md) and the ones docs/disorder.md adds, each measure with its interval. */
void checkKeys(const nlohmann::json& d)
{
    for (const char* name : {"motif_entropy_bits", "level_entropy_bits", "motif_continuity", "psi6_mean", "psi4_mean",
                             "ring_size_mean", "ring_size_variance", "aboav_weaire_a"}) {
        QVERIFY2(d.contains(name), name);
        QVERIFY2(d.contains(std::string(name) + "_ci"), name);
    }
    QVERIFY(d.contains("level_motifs_95") && d.contains("ring_size_fractions_ci") && d.contains("bootstrap"));
}

/** The truth of `synth --preset pentagon-network` (rings, their vertices and centres). */
synth::SynthResult plantedNetwork(int size, std::uint64_t seed)
{
    return synth::synthesize(test::synthOptions("pentagon-network", size, seed));
}

} // namespace

class TestDisorderSynth : public QObject
{
    Q_OBJECT
private slots:
    void levelOneEntropyFollowsThePlantedFilledFraction();
    void analyzeAndHierarchyWriteDisorderJson();
};

void TestDisorderSynth::levelOneEntropyFollowsThePlantedFilledFraction()
{
    // The planted network's ring vertices, with a centre column (at the ring's centroid) in an exact,
    // randomly chosen fraction f of its rings: level 1 holds 5H and 5F in the ratio (1 - f) : f.
    const synth::SynthResult s = plantedNetwork(1024, 5);
    std::vector<Point2> vertices;
    for (const synth::TruthColumn& t : s.truth)
        if (t.label == 0)
            vertices.push_back({t.x, t.y});
    std::vector<int> order(s.rings.size());
    for (std::size_t r = 0; r < order.size(); ++r)
        order[r] = int(r);
    std::shuffle(order.begin(), order.end(), std::mt19937(3));
    double previous = -1.0;
    for (double f : {0.0, 0.1, 0.2, 0.3, 0.4, 0.5}) {
        std::vector<Point2> points = vertices;
        const std::size_t filled = std::size_t(std::llround(f * double(order.size())));
        for (std::size_t k = 0; k < filled; ++k) {
            Point2 c;
            for (int v : s.rings[std::size_t(order[k])]) {
                c.x += s.truth[std::size_t(v)].x / 5.0;
                c.y += s.truth[std::size_t(v)].y / 5.0;
            }
            points.push_back(c);
        }
        const HierarchyResult h = buildPolygonHierarchy(points, nullptr, HierarchyParams{});
        disorder::DisorderInput in;
        in.points = &points;
        in.columnMotif = &h.columnMotif;
        in.hierarchy = &h;
        const disorder::DisorderReport d = disorder::measureDisorder(in);
        const double planted = binaryEntropy(double(filled) / double(order.size()));
        const disorder::Estimate& level1 = d.levelEntropy.at(0);
        const QString what = QString("f %1: %2 bits [%3, %4], planted %5")
                                 .arg(f).arg(level1.value).arg(level1.ci.lo).arg(level1.ci.hi).arg(planted);
        QVERIFY2(std::fabs(level1.value - planted) <= 0.02, qPrintable(what));
        // At f = 0.5 the entropy is at its maximum, 1 bit, which no resample exceeds: the percentile
        // interval ends just below it (a known limit of the bootstrap at a boundary; docs/disorder.md).
        if (f < 0.5)
            QVERIFY2(level1.ci.lo <= planted && planted <= level1.ci.hi, qPrintable(what));
        else
            QVERIFY2(level1.ci.hi > 0.999 && level1.ci.hi <= 1.0, qPrintable(what));
        QVERIFY2(level1.value > previous, qPrintable(what));
        previous = level1.value;
        QVERIFY(d.hasRings && std::fabs(d.rings.mean.value - 5.0) < 1e-9); // every ring a pentagon
    }
}

void TestDisorderSynth::analyzeAndHierarchyWriteDisorderJson()
{
    test::TempDir dir;
    const std::string stem = dir.file("ml");
    QCOMPARE(runCli({"synth", "--preset", "mixed-lattice", "--size", "768", "--seed", "8", "--out", q(stem)}), 0);
    for (const char* out : {"a", "b"})
        QCOMPARE(runCli({"analyze", q(stem + ".tif"), "--out", q(dir.file(out))}), 0);
    const nlohmann::json d = readJson(dir.file("a/disorder.json"));
    checkKeys(d);
    // Well-separated lattices: a few compact motifs.
    QVERIFY2(d["motif_continuity"].get<double>() <= 0.2, d.dump().c_str());
    QCOMPARE(d["level_entropy_bits"].size(), readJson(dir.file("a/hierarchy.json"))["levels"].size());
    // Byte-identical for the same input; listed in the folder's manifest.
    QVERIFY(readFileBytes(dir.file("a/disorder.json")) == readFileBytes(dir.file("b/disorder.json")));
    QVERIFY(readJson(dir.file("a/manifest.json")).dump().find("disorder.json") != std::string::npos);

    // Points only: the measures the points allow, no continuity (there is no map).
    QCOMPARE(runCli({"hierarchy", q(stem + "_truth.csv"), "--out", q(dir.file("h"))}), 0);
    const nlohmann::json h = readJson(dir.file("h/disorder.json"));
    checkKeys(h);
    QVERIFY(h["motif_continuity"].is_null() && h["motif_continuity_ci"].is_null());
    QVERIFY(h["motif_entropy_bits"].get<double>() > 0.0);
}

QTEST_GUILESS_MAIN(TestDisorderSynth)
#include "test_disorder_synth.moc"
