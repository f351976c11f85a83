// motifscope-cli as scripts use it: the contract in docs/CLI.md (exit statuses, one-line errors
// naming the file or flag, byte-identical outputs for the same seed, atomic outputs).
#include "core/io/readers.h"
#include "core/io/writers.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "test_support.h"

#include <QProcess>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace motifscope;

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun runCli(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(MOTIFSCOPE_CLI_PATH), args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string readText(const std::string& path)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path);
    return std::string(bytes.begin(), bytes.end());
}

/** Rows of a CSV with a header, as strings by column name. */
std::vector<std::map<std::string, std::string>> readCsv(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    std::stringstream hs(line);
    for (std::string h; std::getline(hs, h, ',');)
        header.push_back(h);
    std::vector<std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        std::stringstream s(line);
        std::map<std::string, std::string> row;
        std::size_t k = 0;
        for (std::string f; k < header.size() && std::getline(s, f, ','); ++k)
            row[header[k]] = f;
        rows.push_back(std::move(row));
    }
    return rows;
}

/** A one-line error starting with the program's prefix and naming `what`. */
bool oneLineError(const CliRun& r, const QString& what)
{
    return r.err.startsWith(QStringLiteral("motifscope-cli: error: ")) && r.err.count(QLatin1Char('\n')) == 1 &&
           r.err.contains(what);
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpAndUsageErrors();
    void infoReportsSampleImage();
    void infoRefusesBadFiles();
    void infoOnImageWithoutFinitePixels();
    void secondAnalysisIntoLockedFolderIsRefused();
    void convertKeepsValuesAndCalibration();
    void synthIsDeterministic();
    void detectWritesColumnsWithSigma();
    void analyzeWritesTheContract();
    void analyzeRefusesBadInput();
    void hierarchyOfPentagonNetwork();
    void hierarchyOfRealPentagonPoints();
    void hierarchyRefusesBadInput();
    void synthFailureClassPresets();
};

void TestCli::helpAndUsageErrors()
{
    QCOMPARE(runCli({QStringLiteral("--help")}).exitCode, 0);
    for (const char* command : {"info", "convert", "synth", "detect", "analyze", "hierarchy"})
        QCOMPARE(runCli({QString::fromLatin1(command), QStringLiteral("--help")}).exitCode, 0);

    const CliRun unknown = runCli({QStringLiteral("frobnicate")});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.startsWith(QStringLiteral("motifscope-cli: error: ")));

    const CliRun badFlag = runCli({QStringLiteral("info"), QStringLiteral("x.tif"), QStringLiteral("--bogus")});
    QCOMPARE(badFlag.exitCode, 2);
    QVERIFY(badFlag.err.contains(QStringLiteral("--bogus")));

    const CliRun badSize = runCli({QStringLiteral("synth"), QStringLiteral("--preset"), QStringLiteral("mixed-lattice"),
                                   QStringLiteral("--size"), QStringLiteral("huge"), QStringLiteral("--out"),
                                   QStringLiteral("/tmp/x")});
    QCOMPARE(badSize.exitCode, 2);
    QVERIFY(badSize.err.contains(QStringLiteral("--size")));
    QCOMPARE(badSize.err.count(QLatin1Char('\n')), 1); // one line
}

void TestCli::infoReportsSampleImage()
{
    const CliRun r = runCli({QStringLiteral("info"), q(test::sourcePath("resources/MoSe2_80K_small_region.tif"))});
    QCOMPARE(r.exitCode, 0);
    const auto j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(j["format"].get<std::string>(), std::string("TIFF"));
    QCOMPARE(j["width"].get<int>(), 512);
    QCOMPARE(j["height"].get<int>(), 512);
    QCOMPARE(j["dtype"].get<std::string>(), std::string("float32"));
    QCOMPARE(j["frames"].get<int>(), 1);
    QVERIFY(j["min"].get<double>() < j["mean"].get<double>());
    QVERIFY(j["mean"].get<double>() < j["max"].get<double>());
    for (const char* key : {"pixel_size", "unit", "metadata"})
        QVERIFY2(j.contains(key), key);
}

