// The Series window's time axis and Export series.csv (issue 17): a SER series with a time tag per
// frame opens as a stack read once and plots against time by default (seconds since the first
// frame); a click on a point shows its frame on either axis. A folder of TIFFs without stamps plots
// against frame, and against the files' modification times on demand. The exported series.csv is,
// byte for byte, the one `motifscope-cli classify` writes for the same frames and dictionary.
#include "ui_test_support.h"

#include "cli_run.h"
#include "core/dictionary/class_model.h"
#include "core/dictionary/motif_dictionary.h"
#include "core/io/readers.h"
#include "core/io/writers.h"
#include "ser_test_files.h"
#include "synth_options.h"
#include "ui/series/seriesplots.h"
#include "ui/series/serieswindow.h"

#include <QComboBox>
#include <QDir>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <memory>

using namespace motifscope;
using motifscope::test::q;
using motifscope::test::runCli;
using motifscope::ui::SeriesDictionary;
using motifscope::ui::SeriesFrame;
using motifscope::ui::SeriesPlots;
using motifscope::ui::SeriesWindow;
namespace fs = std::filesystem;

namespace {

constexpr int kSize = 256;               ///< frames and learning image, px
constexpr int kFrameTimeoutMs = 60000;   ///< one frame's classification (a hang guard)
constexpr std::int64_t kStart = 1796600000; ///< the first frame's time tag: 2026-12-06T23:33:20Z
const QVector<double> kOffsets = {0.0, 5.0, 12.0}; ///< each frame's time after the first, s

std::string readText(const std::string& path)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path);
    return std::string(bytes.begin(), bytes.end());
}

/** A SER series of mixed-lattice frames (seeds 2, 3, 4), element k tagged kStart + kOffsets[k], calibrated as synth's. */
void writeTimedSeries(const std::string& path)
{
    std::vector<test::ser::Element> elements;
    for (int k = 0; k < kOffsets.size(); ++k) {
        const Micrograph m = test::mixedLattice(kSize, 2 + std::uint64_t(k)).image;
        std::vector<double> values; // TIA stores the bottom row first
        for (int y = m.height - 1; y >= 0; --y)
            for (int x = 0; x < m.width; ++x)
                values.push_back(m.at(x, y));
        test::ser::Element e;
        e.width = m.width;
        e.height = m.height;
        std::vector<float> stored;
        e.pixels = test::ser::encode<float>(values, stored);
        e.deltaX = e.deltaY = m.calibration.pixelSizeX * 1e-9; // synth's nm, SER's metres
        e.time = kStart + std::int64_t(kOffsets[k]);
        elements.push_back(e);
    }
    test::ser::writeFile(path, test::ser::serFile(0x0220, elements));
}

bool waitForDone(const SeriesWindow& window, int count)
{
    return QTest::qWaitFor(
        [&] {
            int done = 0;
            for (int i = 0; i < window.frameCount(); ++i)
                done += window.frame(i).status == SeriesFrame::Status::Done;
            return done == count && !window.isBusy();
        },
        kFrameTimeoutMs * count);
}

QVector<double> xsOf(const QVector<QPointF>& points)
{
    QVector<double> out;
    for (const QPointF& p : points)
        out.append(p.x());
    return out;
}

} // namespace

class TestSeriesExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void timeStampedStackPlotsAgainstTime();
    void stackExportIsClassifysSeries();
    void folderWithoutStampsPlotsAgainstFrame();

private:
    /** Export series.csv from `window` to `path`; true when written. */
    bool exportTo(SeriesWindow& window, const QString& path);
    /** `motifscope-cli classify` of `files` into `out`: its series.csv. */
    std::string classifyWithCli(const QStringList& files, const QString& out);

    QTemporaryDir mDir;
    QString mDictionaryPath;
    SeriesDictionary mDictionary;
    std::unique_ptr<SeriesWindow> mStack;
    QString mSerPath;
};

