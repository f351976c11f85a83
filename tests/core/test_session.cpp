// Session files (.motifscope): exact round trip, atomic saving, refusal of damaged or newer files.
#include "test_support.h"

#include "io/micrograph.h"
#include "learn/motifs.h"
#include "session/session.h"
#include "session/session_codec.h"

#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace motifscope;
namespace fs = std::filesystem;

namespace {

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeAll(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

bool sameBits(float a, float b) { return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b); }
bool sameBits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

/** A session with every field set to a value different from its default, floats with full mantissas. */
Session richSession(const std::string& imagePath, int columns = 7)
{
    Session s;
    s.image.absolutePath = imagePath;
    s.image.path = imagePath;
    s.image.fnv1a64 = "0123456789abcdef";
    s.image.fileSize = 123456789012ULL;
    s.image.width = 2048;
    s.image.height = 1536;
    s.image.dtype = "uint16";
    s.image.calibration = {0.0123456789, 0.0234567891, "nm"};
    s.detection.period = 12.345678901234;
    s.detection.smoothingSigma = 1.2345;
    s.detection.minSeparation = 6.1728394;
    s.detection.threshold = 0.0421;
    s.detection.refine = false;
    s.detection.correctScanJitter = false;
    s.detection.significance = 4.75;
    s.detection.residualPasses = false;
    s.detection.atomicContrastOnly = false;
    s.detection.jointFit = false;
    s.featureParams.nMax = 12;
    s.featureParams.patchSize = 31;
    s.featureParams.normalization = FeatureNormalization::UnitNorm;
    s.patchSizeUsed = 29;
    s.learning.method = ClusterMethod::Gmm;
    s.learning.classes = 5;
    s.learning.k = 17;
    s.learning.epochs = 333;
    s.learning.seed = 0xfedcba9876543210ULL;
    s.learning.metric = KnnMetric::Euclidean;
    s.learning.snapshotEvery = 7;
    s.learning.maxClasses = 11;
    s.refineClasses = false; // not the default, so the round trip shows
    s.learning.segment = {300, 0.0333f, 0.271828f, 0.00731f, 9};
    s.hierarchy.params = {14.5, 9, false, 0.3141, 0.9876, true};
    for (int i = 0; i < columns; ++i) {
        SessionColumn c;
        c.column = {10.0 + i / 3.0, 20.0 + std::sqrt(2.0) * i, 1.0f / float(i + 3), 2.5f + i / 7.0f,
                    -0.125f / float(i + 1), 1e-7f * float(i), Refinement(i % 3), i % 3 == 2 ? 0.0123f * float(i) : 0.0f};
        c.motif = i % 4 - 1;
        c.confidence = float(i) / float(columns);
        c.edits = std::uint8_t(i % 8);
        s.columns.push_back(c);
    }
    s.columns[0].column.intensity = -0.0f;
    s.columns[1].column.width = std::numeric_limits<float>::denorm_min();
    s.featureDimension = 3;
    for (int i = 0; i < columns * 3; ++i)
        s.features.push_back(std::sin(float(i) * 0.7f) / 3.0f);
    for (int i = 0; i < columns * 2; ++i)
        s.embedding.push_back(std::cos(float(i) * 1.3f) * 1e3f);
    for (int m = 0; m < 3; ++m) {
        SessionMotif motif;
        motif.id = m;
        motif.name = m == 1 ? "Se vacancy \xc3\x85" : "motif " + std::to_string(m);
        motif.colour = motifColour(m);
        motif.count = 100 + m;
        motif.patchSize = m == 2 ? 0 : 3;
        for (int p = 0; p < motif.patchSize * motif.patchSize; ++p)
            motif.averagePatch.push_back(float(p) / 9.0f + float(m));
        s.motifs.push_back(motif);
    }
    s.hierarchy.present = true;
    s.hierarchy.route = "polygons";
    s.hierarchy.bondCutoff = 15.25;
    HierarchyLevel l1;
    l1.level = 1;
    l1.motifs.push_back({"L1-0", "hexagon (hollow)", "6:000000", 6, 40, 0.8, {}, {"L2-0"}});
    l1.motifs.push_back({"L1-1", "pentagon (filled)", "5f:00000", 5, 10, 0.2, {}, {"L2-0"}});
    HierarchyLevel l2;
    l2.level = 2;
    l2.motifs.push_back({"L2-0", "hexagon + pentagon", "6|5", 9, 8, 1.0, {"L1-0", "L1-1"}, {}});
    s.hierarchy.levels = {l1, l2};
    for (int i = 0; i < columns; ++i)
        s.hierarchy.columnMotif.push_back(i % 3 - 1);
    s.viewStateJson = R"({"centre":[512.25,300.5],"contrast":[0.1,0.9],"layers":{"columns":true,"labels":false},"zoom":2.5})";
    return s;
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripEveryField();
    void automaticThresholdRoundTrips();
    void emptySessionRoundTrips();
    void sessionsWithoutStatisticsOpen();
    void failedSaveLeavesPreviousFile();
    void staleTemporariesAreRemoved();
    void unsavableContentIsRefused();
    void truncatedFilesAreRefused();
    void bitFlippedFilesNeverCrash();
    void malformedContentIsRefused();
    void futureVersionIsRefused();
    void relativeImagePathResolved();
    void imageHashDetectsChanges();
    void codecKnownValues();
    void recoveryPath();
};

void TestSession::roundTripEveryField()
{
    test::TempDir dir;
    fs::create_directories(dir.path() / "images");
    const std::string image = (dir.path() / "images" / "scan.tif").string();
    const Session a = richSession(image);
    const std::string path = dir.file("run.motifscope");
    saveSession(a, path);
    const Session b = loadSession(path);

    QCOMPARE(b.image.path, std::string("images/scan.tif")); // relative to the session's folder
    QCOMPARE(b.image.absolutePath, a.image.absolutePath);
    QCOMPARE(b.image.fnv1a64, a.image.fnv1a64);
    QCOMPARE(b.image.fileSize, a.image.fileSize);
    QCOMPARE(b.image.width, a.image.width);
    QCOMPARE(b.image.height, a.image.height);
    QCOMPARE(b.image.dtype, a.image.dtype);
    QVERIFY(sameBits(b.image.calibration.pixelSizeX, a.image.calibration.pixelSizeX));
    QVERIFY(sameBits(b.image.calibration.pixelSizeY, a.image.calibration.pixelSizeY));
    QCOMPARE(b.image.calibration.unit, a.image.calibration.unit);

    QVERIFY(sameBits(b.detection.period, a.detection.period));
    QVERIFY(sameBits(b.detection.smoothingSigma, a.detection.smoothingSigma));
    QVERIFY(sameBits(b.detection.minSeparation, a.detection.minSeparation));
    QVERIFY(sameBits(b.detection.threshold, a.detection.threshold));
    QCOMPARE(b.detection.refine, false);
    QCOMPARE(b.detection.correctScanJitter, false);
    QCOMPARE(b.detection.significance, 4.75);
    QCOMPARE(b.detection.residualPasses, false);
    QCOMPARE(b.detection.atomicContrastOnly, false);
    QCOMPARE(b.detection.jointFit, false);
    QCOMPARE(b.featureParams.nMax, 12);
    QCOMPARE(b.featureParams.patchSize, 31);
    QVERIFY(b.featureParams.normalization == FeatureNormalization::UnitNorm);
    QCOMPARE(b.patchSizeUsed, 29);
    QVERIFY(b.learning.method == ClusterMethod::Gmm);
    QCOMPARE(b.learning.classes, 5);
    QCOMPARE(b.learning.k, 17);
    QCOMPARE(b.learning.epochs, 333);
    QCOMPARE(b.learning.seed, a.learning.seed);
    QVERIFY(b.learning.metric == KnnMetric::Euclidean);
    QCOMPARE(b.learning.snapshotEvery, 7);
    QCOMPARE(b.learning.maxClasses, 11);
    QCOMPARE(b.refineClasses, false);
    QCOMPARE(b.learning.segment.grid, 300);
    QVERIFY(sameBits(b.learning.segment.bandwidth, a.learning.segment.bandwidth));
    QVERIFY(sameBits(b.learning.segment.saddleRatio, a.learning.segment.saddleRatio));
    QVERIFY(sameBits(b.learning.segment.minFraction, a.learning.segment.minFraction));
    QCOMPARE(b.learning.segment.minPoints, 9);
    const HierarchyParams& ha = a.hierarchy.params;
    const HierarchyParams& hb = b.hierarchy.params;
    QVERIFY(sameBits(hb.bondCutoff, ha.bondCutoff));
    QCOMPARE(hb.maxRingMembers, 9);
    QCOMPARE(hb.detectFilled, false);
    QVERIFY(sameBits(hb.filledRadiusSpread, ha.filledRadiusSpread));
    QVERIFY(sameBits(hb.filledCentreRatio, ha.filledCentreRatio));
    QCOMPARE(hb.countBorderRings, true);

    QCOMPARE(b.columns.size(), a.columns.size());
    for (std::size_t i = 0; i < a.columns.size(); ++i) {
        const SessionColumn &ca = a.columns[i], &cb = b.columns[i];
        QVERIFY(sameBits(cb.column.x, ca.column.x));
        QVERIFY(sameBits(cb.column.y, ca.column.y));
        QVERIFY(sameBits(cb.column.intensity, ca.column.intensity));
        QVERIFY(sameBits(cb.column.width, ca.column.width));
        QVERIFY(sameBits(cb.column.background, ca.column.background));
        QVERIFY(sameBits(cb.column.residual, ca.column.residual));
        QVERIFY(cb.column.refinement == ca.column.refinement);
        QVERIFY(sameBits(cb.column.positionSigma, ca.column.positionSigma));
        QCOMPARE(cb.motif, ca.motif);
        QVERIFY(sameBits(cb.confidence, ca.confidence));
        QCOMPARE(cb.edits, ca.edits);
    }
    QVERIFY(std::signbit(b.columns[0].column.intensity)); // -0 kept
    QCOMPARE(b.featureDimension, 3);
    QCOMPARE(b.features.size(), a.features.size());
    for (std::size_t i = 0; i < a.features.size(); ++i)
        QVERIFY(sameBits(b.features[i], a.features[i]));
    QCOMPARE(b.embedding.size(), a.embedding.size());
    for (std::size_t i = 0; i < a.embedding.size(); ++i)
        QVERIFY(sameBits(b.embedding[i], a.embedding[i]));
    QCOMPARE(b.motifs.size(), a.motifs.size());
    for (std::size_t m = 0; m < a.motifs.size(); ++m) {
        QCOMPARE(b.motifs[m].id, a.motifs[m].id);
        QCOMPARE(b.motifs[m].name, a.motifs[m].name);
        QCOMPARE(b.motifs[m].colour, a.motifs[m].colour);
        QCOMPARE(b.motifs[m].count, a.motifs[m].count);
        QCOMPARE(b.motifs[m].patchSize, a.motifs[m].patchSize);
        QCOMPARE(b.motifs[m].averagePatch.size(), a.motifs[m].averagePatch.size());
        for (std::size_t p = 0; p < a.motifs[m].averagePatch.size(); ++p)
            QVERIFY(sameBits(b.motifs[m].averagePatch[p], a.motifs[m].averagePatch[p]));
    }
    QVERIFY(b.hierarchy.present);
    QCOMPARE(b.hierarchy.route, a.hierarchy.route);
    QVERIFY(sameBits(b.hierarchy.bondCutoff, a.hierarchy.bondCutoff));
    QCOMPARE(b.hierarchy.levels.size(), std::size_t(2));
    for (std::size_t l = 0; l < 2; ++l) {
        QCOMPARE(b.hierarchy.levels[l].level, a.hierarchy.levels[l].level);
        QCOMPARE(b.hierarchy.levels[l].motifs.size(), a.hierarchy.levels[l].motifs.size());
        for (std::size_t m = 0; m < a.hierarchy.levels[l].motifs.size(); ++m) {
            const MotifNode &x = a.hierarchy.levels[l].motifs[m], &y = b.hierarchy.levels[l].motifs[m];
            QCOMPARE(y.id, x.id);
            QCOMPARE(y.name, x.name);
            QCOMPARE(y.canonical, x.canonical);
            QCOMPARE(y.members, x.members);
            QCOMPARE(y.count, x.count);
            QVERIFY(sameBits(y.fraction, x.fraction));
            QCOMPARE(y.children, x.children);
            QCOMPARE(y.parents, x.parents);
        }
    }
    QCOMPARE(b.hierarchy.columnMotif, a.hierarchy.columnMotif);
    QCOMPARE(nlohmann::json::parse(b.viewStateJson), nlohmann::json::parse(a.viewStateJson));
    QCOMPARE(nlohmann::json::parse(b.viewStateJson)["zoom"].get<double>(), 2.5);

    // Saving what was loaded gives the same bytes (stable, deterministic output).
    const std::string again = dir.file("again.motifscope");
    saveSession(b, again);
    QCOMPARE(readAll(again), readAll(path));
    // The file is self-describing JSON.
    const auto root = nlohmann::json::parse(readAll(path));
    QCOMPARE(root["format"].get<std::string>(), std::string("motifscope-session"));
    QCOMPARE(root["version"].get<int>(), 1);
    QCOMPARE(root["columns"]["x"]["dtype"].get<std::string>(), std::string("float64"));
}

void TestSession::automaticThresholdRoundTrips()
{
    test::TempDir dir;
    Session a = richSession("/nowhere/scan.tif");
    a.detection.threshold = std::numeric_limits<double>::quiet_NaN();
    saveSession(a, dir.file("s.motifscope"));
    QVERIFY(nlohmann::json::parse(readAll(dir.file("s.motifscope")))["parameters"]["detection"]["threshold"].is_null());
    QVERIFY(std::isnan(loadSession(dir.file("s.motifscope")).detection.threshold));
}

void TestSession::sessionsWithoutStatisticsOpen()
{
    // Sessions saved before position sigma and the statistical detection settings existed.
    test::TempDir dir;
    const std::string path = dir.file("old.motifscope");
    saveSession(richSession("/a.tif", 4), path);
    nlohmann::json j = nlohmann::json::parse(readAll(path));
    QVERIFY(j["columns"].contains("position_sigma"));
    j["columns"].erase("position_sigma");
    for (const char* key : {"significance", "residual_passes", "atomic_contrast_only", "joint_fit"})
        j["parameters"]["detection"].erase(key);
    writeAll(path, j.dump());
    const Session old = loadSession(path);
    QCOMPARE(old.columns.size(), std::size_t(4));
    for (const SessionColumn& c : old.columns)
        QCOMPARE(c.column.positionSigma, 0.0f);
    const DetectionParams defaults;
    QCOMPARE(old.detection.significance, defaults.significance);
    QCOMPARE(old.detection.residualPasses, defaults.residualPasses);
    QCOMPARE(old.detection.atomicContrastOnly, defaults.atomicContrastOnly);
    QCOMPARE(old.detection.jointFit, defaults.jointFit);

    // Present but damaged: refused like every other array.
    j["columns"]["position_sigma"] = session_detail::encodeArray(std::vector<float>{0.1f, -0.2f, 0, 0});
    writeAll(path, j.dump());
    try {
        loadSession(path);
        QFAIL("a negative position sigma was accepted");
    } catch (const IoError& e) {
        QVERIFY2(e.problem().find("position_sigma of column 1") != std::string::npos, e.what());
    }
    j["columns"]["position_sigma"] = session_detail::encodeArray(std::vector<float>{0.1f, 0.2f});
    writeAll(path, j.dump());
    QVERIFY_THROWS_EXCEPTION(IoError, loadSession(path));
}

void TestSession::emptySessionRoundTrips()
{
    test::TempDir dir;
    const Session empty;
    saveSession(empty, dir.file("e.motifscope"));
    const Session b = loadSession(dir.file("e.motifscope"));
    QVERIFY(b.columns.empty());
    QVERIFY(b.features.empty() && b.embedding.empty() && b.motifs.empty());
    QVERIFY(!b.hierarchy.present);
    QCOMPARE(b.viewStateJson, std::string("{}"));
    QVERIFY(std::isnan(b.detection.threshold));
    QCOMPARE(b.learning.seed, empty.learning.seed);
}

void TestSession::failedSaveLeavesPreviousFile()
{
    test::TempDir dir;
    const std::string path = dir.file("keep.motifscope");
    saveSession(richSession("/data/a.tif"), path);
    const std::string before = readAll(path);
    Session changed = richSession("/data/b.tif", 3);

    // 1. The temporary file cannot be created (something else occupies its name).
    const fs::path temp = dir.path() / (".keep.motifscope.tmp" + std::to_string(::getpid()));
    fs::create_directories(temp / "blocker");
    try {
        saveSession(changed, path);
        QFAIL("saving must fail when the temporary file cannot be created");
    } catch (const IoError& e) {
        QCOMPARE(e.file(), path);
        QVERIFY2(e.problem().find("temporary") != std::string::npos, e.what());
        QVERIFY2(e.problem().find("previous file is unchanged") != std::string::npos, e.what());
    }
    QCOMPARE(readAll(path), before);
    fs::remove_all(temp);

    // 2. The rename fails (the target name is a non-empty folder): no temporary is left behind.
    const std::string folder = dir.file("folder.motifscope");
    fs::create_directories(fs::path(folder) / "inside");
    QVERIFY_THROWS_EXCEPTION(IoError, saveSession(changed, folder));
    QVERIFY(fs::is_directory(fs::path(folder) / "inside"));
    for (const auto& entry : fs::directory_iterator(dir.path()))
        QVERIFY2(entry.path().filename().string().find(".tmp") == std::string::npos, entry.path().c_str());

    // 3. The folder does not exist.
    QVERIFY_THROWS_EXCEPTION(IoError, saveSession(changed, dir.file("missing/x.motifscope")));

    // 4. A read-only folder (only meaningful when not running as root, who may write anyway).
    if (::geteuid() != 0) {
        const fs::path ro = dir.path() / "ro";
        fs::create_directories(ro);
        saveSession(richSession("/data/a.tif"), (ro / "s.motifscope").string());
        const std::string roBefore = readAll((ro / "s.motifscope").string());
        fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
        QVERIFY_THROWS_EXCEPTION(IoError, saveSession(changed, (ro / "s.motifscope").string()));
        fs::permissions(ro, fs::perms::owner_all);
        QCOMPARE(readAll((ro / "s.motifscope").string()), roBefore);
    }
    // A successful save does replace the file.
    saveSession(changed, path);
    QCOMPARE(loadSession(path).columns.size(), std::size_t(3));
}

/**
 * A writer killed between writing its temporary and renaming it leaves ".NAME.tmpPID" behind; the
 * next write of NAME removes it. A live process's temporary (a writer at work) stays.
 */
void TestSession::staleTemporariesAreRemoved()
{
    test::TempDir dir;
    const std::string path = dir.file("work.motifscope");
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    QVERIFY(child > 0);
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child); // gone: its pid names a dead writer
    const fs::path stale = dir.path() / (".work.motifscope.tmp" + std::to_string(child));
    const fs::path live = dir.path() / (".work.motifscope.tmp" + std::to_string(::getppid()));
    const fs::path other = dir.path() / (".other.motifscope.tmp" + std::to_string(child));
    for (const fs::path& p : {stale, live, other})
        writeAll(p.string(), "half a session");
    saveSession(richSession("/data/a.tif"), path);
    QVERIFY(!fs::exists(stale));
    QVERIFY(fs::exists(live));  // another process, still running
    QVERIFY(fs::exists(other)); // another file's: its own next write cleans it
    QCOMPARE(loadSession(path).columns.size(), richSession("/data/a.tif").columns.size());
}

