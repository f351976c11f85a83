// The GUI's command line: motifscope [FILE] [--detect] [--analyze] [--screenshot PNG], run as a real process.
#include "test_support.h"
#include "ui_test_support.h"

#include <QFileInfo>
#include <QImage>
#include <QProcess>

#include <filesystem>

namespace {

/** The GUI executable beside motifscope-cli in the build tree ("" when it was not built). */
QString guiPath()
{
    const std::filesystem::path gui = std::filesystem::path(MOTIFSCOPE_CLI_PATH).parent_path() / "motifscope";
    return std::filesystem::exists(gui) ? QString::fromStdString(gui.string()) : QString();
}

/** Pixels close to the column markers' default colour (255, 92, 56). */
int markerPixels(const QImage& image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb p = image.pixel(x, y);
            n += std::abs(qRed(p) - 255) + std::abs(qGreen(p) - 92) + std::abs(qBlue(p) - 56) < 60;
        }
    return n;
}

struct Run
{
    int exitCode = -1;
    QString stdErr;
};

} // namespace

class TestGuiCommandLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void screenshotOfSample();
    void screenshotWithDetection();
    void screenshotWithoutFile();
    void analyzeIsAccepted();
    void unreadableFileFails();
    void unwritableScreenshotFails();
    void usageErrors();

private:
    Run run(const QStringList& arguments);
    QString mGui;
    motifscope::test::TempDir mTemp;
};

void TestGuiCommandLine::initTestCase()
{
    mGui = guiPath();
    if (mGui.isEmpty())
        QSKIP("the motifscope GUI executable was not built (build target motifscope first)");
}

Run TestGuiCommandLine::run(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // Keep the user's settings out of it.
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QString::fromStdString(mTemp.file("config")));
    process.setProcessEnvironment(env);
    process.start(mGui, arguments);
    Run result;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        result.stdErr = QStringLiteral("timed out");
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.stdErr = QString::fromLocal8Bit(process.readAllStandardError());
    return result;
}

void TestGuiCommandLine::screenshotOfSample()
{
    const QString sample = QString::fromStdString(motifscope::test::sourcePath("resources/MoSe2_80K_small_region.tif"));
    const QString png = QString::fromStdString(mTemp.file("sample.png"));
    const Run r = run({sample, QStringLiteral("--screenshot"), png});
    if (r.exitCode != 0 && r.stdErr.contains(QStringLiteral("not implemented")))
        QSKIP("TIFF reader not available yet");
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    const QImage shot(png);
    QCOMPARE(shot.size(), QSize(1280, 860));
    QVERIFY(motifscope::test::greyVariance(shot) > 100.0);
    // The centre of the window shows the micrograph: many distinct grey levels, not a flat fill.
    const QImage centre = shot.copy(400, 300, 200, 200);
    QVERIFY(motifscope::test::greyVariance(centre) > 100.0);
}

void TestGuiCommandLine::screenshotWithDetection()
{
    const QString sample = QString::fromStdString(motifscope::test::sourcePath("resources/MoSe2_80K_small_region.tif"));
    const QString plain = QString::fromStdString(mTemp.file("plain.png"));
    const QString detected = QString::fromStdString(mTemp.file("detected.png"));
    Run r = run({sample, QStringLiteral("--screenshot"), plain});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    r = run({sample, QStringLiteral("--detect"), QStringLiteral("--screenshot"), detected});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    // The grab waited for the detection: the markers (hundreds of columns) are in the picture.
    const int before = markerPixels(QImage(plain)), after = markerPixels(QImage(detected));
    QVERIFY2(after > before + 2000, qPrintable(QStringLiteral("%1 -> %2 marker pixels").arg(before).arg(after)));
}

void TestGuiCommandLine::screenshotWithoutFile()
{
    const QString png = QString::fromStdString(mTemp.file("empty.png"));
    const Run r = run({QStringLiteral("--screenshot"), png});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    QVERIFY(!QImage(png).isNull());
}

void TestGuiCommandLine::analyzeIsAccepted()
{
    const QString png = QString::fromStdString(mTemp.file("analyze.png"));
    const Run r = run({QStringLiteral("--analyze"), QStringLiteral("--screenshot"), png});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    QVERIFY(QFileInfo::exists(png));
}

void TestGuiCommandLine::unreadableFileFails()
{
    const QString missing = QString::fromStdString(mTemp.file("missing.dm4"));
    const QString png = QString::fromStdString(mTemp.file("never.png"));
    const Run r = run({missing, QStringLiteral("--screenshot"), png});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.stdErr.contains(QStringLiteral("motifscope: error: ") + missing + QStringLiteral(": no such file")),
             qPrintable(r.stdErr));
    QVERIFY(!QFileInfo::exists(png));
}

void TestGuiCommandLine::unwritableScreenshotFails()
{
    const QString png = QString::fromStdString(mTemp.file("no-such-dir/shot.png"));
    const Run r = run({QStringLiteral("--screenshot"), png});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.stdErr.contains(QStringLiteral("motifscope: error: ") + png), qPrintable(r.stdErr));
}

void TestGuiCommandLine::usageErrors()
{
    Run r = run({QStringLiteral("--no-such-flag")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.stdErr.contains(QStringLiteral("motifscope: error:")));
    r = run({QStringLiteral("a.tif"), QStringLiteral("b.tif"), QStringLiteral("--screenshot"), QStringLiteral("x.png")});
    QCOMPARE(r.exitCode, 2);
    r = run({QStringLiteral("--screenshot")});
    QCOMPARE(r.exitCode, 2); // the flag needs a PNG path
}

QTEST_GUILESS_MAIN(TestGuiCommandLine)
#include "test_gui_command_line.moc"