void TestSeriesExport::initTestCase()
{
    motifscope::test::clearTestSettings();
    QVERIFY(mDir.isValid());
    const QString learn = mDir.filePath(QStringLiteral("learn.tif"));
    writeTiffFloat32(test::mixedLattice(kSize, 1).image, learn.toStdString());
    mDictionaryPath = mDir.filePath(QStringLiteral("d.motifdict"));
    const test::CliRun r = runCli({QStringLiteral("learn"), learn, QStringLiteral("--out"), mDictionaryPath});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    auto dictionary = std::make_shared<const MotifDictionary>(readMotifDictionary(mDictionaryPath.toStdString()));
    mDictionary = {dictionary, std::make_shared<const ClassModel>(*dictionary)};
}

bool TestSeriesExport::exportTo(SeriesWindow& window, const QString& path)
{
    QSignalSpy exported(&window, &SeriesWindow::seriesExported);
    if (!window.exportSeriesTo(path) || !exported.wait(kFrameTimeoutMs))
        return false;
    if (!exported.at(0).at(1).toBool())
        qWarning("%s", qPrintable(exported.at(0).at(2).toString()));
    return exported.at(0).at(1).toBool();
}

std::string TestSeriesExport::classifyWithCli(const QStringList& files, const QString& out)
{
    const test::CliRun r = runCli(QStringList{QStringLiteral("classify"), mDictionaryPath} + files
                                  + QStringList{QStringLiteral("--out"), out});
    if (r.exitCode != 0)
        qWarning("classify: %s", qPrintable(r.err));
    return r.exitCode == 0 ? readText(QDir(out).filePath(QStringLiteral("series.csv")).toStdString()) : std::string();
}

void TestSeriesExport::timeStampedStackPlotsAgainstTime()
{
    mSerPath = mDir.filePath(QStringLiteral("timed_1.ser"));
    writeTimedSeries(mSerPath.toStdString());
    mStack = std::make_unique<SeriesWindow>(mDictionary, QStringLiteral("d.motifdict"));
    SeriesWindow& window = *mStack;
    QVERIFY(!window.exportSeriesTo(mDir.filePath(QStringLiteral("nothing.csv")))); // nothing classified yet
    window.resize(1280, 760);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openSeries(mSerPath);
    QVERIFY(QTest::qWaitFor([&] { return window.frameCount() == 3; }, kFrameTimeoutMs));
    QVERIFY(waitForDone(window, 3));
    SeriesPlots* plots = window.plots();

    // Every frame carries its stamp: the plots are against time, in seconds since the first frame.
    for (int k = 0; k < 3; ++k) {
        QVERIFY(window.frame(k).stamped);
        QCOMPARE(window.frame(k).time, double(kStart) + kOffsets[k]);
        QCOMPARE(plots->frameX(k), kOffsets[k]);
    }
    QVERIFY(plots->axis() == SeriesPlots::Axis::Time);
    QCOMPARE(plots->axisBox()->currentIndex(), 1);
    QCOMPARE(plots->xLabel(), QStringLiteral("time (s since first frame)"));
    QCOMPARE(xsOf(plots->fractionPoints(0)), kOffsets);
    QCOMPARE(xsOf(plots->disorderPoints(QStringLiteral("entropy (bits)"))), kOffsets);
    for (int k = 0; k < 3; ++k)
        QCOMPARE(plots->fractionPoints(0)[k].y(), window.frame(k).result->fraction[0]);

    // Linked brushing on the time axis: a click on a point shows its frame and rings its points.
    plots->replotNow();
    for (int frame : {1, 0}) {
        const QPointF at = plots->fractionPointPosition(0, frame);
        QVERIFY(at.x() >= 0.0);
        QTest::mouseClick(plots->fractionCanvas(), Qt::LeftButton, Qt::NoModifier, at.toPoint());
        QCOMPARE(window.currentFrame(), frame);
        QCOMPARE(window.strip()->currentRow(), frame);
        QCOMPARE(plots->highlightedFrames(0), QVector<int>{frame});
        QVERIFY(QTest::qWaitFor([&] { return window.shownFrame() == frame; }, kFrameTimeoutMs));
    }

    // Switched to Frame: the points move to 0, 1, 2, and clicks still pick frames.
    plots->axisBox()->setCurrentIndex(0);
    QVERIFY(plots->axis() == SeriesPlots::Axis::Frame);
    QCOMPARE(xsOf(plots->fractionPoints(0)), (QVector<double>{0.0, 1.0, 2.0}));
    plots->replotNow();
    QTest::mouseClick(plots->fractionCanvas(), Qt::LeftButton, Qt::NoModifier,
                      plots->fractionPointPosition(0, 2).toPoint());
    QCOMPARE(window.currentFrame(), 2);
    // And back to time: the current frame's points stay ringed.
    plots->axisBox()->setCurrentIndex(1);
    QVERIFY(plots->axis() == SeriesPlots::Axis::Time);
    QCOMPARE(plots->highlightedFrames(0), QVector<int>{2});
    plots->replotNow();
    if (qEnvironmentVariableIsSet("MOTIFSCOPE_TEST_SHOTS")) // to look at: MOTIFSCOPE_TEST_SHOTS=DIR
        window.grab().save(QDir(qEnvironmentVariable("MOTIFSCOPE_TEST_SHOTS")).filePath(QStringLiteral("series_time_axis.png")));
}

