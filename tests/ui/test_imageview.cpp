// ImageView: view transform, zoom about the cursor, panning, rendering, overlays and scale bar.
#include "test_support.h"
#include "ui_test_support.h"

#include "ui/document/micrographdocument.h"
#include "ui/panels/statusreadout.h"
#include "ui/views/greylevels.h"
#include "ui/views/imageoverlay.h"
#include "ui/views/imageview.h"
#include "ui/views/scalebar.h"

#include <QPainter>
#include <QSignalSpy>

#include <cmath>
#include <memory>

using motifscope::Calibration;
using motifscope::ui::ImageView;
using motifscope::ui::MicrographDocument;

namespace {

/** Fills the image-coordinate rectangle it is given and records what the view told it. */
class RectOverlay : public motifscope::ui::ImageOverlay
{
public:
    explicit RectOverlay(const QRectF& rect) : mRect(rect) {}
    void paint(QPainter& painter, const motifscope::ui::OverlayContext& context) override
    {
        ++paintCount;
        lastContext = context;
        painter.fillRect(mRect, Qt::red);
    }
    int paintCount = 0;
    motifscope::ui::OverlayContext lastContext;

private:
    QRectF mRect;
};

bool isPowerOfTenMultiple(double length)
{
    const double power = std::pow(10.0, std::floor(std::log10(length) + 1e-12));
    const double mantissa = length / power;
    return std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9;
}

} // namespace

class TestImageView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void newImageIsFitted();
    void mappingRoundTrips_data();
    void mappingRoundTrips();
    void pixelCentresAreIntegers();
    void wheelZoomKeepsPointUnderCursor_data();
    void wheelZoomKeepsPointUnderCursor();
    void zoomIsClamped();
    void actualSizeAndFit();
    void dragPans_data();
    void dragPans();
    void resizeRefitsInFitMode();
    void nearestNeighbourBeyondOneToOne();
    void zoomedOutViewAveragesFineDetail();
    void greyLevelsFollowContrast();
    void greyLevelMapping();
    void rendersNonBlank();
    void overlaysDrawInImageCoordinates();
    void cursorSignalAndReadout();
    void scaleBarChoice_data();
    void scaleBarChoice();
    void scaleBarInFittedView();

private:
    std::unique_ptr<MicrographDocument> mDoc;
    std::unique_ptr<ImageView> mView;
};

void TestImageView::init()
{
    mDoc = std::make_unique<MicrographDocument>();
    mDoc->setMicrograph(motifscope::test::syntheticMicrograph(256, 192));
    mView = std::make_unique<ImageView>();
    mView->resize(400, 300);
    mView->setDocument(mDoc.get());
    mView->show();
    QVERIFY(QTest::qWaitForWindowExposed(mView.get()));
}

void TestImageView::cleanup()
{
    mView.reset();
    mDoc.reset();
}

void TestImageView::newImageIsFitted()
{
    QVERIFY(mView->isFitMode());
    // 256 x 192 in 400 x 300 minus a 4 px margin each side: limited by the height, 292 / 192.
    QCOMPARE(mView->zoom(), 292.0 / 192.0);
    const QRectF onScreen = mView->imageToWidget().mapRect(mView->imageRect());
    QVERIFY(QRectF(mView->rect()).contains(onScreen));
    QCOMPARE(onScreen.center(), QRectF(mView->rect()).center());
}

void TestImageView::mappingRoundTrips_data()
{
    QTest::addColumn<double>("zoom");
    QTest::addColumn<QPointF>("anchor");
    QTest::newRow("zoomed out") << 0.37 << QPointF(10, 20);
    QTest::newRow("one to one") << 1.0 << QPointF(200, 150);
    QTest::newRow("zoomed in") << 13.5 << QPointF(333.3, 7.25);
}

