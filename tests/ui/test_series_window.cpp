// Series (issue 17): a dictionary saved from the window's learned, renamed and recoloured motifs,
// loaded back, then a Series window following a folder while frames are written into it one by
// one: the strip grows, every frame is classified, the fraction plot gets one point per frame equal
// to the frame's own fractions, a click on a point shows that frame, Cancel stops a run of a TIFF stack.
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "core/dictionary/motif_dictionary.h"
#include "core/io/writers.h"
#include "synth_options.h"
#include "ui/document/micrographdocument.h"
#include "ui/series/dictionaryjob.h"
#include "ui/series/seriesplots.h"
#include "ui/series/serieswindow.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using motifscope::MotifDictionary;
using motifscope::test::mixedLattice;
using motifscope::test::runAndWait;
using motifscope::test::waitUntilIdle;
using motifscope::ui::MainWindow;
using motifscope::ui::SeriesFrame;
using motifscope::ui::SeriesWindow;

namespace {

constexpr int kSize = 320;               ///< frames and learning image, px
constexpr int kFrameTimeoutMs = 60000;   ///< one frame's classification (a hang guard)
const QString kRenamed = QStringLiteral("square lattice");
const QColor kRecoloured(0x12, 0x34, 0x56);

/** Each dictionary motif's share of the frame's columns that have a motif, from its classified columns. */
std::vector<double> fractionsOf(const MotifDictionary& d, const std::vector<int>& motif)
{
    long long labelled = 0;
    std::vector<long long> counts(d.motifs.size(), 0);
    for (int m : motif)
        for (std::size_t k = 0; k < d.motifs.size(); ++k)
            if (d.motifs[k].id == m)
                ++counts[k], ++labelled;
    std::vector<double> out;
    for (long long c : counts)
        out.push_back(labelled > 0 ? double(c) / double(labelled) : 0.0);
    return out;
}

/** Waits until `window` has classified `count` frames in all (true) or the time is up. */
bool waitForClassified(SeriesWindow& window, int count, int timeoutMs = kFrameTimeoutMs * 3)
{
    auto done = [&] {
        int n = 0;
        for (int i = 0; i < window.frameCount(); ++i)
            n += window.frame(i).status == SeriesFrame::Status::Done;
        return n >= count;
    };
    return QTest::qWaitFor(done, timeoutMs);
}

} // namespace

class TestSeriesWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void saveAndLoadKeepNamesAndColours();
    void loadErrorNamesTheFile();
    void followFolderClassifiesEachNewFrame();
    void plotPointSelectsItsFrame();
    void unreadableFrameFailsAlone();
    void cancelStopsTheRun();

private:
    QTemporaryDir mDir;
    std::unique_ptr<MainWindow> mWindow;
    QString mDictionaryPath;
    QPointer<SeriesWindow> mSeries;
};

void TestSeriesWindow::initTestCase()
{
    motifscope::test::clearTestSettings();
    QVERIFY(mDir.isValid());
    mWindow = std::make_unique<MainWindow>();
    mWindow->setInteractive(false);
    mWindow->resize(1000, 700);
    mWindow->show();
    QVERIFY(!mWindow->actions()->saveDictionary->isEnabled()); // nothing learned yet
    mWindow->document()->setMicrograph(mixedLattice(kSize).image, mDir.filePath(QStringLiteral("learn.tif")));
    QVERIFY(runAndWait(mWindow.get(), [&] { mWindow->actions()->detectColumns->trigger(); }));
    QVERIFY(runAndWait(mWindow.get(), [&] { mWindow->actions()->learnMotifs->trigger(); }));
    QVERIFY(mWindow->document()->motifTable().size() >= 2);
    QVERIFY(mWindow->actions()->saveDictionary->isEnabled());
    // The motifs as the user leaves them: one renamed, another recoloured.
    mWindow->document()->renameMotif(0, kRenamed);
    mWindow->document()->recolourMotif(1, kRecoloured);
    mDictionaryPath = mDir.filePath(QStringLiteral("learned.motifdict"));
}