void TestSession::unsavableContentIsRefused()
{
    test::TempDir dir;
    const std::string path = dir.file("s.motifscope");
    saveSession(richSession("/a.tif"), path);
    const std::string before = readAll(path);
    Session bad = richSession("/a.tif");
    bad.columns[2].column.x = std::numeric_limits<double>::quiet_NaN();
    QVERIFY_THROWS_EXCEPTION(IoError, saveSession(bad, path));
    bad = richSession("/a.tif");
    bad.embedding.pop_back();
    QVERIFY_THROWS_EXCEPTION(IoError, saveSession(bad, path));
    bad = richSession("/a.tif");
    bad.features.push_back(1.0f);
    QVERIFY_THROWS_EXCEPTION(IoError, saveSession(bad, path));
    bad = richSession("/a.tif");
    bad.viewStateJson = "[1, 2]";
    QVERIFY_THROWS_EXCEPTION(IoError, saveSession(bad, path));
    bad = richSession("/a.tif");
    bad.viewStateJson = "{not json";
    QVERIFY_THROWS_EXCEPTION(IoError, saveSession(bad, path));
    bad = richSession("/a.tif");
    bad.motifs[0].averagePatch.pop_back();
    QVERIFY_THROWS_EXCEPTION(IoError, saveSession(bad, path));
    QCOMPARE(readAll(path), before);
}

