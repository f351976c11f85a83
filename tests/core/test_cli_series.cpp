// `motifscope-cli learn`, `classify` and `watch` as scripts and the microscope use them
// (docs/motif-dictionary.md): the series folder's contract, TIFF stacks, resuming, a run killed
// (SIGKILL) at every one of its file writes never leaving a truncated series.csv or a frame folder
// under its final name without all its files, and a watched folder filled while `watch` runs.
#include "core/dictionary/motif_dictionary.h"
#include "core/io/folder_manifest.h"
#include "core/io/readers.h"
#include "core/io/writers.h"
#include "cli_run.h"
#include "dm_test_files.h"
#include "test_support.h"

#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace motifscope;
namespace fs = std::filesystem;

namespace {

using test::CliRun;
using test::q;
using test::runCli;

std::string readText(const std::string& path)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path);
    return std::string(bytes.begin(), bytes.end());
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::stringstream s(text);
    for (std::string line; std::getline(s, line);)
        out.push_back(line);
    return out;
}

std::vector<std::string> split(const std::string& line)
{
    std::vector<std::string> out;
    std::stringstream s(line);
    for (std::string f; std::getline(s, f, ',');)
        out.push_back(f);
    return out;
}

/**
 * What a (possibly killed) series folder must always be: series.csv absent or whole (the header,
 * then complete rows with as many fields), and every visible frame folder a complete run of its files.
 */
void checkSeriesFolder(const std::string& out, std::size_t fields)
{
    if (fs::exists(out + "/series.csv")) {
        const std::string text = readText(out + "/series.csv");
        QVERIFY(!text.empty() && text.back() == '\n');
        for (const std::string& line : lines(text))
            QCOMPARE(split(line).size() + (line.back() == ',' ? 1 : 0), fields);
    }
    for (const auto& e : fs::directory_iterator(out)) {
        const std::string name = e.path().filename().string();
        if (!e.is_directory() || name[0] == '.')
            continue;
        const FolderCheck check = checkFolder(e.path().string());
        QVERIFY2(check.state == FolderState::Complete, (name + ": " + check.problem).c_str());
    }
}

/** Waits until `path` has `rows` rows after its header (or the timeout). */
bool waitForRows(const std::string& path, std::size_t rows, double seconds)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
        if (fs::exists(path) && lines(readText(path)).size() >= rows + 1)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

/** A shared dictionary and frames: learned on mixed-lattice seed 1 (320^2); frames of seeds 2, 3. */
struct Fixture
{
    test::TempDir dir;
    std::string dictionary, a, b, stack;
    Fixture()
    {
        for (const auto& [stem, seed] : {std::pair{"learn", 1}, {"a", 2}, {"b", 3}})
            if (runCli({"synth", "--preset", "mixed-lattice", "--size", "256", "--seed", QString::number(seed), "--out",
                        q(dir.file(stem))})
                    .exitCode != 0)
                qFatal("synth failed");
        dictionary = dir.file("d.motifdict");
        if (runCli({"learn", q(dir.file("learn.tif")), "--out", q(dictionary)}).exitCode != 0)
            qFatal("learn failed");
        a = dir.file("a.tif");
        b = dir.file("b.tif");
        stack = dir.file("stack.tif");
        writeTiffStackFloat32({readMicrograph(b), readMicrograph(a)}, stack);
    }
};

Fixture& fixture()
{
    static Fixture f;
    return f;
}

} // namespace

class TestCliSeries : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void learnWritesAVersionedDictionary();
    void classifyWritesTheSeriesContract();
    void classifyRefusesBadInput();
    void classifySplitsDmStacks();
    void killedClassifyNeverLeavesHalfAndResumes();
    void watchClassifiesFramesAsTheyComplete();
    void framePartsMergeIntoClassifysSeries();
    void mergeSeriesRefusesBadParts();
};