void TestSeriesWindow::saveAndLoadKeepNamesAndColours()
{
    QSignalSpy saved(mWindow.get(), &MainWindow::dictionarySaved);
    QVERIFY(mWindow->saveMotifDictionaryTo(mDictionaryPath));
    QVERIFY(saved.wait(kFrameTimeoutMs));
    QVERIFY2(saved.at(0).at(1).toBool(), qPrintable(saved.at(0).at(2).toString()));

    // The file: every motif of the document, in its name and colour, with a class model.
    const MotifDictionary d = motifscope::readMotifDictionary(mDictionaryPath.toStdString());
    const auto& table = mWindow->document()->motifTable();
    QCOMPARE(int(d.motifs.size()), table.size());
    for (int m = 0; m < table.size(); ++m) {
        QCOMPARE(d.motifs[std::size_t(m)].id, m);
        QCOMPARE(QString::fromStdString(d.motifs[std::size_t(m)].name), table.motifs[std::size_t(m)].name);
        QCOMPARE(QColor(QString::fromStdString(d.motifs[std::size_t(m)].colour)), table.motifs[std::size_t(m)].colour);
        QVERIFY(d.motifs[std::size_t(m)].count > 0);
        QVERIFY(d.motifs[std::size_t(m)].noveltyDistance2 > 0.0);
    }
    QCOMPARE(QString::fromStdString(d.motifs[0].name), kRenamed);
    QCOMPARE(QColor(QString::fromStdString(d.motifs[1].colour)), kRecoloured);
    QCOMPARE(d.patchSize, table.patchSize);
    QCOMPARE(d.featureCount(), 36); // n_max 10, as learn writes it
    QVERIFY(d.columnSpacing > 0.0);
    QVERIFY(d.sources == std::vector<std::string>{mDir.filePath(QStringLiteral("learn.tif")).toStdString()});

    // Load it into a fresh window: the status bar names it, and it is the series' dictionary.
    MainWindow other;
    other.setInteractive(false);
    QSignalSpy loaded(&other, &MainWindow::dictionaryLoaded);
    other.loadMotifDictionary(mDictionaryPath);
    QVERIFY(loaded.wait(kFrameTimeoutMs));
    QVERIFY(loaded.at(0).at(1).toBool());
    QVERIFY(other.motifDictionary());
    QCOMPARE(QString::fromStdString(other.motifDictionary()->dictionary->motifs[0].name), kRenamed);
    const auto* label = other.findChild<QLabel*>(QStringLiteral("dictionaryLabel"));
    QVERIFY(label);
    QVERIFY2(label->text().contains(QStringLiteral("learned.motifdict (%1 motifs)").arg(table.size())),
             qPrintable(label->text()));
}

void TestSeriesWindow::loadErrorNamesTheFile()
{
    const QString damaged = mDir.filePath(QStringLiteral("damaged.motifdict"));
    QFile file(damaged);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"format\": \"motifscope-motif-dictionary\", \"version\": 1, \"motifs\": 3}");
    file.close();
    MainWindow other;
    other.setInteractive(false);
    QSignalSpy loaded(&other, &MainWindow::dictionaryLoaded);
    other.loadMotifDictionary(damaged);
    QVERIFY(loaded.wait(kFrameTimeoutMs));
    QVERIFY(!loaded.at(0).at(1).toBool());
    const QString message = loaded.at(0).at(2).toString();
    QVERIFY2(message.contains(QStringLiteral("damaged.motifdict")) && !message.contains(QLatin1Char('\n')),
             qPrintable(message));
    QVERIFY(!other.motifDictionary());
    // Open Series without a dictionary opens nothing (a non-interactive window asks nothing).
    QVERIFY(!other.openSeries(mDir.path()));
}

