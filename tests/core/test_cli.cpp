// motifscope-cli as scripts use it: the contract in docs/CLI.md (exit statuses, one-line errors
// naming the file or flag, byte-identical outputs for the same seed, atomic outputs).
#include "io/readers.h"
#include "test_support.h"

#include <QProcess>
#include <algorithm>
#include <fstream>
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

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpAndUsageErrors();
    void infoReportsSampleImage();
    void infoRefusesBadFiles();
    void convertKeepsValuesAndCalibration();
    void synthIsDeterministic();
};

void TestCli::helpAndUsageErrors()
{
    QCOMPARE(runCli({QStringLiteral("--help")}).exitCode, 0);
    for (const char* command : {"info", "convert", "synth"})
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

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
