// Column detection in the main window: a run on a synthetic micrograph with known truth, undo /
// redo of the run, refinement modes, cancel, failure, live re-thresholding and the statistical
// settings. What is shown of the detected columns, CSV import / export and screenshots:
// test_column_results.cpp.
#include "column_detection_test_support.h"
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/detect/detectionpanel.h"
#include "ui/document/micrographdocument.h"
#include "core/synth/render.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QUndoStack>

#include <cmath>
#include <memory>

using motifscope::AtomColumn;
using namespace motifscope::test;
using motifscope::ui::ColumnDetectionJob;
using motifscope::ui::DetectionPanel;
using motifscope::ui::MainWindow;
using motifscope::ui::MicrographDocument;

namespace {

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

/**
 * A square lattice (spacing 16 px) of bright columns, each with a weak partner (30%) 0.42 spacing
 * to its right: with the period given as 16 px the partners lie inside the bright columns'
 * minimum separation, so only the residual passes (search beside the fitted columns) find them.
 */
motifscope::Micrograph weakPartners(int size)
{
    std::vector<motifscope::synth::RenderColumn> columns;
    for (double y = 8.3; y < size - 4; y += 16.0)
        for (double x = 6.6; x < size - 4; x += 16.0) {
            columns.push_back({x, y, 1.0});
            columns.push_back({x + 0.42 * 16.0, y, 0.3});
        }
    motifscope::synth::RenderSettings settings;
    settings.width = settings.height = size;
    settings.sigma = 1.5;
    settings.dose = 100.0;
    settings.seed = 3;
    motifscope::Micrograph m;
    m.width = m.height = size;
    m.pixels = motifscope::synth::renderColumns(columns, motifscope::synth::BackgroundField::flat(0.04), settings);
    m.dtype = "float32";
    return m;
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
    void initTestCase() { clearTestSettings(); }
    void init() { QVERIFY(openShownWindow(mWindow)); }
    void cleanup() { mWindow.reset(); }
    void detectsSyntheticLattice();
    void refinementModes();
    void liveThresholdReusesCandidates();
    void cancelLeavesDocumentUnchanged();
    void failureLeavesDocumentUnchanged();
    void newImageCancelsDetection();
    void statisticsControlsReachTheJob();
    void newMicrographResetsSettings();

private:
    std::unique_ptr<MainWindow> mWindow;
};

void TestColumnDetection::detectsSyntheticLattice()
{
    const auto synth = mixedLattice(384);
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(synth.image, QStringLiteral("synthetic.tif"));
    DetectionPanel* panel = mWindow->detectionPanel();
    QSignalSpy busy(mWindow.get(), &MainWindow::busyChanged);
    QVERIFY(runAndWait(panel, [&] { mWindow->actions()->detectColumns->trigger(); }, kDetectionTimeoutMs));
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
    QVERIFY(runAndWait(panel, [&] { panel->run(); }, kDetectionTimeoutMs));
    const double peakPixelError = meanError();
    for (const AtomColumn& c : mWindow->document()->columns())
        QCOMPARE(c.x, std::round(c.x)); // integer peak pixels
    panel->refinementBox()->setCurrentIndex(panel->refinementBox()->findData(int(motifscope::ui::RefineMode::GaussianFit)));
    QVERIFY(runAndWait(panel, [&] { panel->run(); }, kDetectionTimeoutMs));
    const double fitError = meanError();
    QVERIFY2(fitError < 0.6 * peakPixelError, qPrintable(QStringLiteral("%1 vs %2").arg(fitError).arg(peakPixelError)));
}

void TestColumnDetection::liveThresholdReusesCandidates()
{
    const auto synth = mixedLattice(256, 11);
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(synth.image);
    DetectionPanel* panel = mWindow->detectionPanel();
    QVERIFY(runAndWait(panel, [&] { panel->run(); }, kDetectionTimeoutMs));
    const std::size_t automatic = doc->columns().size();
    const double threshold = panel->thresholdBox()->value();
    QVERIFY(!panel->job()->outcome().reusedCandidates);

    // A higher threshold (the automatic one is the weakest accepted column) keeps only the brighter columns, without a new peak search, and
    // folds into the same undo step.
    QVERIFY(runAndWait(panel, [&] {
        panel->autoThresholdBox()->setChecked(false);
        panel->thresholdBox()->setValue(threshold * 1.5);
    }, kDetectionTimeoutMs));
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
    QVERIFY(runAndWait(panel, [&] { panel->run(); }, kDetectionTimeoutMs));
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

void TestColumnDetection::statisticsControlsReachTheJob()
{
    DetectionPanel* panel = mWindow->detectionPanel();
    // The defaults are the core's: automatic significance, every statistical option on.
    const motifscope::DetectionParams core;
    motifscope::ui::DetectionRequest shown = panel->request();
    QCOMPARE(shown.params.significance, core.significance);
    QCOMPARE(shown.params.residualPasses, core.residualPasses);
    QCOMPARE(shown.params.atomicContrastOnly, core.atomicContrastOnly);
    QCOMPARE(shown.params.jointFit, core.jointFit);
    QCOMPARE(panel->significanceBox()->text(), QStringLiteral("Auto"));
    QVERIFY(!panel->colourByUncertaintyBox()->isChecked());

    panel->significanceBox()->setValue(6.5);
    panel->contrastOnlyBox()->setChecked(false);
    panel->jointFitBox()->setChecked(false);
    shown = panel->request();
    QCOMPARE(shown.params.significance, 6.5);
    QVERIFY(!shown.params.atomicContrastOnly);
    QVERIFY(!shown.params.jointFit);
    // The significance only decides with the automatic threshold; the joint fit belongs to the Gaussian fit.
    panel->autoThresholdBox()->setChecked(false);
    QVERIFY(!panel->significanceBox()->isEnabled());
    panel->autoThresholdBox()->setChecked(true);
    QVERIFY(panel->significanceBox()->isEnabled());
    panel->refinementBox()->setCurrentIndex(panel->refinementBox()->findData(int(motifscope::ui::RefineMode::CentreOfMass)));
    QVERIFY(!panel->jointFitBox()->isEnabled());
    panel->refinementBox()->setCurrentIndex(panel->refinementBox()->findData(int(motifscope::ui::RefineMode::GaussianFit)));
    QVERIFY(panel->jointFitBox()->isEnabled());

    // Weak partners beside bright columns: only the residual passes find them.
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(weakPartners(256));
    panel->autoPeriodBox()->setChecked(false);
    panel->periodBox()->setValue(16.0);
    QVERIFY(panel->residualPassesBox()->isChecked());
    QVERIFY(runAndWait(panel, [&] { panel->run(); }, kDetectionTimeoutMs));
    const std::size_t withPasses = doc->columns().size();
    QVERIFY2(panel->job()->outcome().result.passes >= 2, qPrintable(panel->resultLabel()->text()));
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("passes")));
    // Switching them off after the run re-detects at once (a new search, not the cached
    // candidates) and folds into the same undo step.
    QVERIFY(runAndWait(panel, [&] { panel->residualPassesBox()->setChecked(false); }, kDetectionTimeoutMs));
    QVERIFY(!panel->job()->outcome().reusedCandidates);
    QVERIFY(!panel->job()->outcome().result.used.residualPasses);
    const std::size_t withoutPasses = doc->columns().size();
    QVERIFY2(withoutPasses > 100 && withoutPasses * 3 < withPasses * 2,
             qPrintable(QStringLiteral("%1 with residual passes, %2 without").arg(withPasses).arg(withoutPasses)));
    QCOMPARE(doc->undoStack()->count(), 1);
    // A higher significance is a new search too, and finds no more columns.
    QVERIFY(runAndWait(panel, [&] { panel->significanceBox()->setValue(12.0); }, kDetectionTimeoutMs));
    QVERIFY(!panel->job()->outcome().reusedCandidates);
    QCOMPARE(panel->job()->outcome().result.used.significance, 12.0);
    QVERIFY(doc->columns().size() <= withoutPasses);
}

