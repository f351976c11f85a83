// Column detection in the main window: a run on a synthetic micrograph with known truth, undo /
// redo of the run, cancel, failure, live re-thresholding, CSV import / export, and screenshots.
#include "test_support.h"
#include "ui_test_support.h"

#include "detect/columns_csv.h"
#include "detect/detectionpanel.h"
#include "document/micrographdocument.h"
#include "panels/statusreadout.h"
#include "synth/render.h"
#include "synth/synth.h"
#include "views/columnoverlay.h"
#include "views/contrastmaskoverlay.h"
#include "views/imageview.h"
#include "window/appsettings.h"
#include "window/mainactions.h"
#include "window/mainwindow.h"

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
    void initTestCase();
    void init();
    void cleanup();
    void detectsSyntheticLattice();
    void refinementModes();
    void liveThresholdReusesCandidates();
    void cancelLeavesDocumentUnchanged();
    void failureLeavesDocumentUnchanged();
    void newImageCancelsDetection();
    void statisticsControlsReachTheJob();
    void newMicrographResetsSettings();
    void readoutShowsPositionSigma();
    void colourByUncertainty();
    void contrastMaskOverlay();
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
    QVERIFY(runAndWait(panel, [&] { panel->run(); }));
    const std::size_t withPasses = doc->columns().size();
    QVERIFY2(panel->job()->outcome().result.passes >= 2, qPrintable(panel->resultLabel()->text()));
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("passes")));
    // Switching them off after the run re-detects at once (a new search, not the cached
    // candidates) and folds into the same undo step.
    QVERIFY(runAndWait(panel, [&] { panel->residualPassesBox()->setChecked(false); }));
    QVERIFY(!panel->job()->outcome().reusedCandidates);
    QVERIFY(!panel->job()->outcome().result.used.residualPasses);
    const std::size_t withoutPasses = doc->columns().size();
    QVERIFY2(withoutPasses > 100 && withoutPasses * 3 < withPasses * 2,
             qPrintable(QStringLiteral("%1 with residual passes, %2 without").arg(withPasses).arg(withoutPasses)));
    QCOMPARE(doc->undoStack()->count(), 1);
    // A higher significance is a new search too, and finds no more columns.
    QVERIFY(runAndWait(panel, [&] { panel->significanceBox()->setValue(12.0); }));
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

void TestColumnDetection::readoutShowsPositionSigma()
{
    // The formatting: pixels, or the calibrated length (pm below a nanometre) with pixels beside.
    motifscope::Calibration none;
    QCOMPARE(motifscope::ui::positionSigmaText(0.0823, none), QStringLiteral("σ 0.082 px"));
    QCOMPARE(motifscope::ui::positionSigmaText(0.0, none), QString());
    const motifscope::Calibration nm{0.02, 0.02, "nm"};
    QCOMPARE(motifscope::ui::positionSigmaText(0.085, nm), QStringLiteral("σ 1.7 pm (0.085 px)"));
    const motifscope::Calibration angstrom{0.5, 0.5, "Å"};
    QCOMPARE(motifscope::ui::positionSigmaText(0.1, angstrom), QStringLiteral("σ 5 pm (0.100 px)"));

    // In the window: a detected, fitted column under the cursor shows its sigma.
    const auto synth = mixedLattice(256, 13);
    motifscope::Micrograph image = synth.image;
    image.calibration = nm;
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(image);
    QVERIFY(runAndWait(mWindow->detectionPanel(), [&] { mWindow->detectColumns(); }));
    const motifscope::AtomColumns& columns = doc->columns();
    auto fitted = std::find_if(columns.begin(), columns.end(), [](const AtomColumn& c) {
        return c.refinement == motifscope::Refinement::GaussianFit && c.positionSigma > 0.0f;
    });
    QVERIFY2(fitted != columns.end(), "no fitted column has a position sigma");
    QLabel* cursor = mWindow->statusReadout()->cursorLabel();
    Q_EMIT mWindow->imageView()->cursorMoved(QPointF(fitted->x + 0.4, fitted->y - 0.3));
    const QString expected = motifscope::ui::positionSigmaText(fitted->positionSigma, nm);
    QVERIFY2(cursor->text().endsWith(QStringLiteral("column ") + expected), qPrintable(cursor->text()));
    QVERIFY(cursor->text().contains(QStringLiteral(" pm (")));

    // A column without a fit says so; away from every column there is no column part.
    motifscope::ui::ColumnSet hand;
    hand.columns.resize(1);
    hand.columns[0].x = 30.0;
    hand.columns[0].y = 40.0;
    doc->replaceColumns(hand, QStringLiteral("By hand"));
    Q_EMIT mWindow->imageView()->cursorMoved(QPointF(30.5, 40.0));
    QVERIFY2(cursor->text().endsWith(QStringLiteral("column (not fitted)")), qPrintable(cursor->text()));
    Q_EMIT mWindow->imageView()->cursorMoved(QPointF(100.0, 100.0));
    QVERIFY2(!cursor->text().contains(QStringLiteral("column")), qPrintable(cursor->text()));
}

