// Hand correction on the image view: clicks, modifier clicks, rubber band, drags and keys through
// ColumnEditTool, checked in image coordinates; and what ColumnOverlay draws where.
#include "test_support.h"
#include "ui_test_support.h"

#include "ui/document/micrographdocument.h"
#include "ui/tools/columnedittool.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/imageview.h"

#include <QUndoStack>

#include <cmath>
#include <memory>

using motifscope::AtomColumn;
using motifscope::ui::ColumnEditTool;
using motifscope::ui::ColumnOverlay;
using motifscope::ui::ColumnSet;
using motifscope::ui::ImageView;
using motifscope::ui::MicrographDocument;

namespace {

constexpr int kViewWidth = 400, kViewHeight = 300;
constexpr int kImageWidth = 256, kImageHeight = 192;

/**
 * Where a widget position lands in the image for the fitted 256 x 192 image in a 400 x 300 view,
 * worked out from the convention alone: the image's outline (-0.5 .. 255.5, -0.5 .. 191.5) is
 * centred and scaled to fit the height less a 4-pixel margin on each side.
 */
QPointF expectedImagePoint(const QPointF& widget)
{
    const double zoom = (kViewHeight - 8.0) / kImageHeight;
    const QPointF imageCentre(kImageWidth / 2.0 - 0.5, kImageHeight / 2.0 - 0.5);
    return imageCentre + (widget - QPointF(kViewWidth / 2.0, kViewHeight / 2.0)) / zoom;
}

AtomColumn column(double x, double y)
{
    AtomColumn c;
    c.x = x;
    c.y = y;
    return c;
}

double distance(const QPointF& a, const QPointF& b)
{
    return std::hypot(a.x() - b.x(), a.y() - b.y());
}

QPointF position(const AtomColumn& c)
{
    return {c.x, c.y};
}

/** The widget pixel under an image point. */
QPoint widgetPixel(const ImageView& view, const QPointF& image)
{
    const QPointF w = view.mapFromImage(image);
    return {int(std::floor(w.x())), int(std::floor(w.y()))};
}

bool close(QRgb a, const QColor& b, int tolerance = 40)
{
    return std::abs(qRed(a) - b.red()) + std::abs(qGreen(a) - b.green()) + std::abs(qBlue(a) - b.blue()) <= tolerance;
}

} // namespace

class TestColumnEditing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void clickAddsColumnUnderCursor_data();
    void clickAddsColumnUnderCursor();
    void addedColumnSnapsToIntensityCentre();
    void clickSelectsAndModifiersExtend();
    void rubberBandSelects();
    void dragMovesSelectionInOneStep();
    void keysDeleteAndClear();
    void panningStaysAvailable();
    void noToolMeansLeftDragPans();
    void circlesWhenZoomedIn();
    void dotsWhenZoomedOut();
    void manyColumnsDraw();

private:
    void setColumns(std::vector<AtomColumn> columns);

    std::unique_ptr<MicrographDocument> mDoc;
    std::unique_ptr<ImageView> mView;
    ColumnOverlay* mOverlay = nullptr;
    std::unique_ptr<ColumnEditTool> mTool;
};

void TestColumnEditing::init()
{
    mDoc = std::make_unique<MicrographDocument>();
    mDoc->setMicrograph(motifscope::test::syntheticMicrograph(kImageWidth, kImageHeight));
    mView = std::make_unique<ImageView>();
    mView->resize(kViewWidth, kViewHeight);
    mView->setDocument(mDoc.get());
    mOverlay = new ColumnOverlay;
    mOverlay->setDocument(mDoc.get());
    mView->addOverlay(mOverlay);
    mTool = std::make_unique<ColumnEditTool>(mDoc.get(), mOverlay);
    mTool->setSnapping(false);
    mView->setTool(mTool.get());
    mView->show();
    QVERIFY(QTest::qWaitForWindowExposed(mView.get()));
    QVERIFY(mView->isFitMode());
}

void TestColumnEditing::cleanup()
{
    mView.reset();
    mTool.reset();
    mDoc.reset();
}

void TestColumnEditing::setColumns(std::vector<AtomColumn> columns)
{
    ColumnSet set;
    set.columns = std::move(columns);
    mDoc->replaceColumns(std::move(set), QStringLiteral("Test"));
}

