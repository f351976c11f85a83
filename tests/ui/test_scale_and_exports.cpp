// Image > Set Scale and what exports keep (issue 16, points 4 and 7): a scale from a distance of
// known length (two selected columns), one undo step, shown as calibrated period and cut-off,
// kept in the session and its figure; motifs.json carries the user's motif names; the PDF holds
// the micrograph losslessly at its own resolution.
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "core/detect/column_detector.h"
#include "ui/detect/detectionpanel.h"
#include "ui/dialogs/exportfiguredialog.h"
#include "ui/dialogs/setscaledialog.h"
#include "ui/document/micrographdocument.h"
#include "ui/export/documentexport.h"
#include "ui/figure/figure.h"
#include "core/io/writers.h"
#include "ui/session/sessionconvert.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "ui/window/appsettings.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUndoStack>

#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>

using motifscope::test::runAndWait;
using motifscope::ui::MainWindow;
using motifscope::ui::MicrographDocument;

namespace {

constexpr int kTimeoutMs = 180000;

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::unique_ptr<MainWindow> newWindow()
{
    auto w = std::make_unique<MainWindow>();
    w->setInteractive(false);
    w->show();
    return w;
}

} // namespace

class TestScaleAndExports : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void setScaleFromTwoColumns();
    void motifsJsonCarriesNames();
    void pdfHoldsTheMicrographLosslessly();

private:
    QTemporaryDir mDir;
};

void TestScaleAndExports::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
    QVERIFY(mDir.isValid());
}

/**
 * An uncalibrated image: two selected columns are "0.6 nm apart" -> the pixel size is 0.6 nm over
 * their distance; one undo step; the detection's period and the hierarchy's cut-off read in nm;
 * the session and the figure rendered from it keep the scale the file does not have.
 */
void TestScaleAndExports::setScaleFromTwoColumns()
{
    const QString image = mDir.filePath(QStringLiteral("uncalibrated.tif"));
    motifscope::writeTiffFloat32(motifscope::test::syntheticMicrograph(256, 192, 1.0, ""), image.toStdString());
    auto w = newWindow();
    QVERIFY(runAndWait(w.get(), [&] { w->openFile(image); }));
    MicrographDocument* doc = w->document();
    QVERIFY(!doc->micrograph().calibration.isCalibrated());
    QVERIFY(runAndWait(w.get(), [&] { w->detectColumns(); }));
    QVERIFY(doc->columns().size() > 20);
    QVERIFY(!w->detectionPanel()->resultLabel()->text().contains(QStringLiteral("nm")));

    doc->setSelection({0, 1});
    const auto& a = doc->columns()[0];
    const auto& b = doc->columns()[1];
    const double pixels = std::hypot(a.x - b.x, a.y - b.y);
    w->actions()->setScale->trigger();
    auto* dialog = w->findChild<motifscope::ui::SetScaleDialog*>(QStringLiteral("setScaleDialog"));
    QVERIFY(dialog && dialog->isVisible());
    QVERIFY(dialog->distanceMode()->isChecked()); // uncalibrated: a distance of known length
    QVERIFY(std::abs(dialog->distancePixelsBox()->value() - pixels) < 1e-3);
    dialog->distanceLengthBox()->setValue(0.6);
    dialog->unitBox()->setCurrentText(QStringLiteral("nm"));
    dialog->accept();

    const motifscope::Calibration& c = doc->micrograph().calibration;
    QCOMPARE(QString::fromStdString(c.unit), QStringLiteral("nm"));
    QVERIFY(std::abs(c.pixelSizeX * pixels - 0.6) < 1e-5);
    QCOMPARE(c.pixelSizeY, c.pixelSizeX);
    QCOMPARE(w->actions()->undo->text(), QStringLiteral("&Undo Set Scale"));
    // The period of the last detection in the new scale: "period 16.00 px (0.xxx nm)".
    const QString result = w->detectionPanel()->resultLabel()->text();
    QVERIFY2(QRegularExpression(QStringLiteral("period [0-9.]+ px \\([0-9.]+ nm\\)")).match(result).hasMatch(), qPrintable(result));
    doc->undoStack()->undo();
    QVERIFY(!doc->micrograph().calibration.isCalibrated());
    QVERIFY(!w->detectionPanel()->resultLabel()->text().contains(QStringLiteral("nm")));
    doc->undoStack()->redo();
    QCOMPARE(QString::fromStdString(doc->micrograph().calibration.unit), QStringLiteral("nm"));

    QVERIFY(runAndWait(w.get(), [&] { w->buildHierarchy(); }));
    auto* summary = w->findChild<QLabel*>(QStringLiteral("hierarchySummary"));
    QVERIFY2(summary->text().contains(QStringLiteral(" nm)")), qPrintable(summary->text()));

    // The session keeps the scale; the figure of the session and of the window draw it.
    const QString session = mDir.filePath(QStringLiteral("scaled.motifscope"));
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->saveSessionAs(session)); }));
    auto reopened = newWindow();
    QVERIFY(runAndWait(reopened.get(), [&] { reopened->openFile(session); }));
    const motifscope::Calibration& r = reopened->document()->micrograph().calibration;
    QCOMPARE(r.unit, std::string("nm"));
    QCOMPARE(r.pixelSizeX, c.pixelSizeX);
    QCOMPARE(motifscope::loadSessionFigure(session.toStdString()).calibration.unit, std::string("nm"));
    QCOMPARE(motifscope::ui::figureContentOf(reopened->sessionContent()).calibration.pixelSizeX, c.pixelSizeX);
    QVERIFY(!reopened->document()->isModified());
}