void TestCli::infoRefusesBadFiles()
{
    test::TempDir dir;
    const std::string missing = dir.file("missing.dm3");
    CliRun r = runCli({QStringLiteral("info"), q(missing)});
    QCOMPARE(r.exitCode, 3);
    QVERIFY(r.err.startsWith(QStringLiteral("motifscope-cli: error: ")));
    QVERIFY(r.err.contains(q(missing)));

    const std::string garbage = dir.file("garbage.dm4");
    {
        std::ofstream out(garbage, std::ios::binary);
        out << "this is not a Gatan file at all";
    }
    r = runCli({QStringLiteral("info"), q(garbage)});
    QCOMPARE(r.exitCode, 3);
    QVERIFY(r.err.contains(q(garbage)));
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
}

/** An all-NaN image: min, max and mean are null (not a made-up 0.0), with a note and a warning. */
void TestCli::infoOnImageWithoutFinitePixels()
{
    test::TempDir dir;
    const std::string path = dir.file("nan.tif");
    Micrograph image;
    image.width = image.height = 8;
    image.pixels.assign(64, std::numeric_limits<float>::quiet_NaN());
    image.dtype = "float32";
    writeTiffFloat32(image, path);
    const CliRun r = runCli({QStringLiteral("info"), q(path)});
    QCOMPARE(r.exitCode, 0);
    const auto j = nlohmann::json::parse(r.out.toStdString());
    QVERIFY(j["min"].is_null() && j["max"].is_null() && j["mean"].is_null());
    QCOMPARE(j["note"].get<std::string>(), std::string("no finite pixels"));
    QCOMPARE(j["non_finite_pixels"].get<long long>(), 64LL);
    QVERIFY2(r.err.contains(QStringLiteral("no finite pixels")) && r.err.contains(q(path)), qPrintable(r.err));
}

/** Two runs into one folder: while one holds the folder's lock the other is refused, naming it. */
void TestCli::secondAnalysisIntoLockedFolderIsRefused()
{
    test::TempDir dir;
    const std::string stem = dir.file("scene");
    QCOMPARE(runCli({"synth", "--preset", "mixed-lattice", "--size", "128", "--seed", "1", "--out", q(stem)}).exitCode, 0);
    const std::string out = dir.file("out");
    std::filesystem::create_directories(out);
    const std::string lockPath = out + "/.motifscope-analyze.lock";
    const int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT, 0644);
    QVERIFY(fd >= 0);
    QCOMPARE(::flock(fd, LOCK_EX | LOCK_NB), 0); // this test process is "the first run"
    QVERIFY(::write(fd, "4242\n", 5) == 5);
    CliRun r = runCli({"analyze", q(stem + ".tif"), "--out", q(out)});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(oneLineError(r, "another analysis is writing into this folder (process 4242)"), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(q(out + "/columns.csv")));
    ::close(fd); // the first run ends (or is killed): its lock goes with it
    r = runCli({"analyze", q(stem + ".tif"), "--out", q(out)});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(QFileInfo::exists(q(out + "/columns.csv")));
    QVERIFY(!QFileInfo::exists(q(lockPath))); // removed when the run ends
}

void TestCli::convertKeepsValuesAndCalibration()
{
    MOTIFSCOPE_SHARED_FILE(input, "formats/STEM_image.dm3");
    test::TempDir dir;
    const std::string out = dir.file("converted.tif");
    const CliRun r = runCli({QStringLiteral("convert"), q(input), q(out)});
    QCOMPARE(r.exitCode, 0);
    const Micrograph original = readMicrograph(input);
    const Micrograph converted = readMicrograph(out);
    QCOMPARE(converted.width, original.width);
    QCOMPARE(converted.height, original.height);
    QCOMPARE(converted.dtype, std::string("float32"));
    QVERIFY(converted.pixels == original.pixels);
    QCOMPARE(converted.calibration.unit, original.calibration.unit);
    QVERIFY(std::abs(converted.calibration.pixelSizeX / original.calibration.pixelSizeX - 1.0) < 1e-6);

    const CliRun wrongExt = runCli({QStringLiteral("convert"), q(input), q(dir.file("out.png"))});
    QCOMPARE(wrongExt.exitCode, 2);
}