void TestColumnEditing::clickAddsColumnUnderCursor_data()
{
    QTest::addColumn<QPoint>("widget");
    QTest::newRow("centre") << QPoint(200, 150);
    QTest::newRow("upper left") << QPoint(37, 22);
    QTest::newRow("lower right") << QPoint(371, 281);
    QTest::newRow("odd") << QPoint(123, 201);
}

void TestColumnEditing::clickAddsColumnUnderCursor()
{
    QFETCH(QPoint, widget);
    QTest::mouseClick(mView.get(), Qt::LeftButton, Qt::NoModifier, widget);
    QCOMPARE(mDoc->columns().size(), std::size_t(1));
    const QPointF added = position(mDoc->columns()[0]);
    const QPointF expected = expectedImagePoint(QPointF(widget));
    QVERIFY2(distance(added, expected) < 0.05, qPrintable(QStringLiteral("added at (%1, %2), expected (%3, %4)")
                                                               .arg(added.x()).arg(added.y())
                                                               .arg(expected.x()).arg(expected.y())));
    QCOMPARE(mDoc->selection(), std::vector<int>{0});
    QCOMPARE(mDoc->undoStack()->count(), 1);
    mDoc->undoStack()->undo();
    QVERIFY(mDoc->columns().empty());

    // Zoomed in 8x about a point: a click there adds a column at that image point within 0.5 px.
    const QPointF target(100.3, 60.7);
    mView->setZoom(8.0, mView->mapFromImage(target));
    const QPoint at = mView->mapFromImage(target).toPoint();
    QTest::mouseClick(mView.get(), Qt::LeftButton, Qt::NoModifier, at);
    QCOMPARE(mDoc->columns().size(), std::size_t(1));
    QVERIFY(distance(position(mDoc->columns()[0]), target) < 0.5 / 8.0 + 1e-9);
}

void TestColumnEditing::addedColumnSnapsToIntensityCentre()
{
    mTool->setSnapping(true);
    // syntheticMicrograph has Gaussian atoms at 8 + 16 k: click 1.4 px off the one at (72, 56).
    mView->setZoom(6.0, mView->mapFromImage(QPointF(72, 56)));
    QTest::mouseClick(mView.get(), Qt::LeftButton, Qt::NoModifier, mView->mapFromImage(QPointF(73.2, 56.8)).toPoint());
    QCOMPARE(mDoc->columns().size(), std::size_t(1));
    const QPointF snapped = position(mDoc->columns()[0]);
    QVERIFY2(distance(snapped, QPointF(72, 56)) < 0.3,
             qPrintable(QStringLiteral("snapped to (%1, %2)").arg(snapped.x()).arg(snapped.y())));
    // Far from any atom (flat background) the click position is kept.
    const QPointF flat = motifscope::ui::localCentreOfMass(mDoc->micrograph(), QPointF(80.0, 64.0), 2.0);
    QVERIFY(distance(flat, QPointF(80, 64)) < 2.0);
}

void TestColumnEditing::clickSelectsAndModifiersExtend()
{
    setColumns({column(40, 40), column(80, 40), column(120, 40)});
    const int steps = mDoc->undoStack()->count();
    QTest::mouseClick(mView.get(), Qt::LeftButton, Qt::NoModifier, mView->mapFromImage(QPointF(80.6, 40.4)).toPoint());
    QCOMPARE(mDoc->selection(), std::vector<int>{1});
    QTest::mouseClick(mView.get(), Qt::LeftButton, Qt::ShiftModifier, mView->mapFromImage(QPointF(120, 40)).toPoint());
    QCOMPARE(mDoc->selection(), (std::vector<int>{1, 2}));
    QTest::mouseClick(mView.get(), Qt::LeftButton, Qt::ControlModifier, mView->mapFromImage(QPointF(80, 40)).toPoint());
    QCOMPARE(mDoc->selection(), std::vector<int>{2});
    // A modified click on empty image keeps the selection and adds nothing.
    QTest::mouseClick(mView.get(), Qt::LeftButton, Qt::ShiftModifier, mView->mapFromImage(QPointF(60, 100)).toPoint());
    QCOMPARE(mDoc->selection(), std::vector<int>{2});
    QCOMPARE(mDoc->columns().size(), std::size_t(3));
    QCOMPARE(mDoc->undoStack()->count(), steps); // selecting is not an edit
    // A plain click outside the image clears the selection.
    QTest::mouseClick(mView.get(), Qt::LeftButton, Qt::NoModifier, QPoint(1, 1));
    QVERIFY(mDoc->selection().empty());
    QCOMPARE(mDoc->columns().size(), std::size_t(3));
}

