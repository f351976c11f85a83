// Markers, scale bar and map legend hide nothing (issue 16, points 5 and 6): column markers are
// outlines by default, zoomed out too, so the centre pixel of every atom shows the micrograph;
// Filled draws over it; the view's scale bar goes to the corner that hides no column; the map's
// legend stands below the axes, not over the points, and no tick label sits in the axes' corner.
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/document/micrographdocument.h"
#include "ui/learn/embeddingplot.h"
#include "ui/learn/qcustomplotinclude.h"
#include "ui/panels/layerpanel.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/imageview.h"
#include "ui/window/appsettings.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"

#include <QComboBox>
#include <QStandardPaths>

#include <memory>

using motifscope::test::runAndWait;
using motifscope::ui::ColumnOverlay;
using motifscope::ui::ColumnSet;
using motifscope::ui::MainWindow;

namespace {

constexpr int kTimeoutMs = 180000;

motifscope::synth::SynthResult synthetic(const std::string& preset, int size, std::uint64_t seed = 5)
{
    return motifscope::synth::synthesize(motifscope::test::synthOptions(preset, size, seed));
}

/** Shows the synthetic micrograph with its true columns (classes = site types) in the window. */
void showWithTruth(MainWindow& window, const motifscope::synth::SynthResult& s)
{
    window.document()->setMicrograph(s.image, QStringLiteral("synthetic.tif"));
    ColumnSet set;
    for (const auto& t : s.truth) {
        set.columns.push_back({t.x, t.y});
        set.classes.push_back(t.motif);
    }
    window.document()->replaceColumns(std::move(set), QStringLiteral("truth"));
}

/** Column centres (widget pixels) whose pixel is inside the view and away from the scale bar. */
std::vector<QPoint> visibleCentres(const MainWindow& window)
{
    const auto* view = window.imageView();
    const QRectF bar = view->scaleBarRect().adjusted(-3, -3, 3, 3);
    std::vector<QPoint> centres;
    for (const motifscope::AtomColumn& c : window.document()->columns()) {
        const QPointF p = view->mapFromImage(QPointF(c.x, c.y));
        const QPoint pixel(int(std::floor(p.x())), int(std::floor(p.y())));
        if (view->rect().adjusted(2, 2, -2, -2).contains(pixel) && !bar.contains(p))
            centres.push_back(pixel);
    }
    return centres;
}

/** How many centres show the same pixel in `a` and `b`. */
int sameAt(const QImage& a, const QImage& b, const std::vector<QPoint>& centres)
{
    int same = 0;
    for (const QPoint& p : centres)
        same += a.pixel(p) == b.pixel(p);
    return same;
}

/** Pearson correlation of the grey levels of `a` and `b` inside `area`. */
double greyCorrelation(const QImage& a, const QImage& b, const QRect& area)
{
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    long n = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x) {
            const double ga = qGray(a.pixel(x, y)), gb = qGray(b.pixel(x, y));
            sa += ga, sb += gb, saa += ga * ga, sbb += gb * gb, sab += ga * gb;
            ++n;
        }
    const double cov = sab / n - sa / n * (sb / n), va = saa / n - sa / n * (sa / n), vb = sbb / n - sb / n * (sb / n);
    return va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0.0;
}

} // namespace

class TestMarkersAndMap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void outlineMarkersShowTheAtoms();
    void crowdedMarkersLetTheImageThrough();
    void scaleBarGoesWhereNoColumnIs();
    void mapLegendBelowThePointsAndCornerClear();

private:
    std::unique_ptr<MainWindow> mWindow;
};

void TestMarkersAndMap::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
}

void TestMarkersAndMap::init()
{
    mWindow = std::make_unique<MainWindow>();
    mWindow->setInteractive(false);
    mWindow->resize(1600, 1000);
    mWindow->show();
    QVERIFY(QTest::qWaitForWindowExposed(mWindow.get()));
}

void TestMarkersAndMap::cleanup()
{
    mWindow.reset();
}

