// Detected columns in the main window: the position sigma in the status readout, colour by
// uncertainty, the contrast mask, CSV import / export with errors naming the file, the column
// actions, and a screenshot after detection. Detection runs themselves: test_column_detection.cpp.
#include "column_detection_test_support.h"
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "core/detect/columns_csv.h"
#include "ui/detect/detectionpanel.h"
#include "ui/document/micrographdocument.h"
#include "ui/window/mainwindow.h"
#include "ui/panels/statusreadout.h"
#include "core/synth/render.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/contrastmaskoverlay.h"
#include "ui/views/imageview.h"
#include "ui/window/mainactions.h"

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QStatusBar>
#include <QUndoStack>

#include <cmath>
#include <fstream>
#include <memory>

using motifscope::AtomColumn;
using namespace motifscope::test;
using motifscope::ui::DetectionPanel;
using motifscope::ui::MainWindow;
using motifscope::ui::MicrographDocument;

class TestColumnResults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { clearTestSettings(); }
    void init() { QVERIFY(openShownWindow(mWindow)); }
    void cleanup() { mWindow.reset(); }
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

void TestColumnResults::readoutShowsPositionSigma()
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
    QVERIFY(runAndWait(mWindow->detectionPanel(), [&] { mWindow->detectColumns(); }, kDetectionTimeoutMs));
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

void TestColumnResults::colourByUncertainty()
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

void TestColumnResults::contrastMaskOverlay()
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
    QVERIFY(runAndWait(panel, [&] { panel->run(); }, kDetectionTimeoutMs));
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

void TestColumnResults::csvRoundTrip()
{
    const auto synth = mixedLattice(256, 7);
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(synth.image);
    QVERIFY(runAndWait(mWindow->detectionPanel(), [&] { mWindow->detectColumns(); }, kDetectionTimeoutMs));
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

void TestColumnResults::csvErrorsNameTheFile()
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

void TestColumnResults::columnActionsFollowState()
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

void TestColumnResults::screenshotAfterDetection()
{
    const QString sample = QString::fromStdString(motifscope::test::sourcePath("resources/MoSe2_80K_small_region.tif"));
    const auto [ok, message] = loadAndWait(*mWindow, sample);
    QVERIFY2(ok, qPrintable(message));
    QVERIFY(runAndWait(mWindow->detectionPanel(), [&] { mWindow->detectColumns(); }, kDetectionTimeoutMs));
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

QTEST_MAIN(TestColumnResults)
#include "test_column_results.moc"