void TestColumnEditing::rubberBandSelects()
{
    setColumns({column(40, 40), column(80, 40), column(120, 40), column(80, 120)});
    QTest::mousePress(mView.get(), Qt::LeftButton, Qt::NoModifier, mView->mapFromImage(QPointF(30, 30)).toPoint());
    QTest::mouseMove(mView.get(), mView->mapFromImage(QPointF(60, 45)).toPoint());
    QTest::mouseMove(mView.get(), mView->mapFromImage(QPointF(95, 50)).toPoint());
    QCOMPARE(mDoc->selection(), (std::vector<int>{0, 1})); // live while dragging
    const QImage during = mView->grab().toImage();
    QTest::mouseRelease(mView.get(), Qt::LeftButton, Qt::NoModifier, mView->mapFromImage(QPointF(95, 50)).toPoint());
    QCOMPARE(mDoc->selection(), (std::vector<int>{0, 1}));
    QCOMPARE(mDoc->columns().size(), std::size_t(4)); // a drag never adds a column
    // The band was drawn: its dashed edge shows at the band's left side between the two rows.
    const QPoint edge = widgetPixel(*mView, QPointF(30, 37));
    bool bandSeen = false;
    for (int dx = -2; dx <= 2; ++dx)
        bandSeen = bandSeen || close(during.pixel(edge.x() + dx, edge.y()), QColor(60, 235, 255), 120);
    QVERIFY(bandSeen);
    // Shift extends with a second band.
    QTest::mousePress(mView.get(), Qt::LeftButton, Qt::ShiftModifier, mView->mapFromImage(QPointF(70, 110)).toPoint());
    QTest::mouseMove(mView.get(), mView->mapFromImage(QPointF(90, 130)).toPoint());
    QTest::mouseRelease(mView.get(), Qt::LeftButton, Qt::ShiftModifier, mView->mapFromImage(QPointF(90, 130)).toPoint());
    QCOMPARE(mDoc->selection(), (std::vector<int>{0, 1, 3}));
}

void TestColumnEditing::dragMovesSelectionInOneStep()
{
    setColumns({column(40, 40), column(80, 40), column(120, 40)});
    mDoc->setSelection({0, 1});
    const int steps = mDoc->undoStack()->count();
    const double zoom = mView->zoom();
    const QPoint start = mView->mapFromImage(QPointF(80, 40)).toPoint();
    QTest::mousePress(mView.get(), Qt::LeftButton, Qt::NoModifier, start);
    for (int i = 1; i <= 10; ++i)
        QTest::mouseMove(mView.get(), start + QPoint(3 * i, 2 * i));
    QTest::mouseRelease(mView.get(), Qt::LeftButton, Qt::NoModifier, start + QPoint(30, 20));
    QCOMPARE(mDoc->undoStack()->count(), steps + 1);
    QCOMPARE(mDoc->selection(), (std::vector<int>{0, 1}));
    QVERIFY(distance(position(mDoc->columns()[0]), QPointF(40 + 30 / zoom, 40 + 20 / zoom)) < 1e-6);
    QVERIFY(distance(position(mDoc->columns()[1]), QPointF(80 + 30 / zoom, 40 + 20 / zoom)) < 1e-6);
    QCOMPARE(position(mDoc->columns()[2]), QPointF(120, 40));
    mDoc->undoStack()->undo();
    QCOMPARE(position(mDoc->columns()[0]), QPointF(40, 40));
    QCOMPARE(position(mDoc->columns()[1]), QPointF(80, 40));
    // Dragging an unselected column selects it alone and moves only it.
    const QPoint other = mView->mapFromImage(QPointF(120, 40)).toPoint();
    QTest::mousePress(mView.get(), Qt::LeftButton, Qt::NoModifier, other);
    QTest::mouseMove(mView.get(), other + QPoint(0, 15));
    QTest::mouseRelease(mView.get(), Qt::LeftButton, Qt::NoModifier, other + QPoint(0, 15));
    QCOMPARE(mDoc->selection(), std::vector<int>{2});
    QVERIFY(std::abs(mDoc->columns()[2].y - (40 + 15 / zoom)) < 1e-6);
    QCOMPARE(position(mDoc->columns()[0]), QPointF(40, 40));
}