void TestCli::synthIsDeterministic()
{
    test::TempDir dir;
    auto synth = [&](const std::string& stem, const char* seed, const char* preset) {
        return runCli({QStringLiteral("synth"), QStringLiteral("--preset"), QString::fromLatin1(preset),
                       QStringLiteral("--size"), QStringLiteral("256"), QStringLiteral("--seed"),
                       QString::fromLatin1(seed), QStringLiteral("--out"), q(dir.file(stem))});
    };
    for (const char* preset : {"mixed-lattice", "pentagon-network"}) {
        QCOMPARE(synth("a", "42", preset).exitCode, 0);
        QCOMPARE(synth("b", "42", preset).exitCode, 0);
        QCOMPARE(synth("c", "43", preset).exitCode, 0);
        QVERIFY(readFileBytes(dir.file("a.tif")) == readFileBytes(dir.file("b.tif")));
        QVERIFY(readFileBytes(dir.file("a_truth.csv")) == readFileBytes(dir.file("b_truth.csv")));
        QVERIFY(readFileBytes(dir.file("a.tif")) != readFileBytes(dir.file("c.tif")));
        const auto truth = readFileBytes(dir.file("a_truth.csv"));
        const std::string text(truth.begin(), truth.end());
        QVERIFY(text.rfind("x,y,label,", 0) == 0);
        QVERIFY(std::count(text.begin(), text.end(), '\n') > 100); // a 256 px image holds hundreds of columns
        const Micrograph image = readMicrograph(dir.file("a.tif"));
        QCOMPARE(image.width, 256);
        QCOMPARE(image.height, 256);
    }
    const CliRun unknown = synth("d", "1", "no-such-preset");
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains(QStringLiteral("no-such-preset")));
}