/**
 * Zoomed out (markers below kMinCircleRadius on screen) and zoomed in, the default outline markers
 * leave every column's centre pixel as the micrograph shows it without markers; Filled (the Layers
 * dock's Markers choice) covers them.
 */
void TestMarkersAndMap::outlineMarkersShowTheAtoms()
{
    showWithTruth(*mWindow, synthetic("mixed-lattice", 1024));
    auto* view = mWindow->imageView();
    auto* overlay = mWindow->columnOverlay();
    auto* panel = mWindow->findChild<motifscope::ui::LayerPanel*>(QStringLiteral("layerPanel"));
    QVERIFY(panel && panel->markerStyleBox());
    QCOMPARE(overlay->markerStyle(), ColumnOverlay::MarkerStyle::Outline);
    for (const double zoom : {0.0, 3.0}) { // 0: fit (zoomed out)
        if (zoom > 0)
            view->setView(zoom, QPointF(512, 512));
        else
            view->fitToWindow();
        mWindow->actions()->showColumns->setChecked(false);
        const QImage bare = view->grab().toImage();
        mWindow->actions()->showColumns->setChecked(true);
        panel->markerStyleBox()->setCurrentIndex(0);
        const QImage outline = view->grab().toImage();
        QCOMPARE(overlay->lastPaintUsedDots(), zoom == 0.0);
        panel->markerStyleBox()->setCurrentIndex(1);
        QCOMPARE(overlay->markerStyle(), ColumnOverlay::MarkerStyle::Filled);
        const QImage filled = view->grab().toImage();
        const std::vector<QPoint> centres = visibleCentres(*mWindow);
        QVERIFY2(centres.size() > 100, qPrintable(QString::number(centres.size())));
        const int n = int(centres.size());
        // Rings: the atom's centre is the micrograph's own pixel; and the markers are drawn at all.
        QVERIFY2(sameAt(bare, outline, centres) == n,
                 qPrintable(QStringLiteral("zoom %1: %2 of %3 centres covered").arg(zoom).arg(n - sameAt(bare, outline, centres)).arg(n)));
        QVERIFY(outline != bare);
        QVERIFY2(sameAt(bare, filled, centres) < n / 10, qPrintable(QString::number(sameAt(bare, filled, centres))));
        panel->markerStyleBox()->setCurrentIndex(0);
    }
}

/**
 * Zoomed out so far that the markers would tile the picture (a 4096^2 image at fit), they are
 * drawn as a wash: the micrograph's own grey pattern survives under them (its correlation with
 * the bare view stays above 0.6; opaque markers gave -0.26) and the markers still colour it. Less crowded, they stay opaque.
 */
void TestMarkersAndMap::crowdedMarkersLetTheImageThrough()
{
    showWithTruth(*mWindow, synthetic("mixed-lattice", 1024));
    auto* view = mWindow->imageView();
    auto* overlay = mWindow->columnOverlay();
    for (const double zoom : {0.15, 0.25}) {
        view->setView(zoom, QPointF(512, 512));
        const QRect area = QRectF(view->mapFromImage(QPointF(40, 40)), view->mapFromImage(QPointF(984, 984))).toRect();
        mWindow->actions()->showColumns->setChecked(false);
        const QImage bare = view->grab().toImage();
        mWindow->actions()->showColumns->setChecked(true);
        const QImage marked = view->grab().toImage();
        QVERIFY(overlay->lastPaintUsedDots());
        QVERIFY2(overlay->lastDotWash() < 0.8, qPrintable(QString::number(overlay->lastDotWash())));
        const double r = greyCorrelation(bare, marked, area);
        QVERIFY2(r > 0.6, qPrintable(QStringLiteral("zoom %1: correlation %2 with the bare image").arg(zoom).arg(r)));
        QVERIFY(marked != bare);
    }
    // At 3 px between columns on screen and more the markers are sparse enough to stay opaque.
    view->setView(0.8, QPointF(512, 512));
    view->grab();
    QVERIFY(overlay->lastPaintUsedDots());
    QCOMPARE(overlay->lastDotWash(), 1.0);
    QCOMPARE(ColumnOverlay::crowdedMarkerOpacity(8.0, 10.0), 1.0);
    QVERIFY(ColumnOverlay::crowdedMarkerOpacity(8.0, 2.0) < 0.3);
}