void TestSession::truncatedFilesAreRefused()
{
    test::TempDir dir;
    const std::string path = dir.file("t.motifscope");
    saveSession(richSession("/a.tif", 5), path);
    const std::string full = readAll(path);
    QCOMPARE(full.back(), '\n');
    int refused = 0;
    // Every prefix that loses more than the final newline must be refused with an IoError. The loop
    // parses from memory (loadSession = read the file + sessionFromJsonText); a few go through files.
    for (std::size_t length = 0; length + 1 < full.size(); ++length) {
        try {
            sessionFromJsonText(full.substr(0, length), path);
            QFAIL(qPrintable(QStringLiteral("truncation to %1 bytes was accepted").arg(length)));
        } catch (const IoError& e) {
            QCOMPARE(e.file(), path);
            ++refused;
        }
    }
    QCOMPARE(refused, int(full.size()) - 1);
    const std::string cut = dir.file("cut.motifscope");
    for (std::size_t length : {std::size_t(0), std::size_t(1), full.size() / 3, full.size() / 2, full.size() - 2}) {
        writeAll(cut, full.substr(0, length));
        QVERIFY_THROWS_EXCEPTION(IoError, loadSession(cut));
    }
    writeAll(cut, full.substr(0, full.size() - 1));
    QCOMPARE(loadSession(cut).columns.size(), std::size_t(5));
}