void TestImageView::mappingRoundTrips()
{
    QFETCH(double, zoom);
    QFETCH(QPointF, anchor);
    mView->setZoom(zoom, anchor);
    QCOMPARE(mView->zoom(), zoom);
    for (const QPointF p : {QPointF(0, 0), QPointF(17.3, 99.9), QPointF(-5, 400), QPointF(399, 299)}) {
        const QPointF back = mView->mapFromImage(mView->mapToImage(p));
        QVERIFY(std::abs(back.x() - p.x()) < 1e-9 && std::abs(back.y() - p.y()) < 1e-9);
        QCOMPARE(mView->imageToWidget().map(mView->mapToImage(p)), mView->mapFromImage(mView->mapToImage(p)));
    }
    QCOMPARE(mView->visibleImageRect().topLeft(), mView->mapToImage(QPointF(0, 0)));
    QCOMPARE(mView->visibleImageRect().bottomRight(), mView->mapToImage(QPointF(400, 300)));
}

void TestImageView::pixelCentresAreIntegers()
{
    mView->setZoom(10.0, QPointF(0, 0));
    // Pixel (3, 4) covers image coordinates 2.5..3.5 x 3.5..4.5, as in the CLI's CSV convention.
    QCOMPARE(mView->imageRect(), QRectF(-0.5, -0.5, 256, 192));
    const QPointF centre = mView->mapFromImage(QPointF(3, 4));
    const QPointF corner = mView->mapFromImage(QPointF(2.5, 3.5));
    QCOMPARE(centre - corner, QPointF(5, 5));
}

void TestImageView::wheelZoomKeepsPointUnderCursor_data()
{
    QTest::addColumn<QPointF>("cursor");
    QTest::addColumn<int>("delta");
    QTest::newRow("in at 100,80") << QPointF(100, 80) << 120;
    QTest::newRow("in 3 notches at 310,220") << QPointF(310, 220) << 360;
    QTest::newRow("out at 50,250") << QPointF(50, 250) << -120;
}