void TestSeriesWindow::followFolderClassifiesEachNewFrame()
{
    const QString folder = mDir.filePath(QStringLiteral("live"));
    QVERIFY(QDir().mkpath(folder));
    mSeries = mWindow->openSeries(folder);
    QVERIFY(mSeries);
    QCOMPARE(mSeries->frameCount(), 0);
    mSeries->followBox()->setChecked(true);
    QVERIFY(mSeries->isFollowing());
    const MotifDictionary& d = mSeries->dictionary();
    // The legend: the dictionary's motifs under the user's names.
    QCOMPARE(mSeries->plots()->legendNames().size(), int(d.motifs.size()));
    QCOMPARE(mSeries->plots()->legendNames().at(0), kRenamed);

    const int frames = 3;
    for (int k = 0; k < frames; ++k) {
        QSignalSpy classified(mSeries.data(), &SeriesWindow::frameClassified);
        const QString path = QDir(folder).filePath(QStringLiteral("frame_%1.tif").arg(k, 2, 10, QLatin1Char('0')));
        motifscope::writeTiffFloat32(mixedLattice(kSize, 11 + std::uint64_t(k)).image, path.toStdString());
        QVERIFY2(classified.wait(kFrameTimeoutMs), qPrintable(QStringLiteral("frame %1 not classified").arg(k)));
        QCOMPARE(mSeries->frameCount(), k + 1); // the strip grows by one frame per file
        QCOMPARE(mSeries->strip()->count(), k + 1);
        QCOMPARE(classified.at(0).at(0).toInt(), k);
        const SeriesFrame& f = mSeries->frame(k);
        QVERIFY(f.status == SeriesFrame::Status::Done);
        QVERIFY(f.result && f.result->columns.size() > 100);
        QVERIFY(mSeries->strip()->item(k)->text().contains(QStringLiteral("frame_")));
        // One point per frame on every motif's line, equal to the frame's fractions of its classified columns.
        const std::vector<double> expected = fractionsOf(d, f.result->motif);
        for (std::size_t m = 0; m < d.motifs.size(); ++m) {
            const QVector<QPointF> points = mSeries->plots()->fractionPoints(int(m));
            QCOMPARE(points.size(), k + 1);
            QCOMPARE(points.back().x(), double(k));
            QVERIFY2(std::abs(points.back().y() - expected[m]) < 1e-9,
                     qPrintable(QStringLiteral("motif %1: plot %2, columns %3").arg(m).arg(points.back().y()).arg(expected[m])));
        }
        QCOMPARE(mSeries->plots()->disorderPoints(QStringLiteral("entropy (bits)")).size(), k + 1);
    }
    // Frames of the learning lattice: most columns fit a motif, and no frame was left unclassified.
    QVERIFY(mSeries->frame(frames - 1).result->novelFraction < 0.2);
    QVERIFY(!mSeries->isBusy() || waitUntilIdle(mSeries.data()));
    if (const QString grab = qEnvironmentVariable("MOTIFSCOPE_SERIES_GRAB"); !grab.isEmpty()) {
        mSeries->plots()->replotNow();
        mSeries->grab().save(grab);
    }
}

void TestSeriesWindow::plotPointSelectsItsFrame()
{
    QVERIFY(mSeries && mSeries->frameCount() >= 3);
    mSeries->resize(1280, 760);
    mSeries->show();
    QVERIFY(QTest::qWaitForWindowExposed(mSeries.data()));
    mSeries->plots()->replotNow();
    for (int frame : {0, 2}) {
        QSignalSpy shown(mSeries.data(), &SeriesWindow::frameShown);
        const QPointF at = mSeries->plots()->fractionPointPosition(0, frame);
        QVERIFY(at.x() >= 0.0);
        QTest::mouseClick(mSeries->plots()->fractionCanvas(), Qt::LeftButton, Qt::NoModifier, at.toPoint());
        QCOMPARE(mSeries->currentFrame(), frame);
        QCOMPARE(mSeries->strip()->currentRow(), frame);
        // The frame's points are ringed on every line, and only they.
        for (std::size_t m = 0; m < mSeries->dictionary().motifs.size(); ++m)
            QCOMPARE(mSeries->plots()->highlightedFrames(int(m)), QVector<int>{frame});
        QVERIFY(mSeries->shownFrame() == frame || shown.wait(kFrameTimeoutMs));
        QCOMPARE(mSeries->shownFrame(), frame);
        QVERIFY(mSeries->frameDocument()->columnSet().classes == mSeries->frame(frame).result->motif);
        QCOMPARE(mSeries->frameDocument()->motifTable().motifs[0].name, kRenamed);
    }
    // Choosing a frame in the strip rings its points.
    mSeries->strip()->setCurrentRow(1);
    QCOMPARE(mSeries->currentFrame(), 1);
    QCOMPARE(mSeries->plots()->highlightedFrames(0), QVector<int>{1});
    // A click away from every point changes nothing.
    QTest::mouseClick(mSeries->plots()->fractionCanvas(), Qt::LeftButton, Qt::NoModifier, QPoint(3, 3));
    QCOMPARE(mSeries->currentFrame(), 1);
    if (qEnvironmentVariableIsSet("MOTIFSCOPE_TEST_SHOTS")) // to look at: MOTIFSCOPE_TEST_SHOTS=DIR
        mSeries->grab().save(QDir(qEnvironmentVariable("MOTIFSCOPE_TEST_SHOTS")).filePath(QStringLiteral("series_window.png")));
}