void TestSession::bitFlippedFilesNeverCrash()
{
    test::TempDir dir;
    const std::string path = dir.file("b.motifscope");
    saveSession(richSession("/a.tif", 5), path);
    const std::string full = readAll(path);
    const std::string flipped = dir.file("flip.motifscope");
    int refused = 0, loaded = 0;
    for (std::size_t i = 0; i < full.size(); ++i) {
        std::string copy = full;
        copy[i] = char(copy[i] ^ (1 << (i % 8)));
        try {
            const Session s = sessionFromJsonText(copy, flipped);
            ++loaded; // a flip in a name or a number can leave a valid session
            QCOMPARE(s.columns.size(), std::size_t(5));
        } catch (const IoError&) {
            ++refused;
        }
    }
    QVERIFY(refused > int(full.size()) / 2);
    QVERIFY(loaded + refused == int(full.size()));

    // Any change inside array data is caught by the array's hash.
    const auto root = nlohmann::json::parse(full);
    const std::string data = root["columns"]["x"]["base64"].get<std::string>();
    const std::size_t at = full.find(data);
    QVERIFY(at != std::string::npos);
    std::string copy = full;
    copy[at + 5] = copy[at + 5] == 'A' ? 'B' : 'A';
    writeAll(flipped, copy);
    try {
        loadSession(flipped);
        QFAIL("damaged array data was accepted");
    } catch (const IoError& e) {
        QVERIFY2(e.problem().find("columns.x") != std::string::npos, e.what());
    }
}

