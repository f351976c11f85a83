// Column detection in the main window: a run on a synthetic micrograph with known truth, undo /
// redo of the run, cancel, failure, live re-thresholding, CSV import / export, and screenshots.
#include "test_support.h"
#include "ui_test_support.h"

#include "detect/columns_csv.h"
#include "detect/detectionpanel.h"
#include "document/micrographdocument.h"
#include "mainwindow.h"
#include "synth/synth.h"
#include "views/columnoverlay.h"
#include "views/imageview.h"
#include "window/appsettings.h"
#include "window/mainactions.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QUndoStack>

#include <cmath>
#include <fstream>
#include <memory>

using motifscope::AtomColumn;
using motifscope::ui::ColumnDetectionJob;
using motifscope::ui::DetectionPanel;
using motifscope::ui::MainWindow;
using motifscope::ui::MicrographDocument;

namespace {

constexpr int kTimeoutMs = 120000;

/** Triggers `run` and waits until the detection job reports back; false on timeout. */
template <typename Run>
bool runAndWait(DetectionPanel* panel, Run run)
{
    QSignalSpy idle(panel, &DetectionPanel::busyChanged);
    run();
    if (panel->hasPendingUpdate() && !idle.wait(kTimeoutMs)) // the live update starts after a short delay
        return false;
    if (!panel->isBusy())
        return idle.count() >= 2;
    while (panel->isBusy())
        if (!idle.wait(kTimeoutMs))
            return false;
    return true;
}

motifscope::synth::SynthResult mixedLattice(int size, std::uint64_t seed = 5)
{
    motifscope::synth::SynthOptions options;
    options.preset = "mixed-lattice";
    options.size = size;
    options.seed = seed;
    return motifscope::synth::synthesize(options);
}

/** Fraction of `truth` points with a detected column within `tolerance` pixels. */
double recall(const std::vector<motifscope::synth::TruthColumn>& truth, const motifscope::AtomColumns& found,
              double tolerance, int width, int height, double margin)
{
    int inside = 0, hit = 0;
    for (const auto& t : truth) {
        if (t.x < margin || t.y < margin || t.x > width - 1 - margin || t.y > height - 1 - margin)
            continue;
        ++inside;
        for (const AtomColumn& c : found)
            if (std::hypot(c.x - t.x, c.y - t.y) < tolerance) {
                ++hit;
                break;
            }
    }
    return inside > 0 ? double(hit) / inside : 0.0;
}

int countInside(const std::vector<motifscope::synth::TruthColumn>& truth, int width, int height)
{
    int n = 0;
    for (const auto& t : truth)
        n += t.x >= -0.5 && t.y >= -0.5 && t.x <= width - 0.5 && t.y <= height - 0.5;
    return n;
}

} // namespace

class TestColumnDetection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void detectsSyntheticLattice();
    void refinementModes();
    void liveThresholdReusesCandidates();
    void cancelLeavesDocumentUnchanged();
    void failureLeavesDocumentUnchanged();
    void newImageCancelsDetection();
    void csvRoundTrip();
    void csvErrorsNameTheFile();
    void columnActionsFollowState();
    void screenshotAfterDetection();

private:
    std::unique_ptr<MainWindow> mWindow;
    motifscope::test::TempDir mTemp;
};

void TestColumnDetection::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
}

void TestColumnDetection::init()
{
    mWindow = std::make_unique<MainWindow>();
    mWindow->setInteractive(false);
    mWindow->show();
    QVERIFY(QTest::qWaitForWindowExposed(mWindow.get()));
}

void TestColumnDetection::cleanup()
{
    mWindow.reset();
}

void TestColumnDetection::detectsSyntheticLattice()
{
    const auto synth = mixedLattice(384);
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(synth.image, QStringLiteral("synthetic.tif"));
    DetectionPanel* panel = mWindow->detectionPanel();
    QSignalSpy busy(mWindow.get(), &MainWindow::busyChanged);
    QVERIFY(runAndWait(panel, [&] { mWindow->actions()->detectColumns->trigger(); }));
    QCOMPARE(busy.count(), 2); // the window reported the job: --screenshot waits for it

    const int truth = countInside(synth.truth, synth.image.width, synth.image.height);
    const int found = int(doc->columns().size());
    QVERIFY2(std::abs(found - truth) <= 0.04 * truth, qPrintable(QStringLiteral("%1 found, %2 true").arg(found).arg(truth)));
    QVERIFY(recall(synth.truth, doc->columns(), 1.0, synth.image.width, synth.image.height, 6.0) > 0.97);
    // The automatic settings are shown, the result summarised in the panel and the status bar.
    QVERIFY(std::abs(panel->periodBox()->value() - synth.latticePeriod) < 0.15 * synth.latticePeriod);
    QVERIFY(panel->thresholdBox()->value() > 0.0);
    QVERIFY(panel->resultLabel()->text().contains(QString::number(found)));
    QVERIFY(mWindow->statusBar()->currentMessage().contains(QStringLiteral("%1 columns").arg(found)));

    // One undo step: undo restores no columns, redo brings them back.
    QUndoStack* stack = doc->undoStack();
    QCOMPARE(stack->count(), 1);
    QCOMPARE(mWindow->actions()->undo->text(), QStringLiteral("&Undo Detect Columns"));
    mWindow->actions()->undo->trigger();
    QVERIFY(doc->columns().empty());
    mWindow->actions()->redo->trigger();
    QCOMPARE(int(doc->columns().size()), found);
}