void TestColumnDetection::newMicrographResetsSettings()
{
    DetectionPanel* panel = mWindow->detectionPanel();
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(motifscope::test::syntheticMicrograph(64, 64));
    panel->significanceBox()->setValue(7.0);
    panel->residualPassesBox()->setChecked(false);
    panel->contrastOnlyBox()->setChecked(false);
    panel->jointFitBox()->setChecked(false);
    panel->autoPeriodBox()->setChecked(false);
    panel->periodBox()->setValue(21.0);
    panel->autoThresholdBox()->setChecked(false);
    panel->thresholdBox()->setValue(3.0);
    panel->refinementBox()->setCurrentIndex(panel->refinementBox()->findData(int(motifscope::ui::RefineMode::CentreOfMass)));

    doc->setMicrograph(motifscope::test::syntheticMicrograph(80, 80));
    const motifscope::ui::DetectionRequest r = panel->request();
    QCOMPARE(r.params.significance, 0.0);
    QCOMPARE(panel->significanceBox()->text(), QStringLiteral("Auto"));
    QVERIFY(r.params.residualPasses && r.params.atomicContrastOnly && r.params.jointFit);
    QCOMPARE(r.params.period, 0.0);
    QVERIFY(std::isnan(r.params.threshold));
    QVERIFY(panel->significanceBox()->isEnabled());
    // How to refine is the user's habit, not the image's: it stays.
    QCOMPARE(int(r.refine), int(motifscope::ui::RefineMode::CentreOfMass));
    QVERIFY(!panel->hasPendingUpdate());
    QVERIFY(!panel->isBusy());

    // A session restores its own settings over the reset.
    motifscope::ui::DetectionRequest saved;
    saved.params.significance = 5.5;
    saved.params.residualPasses = false;
    saved.params.jointFit = false;
    panel->setRequest(saved);
    QCOMPARE(panel->request().params.significance, 5.5);
    QVERIFY(!panel->request().params.residualPasses);
    QVERIFY(panel->request().params.atomicContrastOnly);
    QVERIFY(!panel->request().params.jointFit);
    QVERIFY(!panel->hasPendingUpdate());
}

QTEST_MAIN(TestColumnDetection)
#include "test_column_detection.moc"