void TestSession::malformedContentIsRefused()
{
    test::TempDir dir;
    const std::string path = dir.file("m.motifscope");
    saveSession(richSession("/a.tif", 4), path);
    const nlohmann::json good = nlohmann::json::parse(readAll(path));
    auto expectRefused = [&](const nlohmann::json& j, const std::string& fragment) {
        writeAll(path, j.dump());
        try {
            loadSession(path);
            QFAIL(qPrintable(QString::fromStdString("accepted: " + fragment)));
        } catch (const IoError& e) {
            QVERIFY2(e.problem().find(fragment) != std::string::npos, e.what());
        }
    };
    using session_detail::encodeArray;
    nlohmann::json j = good;
    j["columns"]["count"] = 5; // arrays hold 4
    expectRefused(j, "columns.x declares 4 values where the session needs 5");
    j = good;
    j["columns"]["y"] = encodeArray(std::vector<double>{1, 2, 3});
    expectRefused(j, "columns.y declares 3 values where the session needs 4");
    j = good;
    j["columns"]["x"]["count"] = 1000000000000000ULL; // a damaged count field: named as declared
    expectRefused(j, "columns.x declares 1000000000000000 values where the session needs 4");
    j = good;
    j["columns"]["x"] = encodeArray(std::vector<double>{1, std::numeric_limits<double>::quiet_NaN(), 3, 4});
    expectRefused(j, "columns.x has a non-finite value at index 1");
    j = good;
    j["columns"]["confidence"] = encodeArray(std::vector<float>{0.5f, 1.5f, 0, 0});
    expectRefused(j, "confidence of column 1");
    j = good;
    j["columns"]["x"] = encodeArray(std::vector<float>{1, 2, 3, 4});
    expectRefused(j, "dtype 'float32'");
    j = good;
    j["embedding"] = encodeArray(std::vector<float>{1, 2, 3});
    expectRefused(j, "embedding has 3 values");
    j = good;
    j["embedding"] = encodeArray(std::vector<float>{1, 2, 3, 4, 5, 6, 7, std::numeric_limits<float>::infinity()});
    expectRefused(j, "embedding has a non-finite value at index 7");
    j = good;
    j["image"].erase("width");
    expectRefused(j, "missing image.width");
    j = good;
    j["parameters"]["learning"]["method"] = "dbscan";
    expectRefused(j, "method must be segment, gmm or kmeans");
    j = good;
    j["motifs"][0]["colour"] = "red";
    expectRefused(j, "is not #rrggbb");
    j = good;
    j["hierarchy"]["column_motif"] = encodeArray(std::vector<std::int32_t>{0, 1, 2, 0});
    expectRefused(j, "not a level-1 motif");
    j = good;
    j["view_state"] = 3;
    expectRefused(j, "view_state must be a JSON object");
    // Motif indices beyond the table (these crashed or hung the window) and repeated motif ids.
    for (const std::int32_t bad : {3, 1 << 30, 100000000, std::numeric_limits<std::int32_t>::max()}) {
        j = good;
        j["columns"]["motif"] = encodeArray(std::vector<std::int32_t>{0, bad, -1, 1});
        expectRefused(j, "columns.motif[1] is " + std::to_string(bad) + " but the session has 3 motifs");
    }
    j = good;
    j["motifs"][2]["id"] = 1;
    expectRefused(j, "motif id 1 where 2 was due");
    j = good;
    j["format"] = "something-else";
    expectRefused(j, "not a MotifScope session");
    expectRefused(nlohmann::json::array(), "not a MotifScope session");

    for (const std::string& text : {std::string(), std::string("\x89PNG\r\n"), std::string(100000, '['),
                                   std::string("{\"format\": \"motifscope-session\", \"version\": 1}")}) {
        writeAll(path, text);
        QVERIFY_THROWS_EXCEPTION(IoError, loadSession(path));
    }
    QVERIFY_THROWS_EXCEPTION(IoError, loadSession(dir.file("does-not-exist.motifscope")));
    QVERIFY_THROWS_EXCEPTION(IoError, loadSession(dir.path().string())); // a folder
}