/**
 * The view's scale bar takes the corner that hides no column: on the nanoparticle (a vacuum
 * corner) zoomed so the image fills the view, no column centre is under it although the default
 * bottom-left corner would hide some.
 */
void TestMarkersAndMap::scaleBarGoesWhereNoColumnIs()
{
    const auto s = synthetic("nanoparticle", 512, 2);
    showWithTruth(*mWindow, s);
    auto* view = mWindow->imageView();
    view->setView(std::max(view->width(), view->height()) / 512.0 * 1.05, QPointF(256, 256));
    view->grab();
    const QRectF bar = view->scaleBarRect();
    QVERIFY(bar.isValid());
    QVERIFY(view->rect().contains(bar.toRect()));
    auto hidden = [&](const QRectF& box) {
        int n = 0;
        for (const motifscope::AtomColumn& c : mWindow->document()->columns())
            n += box.contains(view->mapFromImage(QPointF(c.x, c.y)));
        return n;
    };
    QCOMPARE(hidden(bar), 0);
    // Had it stayed bottom-left it would hide columns (else this image proves nothing).
    const QRectF bottomLeft(14, view->height() - 14 - bar.height(), bar.width(), bar.height());
    QVERIFY2(hidden(bottomLeft) > 0 || bar.topLeft() == bottomLeft.topLeft(), "pick another seed: bottom-left is empty");
}

/**
 * After a learning run the map's legend is below the axes (no point under it) with every entry
 * whole, and with axes from 0 no tick label is drawn at the corner where the two axes meet.
 */
void TestMarkersAndMap::mapLegendBelowThePointsAndCornerClear()
{
    mWindow->document()->setMicrograph(synthetic("mixed-lattice", 320).image, QStringLiteral("synthetic.tif"));
    QVERIFY(runAndWait(mWindow.get(), [&] { mWindow->requestAnalysis(); }, kTimeoutMs));
    QVERIFY(!mWindow->document()->motifTable().empty());
    auto* plot = mWindow->embeddingPlot();
    plot->replotNow();
    const QRect legend = plot->legendRect(), axes = plot->canvasAxisRect();
    QVERIFY(legend.isValid() && axes.isValid());
    QVERIFY2(!legend.intersects(axes), qPrintable(QStringLiteral("legend %1,%2 %3x%4 over the axes")
                                                      .arg(legend.x()).arg(legend.y()).arg(legend.width()).arg(legend.height())));
    QVERIFY(legend.top() >= axes.bottom());
    QVERIFY(plot->canvas()->rect().contains(legend));
    QVERIFY(plot->legendEntries().size() >= 3);
    auto* qcp = plot->findChild<QCustomPlot*>();
    QVERIFY(qcp);
    for (int i = 0; i < qcp->legend->itemCount(); ++i) {
        auto* item = qcp->legend->item(i);
        if (!item)
            continue; // an empty cell of the last wrapped row
        QVERIFY2(item->outerRect().width() >= item->minimumOuterSizeHint().width(), "legend entry cut");
    }
    // Axes that start at a round number: their first tick would sit in the corner.
    qcp->xAxis->setRange(0.0, 10.0);
    qcp->yAxis->setRange(0.0, 10.0);
    plot->replotNow();
    for (QCPAxis* axis : {qcp->xAxis, qcp->yAxis})
        for (double t : axis->tickVector())
            QVERIFY2(t < 0.0 || t > 0.5, qPrintable(QStringLiteral("a tick at %1, in the corner").arg(t)));
}

QTEST_MAIN(TestMarkersAndMap)
#include "test_markers_and_map.moc"