void TestCli::analyzeWritesTheContract()
{
    test::TempDir dir;
    const std::string stem = dir.file("scene");
    QCOMPARE(runCli({"synth", "--preset", "mixed-lattice", "--size", "384", "--seed", "6", "--out", q(stem)}).exitCode, 0);
    const QString image = q(stem + ".tif");
    const std::string out1 = dir.file("run1"), out2 = dir.file("run2"), out3 = dir.file("run3");
    CliRun r = runCli({"analyze", image, "--out", q(out1), "--seed", "7", "--timings"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.err.isEmpty());
    r = runCli({"analyze", image, "--out", q(out2), "--seed", "7", "--threads", "1"});
    QCOMPARE(r.exitCode, 0);

    const auto columns = readCsv(out1 + "/columns.csv");
    QVERIFY(columns.size() > 300);
    QVERIFY(readText(out1 + "/columns.csv").rfind("x,y,intensity,motif,confidence", 0) == 0);
    QVERIFY(readText(out1 + "/features.csv").rfind("x,y,z0,z1,", 0) == 0);
    QVERIFY(readText(out1 + "/embedding.csv").rfind("x,y,e1,e2,motif\n", 0) == 0);
    std::set<std::string> motifsSeen;
    for (const auto& row : columns)
        motifsSeen.insert(row.at("motif"));
    QVERIFY(motifsSeen.size() >= 4); // three lattices, four site types (+ -1 at the border)
    const auto motifs = nlohmann::json::parse(readText(out1 + "/motifs.json"));
    QVERIFY(motifs["motifs"].size() >= 3);
    for (const char* key : {"id", "count", "fraction", "colour", "average"})
        QVERIFY2(motifs["motifs"][0].contains(key), key);
    const auto h = nlohmann::json::parse(readText(out1 + "/hierarchy.json"));
    QCOMPARE(h["route"].get<std::string>(), std::string("polygons"));
    QCOMPARE(h["levels"].size(), std::size_t(3));
    const std::string png = readText(out1 + "/overlay.png");
    QVERIFY(png.compare(0, 4, "\x89PNG") == 0);
    const auto t = nlohmann::json::parse(readText(out1 + "/timings.json"));
    for (const char* stage : {"load", "detect", "refine", "features", "embed", "cluster", "hierarchy"})
        QVERIFY2(t["stages"].contains(stage), stage);
    QCOMPARE(t["stages"].size(), std::size_t(7));
    for (const char* key : {"total", "columns", "threads", "peak_rss_mb"})
        QVERIFY2(t.contains(key), key);
    QCOMPARE(t["columns"].get<std::size_t>(), columns.size());
    QVERIFY(!QFileInfo::exists(q(out2 + "/timings.json"))); // only with --timings

    // Same input, flags and seed: the same bytes, on one thread or two.
    for (const char* name : {"columns.csv", "features.csv", "embedding.csv", "motifs.json", "hierarchy.json"})
        QVERIFY2(readFileBytes(out1 + "/" + name) == readFileBytes(out2 + "/" + name), name);
    // No temporary files left behind.
    for (const auto& entry : std::filesystem::directory_iterator(out1))
        QVERIFY2(entry.path().filename().string().find(".tmp") == std::string::npos, entry.path().c_str());

    // The 2-D classification's pose of each learned column (angle_deg in [0, 360), mirrored 0/1);
    // empty for border columns (a trailing empty cell reads as absent).
    const auto cell = [](const std::map<std::string, std::string>& row, const std::string& name) {
        const auto it = row.find(name);
        return it == row.end() ? std::string() : it->second;
    };
    QVERIFY(readText(out1 + "/columns.csv").find(",sigma_px,angle_deg,mirrored\n") != std::string::npos);
    for (const auto& row : columns) {
        if (row.at("patch_inside") == "1") {
            const double angle = std::stod(row.at("angle_deg"));
            QVERIFY2(angle >= 0.0 && angle < 360.0, row.at("angle_deg").c_str());
            QVERIFY(row.at("mirrored") == "0" || row.at("mirrored") == "1");
        } else {
            QVERIFY(cell(row, "angle_deg").empty() && cell(row, "mirrored").empty());
        }
    }

    // A fixed class count with another method, without the 2-D classification: no poses.
    r = runCli({"analyze", image, "--out", q(out3), "--classes", "2", "--method", "kmeans", "--refine-classes", "off"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(nlohmann::json::parse(readText(out3 + "/motifs.json"))["motifs"].size(), std::size_t(2));
    for (const auto& row : readCsv(out3 + "/columns.csv"))
        QVERIFY(cell(row, "angle_deg").empty() && cell(row, "mirrored").empty());
}

void TestCli::detectWritesColumnsWithSigma()
{
    test::TempDir dir;
    const std::string stem = dir.file("scene");
    QCOMPARE(runCli({"synth", "--preset", "mixed-lattice", "--size", "192", "--seed", "3", "--out", q(stem)}).exitCode, 0);
    const std::string out = dir.file("columns.csv");
    CliRun r = runCli({"detect", q(stem + ".tif"), "--out", q(out)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const std::string text = readText(out);
    QVERIFY(text.rfind("x,y,intensity,", 0) == 0); // the fixed columns first
    const auto rows = readCsv(out);
    QVERIFY(rows.size() > 50);
    for (const auto& row : rows) {
        QVERIFY(row.count("sigma_px"));
        QVERIFY(std::stod(row.at("sigma_px")) >= 0.0);
    }
    // The statistical options are flags; a bad significance is a usage error naming the flag.
    r = runCli({"detect", q(stem + ".tif"), "--out", q(dir.file("plain.csv")), "--significance", "6",
                "--no-residual-passes", "--no-contrast-mask", "--no-joint-fit"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(!readCsv(dir.file("plain.csv")).empty());
    r = runCli({"detect", q(stem + ".tif"), "--out", q(dir.file("bad.csv")), "--significance", "-1"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(oneLineError(r, QStringLiteral("--significance")));
}

void TestCli::analyzeRefusesBadInput()
{
    test::TempDir dir;
    const std::string stem = dir.file("scene");
    QCOMPARE(runCli({"synth", "--preset", "mixed-lattice", "--size", "128", "--seed", "1", "--out", q(stem)}).exitCode, 0);
    const QString image = q(stem + ".tif"), out = q(dir.file("out"));

    const std::string missing = dir.file("missing.tif");
    CliRun r = runCli({"analyze", q(missing), "--out", out});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(oneLineError(r, q(missing)), qPrintable(r.err));

    const std::string garbage = dir.file("garbage.tif");
    std::ofstream(garbage, std::ios::binary) << "II*\0 not really a tiff";
    r = runCli({"analyze", q(garbage), "--out", out});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(oneLineError(r, q(garbage)), qPrintable(r.err));

    const std::vector<std::pair<QStringList, QString>> usage = {
        {{"--classes", "banana"}, "--classes"}, {{"--classes", "0"}, "--classes"},
        {{"--method", "ward"}, "--method"},     {{"--patch-size", "4"}, "--patch-size"},
        {{"--n-max", "x"}, "--n-max"},          {{"--spacing", "-3"}, "--spacing"},
        {{"--seed", "abc"}, "--seed"},          {{"--threads", "many"}, "--threads"},
        // Bounded by the image or by sense (these ran for minutes at gigabytes, or were taken as "all").
        {{"--spacing", "1e9"}, "does not fit the 128 x 128 image"}, {{"--spacing", "43"}, "at most 42 px"},
        {{"--patch-size", "201"}, "--patch-size: 201 px does not fit"},
        {{"--n-max", "0"}, "--n-max"},          {{"--n-max", "21"}, "--n-max"},
        {{"--threads", "0"}, "--threads"},      {{"--refine-classes", "maybe"}, "--refine-classes"},
    };
    for (const auto& [flags, name] : usage) {
        r = runCli(QStringList{"analyze", image, "--out", out} + flags);
        QVERIFY2(r.exitCode == 2, qPrintable(flags.join(' ')));
        QVERIFY2(oneLineError(r, name), qPrintable(r.err));
    }
    r = runCli({"detect", image, "--out", q(dir.file("c.csv")), "--spacing", "1e5"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(oneLineError(r, "--spacing: 100000 px does not fit"), qPrintable(r.err));
    r = runCli({"analyze", image});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(oneLineError(r, "--out"));
    QVERIFY(!QFileInfo::exists(out + "/columns.csv")); // nothing written by the failed runs

    // An image analysis cannot use (a flat field: too few columns to learn from) is one error
    // naming the file, and the output folder it would have made is not left behind empty.
    const std::string flat = dir.file("flat.tif");
    Micrograph blank;
    blank.width = blank.height = 96;
    blank.pixels.assign(96 * 96, 7.0f);
    blank.dtype = "float32";
    writeTiffFloat32(blank, flat);
    const QString failedOut = q(dir.file("never"));
    r = runCli({"analyze", q(flat), "--spacing", "12", "--out", failedOut});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(oneLineError(r, q(flat)), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(failedOut));
}

void TestCli::hierarchyOfPentagonNetwork()
{
    // Positions of a synthetic pentagon network with known rings, through the command end to end.
    const synth::SynthResult net = synth::synthesize(test::synthOptions("pentagon-network", 1024, 5));
    test::TempDir dir;
    const std::string points = dir.file("points.csv");
    {
        std::ofstream out(points);
        out.precision(10);
        out << "x,y\n";
        for (const auto& t : net.truth)
            out << t.x << ',' << t.y << '\n';
    }
    const CliRun r = runCli({"hierarchy", q(points), "--out", q(dir.file("h"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto h = nlohmann::json::parse(readText(dir.file("h/hierarchy.json")));
    QCOMPARE(h["route"].get<std::string>(), std::string("polygons"));
    const auto rows = readCsv(dir.file("h/columns.csv"));
    QCOMPARE(rows.size(), net.truth.size());

    // Truth: every planted ring is counted, those on the edge of the field of view too (a ring
    // with an edge on the outer face); pairs share an edge (two cyclically consecutive members).
    const std::size_t nr = net.rings.size();
    std::map<std::pair<int, int>, std::vector<int>> edgeRings;
    for (std::size_t k = 0; k < nr; ++k)
        for (std::size_t m = 0; m < 5; ++m) {
            const int a = net.rings[k][m], b = net.rings[k][(m + 1) % 5];
            edgeRings[{std::min(a, b), std::max(a, b)}].push_back(int(k));
        }
    std::vector<int> shared(nr, 0);
    std::set<std::pair<int, int>> pairs;
    for (const auto& [edge, rs] : edgeRings)
        if (rs.size() == 2) {
            ++shared[std::size_t(rs[0])];
            ++shared[std::size_t(rs[1])];
            pairs.insert({std::min(rs[0], rs[1]), std::max(rs[0], rs[1])});
        }
    const auto kind = [&](int k) { return net.ringFilled[std::size_t(k)] ? std::string("5F") : std::string("5H"); };
    std::map<std::string, long long> trueLevel1, trueLevel2;
    for (std::size_t k = 0; k < nr; ++k)
        ++trueLevel1[kind(int(k))];
    for (const auto& [a, b] : pairs) {
        const std::string ka = kind(a), kb = kind(b);
        ++trueLevel2[std::min(ka, kb) + "+" + std::max(ka, kb)];
    }
    std::map<std::string, long long> level1, level2;
    std::vector<std::string> level1Names;
    for (const auto& m : h["levels"][0]["motifs"]) {
        level1[m["canonical"].get<std::string>()] = m["count"].get<long long>();
        level1Names.push_back(m["name"].get<std::string>());
    }
    for (const auto& m : h["levels"][1]["motifs"])
        level2[m["canonical"].get<std::string>()] = m["count"].get<long long>();
    for (const auto& [type, n] : trueLevel1) {
        qInfo("level 1 %s: %lld found, %lld true", type.c_str(), level1[type], n);
        QVERIFY(std::llabs(level1[type] - n) <= std::max(1.0, 0.05 * double(n)));
    }
    for (const auto& [type, n] : trueLevel2) {
        qInfo("level 2 %s: %lld found, %lld true", type.c_str(), level2[type], n);
        QVERIFY(std::llabs(level2[type] - n) <= std::max(1.0, 0.05 * double(n)));
    }

    // Level-1 type of each column (columns.csv), for columns whose every ring is counted: a filled
    // ring's centre takes its ring; a member the most common type of its rings (ties: the more common type).
    std::vector<std::vector<int>> ringsOf(net.truth.size());
    std::vector<int> centreOf(net.truth.size(), -1);
    for (std::size_t k = 0; k < nr; ++k) {
        for (int c : net.rings[k])
            ringsOf[std::size_t(c)].push_back(int(k));
        if (net.ringCentre[k] >= 0)
            centreOf[std::size_t(net.ringCentre[k])] = int(k);
    }
    const std::string common = trueLevel1["5H"] >= trueLevel1["5F"] ? "5H" : "5F";
    long long compared = 0, correct = 0;
    for (std::size_t i = 0; i < net.truth.size(); ++i) {
        std::vector<int> rs = centreOf[i] >= 0 ? std::vector<int>{centreOf[i]} : ringsOf[i];
        if (rs.empty() || std::any_of(rs.begin(), rs.end(), [&](int k) { return shared[std::size_t(k)] != 5; }))
            continue;
        int filled = 0;
        for (int k : rs)
            filled += net.ringFilled[std::size_t(k)];
        const int hollow = int(rs.size()) - filled;
        const std::string expected = filled > hollow ? "5F" : hollow > filled ? "5H" : common;
        const int motif = std::stoi(rows[i].at("motif"));
        const std::string got = motif >= 0 ? h["levels"][0]["motifs"][std::size_t(motif)]["canonical"].get<std::string>()
                                           : std::string("none");
        ++compared;
        correct += got == expected ? 1 : 0;
    }
    qInfo("level-1 type of %lld columns: %lld correct", compared, correct);
    QVERIFY(compared > (long long)net.truth.size() / 2);
    QVERIFY(correct >= 0.95 * double(compared));
}

void TestCli::hierarchyOfRealPentagonPoints()
{
    MOTIFSCOPE_SHARED_FILE(points, "real/pentagon_network_points.csv");
    test::TempDir dir;
    const CliRun r = runCli({"hierarchy", q(points), "--out", q(dir.file("h"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto h = nlohmann::json::parse(readText(dir.file("h/hierarchy.json")));
    QCOMPARE(h["route"].get<std::string>(), std::string("polygons"));
    // The README: a snub-square network, triangles (2/3) and squares (1/3).
    const auto& l1 = h["levels"][0]["motifs"];
    QCOMPARE(l1[0]["name"].get<std::string>(), std::string("triangle"));
    QCOMPARE(l1[1]["name"].get<std::string>(), std::string("square"));
    QVERIFY(std::fabs(l1[0]["fraction"].get<double>() - 2.0 / 3.0) < 0.02);
    QVERIFY(std::fabs(l1[1]["fraction"].get<double>() - 1.0 / 3.0) < 0.02);
    const auto rows = readCsv(dir.file("h/columns.csv"));
    QCOMPARE(rows.size(), std::size_t(10006));
    long long five = 0;
    for (const auto& row : rows)
        five += row.at("coordination") == "5" ? 1 : 0;
    QVERIFY(five > 0.95 * 10006); // README: 96% have five neighbours
}

void TestCli::hierarchyRefusesBadInput()
{
    test::TempDir dir;
    const QString out = q(dir.file("out"));
    const std::string missing = dir.file("missing.csv");
    CliRun r = runCli({"hierarchy", q(missing), "--out", out});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(oneLineError(r, q(missing)), qPrintable(r.err));

    const std::string words = dir.file("words.csv");
    std::ofstream(words) << "x,y\n1,2\n3,4\nfive,6\n";
    r = runCli({"hierarchy", q(words), "--out", out});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(oneLineError(r, q(words)) && r.err.contains("line 4"), qPrintable(r.err));

    const std::string noY = dir.file("noy.csv");
    std::ofstream(noY) << "x,z\n1,2\n";
    r = runCli({"hierarchy", q(noY), "--out", out});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(oneLineError(r, q(noY)), qPrintable(r.err));

    const std::string two = dir.file("two.csv");
    std::ofstream(two) << "x,y\n1,2\n3,4\n";
    r = runCli({"hierarchy", q(two), "--out", out});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(oneLineError(r, q(two)), qPrintable(r.err));

    r = runCli({"hierarchy", q(two), "--out", out, "--route", "spiral"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(oneLineError(r, "--route"));
    r = runCli({"hierarchy", q(two)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!QFileInfo::exists(out + "/hierarchy.json"));
}

void TestCli::synthFailureClassPresets()
{
    // The failure-class presets with their own flags; a flag out of range or given to a preset
    // that does not use it is a usage error naming the flag.
    test::TempDir dir;
    const std::string stem = dir.file("weak");
    CliRun r = runCli({"synth", "--preset", "weak-sublattice", "--size", "128", "--seed", "2", "--ratio", "0.2",
                       "--out", q(stem)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(readMicrograph(stem + ".tif").width, 128);
    std::set<std::string> labels;
    for (const auto& row : readCsv(stem + "_truth.csv"))
        labels.insert(row.at("label"));
    QCOMPARE(labels, (std::set<std::string>{"0", "1"}));
    r = runCli({"synth", "--preset", "weak-sublattice", "--size", "128", "--ratio", "7", "--out", q(dir.file("bad"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(oneLineError(r, QStringLiteral("--ratio")));
    r = runCli({"synth", "--preset", "mixed-lattice", "--size", "128", "--ratio", "0.2", "--out", q(dir.file("bad"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(oneLineError(r, QStringLiteral("--ratio")));
    r = runCli({"synth", "--preset", "dumbbells", "--size", "128", "--pair-sigma", "9", "--out", q(dir.file("bad"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(oneLineError(r, QStringLiteral("--pair-sigma")));
    QVERIFY(!QFileInfo::exists(q(dir.file("bad.tif"))));
    for (const char* preset : {"nanoparticle", "isolated-atoms", "dumbbells"})
        QCOMPARE(runCli({"synth", "--preset", preset, "--size", "128", "--dose", "0.5", "--out", q(dir.file(preset))})
                     .exitCode,
                 0);
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