void TestCliSeries::learnWritesAVersionedDictionary()
{
    const nlohmann::json d = nlohmann::json::parse(readText(fixture().dictionary));
    QCOMPARE(d["format"].get<std::string>(), std::string("motifscope-motif-dictionary"));
    QCOMPARE(d["version"].get<int>(), 1);
    QCOMPARE(d["features"]["n_max"].get<int>(), 10);
    QCOMPARE(d["features"]["unit"].get<std::string>(), std::string("nm"));
    const int patch = d["features"]["patch_size_px"].get<int>();
    QCOMPARE(d["features"]["patch_size_calibrated"].get<double>(), patch * d["features"]["pixel_size"].get<double>());
    QVERIFY(d["motifs"].size() >= 4);
    for (const auto& m : d["motifs"]) {
        QCOMPARE(m["average"].size(), std::size_t(patch * patch));
        QCOMPARE(m["mean"].size(), std::size_t(36));
        QVERIFY(m["name"].get<std::string>().rfind("motif ", 0) == 0);
    }
    // Same input, flags and seed: the same bytes.
    const std::string again = fixture().dir.file("again.motifdict");
    QCOMPARE(runCli({"learn", q(fixture().dir.file("learn.tif")), "--out", q(again)}).exitCode, 0);
    QVERIFY(readFileBytes(again) == readFileBytes(fixture().dictionary));
}