void TestSession::futureVersionIsRefused()
{
    test::TempDir dir;
    const std::string path = dir.file("f.motifscope");
    saveSession(richSession("/a.tif"), path);
    nlohmann::json j = nlohmann::json::parse(readAll(path));
    j["version"] = 2;
    writeAll(path, j.dump());
    try {
        loadSession(path);
        QFAIL("a newer session version was accepted");
    } catch (const IoError& e) {
        QVERIFY2(e.problem().find("version 2 is newer") != std::string::npos, e.what());
        QVERIFY2(e.problem().find("update") != std::string::npos, e.what());
    }
    j["version"] = 0;
    writeAll(path, j.dump());
    QVERIFY_THROWS_EXCEPTION(IoError, loadSession(path));
    j["version"] = "1";
    writeAll(path, j.dump());
    QVERIFY_THROWS_EXCEPTION(IoError, loadSession(path));
}

void TestSession::relativeImagePathResolved()
{
    test::TempDir dir;
    const fs::path project = dir.path() / "project";
    fs::create_directories(project / "sessions");
    fs::create_directories(project / "data");
    writeAll((project / "data" / "scan.tif").string(), "pixels");
    Session s = richSession((project / "data" / "scan.tif").string());
    saveSession(s, (project / "sessions" / "run.motifscope").string());
    QCOMPARE(loadSession((project / "sessions" / "run.motifscope").string()).image.path, std::string("../data/scan.tif"));

    // Move the whole project: the absolute path is stale, the relative one still finds the image.
    const fs::path moved = dir.path() / "moved";
    fs::rename(project, moved);
    const std::string movedSession = (moved / "sessions" / "run.motifscope").string();
    const Session loaded = loadSession(movedSession);
    QVERIFY(!fs::exists(loaded.image.absolutePath));
    QCOMPARE(resolveSessionImage(loaded, movedSession), (moved / "data" / "scan.tif").string());

    // Move only the session: the relative path fails, the absolute one (recreated) is used.
    fs::create_directories(project / "data");
    writeAll((project / "data" / "scan.tif").string(), "pixels");
    fs::create_directories(dir.path() / "elsewhere" / "deeper");
    const std::string lonely = (dir.path() / "elsewhere" / "deeper" / "run.motifscope").string();
    fs::copy_file(movedSession, lonely);
    fs::remove_all(moved);
    QCOMPARE(resolveSessionImage(loadSession(lonely), lonely), (project / "data" / "scan.tif").string());
    fs::remove_all(project);
    QCOMPARE(resolveSessionImage(loadSession(lonely), lonely), std::string());
}