void TestColumnEditing::keysDeleteAndClear()
{
    setColumns({column(40, 40), column(80, 40), column(120, 40)});
    mView->setFocus();
    mDoc->setSelection({0, 2});
    QTest::keyClick(mView.get(), Qt::Key_Delete);
    QCOMPARE(mDoc->columns().size(), std::size_t(1));
    QCOMPARE(mDoc->columns()[0].x, 80.0);
    mDoc->undoStack()->undo();
    QCOMPARE(mDoc->columns().size(), std::size_t(3));
    QCOMPARE(mDoc->selection(), (std::vector<int>{0, 2}));
    QTest::keyClick(mView.get(), Qt::Key_Escape);
    QVERIFY(mDoc->selection().empty());
    QTest::keyClick(mView.get(), Qt::Key_Backspace); // nothing selected: nothing removed
    QCOMPARE(mDoc->columns().size(), std::size_t(3));
    mDoc->setSelection({1});
    QTest::keyClick(mView.get(), Qt::Key_Backspace);
    QCOMPARE(mDoc->columns().size(), std::size_t(2));
}

void TestColumnEditing::panningStaysAvailable()
{
    setColumns({column(40, 40)});
    mView->setZoom(3.0, QPointF(200, 150));
    const QPointF before = mView->offset();
    // Middle drag pans, even over a column, and edits nothing.
    const QPoint start = mView->mapFromImage(QPointF(40, 40)).toPoint();
    QTest::mousePress(mView.get(), Qt::MiddleButton, Qt::NoModifier, start);
    QTest::mouseMove(mView.get(), start + QPoint(25, 10));
    QTest::mouseRelease(mView.get(), Qt::MiddleButton, Qt::NoModifier, start + QPoint(25, 10));
    QCOMPARE(mView->offset(), before + QPointF(25, 10));
    QCOMPARE(position(mDoc->columns()[0]), QPointF(40, 40));
    // Space + left drag pans too.
    mView->setFocus();
    QTest::keyPress(mView.get(), Qt::Key_Space);
    QTest::mousePress(mView.get(), Qt::LeftButton, Qt::NoModifier, QPoint(200, 150));
    QTest::mouseMove(mView.get(), QPoint(180, 140));
    QTest::mouseRelease(mView.get(), Qt::LeftButton, Qt::NoModifier, QPoint(180, 140));
    QTest::keyRelease(mView.get(), Qt::Key_Space);
    QCOMPARE(mView->offset(), before + QPointF(5, 0));
    QCOMPARE(mDoc->columns().size(), std::size_t(1));
}

void TestColumnEditing::noToolMeansLeftDragPans()
{
    mView->setTool(nullptr);
    mView->setZoom(3.0, QPointF(200, 150));
    const QPointF before = mView->offset();
    QTest::mousePress(mView.get(), Qt::LeftButton, Qt::NoModifier, QPoint(200, 150));
    QTest::mouseMove(mView.get(), QPoint(210, 160));
    QTest::mouseRelease(mView.get(), Qt::LeftButton, Qt::NoModifier, QPoint(210, 160));
    QCOMPARE(mView->offset(), before + QPointF(10, 10));
    QVERIFY(mDoc->columns().empty());
}

void TestColumnEditing::circlesWhenZoomedIn()
{
    setColumns({column(112, 96), column(136, 96)});
    mOverlay->setMarkerRadius(3.0);
    mDoc->setSelection({1});
    mView->setZoom(8.0, QPointF(kViewWidth / 2.0, kViewHeight / 2.0)); // both columns in view
    const QImage shot = mView->grab().toImage();
    QVERIFY(!mOverlay->lastPaintUsedDots());
    // Column 0: a ring of radius 3 image px = 24 widget px in the default colour, centred on it.
    const QPointF centre = mView->mapFromImage(QPointF(112, 96));
    for (const QPointF dir : {QPointF(1, 0), QPointF(-1, 0), QPointF(0, 1), QPointF(0, -1)}) {
        bool ringSeen = false;
        for (double r = 22.5; r <= 25.5; r += 0.5) {
            const QPointF p = centre + dir * r;
            ringSeen = ringSeen || close(shot.pixel(int(std::floor(p.x())), int(std::floor(p.y()))),
                                         mOverlay->defaultColour(), 60);
        }
        QString seen;
        for (double r = 20; r <= 28; r += 1.0) {
            const QPointF p = centre + dir * r;
            seen += QStringLiteral(" %1").arg(shot.pixel(int(std::floor(p.x())), int(std::floor(p.y()))), 0, 16);
        }
        QVERIFY2(ringSeen, qPrintable(QStringLiteral("no ring towards (%1, %2):").arg(dir.x()).arg(dir.y()) + seen));
    }
    QVERIFY(!close(shot.pixel(widgetPixel(*mView, QPointF(112, 96))), mOverlay->defaultColour(), 60));
    // Column 1 is selected: its centre dot has the selection colour.
    QVERIFY(close(shot.pixel(widgetPixel(*mView, QPointF(136, 96))), mOverlay->selectionColour(), 60));
    // Hidden overlay: the ring is gone.
    mOverlay->setVisible(false);
    const QImage hidden = mView->grab().toImage();
    const QPointF ring = centre + QPointF(24, 0);
    QVERIFY(!close(hidden.pixel(int(ring.x()), int(ring.y())), mOverlay->defaultColour(), 60));
}