/** An unreadable file fails on its own, the next frame is classified, and the file is tried again once rewritten. */
void TestSeriesWindow::unreadableFrameFailsAlone()
{
    QVERIFY(mSeries && mSeries->isFollowing() && mSeries->frameCount() == 3);
    const QDir folder(mSeries->seriesPath());
    QFile broken(folder.filePath(QStringLiteral("frame_03.tif")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("II*\0 this is no TIFF");
    broken.close();
    QVERIFY(QTest::qWaitFor([&] { return mSeries->frameCount() == 4 && mSeries->frame(3).status == SeriesFrame::Status::Failed; },
                            kFrameTimeoutMs));
    QVERIFY2(mSeries->frame(3).error.contains(QStringLiteral("frame_03.tif")), qPrintable(mSeries->frame(3).error));
    QVERIFY(mSeries->strip()->item(3)->text().contains(QStringLiteral("failed")));
    // The next frame is classified as usual; the failed one has no points.
    QSignalSpy classified(mSeries.data(), &SeriesWindow::frameClassified);
    motifscope::writeTiffFloat32(mixedLattice(kSize, 14).image, folder.filePath(QStringLiteral("frame_04.tif")).toStdString());
    QVERIFY(classified.wait(kFrameTimeoutMs));
    QCOMPARE(classified.at(0).at(0).toInt(), 4);
    const QVector<QPointF> points = mSeries->plots()->fractionPoints(0);
    QCOMPARE(points.size(), 4);
    QCOMPARE(points.back().x(), 4.0);
    QVERIFY(std::none_of(points.begin(), points.end(), [](const QPointF& p) { return p.x() == 3.0; }));

    // Written again, whole: the failed frame is classified in its place, the strip does not grow.
    classified.clear();
    motifscope::writeTiffFloat32(mixedLattice(kSize, 13).image, folder.filePath(QStringLiteral("frame_03.tif")).toStdString());
    QVERIFY(classified.wait(kFrameTimeoutMs));
    QCOMPARE(classified.at(0).at(0).toInt(), 3);
    QCOMPARE(mSeries->frameCount(), 5);
    QVERIFY(mSeries->frame(3).status == SeriesFrame::Status::Done);
    QCOMPARE(mSeries->plots()->fractionPoints(0).size(), 5);
}

void TestSeriesWindow::cancelStopsTheRun()
{
    const QString stack = mDir.filePath(QStringLiteral("stack.tif"));
    std::vector<motifscope::Micrograph> pages;
    for (std::uint64_t seed : {21, 22, 23})
        pages.push_back(mixedLattice(kSize, seed).image);
    motifscope::writeTiffStackFloat32(pages, stack.toStdString());
    SeriesWindow* series = mWindow->openSeries(stack);
    QVERIFY(series);
    QVERIFY(!series->followBox()->isEnabled()); // a stack is not followed
    QVERIFY(QTest::qWaitFor([&] { return series->frameCount() == 3; }, kFrameTimeoutMs));
    QVERIFY(series->cancelButton()->isEnabled()); // the newest page is being classified
    QVERIFY(series->frame(2).status == SeriesFrame::Status::Classifying);
    QSignalSpy classified(series, &SeriesWindow::frameClassified);
    QTest::mouseClick(series->cancelButton(), Qt::LeftButton);
    QVERIFY(!series->cancelButton()->isEnabled());
    for (int i = 0; i < 3; ++i)
        QVERIFY(series->frame(i).status == SeriesFrame::Status::Cancelled);
    QTest::qWait(3000); // longer than a page takes: nothing arrives after Cancel
    QCOMPARE(classified.count(), 0);
    QCOMPARE(series->plots()->fractionPoints(0).size(), 0);

    // Classify Remaining starts again, newest page first.
    series->classifyRemaining();
    QVERIFY(classified.wait(kFrameTimeoutMs));
    QCOMPARE(classified.at(0).at(0).toInt(), 2);
    QVERIFY(waitForClassified(*series, 3));
    QCOMPARE(series->plots()->fractionPoints(0).size(), 3);
}

QTEST_MAIN(TestSeriesWindow)
#include "test_series_window.moc"
