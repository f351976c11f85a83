// Whole-folder atomicity of `motifscope-cli analyze`: a run killed (SIGKILL) between any two of its
// file renames never leaves a folder that passes for one run, and the next run leaves one clean run.
#include "core/io/file_util.h"
#include "core/io/folder_manifest.h"
#include "core/io/readers.h"
#include "cli_run.h"
#include "test_support.h"

#include <QProcess>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

using namespace motifscope;
namespace fs = std::filesystem;

namespace {

using test::CliRun;
using test::q;
using test::runCli;

/** Every file of a folder (hidden ones too) with its bytes. */
std::map<std::string, std::vector<std::uint8_t>> folderContents(const std::string& folder)
{
    std::map<std::string, std::vector<std::uint8_t>> files;
    for (const auto& entry : fs::directory_iterator(folder))
        files[entry.path().filename().string()] = readFileBytes(entry.path().string());
    return files;
}

bool hasTemporaries(const std::string& folder)
{
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.path().filename().string().find(".tmp") != std::string::npos)
            return true;
    return false;
}

} // namespace

class TestAnalysisFolder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void completeRunIsMarkedAndChecked();
    void killBetweenRenamesNeverPassesForOneRun();
    void staleTemporariesOfDeadWritersAreRemoved();
};

void TestAnalysisFolder::completeRunIsMarkedAndChecked()
{
    test::TempDir dir;
    const std::string stem = dir.file("scene");
    QCOMPARE(runCli({"synth", "--preset", "mixed-lattice", "--size", "160", "--seed", "3", "--out", q(stem)}).exitCode, 0);
    const std::string out = dir.file("out");
    fs::create_directories(out);
    { std::ofstream(out + "/notes.txt") << "the user's own file\n"; }
    const CliRun r = runCli({"analyze", q(stem + ".tif"), "--out", q(out), "--timings"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(int(checkFolder(out).state), int(FolderState::Complete));

    const auto manifest = nlohmann::json::parse(readFileBytes(out + "/manifest.json"));
    QCOMPARE(manifest["state"].get<std::string>(), std::string("complete"));
    QCOMPARE(manifest["command"].get<std::string>(), std::string("analyze"));
    std::set<std::string> listed;
    for (const auto& f : manifest["files"]) {
        listed.insert(f["name"].get<std::string>());
        QCOMPARE(f["size"].get<std::uint64_t>(), std::uint64_t(fs::file_size(out + "/" + f["name"].get<std::string>())));
    }
    for (const char* name : {"columns.csv", "features.csv", "embedding.csv", "motifs.json", "hierarchy.json",
                             "overlay.png", "timings.json"})
        QVERIFY2(listed.count(name) == 1, name);
    QVERIFY(listed.count("notes.txt") == 0); // not the run's, and left alone
    QVERIFY(fs::exists(out + "/notes.txt"));

    // Changed after the run: the check names the file; render warns but draws.
    { std::ofstream(out + "/motifs.json", std::ios::app) << " "; }
    const FolderCheck changed = checkFolder(out);
    QCOMPARE(int(changed.state), int(FolderState::Changed));
    QVERIFY2(changed.problem.find("motifs.json") != std::string::npos, changed.problem.c_str());
    { std::ofstream(out + "/manifest.json") << "{not json"; }
    QCOMPARE(int(checkFolder(out).state), int(FolderState::Changed));
    fs::remove(out + "/manifest.json");
    QCOMPARE(int(checkFolder(out).state), int(FolderState::Unmarked));
}

void TestAnalysisFolder::killBetweenRenamesNeverPassesForOneRun()
{
    test::TempDir dir;
    const std::string a = dir.file("a"), b = dir.file("b");
    QCOMPARE(runCli({"synth", "--preset", "mixed-lattice", "--size", "160", "--seed", "3", "--out", q(a)}).exitCode, 0);
    QCOMPARE(runCli({"synth", "--preset", "mixed-lattice", "--size", "160", "--seed", "4", "--out", q(b)}).exitCode, 0);
    // Run B alone, for reference: what a clean run B leaves.
    const std::string reference = dir.file("reference");
    QCOMPARE(runCli({"analyze", q(b + ".tif"), "--out", q(reference)}).exitCode, 0);
    const auto referenceFiles = folderContents(reference);

    const std::string out = dir.file("out");
    int killed = 0;
    for (int k = 1; k < 40; ++k) {
        // Run A (with timings.json, which run B does not write) fills the folder...
        fs::remove_all(out);
        QCOMPARE(runCli({"analyze", q(a + ".tif"), "--out", q(out), "--timings"}).exitCode, 0);
        const auto runA = folderContents(out);
        // ... and run B is killed in its k-th file write, after the temporary, before the rename.
        const CliRun r = runCli({"analyze", q(b + ".tif"), "--out", q(out)}, k);
        if (r.status == QProcess::NormalExit) { // fewer than k writes: the run completed
            QCOMPARE(r.exitCode, 0);
            QVERIFY(folderContents(out) == referenceFiles);
            break;
        }
        ++killed;
        const FolderCheck check = checkFolder(out);
        if (check.state == FolderState::Complete) {
            QVERIFY2(folderContents(out).size() >= runA.size(), "killed before marking: run A untouched");
            for (const auto& [name, bytes] : runA)
                QVERIFY2(readFileBytes(out + "/" + name) == bytes, name.c_str());
        } else {
            QVERIFY2(check.state == FolderState::Interrupted, check.problem.c_str());
            QVERIFY(check.problem.find("did not finish") != std::string::npos);
            if (k == 3) { // render refuses such a folder with one line naming it
                QProcess p;
                p.start(QStringLiteral(MOTIFSCOPE_CLI_PATH), {"render", q(out), "--out", q(dir.file("f.png"))});
                QVERIFY(p.waitForFinished(60000));
                const QString err = QString::fromUtf8(p.readAllStandardError());
                QCOMPARE(p.exitCode(), 3);
                QVERIFY2(err.startsWith("motifscope-cli: error: " + q(out)) && err.count('\n') == 1, qPrintable(err));
            }
        }
        // The next run leaves exactly one clean run B: no temporaries, no file of run A.
        QCOMPARE(runCli({"analyze", q(b + ".tif"), "--out", q(out)}).exitCode, 0);
        QVERIFY(!hasTemporaries(out));
        QCOMPARE(int(checkFolder(out).state), int(FolderState::Complete));
        QVERIFY2(folderContents(out) == referenceFiles, qPrintable(QString("after kill at write %1").arg(k)));
    }
    QVERIFY2(killed >= 8, "the sweep must kill the run at every one of its file writes");
}

void TestAnalysisFolder::staleTemporariesOfDeadWritersAreRemoved()
{
    test::TempDir dir;
    // A reaped child's pid is a process that is gone.
    const pid_t pid = ::fork();
    if (pid == 0)
        ::_exit(0);
    QVERIFY(pid > 0 && ::waitpid(pid, nullptr, 0) == pid);
    const std::string dead = std::to_string(pid);
    const std::string live = std::to_string(::getppid());
    const std::vector<std::string> stale = {".columns.csv.tmp" + dead, ".overlay.png.tmp" + dead + ".png"};
    const std::vector<std::string> kept = {".columns.csv.tmp" + live, "notes.tmp" + dead, ".x.tmpabc"};
    for (const auto& name : stale)
        std::ofstream(dir.file(name)) << "partial";
    for (const auto& name : kept)
        std::ofstream(dir.file(name)) << "keep";
    removeStaleTemporariesIn(dir.path().string());
    for (const auto& name : stale)
        QVERIFY2(!fs::exists(dir.file(name)), name.c_str());
    for (const auto& name : kept)
        QVERIFY2(fs::exists(dir.file(name)), name.c_str());
}

QTEST_GUILESS_MAIN(TestAnalysisFolder)
#include "test_analysis_folder.moc"