void TestSeriesExport::stackExportIsClassifysSeries()
{
    QVERIFY(mStack);
    QVERIFY(mStack->exportButton()->isEnabled());
    const QString folder = mDir.filePath(QStringLiteral("exported"));
    QVERIFY(QDir().mkpath(folder));
    const QString path = QDir(folder).filePath(QStringLiteral("series.csv"));
    QVERIFY(exportTo(*mStack, path));
    const std::string exported = readText(path.toStdString());
    const std::string cli = classifyWithCli({mSerPath}, mDir.filePath(QStringLiteral("cli_stack")));
    QVERIFY(!cli.empty());
    QCOMPARE(exported, cli); // header, frame folders timed_1_f0000.., values and the time column
    QVERIFY(exported.find("timed_1_f0002," + mSerPath.toStdString() + ",2,") != std::string::npos);
    QVERIFY(exported.find(",2026-12-06T23:33:32Z\n") != std::string::npos); // frame 2's stamp
    // Written through a temporary file renamed into place: nothing else is left beside it.
    QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("series.csv")});
}

void TestSeriesExport::folderWithoutStampsPlotsAgainstFrame()
{
    const QString folder = mDir.filePath(QStringLiteral("frames"));
    QVERIFY(QDir().mkpath(folder));
    const auto modified = fs::file_time_type::clock::now() - std::chrono::hours(1);
    for (int k = 0; k < 2; ++k) {
        const std::string path = QDir(folder).filePath(QStringLiteral("frame_%1.tif").arg(k)).toStdString();
        writeTiffFloat32(test::mixedLattice(kSize, 5 + std::uint64_t(k)).image, path);
        fs::last_write_time(path, modified + std::chrono::seconds(30 * k)); // 30 s apart
    }
    SeriesWindow window(mDictionary, QStringLiteral("d.motifdict"));
    window.openSeries(folder);
    QCOMPARE(window.frameCount(), 2);
    QVERIFY(waitForDone(window, 2));
    SeriesPlots* plots = window.plots();
    // No frame has a stamp: against frame number; time (the files' modification times) on demand.
    QVERIFY(!window.frame(0).stamped && !window.frame(1).stamped);
    QVERIFY(plots->axis() == SeriesPlots::Axis::Frame);
    QCOMPARE(plots->xLabel(), QStringLiteral("frame"));
    QCOMPARE(xsOf(plots->fractionPoints(0)), (QVector<double>{0.0, 1.0}));
    auto* model = qobject_cast<QStandardItemModel*>(plots->axisBox()->model());
    QVERIFY(model && model->item(1)->isEnabled());
    plots->axisBox()->setCurrentIndex(1);
    QVERIFY(plots->axis() == SeriesPlots::Axis::Time);
    QVERIFY(std::abs(plots->frameX(1) - 30.0) < 1e-3);
    QVERIFY(std::abs(plots->frameX(0)) < 1e-9);

    // Exported rows: what classify writes for the folder's files in the strip's order.
    const QString path = mDir.filePath(QStringLiteral("folder_series.csv"));
    QVERIFY(exportTo(window, path));
    const std::string cli = classifyWithCli({window.frame(0).file, window.frame(1).file}, mDir.filePath(QStringLiteral("cli_folder")));
    QVERIFY(!cli.empty());
    QCOMPARE(readText(path.toStdString()), cli);
}

QTEST_MAIN(TestSeriesExport)
#include "test_series_export.moc"