void TestImageView::wheelZoomKeepsPointUnderCursor()
{
    QFETCH(QPointF, cursor);
    QFETCH(int, delta);
    const QPointF before = mView->mapToImage(cursor);
    const double zoomBefore = mView->zoom();
    QSignalSpy zoomSpy(mView.get(), &ImageView::zoomChanged);
    QWheelEvent wheel(cursor, mView->mapToGlobal(cursor), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(mView.get(), &wheel);
    QCOMPARE(zoomSpy.count(), 1);
    QVERIFY(std::abs(mView->zoom() - zoomBefore * std::pow(ImageView::kZoomStep, delta / 120.0)) < 1e-9);
    const QPointF after = mView->mapToImage(cursor);
    QVERIFY2(std::abs(after.x() - before.x()) < 1e-9 && std::abs(after.y() - before.y()) < 1e-9,
             qPrintable(QStringLiteral("%1,%2 -> %3,%4").arg(before.x()).arg(before.y()).arg(after.x()).arg(after.y())));
    QVERIFY(!mView->isFitMode());
}

void TestImageView::zoomIsClamped()
{
    mView->setZoom(1e6, QPointF(200, 150));
    QCOMPARE(mView->zoom(), ImageView::kMaxZoom);
    mView->setZoom(1e-9, QPointF(200, 150));
    QCOMPARE(mView->zoom(), mView->minZoom());
    QVERIFY(mView->minZoom() > 0.0);
    const double z = mView->zoom();
    mView->setZoom(std::nan(""), QPointF(1, 1));
    QCOMPARE(mView->zoom(), z);
}

void TestImageView::actualSizeAndFit()
{
    const QPointF centre(200, 150);
    const QPointF atCentre = mView->mapToImage(centre);
    mView->zoomToActualSize();
    QCOMPARE(mView->zoom(), 1.0);
    QVERIFY(QLineF(mView->mapToImage(centre), atCentre).length() < 1e-9);
    mView->zoomIn();
    QCOMPARE(mView->zoom(), ImageView::kZoomStep);
    mView->zoomOut();
    QVERIFY(std::abs(mView->zoom() - 1.0) < 1e-12);
    mView->fitToWindow();
    QVERIFY(mView->isFitMode());
    QCOMPARE(mView->zoom(), mView->fitZoom());
}

void TestImageView::dragPans_data()
{
    QTest::addColumn<Qt::MouseButton>("button");
    QTest::newRow("left") << Qt::LeftButton;
    QTest::newRow("middle") << Qt::MiddleButton;
}

void TestImageView::dragPans()
{
    QFETCH(Qt::MouseButton, button);
    mView->setZoom(4.0, QPointF(200, 150));
    const QPointF offset = mView->offset();
    const QPointF start(150, 120), end(190, 95);
    const QPointF imageAtStart = mView->mapToImage(start);
    QMouseEvent press(QEvent::MouseButtonPress, start, mView->mapToGlobal(start), button, button, Qt::NoModifier);
    QApplication::sendEvent(mView.get(), &press);
    QMouseEvent move(QEvent::MouseMove, end, mView->mapToGlobal(end), Qt::NoButton, button, Qt::NoModifier);
    QApplication::sendEvent(mView.get(), &move);
    QMouseEvent release(QEvent::MouseButtonRelease, end, mView->mapToGlobal(end), button, Qt::NoButton,
                        Qt::NoModifier);
    QApplication::sendEvent(mView.get(), &release);
    QCOMPARE(mView->offset(), offset + (end - start));
    // The image point grabbed follows the cursor.
    QVERIFY(QLineF(mView->mapToImage(end), imageAtStart).length() < 1e-9);
    QCOMPARE(mView->zoom(), 4.0);
}

void TestImageView::resizeRefitsInFitMode()
{
    mView->resize(400, 600);
    QCOMPARE(mView->zoom(), 392.0 / 256.0); // now limited by the width
    mView->setZoom(2.0, QPointF(0, 0));
    const QPointF centreImage = mView->mapToImage(QPointF(200, 300));
    mView->resize(600, 500);
    QCOMPARE(mView->zoom(), 2.0); // not in fit mode: zoom kept, centre kept
    QVERIFY(QLineF(mView->mapToImage(QPointF(300, 250)), centreImage).length() < 1e-9);
}

void TestImageView::nearestNeighbourBeyondOneToOne()
{
    // At 8x each image pixel is an 8 x 8 block of exactly its own grey level: no smoothing.
    mView->setScaleBarVisible(false);
    mView->setZoom(8.0, QPointF(0, 0));
    const QImage shot = mView->grab().toImage().convertToFormat(QImage::Format_Grayscale8);
    const QImage& cache = mView->displayImage();
    QCOMPARE(cache.format(), QImage::Format_Grayscale8);
    int checked = 0;
    for (int py = 5; py < 30; py += 3)
        for (int px = 5; px < 40; px += 4) {
            const QPointF centre = mView->mapFromImage(QPointF(px, py));
            for (const QPointF d : {QPointF(-3, -3), QPointF(0, 0), QPointF(3, 2)}) {
                const QPoint w = (centre + d).toPoint();
                if (!shot.rect().contains(w))
                    continue;
                QCOMPARE(int(qGray(shot.pixel(w))), int(qGray(cache.pixel(px, py))));
                ++checked;
            }
        }
    QVERIFY(checked > 100);
}

void TestImageView::zoomedOutViewAveragesFineDetail()
{
    // A one-pixel checkerboard seen at 1/8 zoom must look mid-grey (area average), not aliased
    // into black or white patches.
    motifscope::Micrograph m = motifscope::test::rampMicrograph(512, 512);
    for (int y = 0; y < 512; ++y)
        for (int x = 0; x < 512; ++x)
            m.at(x, y) = float((x + y) % 2);
    mDoc->setMicrograph(std::move(m));
    mView->setScaleBarVisible(false);
    mView->setZoom(0.125, QPointF(200, 150));
    const QImage shot = mView->grab().toImage();
    const QRect onScreen = mView->imageToWidget().mapRect(mView->imageRect()).toAlignedRect().adjusted(2, 2, -2, -2);
    QVERIFY(onScreen.width() > 50);
    int checked = 0;
    for (int y = onScreen.top(); y <= onScreen.bottom(); ++y)
        for (int x = onScreen.left(); x <= onScreen.right(); ++x) {
            const int grey = qGray(shot.pixel(x, y));
            QVERIFY2(std::abs(grey - 128) <= 16, qPrintable(QStringLiteral("%1 at %2,%3").arg(grey).arg(x).arg(y)));
            ++checked;
        }
    QVERIFY(checked > 2500);
}

void TestImageView::greyLevelsFollowContrast()
{
    mDoc->setMicrograph(motifscope::test::rampMicrograph(100, 100));
    const QImage& cache = mView->displayImage();
    QCOMPARE(cache.size(), QSize(100, 100));
    // Ramp 0..9999 clipped at 0.5 % / 99.5 % -> 50 .. 9949.
    QCOMPARE(qGray(cache.pixel(0, 0)), 0);          // value 0, below the clip
    QCOMPARE(qGray(cache.pixel(50, 0)), 0);         // value 50, at the low limit
    QCOMPARE(qGray(cache.pixel(99, 99)), 255);      // value 9999
    QCOMPARE(qGray(cache.pixel(49, 99)), 255);      // value 9949, at the high limit
    QVERIFY(std::abs(qGray(cache.pixel(0, 50)) - 128) <= 1); // value 5000 is mid-grey
    mDoc->setGamma(2.0);
    QVERIFY(std::abs(qGray(mView->displayImage().pixel(0, 50)) - 64) <= 1); // 255 * 0.5^2
}

void TestImageView::greyLevelMapping()
{
    const float values[] = {-1.0f, 0.0f, 0.25f, 0.5f, 1.0f, 2.0f, NAN, INFINITY};
    std::uint8_t out[8];
    motifscope::mapToGreyLevels(values, 8, 0.0, 1.0, 1.0, out);
    const std::uint8_t expected[] = {0, 0, 64, 128, 255, 255, 0, 0};
    for (int i = 0; i < 8; ++i)
        QVERIFY2(std::abs(int(out[i]) - int(expected[i])) <= 1, qPrintable(QString::number(i)));
}

void TestImageView::rendersNonBlank()
{
    const QImage shot = mView->grab().toImage();
    QVERIFY(motifscope::test::greyVariance(shot) > 10.0);
    // Without a micrograph only the placeholder text is drawn on the dark background.
    MicrographDocument empty;
    mView->setDocument(&empty);
    QVERIFY(mView->displayImage().isNull());
    QVERIFY(!mView->scaleBar().isValid());
}

void TestImageView::overlaysDrawInImageCoordinates()
{
    auto* overlay = new RectOverlay(QRectF(40, 30, 10, 10));
    mView->addOverlay(overlay);
    QCOMPARE(mView->overlays().size(), 1);
    mView->setZoom(3.0, QPointF(0, 0));
    const QImage shot = mView->grab().toImage();
    QVERIFY(overlay->paintCount >= 1);
    QCOMPARE(overlay->lastContext.zoom, 3.0);
    QCOMPARE(overlay->lastContext.visibleImage, mView->visibleImageRect());
    QCOMPARE(shot.pixelColor(mView->mapFromImage(QPointF(45, 35)).toPoint()), QColor(Qt::red));
    QVERIFY(shot.pixelColor(mView->mapFromImage(QPointF(60, 35)).toPoint()) != QColor(Qt::red));

    overlay->setVisible(false);
    const int painted = overlay->paintCount;
    const QImage hidden = mView->grab().toImage();
    QCOMPARE(overlay->paintCount, painted);
    QVERIFY(hidden.pixelColor(mView->mapFromImage(QPointF(45, 35)).toPoint()) != QColor(Qt::red));
    mView->removeOverlay(overlay);
    QVERIFY(mView->overlays().isEmpty());
}

void TestImageView::cursorSignalAndReadout()
{
    QSignalSpy spy(mView.get(), &ImageView::cursorMoved);
    const QPointF at(123.0, 77.0);
    QMouseEvent move(QEvent::MouseMove, at, mView->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(mView.get(), &move);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toPointF(), mView->mapToImage(at));

    motifscope::Micrograph m = motifscope::test::syntheticMicrograph(200, 100, 0.02, "nm");
    m.at(123, 45) = 0.8123f;
    QCOMPARE(motifscope::ui::cursorReadout(m, QPointF(123.2, 44.6)),
             QStringLiteral("x 123, y 45 (2.46 nm, 0.90 nm)  value 0.8123"));
    QCOMPARE(motifscope::ui::cursorReadout(m, QPointF(-0.6, 10)), QString());
    QCOMPARE(motifscope::ui::cursorReadout(m, QPointF(199.4, 99.4)).left(14), QStringLiteral("x 199, y 99 (3"));
    QCOMPARE(motifscope::ui::cursorReadout(m, QPointF(199.6, 50)), QString());
    m.calibration = Calibration{};
    m.at(3, 4) = 1234.0f;
    QCOMPARE(motifscope::ui::cursorReadout(m, QPointF(3, 4)), QStringLiteral("x 3, y 4  value 1234"));
}

void TestImageView::scaleBarChoice_data()
{
    QTest::addColumn<double>("pixelSize");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<double>("zoom");
    QTest::addColumn<double>("maxWidget");
    QTest::addColumn<double>("length");
    QTest::addColumn<QString>("label");
    // 512 px at 0.02 nm in a 200 px wide view: at most 50 px = 2.56 nm -> 2 nm.
    QTest::newRow("MoSe2 fitted") << 0.02 << QStringLiteral("nm") << 200.0 / 512 << 50.0 << 2.0 << QStringLiteral("2 nm");
    QTest::newRow("one to one") << 0.02 << QStringLiteral("nm") << 1.0 << 200.0 << 2.0 << QStringLiteral("2 nm");
    QTest::newRow("zoomed in") << 0.02 << QStringLiteral("nm") << 40.0 << 150.0 << 50.0 << QStringLiteral("50 pm");
    QTest::newRow("to micrometres") << 0.5 << QStringLiteral("nm") << 0.01 << 200.0 << 10.0 << QStringLiteral("10 µm");
    QTest::newRow("angstrom kept") << 0.2 << QStringLiteral("Å") << 1.0 << 100.0 << 20.0 << QStringLiteral("20 Å");
    QTest::newRow("reciprocal unit") << 0.01 << QStringLiteral("1/nm") << 1.0 << 120.0 << 1.0 << QStringLiteral("1 1/nm");
    QTest::newRow("uncalibrated") << 1.0 << QString() << 0.5 << 120.0 << 200.0 << QStringLiteral("200 px");
}

void TestImageView::scaleBarChoice()
{
    QFETCH(double, pixelSize);
    QFETCH(QString, unit);
    QFETCH(double, zoom);
    QFETCH(double, maxWidget);
    QFETCH(double, length);
    QFETCH(QString, label);
    Calibration c;
    c.pixelSizeX = c.pixelSizeY = pixelSize;
    c.unit = unit.toStdString();
    const motifscope::ui::ScaleBar bar = motifscope::ui::chooseScaleBar(c, zoom, maxWidget);
    QVERIFY(bar.isValid());
    QVERIFY2(std::abs(bar.length - length) < 1e-9 * length, qPrintable(QString::number(bar.length)));
    QCOMPARE(bar.label(), label);
    QVERIFY(isPowerOfTenMultiple(bar.length));
    // A 1-2-5 sequence never wastes more than a factor 2.5 of the space allowed.
    QVERIFY(bar.widgetLength <= maxWidget + 1e-9);
    QVERIFY(bar.widgetLength >= maxWidget / 2.5 - 1e-9);
}

void TestImageView::scaleBarInFittedView()
{
    mDoc->setMicrograph(motifscope::test::syntheticMicrograph(512, 512, 0.02, "nm"));
    mView->resize(200, 200);
    mView->fitToWindow();
    const motifscope::ui::ScaleBar bar = mView->scaleBar();
    QVERIFY(bar.isValid());
    QCOMPARE(bar.unit, QStringLiteral("nm"));
    QVERIFY(isPowerOfTenMultiple(bar.length));
    QVERIFY(bar.widgetLength > 10 && bar.widgetLength < 100);
    QCOMPARE(bar.widgetLength, bar.length / 0.02 * mView->zoom());
}

QTEST_MAIN(TestImageView)
#include "test_imageview.moc"