void TestSession::imageHashDetectsChanges()
{
    test::TempDir dir;
    const std::string image = dir.file("a.raw");
    writeAll(image, "a");
    std::uint64_t size = 0;
    QCOMPARE(hashFileFnv1a64(image, &size), std::string("af63dc4c8601ec8c")); // FNV-1a 64 of "a"
    QCOMPARE(size, std::uint64_t(1));
    writeAll(image, std::string(3000000, '\x5a'));
    Micrograph m;
    m.width = 3;
    m.height = 2;
    m.dtype = "float32";
    m.calibration = {0.5, 0.25, "\xc3\x85"};
    const SessionImageRef ref = makeImageRef(image, m);
    QCOMPARE(ref.fileSize, std::uint64_t(3000000));
    QCOMPARE(ref.width, 3);
    QCOMPARE(ref.dtype, std::string("float32"));
    QCOMPARE(ref.calibration.unit, std::string("\xc3\x85"));
    QVERIFY(fs::path(ref.absolutePath).is_absolute());
    QCOMPARE(imageMismatch(ref, image), std::string());
    std::string changed(3000000, '\x5a');
    changed[1234567] = 'b';
    writeAll(image, changed);
    QVERIFY(imageMismatch(ref, image).find("hash") != std::string::npos);
    writeAll(image, "short");
    QVERIFY(imageMismatch(ref, image).find("5 bytes") != std::string::npos);
    QVERIFY(!imageMismatch(ref, dir.file("gone.raw")).empty());
    QVERIFY_THROWS_EXCEPTION(IoError, hashFileFnv1a64(dir.file("gone.raw")));
}