void TestCliSeries::classifyWritesTheSeriesContract()
{
    const Fixture& f = fixture();
    test::TempDir dir;
    const std::string out = dir.file("out");
    CliRun r = runCli({"classify", q(f.dictionary), q(f.a), q(f.stack), "--out", q(out), "--timings"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const std::vector<std::string> rows = lines(readText(out + "/series.csv"));
    QCOMPARE(rows.size(), std::size_t(4));
    const std::vector<std::string> header = split(rows[0]);
    QCOMPARE(std::vector<std::string>(header.begin(), header.begin() + 6),
             (std::vector<std::string>{"frame", "file", "index", "columns", "count_0", "fraction_0"}));
    QVERIFY(rows[0].find(",motif_entropy_bits,motif_continuity,") != std::string::npos);
    QVERIFY(rows[1].rfind("a," + f.a + ",0,", 0) == 0);
    QVERIFY(rows[2].rfind("stack_f0000," + f.stack + ",0,", 0) == 0);
    QVERIFY(rows[3].rfind("stack_f0001," + f.stack + ",1,", 0) == 0);
    // Frame 1 of the stack is image a: the same row but for its name.
    QCOMPARE(rows[3].substr(rows[3].find(",1,") + 3), rows[1].substr(rows[1].find(",0,") + 3));
    for (const char* frame : {"a", "stack_f0000", "stack_f0001"}) {
        const std::string folder = out + "/" + frame;
        QCOMPARE(int(checkFolder(folder).state), int(FolderState::Complete));
        for (const char* file : {"columns.csv", "motifs.json", "hierarchy.json", "disorder.json", "timings.json"})
            QVERIFY2(fs::exists(folder + "/" + file), file);
        const std::vector<std::string> columns = lines(readText(folder + "/columns.csv"));
        QVERIFY(columns[0].rfind("x,y,intensity,motif,confidence,", 0) == 0);
        QVERIFY(columns[0].find(",novel,nearest_motif") != std::string::npos);
        const nlohmann::json motifs = nlohmann::json::parse(readText(folder + "/motifs.json"));
        const nlohmann::json dict = nlohmann::json::parse(readText(f.dictionary));
        QCOMPARE(motifs["motifs"].size(), dict["motifs"].size()); // every dictionary motif, in its colour
        for (std::size_t k = 0; k < dict["motifs"].size(); ++k)
            QCOMPARE(motifs["motifs"][k]["colour"], dict["motifs"][k]["colour"]);
    }
    // Again: every frame is in series.csv already, nothing changes; a fresh folder gives the same bytes.
    const std::string before = readText(out + "/series.csv");
    r = runCli({"classify", q(f.dictionary), q(f.a), q(f.stack), "--out", q(out)});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(readText(out + "/series.csv"), before);
    const std::string fresh = dir.file("fresh");
    QCOMPARE(runCli({"classify", q(f.dictionary), q(f.a), q(f.stack), "--out", q(fresh), "--threads", "1"}).exitCode, 0);
    QCOMPARE(readText(fresh + "/series.csv"), before);
    QCOMPARE(readText(fresh + "/a/columns.csv"), readText(out + "/a/columns.csv"));
}

/**
 * A DM4 stack is a series too: each frame is classified as the same frames in a TIFF stack are
 * (the same rows but for the file's name), frame by frame under the stack's name.
 */
void TestCliSeries::classifySplitsDmStacks()
{
    const Fixture& f = fixture();
    test::TempDir dir;
    const Micrograph b = readMicrograph(f.b), a = readMicrograph(f.a);
    std::vector<float> values = b.pixels;
    values.insert(values.end(), a.pixels.begin(), a.pixels.end());
    test::dm::TestImage image;
    image.dataType = 2; // float32
    image.dims = {std::uint64_t(b.width), std::uint64_t(b.height), 2};
    image.data = test::dm::encode(values, false);
    if (b.calibration.isCalibrated()) {
        image.scales = {b.calibration.pixelSizeX, b.calibration.pixelSizeY, 1.0};
        const std::string unit = b.calibration.unit;
        image.units = {std::u16string(unit.begin(), unit.end()), std::u16string(unit.begin(), unit.end()), u""};
    }
    const std::string dm = dir.file("stack.dm4");
    std::ofstream(dm, std::ios::binary).write(reinterpret_cast<const char*>(test::dm::simpleFile(4, false, image).data()),
                                              std::streamsize(test::dm::simpleFile(4, false, image).size()));
    QCOMPARE(readMicrographFrame(dm, 1).pixels, a.pixels);
    const std::string fromTiff = dir.file("tiff"), fromDm = dir.file("dm");
    CliRun r = runCli({"classify", q(f.dictionary), q(f.stack), "--out", q(fromTiff)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = runCli({"classify", q(f.dictionary), q(dm), "--out", q(fromDm)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const std::vector<std::string> tiffRows = lines(readText(fromTiff + "/series.csv"));
    const std::vector<std::string> dmRows = lines(readText(fromDm + "/series.csv"));
    QCOMPARE(dmRows.size(), std::size_t(3));
    QCOMPARE(dmRows[0], tiffRows[0]);
    for (std::size_t row = 1; row < 3; ++row) {
        std::vector<std::string> t = split(tiffRows[row]), d = split(dmRows[row]);
        QCOMPARE(d[0], "stack_f000" + std::to_string(row - 1));
        QCOMPARE(d[1], dm);
        QCOMPARE(std::vector<std::string>(d.begin() + 2, d.end() - 1), std::vector<std::string>(t.begin() + 2, t.end() - 1));
        QCOMPARE(int(checkFolder(fromDm + "/" + d[0]).state), int(FolderState::Complete));
    }
    // learn takes every frame of the DM stack too, as of the TIFF stack: the same motifs.
    const std::string fromDmDict = dir.file("dm.motifdict"), fromTiffDict = dir.file("tiff.motifdict");
    r = runCli({"learn", q(dm), "--out", q(fromDmDict)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = runCli({"learn", q(f.stack), "--out", q(fromTiffDict)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const MotifDictionary learnedDm = readMotifDictionary(fromDmDict), learnedTiff = readMotifDictionary(fromTiffDict);
    QCOMPARE(learnedDm.sources, (std::vector<std::string>{dm + "#0", dm + "#1"}));
    QCOMPARE(learnedDm.motifs.size(), learnedTiff.motifs.size());
    for (std::size_t m = 0; m < learnedDm.motifs.size(); ++m)
        QCOMPARE(learnedDm.motifs[m].count, learnedTiff.motifs[m].count);
}

void TestCliSeries::classifyRefusesBadInput()
{
    const Fixture& f = fixture();
    test::TempDir dir;
    const auto oneLine = [](const CliRun& r, const std::string& what) {
        return r.exitCode == 3 && r.err.startsWith("motifscope-cli: error: ") && r.err.count('\n') == 1 &&
               r.err.contains(q(what));
    };
    const std::string missing = dir.file("missing.motifdict");
    QVERIFY(oneLine(runCli({"classify", q(missing), q(f.a), "--out", q(dir.file("o1"))}), missing));
    QVERIFY(oneLine(runCli({"classify", q(f.a), q(f.a), "--out", q(dir.file("o2"))}), f.a)); // a TIFF is no dictionary
    std::ofstream(dir.file("old.csv")) << "frame,file,index,columns\n";
    fs::create_directories(dir.file("o3"));
    fs::copy_file(dir.file("old.csv"), dir.file("o3/series.csv"));
    QVERIFY(oneLine(runCli({"classify", q(f.dictionary), q(f.a), "--out", q(dir.file("o3"))}), "another dictionary"));
    QCOMPARE(runCli({"classify", q(f.dictionary), "--out", q(dir.file("o4"))}).exitCode, 2); // no image
    QCOMPARE(runCli({"watch", q(dir.file("none")), "--dictionary", q(f.dictionary), "--out", q(dir.file("o5"))}).exitCode, 3);
}

void TestCliSeries::killedClassifyNeverLeavesHalfAndResumes()
{
    const Fixture& f = fixture();
    test::TempDir dir;
    const std::string reference = dir.file("reference");
    QCOMPARE(runCli({"classify", q(f.dictionary), q(f.a), q(f.stack), "--out", q(reference)}).exitCode, 0);
    const std::string expected = readText(reference + "/series.csv");
    const std::size_t fields = split(lines(expected)[0]).size();
    int killed = 0;
    for (int k = 1; k < 60; ++k) {
        const std::string out = dir.file("out" + std::to_string(k));
        const CliRun r = runCli({"classify", q(f.dictionary), q(f.a), q(f.stack), "--out", q(out)}, k);
        if (r.status == QProcess::NormalExit) { // fewer than k writes: the run completed
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(readText(out + "/series.csv"), expected);
            break;
        }
        ++killed;
        checkSeriesFolder(out, fields);
        // The restart skips what is done and ends with every frame once, as a clean run.
        const CliRun again = runCli({"classify", q(f.dictionary), q(f.a), q(f.stack), "--out", q(out)});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QCOMPARE(readText(out + "/series.csv"), expected);
        checkSeriesFolder(out, fields);
        for (const auto& e : fs::directory_iterator(out))
            QVERIFY2(e.path().filename().string()[0] != '.' || e.path().filename() == ".motifscope-analyze.lock",
                     e.path().c_str()); // no leftovers
        fs::remove_all(out);
    }
    QVERIFY2(killed >= 15, qPrintable(QString::number(killed))); // 3 frames x (manifest twice, 4 files) + rows
}

void TestCliSeries::watchClassifiesFramesAsTheyComplete()
{
    const Fixture& f = fixture();
    test::TempDir dir;
    const std::string in = dir.file("incoming"), out = dir.file("out");
    fs::create_directories(in);
    fs::copy_file(f.a, in + "/001.tif");
    std::ofstream(in + "/notes.txt") << "not a micrograph";
    QProcess watch;
    watch.start(QStringLiteral(MOTIFSCOPE_CLI_PATH),
                {"watch", q(in), "--dictionary", q(f.dictionary), "--out", q(out), "--interval", "0.1"});
    QVERIFY(watch.waitForStarted());
    QVERIFY(waitForRows(out + "/series.csv", 1, 30));
    // A frame written slowly, as a microscope does: nothing is classified until it is complete.
    const std::vector<std::uint8_t> bytes = readFileBytes(f.b);
    {
        std::ofstream partial(in + "/002.tif", std::ios::binary);
        partial.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size() / 2));
        partial.flush();
        for (int i = 0; i < 10; ++i) { // 1 s of a growing file
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            partial.write(reinterpret_cast<const char*>(bytes.data() + bytes.size() / 2 + i * 10), 10);
            partial.flush();
        }
        QCOMPARE(lines(readText(out + "/series.csv")).size(), std::size_t(2));
        partial.write(reinterpret_cast<const char*>(bytes.data() + bytes.size() / 2 + 100),
                      std::streamsize(bytes.size() - bytes.size() / 2 - 100));
    }
    QVERIFY(waitForRows(out + "/series.csv", 2, 30));
    std::ofstream(in + "/broken.tif") << "II*\0 not really a TIFF";
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    ::kill(pid_t(watch.processId()), SIGTERM);
    QVERIFY(watch.waitForFinished(30000));
    QCOMPARE(watch.exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch.exitCode(), 0);
    const QString err = QString::fromUtf8(watch.readAllStandardError());
    QVERIFY2(err.contains("warning: " + q(in + "/broken.tif")), qPrintable(err)); // reported, not fatal
    const std::vector<std::string> rows = lines(readText(out + "/series.csv"));
    QCOMPARE(rows.size(), std::size_t(3));
    QVERIFY(rows[1].rfind("001,", 0) == 0 && rows[2].rfind("002,", 0) == 0);
    // The file written slowly classifies as the same image given whole.
    const std::string direct = dir.file("direct");
    QCOMPARE(runCli({"classify", q(f.dictionary), q(f.b), "--out", q(direct)}).exitCode, 0);
    const std::string directRow = lines(readText(direct + "/series.csv"))[1];
    QCOMPARE(rows[2].substr(rows[2].find(",0,")), directRow.substr(directRow.find(",0,")));

    // Restarted with --once after a new frame arrived: the done frames are skipped, the new one added;
    // killed in its frame's writes first, the restart still ends with every frame once.
    fs::copy_file(f.stack, in + "/003.tif");
    const CliRun killed = runCli({"watch", q(in), "--dictionary", q(f.dictionary), "--out", q(out), "--once",
                                  "--interval", "0.1"}, 4);
    QCOMPARE(killed.status, QProcess::CrashExit);
    checkSeriesFolder(out, split(rows[0]).size());
    const CliRun once = runCli({"watch", q(in), "--dictionary", q(f.dictionary), "--out", q(out), "--once",
                                "--interval", "0.1"});
    QCOMPARE(once.exitCode, 0);
    const std::vector<std::string> after = lines(readText(out + "/series.csv"));
    QCOMPARE(after.size(), std::size_t(5));
    QCOMPARE(after[1], rows[1]);
    QCOMPARE(after[2], rows[2]);
    QVERIFY(after[3].rfind("003_f0000,", 0) == 0 && after[4].rfind("003_f0001,", 0) == 0);
    checkSeriesFolder(out, split(rows[0]).size());
}

void TestCliSeries::framePartsMergeIntoClassifysSeries()
{
    // What the scale-out workflow does (docs/scale-out.md): one classify --frame per frame, each into
    // its own part folder, then merge-series in series order; a file named as another (a-2) included.
    const Fixture& f = fixture();
    test::TempDir dir;
    fs::create_directories(dir.file("again"));
    const std::string again = dir.file("again/a.tif");
    fs::copy_file(f.b, again);
    const std::string reference = dir.file("reference");
    CliRun r = runCli({"classify", q(f.dictionary), q(f.a), q(f.stack), q(again), "--out", q(reference)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const std::string expected = readText(reference + "/series.csv");
    QCOMPARE(lines(expected).size(), std::size_t(5));
    QVERIFY(lines(expected)[4].rfind("a-2,", 0) == 0);

    std::vector<std::pair<std::string, int>> frames = {{f.a, 0}, {f.stack, 0}, {f.stack, 1}, {again, 0}};
    std::vector<std::string> parts;
    for (const auto& [file, index] : frames) {
        parts.push_back(dir.file("part" + std::to_string(parts.size())));
        r = runCli({"classify", q(f.dictionary), q(file), "--frame", QString::number(index), "--out", q(parts.back())});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(lines(readText(parts.back() + "/series.csv")).size(), std::size_t(2)); // that frame only
    }
    QVERIFY(fs::exists(parts[2] + "/stack_f0001")); // named as in a run over the whole stack
    QVERIFY(fs::exists(parts[3] + "/a"));           // alone, it is not a-2 yet
    // Frame 2 of a two-page stack, frame 1 of a plain image: one line naming the file.
    r = runCli({"classify", q(f.dictionary), q(f.stack), "--frame", "2", "--out", q(dir.file("none"))});
    QVERIFY2(r.exitCode == 3 && r.err.contains(q(f.stack)) && r.err.count('\n') == 1, qPrintable(r.err));
    QCOMPARE(runCli({"classify", q(f.dictionary), q(f.a), "--frame", "-1", "--out", q(dir.file("none"))}).exitCode, 2);

    const std::string merged = dir.file("merged");
    std::ofstream(dir.file("list.txt")) << parts[1] << "\n" << parts[2] << "\r\n\n" << parts[3] << "\n";
    r = runCli({"merge-series", q(parts[0]), "--list", q(dir.file("list.txt")), "--out", q(merged)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(readText(merged + "/series.csv"), expected);
    std::set<std::string> names, referenceNames;
    for (const auto& e : fs::directory_iterator(merged))
        names.insert(e.path().filename().string());
    for (const auto& e : fs::directory_iterator(reference))
        referenceNames.insert(e.path().filename().string());
    QCOMPARE(names, referenceNames); // series.csv and the frame folders, nothing hidden left
    for (const char* stem : {"a", "stack_f0000", "stack_f0001", "a-2"})
        for (const auto& e : fs::directory_iterator(reference + "/" + stem)) {
            const std::string name = e.path().filename().string();
            QVERIFY2(readFileBytes(merged + "/" + stem + "/" + name) == readFileBytes(e.path().string()),
                     (std::string(stem) + "/" + name).c_str()); // manifest.json too
        }

    // Merged again, or with a part already in: nothing changes; a part of a new frame is appended.
    r = runCli({"merge-series", q(parts[0]), q(parts[1]), q(parts[2]), q(parts[3]), "--out", q(merged)});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(readText(merged + "/series.csv"), expected);
    const std::string partial = dir.file("partial");
    QCOMPARE(runCli({"merge-series", q(parts[0]), q(parts[1]), "--out", q(partial)}).exitCode, 0);
    QCOMPARE(runCli({"merge-series", q(parts[1]), q(parts[2]), q(parts[3]), "--out", q(partial)}).exitCode, 0);
    QCOMPARE(readText(partial + "/series.csv"), expected);
    // Killed at any of its writes, a merge run again ends as a clean one.
    for (int k = 1; k < 40; ++k) {
        const std::string out = dir.file("killed" + std::to_string(k));
        const CliRun killed = runCli({"merge-series", q(parts[0]), q(parts[1]), q(parts[2]), q(parts[3]), "--out",
                                      q(out)}, k);
        if (killed.status == QProcess::NormalExit)
            break;
        QVERIFY(!fs::exists(out + "/series.csv") || readText(out + "/series.csv") == expected);
        QCOMPARE(runCli({"merge-series", q(parts[0]), q(parts[1]), q(parts[2]), q(parts[3]), "--out", q(out)}).exitCode,
                 0);
        QCOMPARE(readText(out + "/series.csv"), expected);
        checkSeriesFolder(out, split(lines(expected)[0]).size());
    }
}

void TestCliSeries::mergeSeriesRefusesBadParts()
{
    const Fixture& f = fixture();
    test::TempDir dir;
    const auto oneLine = [](const CliRun& r, const std::string& what) {
        return r.exitCode == 3 && r.err.startsWith("motifscope-cli: error: ") && r.err.count('\n') == 1 &&
               r.err.contains(q(what));
    };
    const std::string part = dir.file("part");
    QCOMPARE(runCli({"classify", q(f.dictionary), q(f.a), "--out", q(part)}).exitCode, 0);
    QCOMPARE(runCli({"merge-series", "--out", q(dir.file("o1"))}).exitCode, 2); // no part
    QVERIFY(oneLine(runCli({"merge-series", q(dir.file("missing")), "--out", q(dir.file("o2"))}), "missing"));
    // Another dictionary: another header.
    fs::create_directories(dir.file("other"));
    std::ofstream(dir.file("other/series.csv")) << "frame,file,index,columns,count_0,fraction_0\n";
    QVERIFY(oneLine(runCli({"merge-series", q(part), q(dir.file("other")), "--out", q(dir.file("o3"))}),
                    dir.file("other/series.csv")));
    // A frame folder changed after its run: not taken.
    std::ofstream(part + "/a/columns.csv", std::ios::app) << "1,2,3\n";
    QVERIFY(oneLine(runCli({"merge-series", q(part), "--out", q(dir.file("o4"))}), part + "/a"));
    QVERIFY(!fs::exists(dir.file("o4/series.csv")));
}

QTEST_GUILESS_MAIN(TestCliSeries)
#include "test_cli_series.moc"
