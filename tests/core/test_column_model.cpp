// The fitted-column model that the residual search subtracts, and image buffers on large pages.
#include "core/detect/column_model.h"
#include "core/detect/image_filters.h"

#include <QtTest>

#include <cmath>
#include <cstdint>

using namespace motifscope;

class TestColumnModel : public QObject
{
    Q_OBJECT
private slots:
    void subtractsEachGaussian();
    void blurredModelEqualsBlurredResidual();
    void columnsPartlyOffTheImageAreDrawnInside();
    void imageBuffersAreLargePageAligned();
};

namespace {

AtomColumn fitted(double x, double y, double amplitude, double width)
{
    AtomColumn c;
    c.x = x;
    c.y = y;
    c.intensity = float(amplitude);
    c.width = float(width);
    c.refinement = Refinement::GaussianFit;
    return c;
}

/** The Gaussian of column c at pixel (x, y). */
double model(const AtomColumn& c, int x, int y)
{
    const double d2 = (x - c.x) * (x - c.x) + (y - c.y) * (y - c.y);
    return c.intensity * std::exp(-d2 / (2.0 * c.width * c.width));
}

} // namespace

void TestColumnModel::subtractsEachGaussian()
{
    // Columns in many row bands (the subtraction runs one band per task): every pixel must lose
    // exactly the sum of the Gaussians reaching it.
    FloatImage image(300, 300, 100.0f);
    AtomColumns columns;
    for (int j = 0; j < 12; ++j)
        for (int i = 0; i < 12; ++i)
            columns.push_back(fitted(10.3 + 23.7 * i, 12.6 + 23.1 * j, 50.0 + i + j, 1.5 + 0.1 * ((i + j) % 5)));
    subtractColumns(image, columns, 2.0);
    double worst = 0.0;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            double expected = 100.0;
            for (const AtomColumn& c : columns)
                expected -= model(c, x, y);
            worst = std::max(worst, std::abs(expected - image.at(x, y)));
        }
    QVERIFY2(worst < 0.05, qPrintable(QString::number(worst))); // 4-sigma truncation: < 0.04% of 60
}

void TestColumnModel::blurredModelEqualsBlurredResidual()
{
    // blur(image - model) = blur(image) - model drawn at sqrt(width^2 + blur^2) with the same
    // integral: what the residual search relies on.
    FloatImage image(128, 128, 0.0f);
    AtomColumns columns{fitted(40.2, 50.7, 80.0, 1.8), fitted(80.6, 70.1, 40.0, 2.2), fitted(60.0, 90.4, 60.0, 1.6)};
    AtomColumns drawn = columns;
    for (AtomColumn& c : drawn)
        c.intensity = -c.intensity; // subtracting a negative amplitude draws the column
    subtractColumns(image, drawn, 2.0);
    const double blur = 1.4;
    const FloatImage blurredImage = gaussianBlur(image, blur);
    FloatImage residual = blurredImage;
    subtractColumns(residual, columns, 2.0, blur);
    double worst = 0.0, peak = 0.0;
    for (std::size_t i = 0; i < residual.data.size(); ++i) {
        worst = std::max(worst, double(std::abs(residual.data[i])));
        peak = std::max(peak, double(blurredImage.data[i]));
    }
    QVERIFY(peak > 20.0);
    QVERIFY2(worst < 0.01 * peak, qPrintable(QStringLiteral("%1 of %2").arg(worst).arg(peak)));
}

void TestColumnModel::columnsPartlyOffTheImageAreDrawnInside()
{
    FloatImage image(64, 64, 0.0f);
    subtractColumns(image, {fitted(-1.0, 30.0, 10.0, 2.0), fitted(63.5, 70.0, 10.0, 2.0)}, 2.0);
    QVERIFY(std::abs(image.at(0, 30) + 10.0 * std::exp(-1.0 / 8.0)) < 1e-3);
    QCOMPARE(image.at(63, 30), 0.0f);
    QVERIFY(image.at(63, 63) < 0.0f);
    QVERIFY(std::isfinite(image.at(32, 32)));
}

void TestColumnModel::imageBuffersAreLargePageAligned()
{
    const FloatImage big(2048, 2048);
    QVERIFY(reinterpret_cast<std::uintptr_t>(big.data.data()) % (std::uintptr_t(2) << 20) == 0);
    QCOMPARE(big.data.size(), std::size_t(2048) * 2048);
    QCOMPARE(big.data.back(), 0.0f);
    FloatImage copy = big; // copies allocate the same way
    copy.at(5, 7) = 3.0f;
    QCOMPARE(big.at(5, 7), 0.0f);
    const FloatImage small(16, 16, 1.0f); // small ones come from the ordinary heap
    QCOMPARE(small.at(15, 15), 1.0f);
}

QTEST_GUILESS_MAIN(TestColumnModel)
#include "test_column_model.moc"
