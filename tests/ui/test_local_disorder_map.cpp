// The Disorder dock's map on the image (issue 18 point 2): columns coloured by their local motif
// entropy, known here: 0 where one motif fills the window (left half) and 1 bit where two motifs
// alternate (right half). The view shows violet on the left and yellow on the right through the
// tiles; |psi_6| waits for the hierarchy; an exported figure carries the same map and its colour bar.
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/dialogs/exportfiguredialog.h"
#include "ui/document/micrographdocument.h"
#include "ui/panels/disorderpanel.h"
#include "ui/panels/localmapbox.h"
#include "ui/views/imageview.h"
#include "ui/views/localdisorderoverlay.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace motifscope;
using namespace motifscope::ui;
using motifscope::test::runAndWait;

namespace {

constexpr double kSpacing = 12.0;
constexpr int kPerSide = 30;

/** A square grid of columns: motif 0 on the left half; motifs 1 and 2 alternating on the right. */
ColumnSet plantedColumns()
{
    ColumnSet set;
    for (int j = 0; j < kPerSide; ++j)
        for (int i = 0; i < kPerSide; ++i) {
            set.columns.push_back(AtomColumn{8.0 + kSpacing * i, 8.0 + kSpacing * j});
            set.classes.push_back(i < kPerSide / 2 ? 0 : 1 + (i + j) % 2);
        }
    return set;
}

/** The view's pixel a third of a spacing right of image point (x, y): on the tile, off the atom's centre. */
QRgb tilePixel(const ImageView* view, const QImage& grab, double x, double y)
{
    const QPointF p = view->mapFromImage(QPointF(x + kSpacing / 3, y));
    return grab.pixel(int(p.x()), int(p.y()));
}

} // namespace

class TestLocalDisorderMap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void entropyMapShowsWhereMotifsMix();
};

void TestLocalDisorderMap::entropyMapShowsWhereMotifsMix()
{
    auto w = std::make_unique<MainWindow>();
    w->setInteractive(false);
    w->resize(1400, 900);
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    MicrographDocument* doc = w->document();
    doc->setMicrograph(test::syntheticMicrograph(370, 370, 0.02));
    doc->replaceColumns(plantedColumns(), QStringLiteral("planted"));
    auto* panel = w->findChild<DisorderPanel*>(QStringLiteral("disorderPanel"));
    QVERIFY(panel);
    auto* overlay = w->findChild<LocalDisorderOverlay*>(QStringLiteral("localDisorderOverlay"));
    QVERIFY(overlay);
    QTRY_VERIFY_WITH_TIMEOUT(panel->report().has_value(), 10000);

    // |psi_6| needs the hierarchy's bonds: without one the map stays empty and the dock says why.
    panel->mapBox()->measureBox()->setCurrentIndex(int(LocalMapBox::Measure::Psi6));
    QVERIFY(overlay->map().isEmpty());
    QVERIFY(!panel->mapBox()->findChild<QLabel*>(QStringLiteral("localMapNote"))->isHidden());

    panel->mapBox()->measureBox()->setCurrentIndex(int(LocalMapBox::Measure::MotifEntropy));
    const ColumnValueMap& map = overlay->map();
    QVERIFY(!map.isEmpty());
    QCOMPARE(map.values.size(), doc->columns().size());
    QCOMPARE(map.low, 0.0);
    QVERIFY(std::abs(map.spacing - kSpacing) < 1e-6);
    // Far from the boundary: 0 bits on the left, 1 bit on the right (a checkerboard of two motifs).
    const std::size_t left = std::size_t(15 * kPerSide + 3), right = std::size_t(15 * kPerSide + 26);
    QCOMPARE(map.values[left], 0.0);
    QVERIFY2(std::abs(map.values[right] - 1.0) < 0.05, qPrintable(QString::number(map.values[right])));

    // On screen: violet tiles on the left, yellow-green on the right (columns hidden: only the map).
    w->actions()->showColumns->setChecked(false);
    auto* view = w->imageView();
    view->setView(2.0, QPointF(185, 185));
    const QImage shown = view->grab().toImage();
    const AtomColumn& a = doc->columns()[left];
    const AtomColumn& b = doc->columns()[right];
    const QRgb violet = tilePixel(view, shown, a.x, a.y), yellow = tilePixel(view, shown, b.x, b.y);
    QVERIFY2(qBlue(violet) - qGreen(violet) > 25, qPrintable(QString::number(violet, 16)));
    QVERIFY2(qGreen(yellow) - qBlue(yellow) > 25, qPrintable(QString::number(yellow, 16)));
    // None: the map is gone.
    panel->mapBox()->measureBox()->setCurrentIndex(int(LocalMapBox::Measure::None));
    QVERIFY(overlay->map().isEmpty());
    const QImage bare = view->grab().toImage();
    QVERIFY(tilePixel(view, bare, b.x, b.y) != yellow);

    // The figure carries the map when it is on: the right half's tiles and the legend's colour bar.
    QTemporaryDir dir;
    auto exportFigure = [&](const QString& name) {
        FigureExportRequest request;
        request.path = dir.filePath(name);
        request.options.dpi = 150;
        request.options.widthMm = 120;
        if (!runAndWait(w.get(), [&] { QVERIFY(w->exportFigureTo(request)); }))
            return QImage();
        return QImage(request.path);
    };
    const QImage without = exportFigure(QStringLiteral("plain.png"));
    panel->mapBox()->measureBox()->setCurrentIndex(int(LocalMapBox::Measure::MotifEntropy));
    const QImage with = exportFigure(QStringLiteral("entropy.png"));
    QVERIFY(!without.isNull() && !with.isNull());
    auto yellowish = [](const QImage& image) {
        int n = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QRgb c = image.pixel(x, y);
                n += qRed(c) > 150 && qGreen(c) > 150 && qBlue(c) < 90;
            }
        return n;
    };
    // (Motif markers of a yellow motif count too: the tiles add over a thousand pixels more.)
    QVERIFY2(yellowish(with) > yellowish(without) + 1000,
             qPrintable(QStringLiteral("%1 yellow pixels with the map, %2 without").arg(yellowish(with)).arg(yellowish(without))));
    if (qEnvironmentVariableIsSet("MOTIFSCOPE_TEST_SHOTS"))
        with.save(QDir(qEnvironmentVariable("MOTIFSCOPE_TEST_SHOTS")).filePath(QStringLiteral("figure_entropy_map.png")));
}

QTEST_MAIN(TestLocalDisorderMap)
#include "test_local_disorder_map.moc"