void TestSession::codecKnownValues()
{
    using namespace session_detail;
    QCOMPARE(hex64(fnv1a64("", 0)), std::string("cbf29ce484222325"));
    QCOMPARE(hex64(fnv1a64("foobar", 6)), std::string("85944171f73967e8"));
    QCOMPARE(base64Encode("foobar"), std::string("Zm9vYmFy"));
    QCOMPARE(base64Encode("fooba"), std::string("Zm9vYmE="));
    QCOMPARE(base64Encode("fo"), std::string("Zm8="));
    std::string out;
    QVERIFY(base64Decode("Zm9vYmE=", out) && out == "fooba");
    QVERIFY(base64Decode("Zm8=", out) && out == "fo");
    QVERIFY(!base64Decode("Zm8", out));
    QVERIFY(!base64Decode("Z=8=", out));
    QVERIFY(!base64Decode("Zm8=Zm8=", out));
    QVERIFY(!base64Decode("Zm\n8", out));
    // Little-endian layout: 1.0f is 00 00 80 3f.
    const auto j = encodeArray(std::vector<float>{1.0f});
    QVERIFY(base64Decode(j["base64"].get<std::string>(), out));
    QCOMPARE(out, std::string("\x00\x00\x80\x3f", 4));
}

void TestSession::recoveryPath()
{
    QCOMPARE(recoveryPathFor("/x/y/run.motifscope"), std::string("/x/y/.run.motifscope.recovery"));
    QCOMPARE(recoveryPathFor("run.motifscope"), std::string(".run.motifscope.recovery"));
}

QTEST_GUILESS_MAIN(TestSession)
#include "test_session.moc"