void TestScaleAndExports::motifsJsonCarriesNames()
{
    const QString image = mDir.filePath(QStringLiteral("lattice.tif"));
    motifscope::writeTiffFloat32(motifscope::synth::synthesize(motifscope::test::synthOptions("mixed-lattice", 320, 5)).image,
                                 image.toStdString());
    auto w = newWindow();
    QVERIFY(runAndWait(w.get(), [&] { w->openFile(image); }));
    QVERIFY(runAndWait(w.get(), [&] { w->requestAnalysis(); }, kTimeoutMs));
    MicrographDocument* doc = w->document();
    QVERIFY(doc->motifTable().size() >= 2);
    doc->renameMotif(0, QStringLiteral("Mo site"));
    doc->renameMotif(1, QStringLiteral("Se2 \"bridge\" site"));

    const QString folder = mDir.filePath(QStringLiteral("data"));
    QSignalSpy data(w.get(), &MainWindow::dataExported);
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportDataTo(folder)); }));
    QVERIFY2(data.at(0).at(1).toBool(), qPrintable(data.at(0).at(2).toString()));
    const auto json = nlohmann::json::parse(fileBytes(folder + QStringLiteral("/motifs.json")).toStdString());
    const auto& motifs = json.at("motifs");
    QCOMPARE(int(motifs.size()), doc->motifTable().size());
    QCOMPARE(motifs[0].at("name").get<std::string>(), std::string("Mo site"));
    QCOMPARE(motifs[1].at("name").get<std::string>(), std::string("Se2 \"bridge\" site"));
    QCOMPARE(motifs[2].at("name").get<std::string>(), doc->motifTable().motifs[2].name.toStdString());
    // The figure of the exported folder names them too.
    const motifscope::FigureContent figure = motifscope::loadAnalysisFolder(folder.toStdString(), image.toStdString());
    QCOMPARE(figure.motifs[0].name, std::string("Mo site"));
}

/**
 * The PDF's micrograph: an image XObject as wide as the micrograph (4700 px, which the old
 * export shrank to 3072), Flate-compressed, no JPEG anywhere in the file.
 */
void TestScaleAndExports::pdfHoldsTheMicrographLosslessly()
{
    auto w = newWindow();
    w->document()->setMicrograph(motifscope::test::syntheticMicrograph(4700, 160), QStringLiteral("wide.tif"));
    motifscope::ui::FigureExportRequest request;
    request.path = mDir.filePath(QStringLiteral("wide.pdf"));
    QSignalSpy exported(w.get(), &MainWindow::figureExported);
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportFigureTo(request)); }));
    QVERIFY2(exported.at(0).at(1).toBool(), qPrintable(exported.at(0).at(2).toString()));
    const QByteArray pdf = fileBytes(request.path);
    QVERIFY(pdf.startsWith("%PDF"));
    QVERIFY(!pdf.contains("/DCTDecode"));
    const QRegularExpression imageObject(QStringLiteral("/Subtype /Image\\s*/Width (\\d+)\\s*/Height (\\d+)"));
    const QRegularExpressionMatch m = imageObject.match(QString::fromLatin1(pdf));
    QVERIFY2(m.hasMatch(), "no image object in the PDF");
    QCOMPARE(m.captured(1).toInt(), 4700);
    QCOMPARE(m.captured(2).toInt(), 160);
    QVERIFY(pdf.contains("/FlateDecode"));
}

QTEST_MAIN(TestScaleAndExports)
#include "test_scale_and_exports.moc"
