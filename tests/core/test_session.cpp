// Session files (.motifscope): exact round trip, atomic saving, image references. Refusal of damaged
// or newer files: test_session_refusals.cpp.
#include "session_test_files.h"
#include "test_support.h"

#include "core/io/micrograph.h"
#include "core/learn/motifs.h"
#include "core/session/session.h"
#include "core/session/session_codec.h"

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
using motifscope::test::readAll;
using motifscope::test::richSession;
using motifscope::test::writeAll;
namespace fs = std::filesystem;

namespace {

bool sameBits(float a, float b) { return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b); }
bool sameBits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

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
        const AtomColumn &ca = a.columns.columns[i], &cb = b.columns.columns[i];
        QVERIFY(sameBits(cb.x, ca.x));
        QVERIFY(sameBits(cb.y, ca.y));
        QVERIFY(sameBits(cb.intensity, ca.intensity));
        QVERIFY(sameBits(cb.width, ca.width));
        QVERIFY(sameBits(cb.background, ca.background));
        QVERIFY(sameBits(cb.residual, ca.residual));
        QVERIFY(cb.refinement == ca.refinement);
        QVERIFY(sameBits(cb.positionSigma, ca.positionSigma));
        QCOMPARE(b.columns.classOf(i), a.columns.classOf(i));
        QVERIFY(sameBits(b.columns.confidenceOf(i), a.columns.confidenceOf(i)));
        QCOMPARE(b.columns.editsOf(i), a.columns.editsOf(i));
    }
    QVERIFY(std::signbit(b.columns.columns[0].intensity)); // -0 kept
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
    for (const AtomColumn& c : old.columns.columns)
        QCOMPARE(c.positionSigma, 0.0f);
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
    bad.columns.columns[2].x = std::numeric_limits<double>::quiet_NaN();
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