void TestColumnDetection::refinementModes()
{
    const auto synth = mixedLattice(256, 9);
    mWindow->document()->setMicrograph(synth.image);
    DetectionPanel* panel = mWindow->detectionPanel();
    auto meanError = [&] {
        double sum = 0;
        int n = 0;
        for (const AtomColumn& c : mWindow->document()->columns()) {
            double best = 1e9;
            for (const auto& t : synth.truth)
                best = std::min(best, std::hypot(c.x - t.x, c.y - t.y));
            if (best < 2.0)
                sum += best, ++n;
        }
        return n > 0 ? sum / n : 1e9;
    };
    panel->refinementBox()->setCurrentIndex(panel->refinementBox()->findData(int(motifscope::ui::RefineMode::Off)));
    QVERIFY(runAndWait(panel, [&] { panel->run(); }));
    const double peakPixelError = meanError();
    for (const AtomColumn& c : mWindow->document()->columns())
        QCOMPARE(c.x, std::round(c.x)); // integer peak pixels
    panel->refinementBox()->setCurrentIndex(panel->refinementBox()->findData(int(motifscope::ui::RefineMode::GaussianFit)));
    QVERIFY(runAndWait(panel, [&] { panel->run(); }));
    const double fitError = meanError();
    QVERIFY2(fitError < 0.6 * peakPixelError, qPrintable(QStringLiteral("%1 vs %2").arg(fitError).arg(peakPixelError)));
}

void TestColumnDetection::liveThresholdReusesCandidates()
{
    const auto synth = mixedLattice(256, 11);
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(synth.image);
    DetectionPanel* panel = mWindow->detectionPanel();
    QVERIFY(runAndWait(panel, [&] { panel->run(); }));
    const std::size_t automatic = doc->columns().size();
    const double threshold = panel->thresholdBox()->value();
    QVERIFY(!panel->job()->outcome().reusedCandidates);

    // A higher threshold (the automatic one is the weakest accepted column) keeps only the brighter columns, without a new peak search, and
    // folds into the same undo step.
    QVERIFY(runAndWait(panel, [&] {
        panel->autoThresholdBox()->setChecked(false);
        panel->thresholdBox()->setValue(threshold * 1.5);
    }));
    QVERIFY(panel->job()->outcome().reusedCandidates);
    QVERIFY(doc->columns().size() < automatic);
    QVERIFY(!doc->columns().empty());
    // Columns cut by the image edge may keep their peak pixel; every other one is refined.
    const double edge = 0.35 * panel->periodBox()->value();
    for (const AtomColumn& c : doc->columns())
        if (c.x > edge && c.y > edge && c.x < synth.image.width - 1 - edge && c.y < synth.image.height - 1 - edge)
            QVERIFY(c.refinement != motifscope::Refinement::None);
    QCOMPARE(doc->undoStack()->count(), 1);
    doc->undoStack()->undo();
    QVERIFY(doc->columns().empty());
    doc->undoStack()->redo();

    // After a hand edit, a threshold change no longer re-runs on its own.
    doc->deleteColumns({0});
    const std::size_t edited = doc->columns().size();
    panel->thresholdBox()->setValue(threshold * 1.3);
    QTest::qWait(600);
    QVERIFY(!panel->isBusy());
    QCOMPARE(doc->columns().size(), edited);
}

void TestColumnDetection::cancelLeavesDocumentUnchanged()
{
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(mixedLattice(1024, 3).image);
    motifscope::ui::ColumnSet three;
    three.columns.resize(3);
    three.columns[1].x = 5.0;
    doc->replaceColumns(three, QStringLiteral("Before"));
    DetectionPanel* panel = mWindow->detectionPanel();
    QSignalSpy cancelled(panel->job(), &ColumnDetectionJob::cancelled);
    QSignalSpy finished(panel->job(), &ColumnDetectionJob::finished);
    QSignalSpy busy(mWindow.get(), &MainWindow::busyChanged);

    mWindow->actions()->detectColumns->trigger();
    QVERIFY(panel->isBusy());
    QVERIFY(mWindow->isBusy());
    QVERIFY(panel->cancelButton()->isEnabled());
    QVERIFY(!panel->runButton()->isEnabled());
    QTest::qWait(50); // let it get going
    QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
    QVERIFY(!panel->isBusy());
    QVERIFY(!mWindow->isBusy());
    QCOMPARE(cancelled.count(), 1);
    QCOMPARE(busy.count(), 2);
    // Even if the worker was about to finish, nothing arrives later.
    QTest::qWait(1500);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(doc->columns().size(), std::size_t(3));
    QCOMPARE(doc->columns()[1].x, 5.0);
    QCOMPARE(doc->undoStack()->count(), 1);
    QVERIFY(mWindow->statusBar()->currentMessage().contains(QStringLiteral("cancelled")));
    QVERIFY(panel->runButton()->isEnabled());
}