void TestColumnEditing::dotsWhenZoomedOut()
{
    setColumns({column(20.0, 30.0), column(200.4, 150.6), column(100, 100)});
    mOverlay->setMarkerRadius(1.0); // 1.5 widget px at the fitted zoom: below the circle size
    mOverlay->setMarkerStyle(ColumnOverlay::MarkerStyle::Filled); // dots (Outline leaves the centre free)
    mOverlay->setPalette({QColor(0, 255, 0), QColor(0, 0, 255)});
    ColumnSet set = mDoc->columnSet();
    set.classes = {-1, 1, -1};
    mDoc->replaceColumns(set, QStringLiteral("Classes"));
    mDoc->setSelection({2});
    const QImage shot = mView->grab().toImage();
    QVERIFY(mOverlay->lastPaintUsedDots());
    QVERIFY(close(shot.pixel(widgetPixel(*mView, QPointF(20.0, 30.0))), mOverlay->defaultColour(), 10));
    QVERIFY(close(shot.pixel(widgetPixel(*mView, QPointF(200.4, 150.6))), QColor(0, 0, 255), 10));
    QVERIFY(close(shot.pixel(widgetPixel(*mView, QPointF(100, 100))), mOverlay->selectionColour(), 10));
    QCOMPARE(mOverlay->colourOf(1), QColor(0, 0, 255));
    QCOMPARE(mOverlay->colourOf(0), mOverlay->defaultColour());
    // A pixel between columns is untouched micrograph grey.
    const QRgb between = shot.pixel(widgetPixel(*mView, QPointF(60, 60)));
    QCOMPARE(qRed(between), qGreen(between));
}

void TestColumnEditing::manyColumnsDraw()
{
    // 100,000 columns on a 0.8 px grid: drawn as dots at the fitted zoom, and as circles (only the
    // visible ones) when zoomed in; both paint without trouble.
    std::vector<AtomColumn> many;
    for (int i = 0; i < 100000; ++i)
        many.push_back(column(0.8 * (i % 320), 0.8 * (i / 320) * 0.75));
    setColumns(std::move(many));
    QCOMPARE(mDoc->columns().size(), std::size_t(100000));
    const QImage zoomedOut = mView->grab().toImage();
    QVERIFY(mOverlay->lastPaintUsedDots());
    // So crowded that the markers are a wash over the micrograph: its pixel moves towards their colour.
    QVERIFY(mOverlay->lastDotWash() < 1.0);
    mOverlay->setVisible(false);
    const QImage bare = mView->grab().toImage();
    mOverlay->setVisible(true);
    const QPoint at = widgetPixel(*mView, QPointF(100.0, 60.0));
    auto distance = [](QRgb a, const QColor& b) {
        return std::abs(qRed(a) - b.red()) + std::abs(qGreen(a) - b.green()) + std::abs(qBlue(a) - b.blue());
    };
    QVERIFY(distance(zoomedOut.pixel(at), mOverlay->defaultColour()) + 20 < distance(bare.pixel(at), mOverlay->defaultColour()));
    mView->setZoom(40.0, QPointF(200, 150));
    const QImage zoomedIn = mView->grab().toImage();
    QVERIFY(!mOverlay->lastPaintUsedDots());
    QVERIFY(motifscope::test::greyVariance(zoomedIn) > 1.0);
}

QTEST_MAIN(TestColumnEditing)
#include "test_column_editing.moc"
