/** The image view and its column overlay at devicePixelRatio 2 (QT_SCALE_FACTOR=2): sharp, in place. */
#include "ui_test_support.h"

#include "ui/document/micrographdocument.h"
#include "ui/learn/featurespanel.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/imageview.h"

#include <QApplication>
#include <QLabel>
#include <QTest>

#include <memory>

using motifscope::ui::ColumnOverlay;
using motifscope::ui::ColumnSet;
using motifscope::ui::ImageView;
using motifscope::ui::MicrographDocument;

class TestImageViewHiDpi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void runsAtRatioTwo();
    void zoomedOutViewUsesDevicePixels();
    void zoomedOutDotsAreSharpAndInPlace();
    void featurePreviewsUseDevicePixels();

private:
    std::unique_ptr<MicrographDocument> mDoc;
    std::unique_ptr<ImageView> mView;
};

void TestImageViewHiDpi::init()
{
    mDoc = std::make_unique<MicrographDocument>();
    mView = std::make_unique<ImageView>();
    mView->resize(400, 300);
    mView->setScaleBarVisible(false);
    mView->setDocument(mDoc.get());
    mView->show();
    QVERIFY(QTest::qWaitForWindowExposed(mView.get()));
}

void TestImageViewHiDpi::cleanup()
{
    mView.reset();
    mDoc.reset();
}

void TestImageViewHiDpi::runsAtRatioTwo()
{
    QCOMPARE(mView->devicePixelRatioF(), 2.0);
    QCOMPARE(mView->grab().toImage().size(), QSize(800, 600));
}

void TestImageViewHiDpi::zoomedOutViewUsesDevicePixels()
{
    // Zoom 0.3 on a ratio-2 screen is 0.6 device pixels per image pixel: the full-resolution image
    // still fits, so one-pixel lines keep (nearly) full brightness somewhere. A half-resolution
    // pyramid level (chosen from the zoom alone) would have averaged every line down to half.
    motifscope::Micrograph m = motifscope::test::rampMicrograph(600, 600);
    for (int y = 0; y < 600; ++y)
        for (int x = 0; x < 600; ++x)
            m.at(x, y) = x % 8 == 0 ? 1.0f : 0.0f;
    mDoc->setMicrograph(std::move(m));
    mView->setView(0.3, QPointF(300, 300));
    const QImage shot = mView->grab().toImage();
    const QRect logical = mView->imageToWidget().mapRect(mView->imageRect()).toAlignedRect().adjusted(2, 2, -2, -2);
    QVERIFY(logical.width() > 100);
    int brightest = 0;
    for (int x = 2 * logical.left(); x < 2 * logical.right(); ++x)
        brightest = std::max(brightest, qGray(shot.pixel(x, 2 * logical.center().y())));
    QVERIFY2(brightest > 200, qPrintable(QString::number(brightest)));
}

void TestImageViewHiDpi::zoomedOutDotsAreSharpAndInPlace()
{
    // Zoomed out, columns are dots: two widget pixels wide, so 4 x 4 device pixels of exactly the
    // marker colour, centred where the column is.
    motifscope::Micrograph m = motifscope::test::rampMicrograph(1024, 1024);
    std::fill(m.pixels.begin(), m.pixels.end(), 0.0f);
    mDoc->setMicrograph(std::move(m));
    ColumnSet set;
    for (int i = 0; i < 10; ++i) {
        motifscope::AtomColumn c;
        c.x = 100.0 + 83.0 * i;
        c.y = 120.0 + 71.0 * i;
        set.columns.push_back(c);
    }
    mDoc->replaceColumns(set, QStringLiteral("Columns"));
    auto* overlay = new ColumnOverlay;
    overlay->setDocument(mDoc.get());
    const QColor red(255, 0, 0);
    overlay->setDefaultColour(red);
    overlay->setMarkerRadius(2.0); // 0.5 widget pixels at zoom 0.25: dots, not circles
    overlay->setMarkerStyle(ColumnOverlay::MarkerStyle::Filled); // 2 x 2 dots (device pixels: 4 x 4)
    mView->addOverlay(overlay);
    mView->setView(0.25, QPointF(512, 512));
    const QImage shot = mView->grab().toImage();
    QVERIFY(overlay->lastPaintUsedDots());
    for (const motifscope::AtomColumn& c : set.columns) {
        const QPointF centre = mView->mapFromImage(QPointF(c.x, c.y)) * 2.0;
        int exact = 0;
        for (int y = int(centre.y()) - 4; y <= int(centre.y()) + 4; ++y)
            for (int x = int(centre.x()) - 4; x <= int(centre.x()) + 4; ++x)
                exact += shot.rect().contains(x, y) && shot.pixelColor(x, y) == red ? 1 : 0;
        QCOMPARE(exact, 16);
    }
    delete overlay;
}

void TestImageViewHiDpi::featurePreviewsUseDevicePixels()
{
    motifscope::ui::FeaturesPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    std::vector<float> patch(15 * 15);
    for (std::size_t i = 0; i < patch.size(); ++i)
        patch[i] = float(i % 7);
    panel.setColumnPatch(patch, 15);
    int previews = 0;
    for (const QLabel* label : panel.findChildren<QLabel*>()) {
        const QPixmap pixmap = label->pixmap();
        if (pixmap.isNull())
            continue;
        QCOMPARE(pixmap.devicePixelRatio(), 2.0);
        QCOMPARE(pixmap.deviceIndependentSize(), QSizeF(panel.patchImage().size()));
        ++previews;
    }
    QCOMPARE(previews, 2); // the patch and its Zernike fit
}

int main(int argc, char** argv)
{
    qputenv("QT_SCALE_FACTOR", "2");
    QApplication app(argc, argv);
    TestImageViewHiDpi test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_imageview_hidpi.moc"