void TestColumnDetection::failureLeavesDocumentUnchanged()
{
    // A featureless image has no lattice to find.
    motifscope::Micrograph flat = motifscope::test::rampMicrograph(64, 64);
    std::fill(flat.pixels.begin(), flat.pixels.end(), 7.0f);
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(flat);
    DetectionPanel* panel = mWindow->detectionPanel();
    QSignalSpy failed(panel, &DetectionPanel::detectionFailed);
    QVERIFY(runAndWait(panel, [&] { panel->run(); }));
    QCOMPARE(failed.count(), 1);
    QVERIFY(!failed.at(0).at(0).toString().isEmpty());
    QVERIFY(doc->columns().empty());
    QCOMPARE(doc->undoStack()->count(), 0);
    QVERIFY(mWindow->statusBar()->currentMessage().startsWith(QStringLiteral("Column detection failed")));
}

void TestColumnDetection::newImageCancelsDetection()
{
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(mixedLattice(1024, 4).image);
    DetectionPanel* panel = mWindow->detectionPanel();
    QSignalSpy finished(panel->job(), &ColumnDetectionJob::finished);
    panel->run();
    QVERIFY(panel->isBusy());
    doc->setMicrograph(motifscope::test::syntheticMicrograph(64, 64));
    QVERIFY(!panel->isBusy());
    QTest::qWait(1500);
    QCOMPARE(finished.count(), 0);
    QVERIFY(doc->columns().empty());
}

void TestColumnDetection::csvRoundTrip()
{
    const auto synth = mixedLattice(256, 7);
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(synth.image);
    QVERIFY(runAndWait(mWindow->detectionPanel(), [&] { mWindow->detectColumns(); }));
    const motifscope::AtomColumns detected = doc->columns();
    QVERIFY(detected.size() > 100);
    const QString path = QString::fromStdString(mTemp.file("columns.csv"));
    mWindow->exportColumnsTo(path);
    QVERIFY(mWindow->statusBar()->currentMessage().contains(QStringLiteral("Saved %1 columns").arg(detected.size())));

    // The file is the CLI's format: header starting x,y,intensity, one row per column.
    std::ifstream in(path.toStdString());
    std::string header;
    std::getline(in, header);
    QVERIFY(QString::fromStdString(header).startsWith(QStringLiteral("x,y,intensity")));

    doc->replaceColumns({}, QStringLiteral("Clear"));
    mWindow->importColumnsFrom(path);
    const motifscope::AtomColumns& imported = doc->columns();
    QCOMPARE(imported.size(), detected.size());
    for (std::size_t i = 0; i < detected.size(); ++i) {
        QVERIFY(std::abs(imported[i].x - detected[i].x) < 1e-4);
        QVERIFY(std::abs(imported[i].y - detected[i].y) < 1e-4);
        QVERIFY(std::abs(imported[i].intensity - detected[i].intensity) <= 1e-4 * std::abs(detected[i].intensity) + 1e-6);
    }
    QCOMPARE(doc->undoStack()->undoText(), QStringLiteral("Import Columns"));
    doc->undoStack()->undo();
    QVERIFY(doc->columns().empty());
}

void TestColumnDetection::csvErrorsNameTheFile()
{
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(motifscope::test::syntheticMicrograph(64, 64));
    motifscope::ui::ColumnSet one;
    one.columns.resize(1);
    doc->replaceColumns(one, QStringLiteral("One"));

    const QString missing = QString::fromStdString(mTemp.file("missing.csv"));
    mWindow->importColumnsFrom(missing);
    QString message = mWindow->statusBar()->currentMessage();
    QVERIFY2(message.startsWith(missing + QStringLiteral(": ")), qPrintable(message));

    const QString bad = QString::fromStdString(mTemp.file("bad.csv"));
    std::ofstream(bad.toStdString()) << "x,y,intensity\n1,2,3\n4,oops,5\n";
    mWindow->importColumnsFrom(bad);
    message = mWindow->statusBar()->currentMessage();
    QVERIFY2(message.contains(bad) && message.contains(QStringLiteral("line 3")), qPrintable(message));

    const QString far = QString::fromStdString(mTemp.file("far.csv"));
    std::ofstream(far.toStdString()) << "x,y\n10,10\n5000,7000\n";
    mWindow->importColumnsFrom(far);
    message = mWindow->statusBar()->currentMessage();
    QVERIFY2(message.contains(far) && message.contains(QStringLiteral("outside")), qPrintable(message));

    const QString unwritable = QString::fromStdString(mTemp.file("no-such-dir/out.csv"));
    mWindow->exportColumnsTo(unwritable);
    message = mWindow->statusBar()->currentMessage();
    QVERIFY2(message.contains(unwritable), qPrintable(message));

    QCOMPARE(doc->columns().size(), std::size_t(1)); // every failure left the columns alone
    QCOMPARE(doc->undoStack()->count(), 1);
}