void TestColumnDetection::colourByUncertainty()
{
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(motifscope::test::syntheticMicrograph(128, 128));
    motifscope::ui::ColumnSet set;
    for (int i = 0; i < 20; ++i) {
        AtomColumn c;
        c.x = 10.0 + 5.0 * i;
        c.y = 64.0;
        c.refinement = motifscope::Refinement::GaussianFit;
        c.positionSigma = i == 19 ? 0.0f : 0.01f * float(i + 1); // the last one: not fitted
        set.columns.push_back(c);
    }
    doc->replaceColumns(set, QStringLiteral("Sigmas"));
    DetectionPanel* panel = mWindow->detectionPanel();
    motifscope::ui::ColumnOverlay* overlay = mWindow->columnOverlay();
    QVERIFY(!overlay->colourByUncertainty());
    panel->colourByUncertaintyBox()->setChecked(true);
    QVERIFY(overlay->colourByUncertainty());
    QVERIFY(panel->uncertaintyLegend()->isVisible());
    // The map spans the 5th to 95th percentile of the fitted columns, shown in the legend.
    const auto range = overlay->uncertaintyRange();
    QCOMPARE(range.fitted, std::size_t(19));
    QVERIFY(range.low > 0.015 && range.low < 0.025 && range.high > 0.17 && range.high < 0.19);
    QVERIFY2(panel->uncertaintyLegend()->text().contains(QStringLiteral("px")), qPrintable(panel->uncertaintyLegend()->text()));
    QVERIFY(overlay->uncertaintyColour(0.0) != overlay->uncertaintyColour(1.0));

    // Drawn: the most precise column in the map's first colour, the unfitted one in grey.
    mWindow->imageView()->setView(4.0, QPointF(64.0, 64.0));
    const QImage shot = mWindow->imageView()->grab().toImage();
    auto seen = [&](const AtomColumn& c, const QColor& colour) {
        const QPointF w = mWindow->imageView()->mapFromImage(QPointF(c.x, c.y));
        const int reach = int(std::ceil(overlay->markerRadius() * 4.0)) + 3;
        for (int dy = -reach; dy <= reach; ++dy)
            for (int dx = -reach; dx <= reach; ++dx) {
                const QPoint p(int(w.x()) + dx, int(w.y()) + dy);
                if (!shot.rect().contains(p))
                    continue;
                const QRgb v = shot.pixel(p);
                if (std::abs(qRed(v) - colour.red()) + std::abs(qGreen(v) - colour.green())
                        + std::abs(qBlue(v) - colour.blue()) < 40)
                    return true;
            }
        return false;
    };
    QVERIFY(seen(doc->columns()[0], overlay->uncertaintyColour(0.0)));
    QVERIFY(seen(doc->columns()[19], overlay->unfittedColour()));
    QVERIFY(!seen(doc->columns()[0], overlay->unfittedColour()));
    panel->colourByUncertaintyBox()->setChecked(false);
    QVERIFY(!overlay->colourByUncertainty());
}

void TestColumnDetection::contrastMaskOverlay()
{
    // A lattice on the left half only; the right half is flat support: not searched.
    const int size = 256;
    std::vector<motifscope::synth::RenderColumn> columns;
    for (double y = 6.3; y < size - 3; y += 12.0)
        for (double x = 6.6; x < size / 2; x += 12.0)
            columns.push_back({x, y, 1.0});
    motifscope::synth::RenderSettings settings;
    settings.width = settings.height = size;
    settings.sigma = 1.5;
    settings.dose = 200.0;
    motifscope::Micrograph image;
    image.width = image.height = size;
    image.pixels = motifscope::synth::renderColumns(columns, motifscope::synth::BackgroundField::flat(0.1), settings);
    image.dtype = "float32";
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(image);
    auto* mask = mWindow->imageView()->findChild<motifscope::ui::ContrastMaskOverlay*>();
    QVERIFY(mask);
    QVERIFY(!mask->isVisible()); // off by default
    QAction* show = mWindow->actions()->showContrastMask;
    QVERIFY(show->isCheckable() && !show->isChecked());
    DetectionPanel* panel = mWindow->detectionPanel();
    QVERIFY(runAndWait(panel, [&] { panel->run(); }));
    for (const AtomColumn& c : doc->columns())
        QVERIFY2(c.x < size / 2 + 8, qPrintable(QStringLiteral("column at %1, %2").arg(c.x).arg(c.y)));
    const auto& result = panel->job()->outcome().result;
    QVERIFY(!result.contrastMask.empty());
    QVERIFY(mask->hasMask());
    QVERIFY2(mask->excludedFraction() > 0.3 && mask->excludedFraction() < 0.7, qPrintable(QString::number(mask->excludedFraction())));
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("of the image searched")));

    // Shown on request: the right half is tinted, the left is not.
    show->setChecked(true);
    QVERIFY(mask->isVisible());
    mWindow->imageView()->fitToWindow();
    const QImage withMask = mWindow->imageView()->grab().toImage();
    show->setChecked(false);
    const QImage without = mWindow->imageView()->grab().toImage();
    auto bluer = [&](const QImage& shot, double imageX) {
        const QPoint p = mWindow->imageView()->mapFromImage(QPointF(imageX, 0.5 * size)).toPoint();
        const QRgb v = shot.pixel(p);
        return qBlue(v) - qRed(v);
    };
    QVERIFY(bluer(withMask, 0.85 * size) > bluer(without, 0.85 * size) + 20);
    QCOMPARE(bluer(withMask, 0.15 * size + 0.5), bluer(without, 0.15 * size + 0.5));
    // A new image forgets the mask.
    doc->setMicrograph(motifscope::test::syntheticMicrograph(64, 64));
    QVERIFY(!mask->hasMask());
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
        QVERIFY(std::abs(imported[i].positionSigma - detected[i].positionSigma) <= 1e-3f * detected[i].positionSigma + 1e-9f);
    }
    QVERIFY(QString::fromStdString(header).contains(QStringLiteral(",sigma_px")));
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