void TestColumnDetection::columnActionsFollowState()
{
    motifscope::ui::MainActions* actions = mWindow->actions();
    QVERIFY(!actions->detectColumns->isEnabled());
    QVERIFY(!actions->exportColumns->isEnabled());
    QCOMPARE(actions->detectColumns->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_D));
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(motifscope::test::syntheticMicrograph(64, 64));
    QVERIFY(actions->detectColumns->isEnabled());
    QVERIFY(!actions->deleteColumns->isEnabled());
    motifscope::ui::ColumnSet two;
    two.columns.resize(2);
    doc->replaceColumns(two, QStringLiteral("Two"));
    QVERIFY(actions->exportColumns->isEnabled());
    actions->selectAllColumns->trigger();
    QCOMPARE(doc->selection(), (std::vector<int>{0, 1}));
    QVERIFY(actions->deleteColumns->isEnabled());
    actions->deleteColumns->trigger();
    QVERIFY(doc->columns().empty());
    QVERIFY(!actions->exportColumns->isEnabled());
    // Edit mode puts the edit tool on the view; leaving it restores panning.
    actions->editColumns->setChecked(true);
    QVERIFY(mWindow->imageView()->tool() != nullptr);
    actions->editColumns->setChecked(false);
    QVERIFY(mWindow->imageView()->tool() == nullptr);
    actions->showColumns->setChecked(false);
    QVERIFY(!mWindow->columnOverlay()->isVisible());
}

void TestColumnDetection::screenshotAfterDetection()
{
    const QString sample = QString::fromStdString(motifscope::test::sourcePath("resources/MoSe2_80K_small_region.tif"));
    QSignalSpy loaded(mWindow.get(), &MainWindow::loadFinished);
    mWindow->openFile(sample);
    QVERIFY(loaded.wait(20000));
    QVERIFY2(loaded.at(0).at(1).toBool(), qPrintable(loaded.at(0).at(2).toString()));
    QVERIFY(runAndWait(mWindow->detectionPanel(), [&] { mWindow->detectColumns(); }));
    const std::size_t n = mWindow->document()->columns().size();
    QVERIFY2(n > 300, qPrintable(QString::number(n)));

    const QString png = QString::fromStdString(mTemp.file("detected.png"));
    QVERIFY(mWindow->grab().save(png, "PNG"));
    const QImage shot(png);
    QCOMPARE(shot.size(), mWindow->size());
    QVERIFY(motifscope::test::greyVariance(shot) > 100.0);
    // The markers are there: where a column is, the view shows the marker colour nearby.
    const motifscope::ui::ImageView* view = mWindow->imageView();
    const QImage viewShot = mWindow->imageView()->grab().toImage();
    const QColor marker = mWindow->columnOverlay()->defaultColour();
    // Look for the ring within its widget radius (plus the pen) of each column.
    const int reach = int(std::ceil(mWindow->columnOverlay()->markerRadius() * view->zoom())) + 3;
    int marked = 0;
    for (std::size_t i = 0; i < n; i += 7) {
        const QPointF w = view->mapFromImage(QPointF(mWindow->document()->columns()[i].x,
                                                     mWindow->document()->columns()[i].y));
        bool seen = false;
        for (int dy = -reach; dy <= reach && !seen; ++dy)
            for (int dx = -reach; dx <= reach && !seen; ++dx) {
                const QPoint p(int(w.x()) + dx, int(w.y()) + dy);
                if (!viewShot.rect().contains(p))
                    continue;
                const QRgb c = viewShot.pixel(p);
                seen = std::abs(qRed(c) - marker.red()) + std::abs(qGreen(c) - marker.green())
                           + std::abs(qBlue(c) - marker.blue()) < 80;
            }
        marked += seen;
    }
    QVERIFY2(marked > 0.9 * ((n + 6) / 7), qPrintable(QStringLiteral("%1 of %2").arg(marked).arg((n + 6) / 7)));
}

QTEST_MAIN(TestColumnDetection)
#include "test_column_detection.moc"
