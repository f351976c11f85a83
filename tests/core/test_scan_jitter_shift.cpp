// withoutScanJitter: rows moved back by their shift, exactly, with the noise left as it was.
#include "core/detect/scan_jitter.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace motifscope;

class TestScanJitterShift : public QObject
{
    Q_OBJECT
private slots:
    void movesEachRowBackByItsShift();
    void keepsTheNoiseVariance();
};

namespace {

/** A row holding one Gaussian of width 2 px centred at `centre`. */
double gaussian(double x, double centre) { return 100.0 * std::exp(-(x - centre) * (x - centre) / 8.0); }

} // namespace

// Row y holds a Gaussian at 40 + shift(y); with the shift removed it is back at 40 in every row,
// to well under a hundredth of a pixel (its centroid), also for shifts of a whole pixel and more.
void TestScanJitterShift::movesEachRowBackByItsShift()
{
    const int width = 96, height = 8;
    ScanJitter jitter;
    jitter.rowShift = {0.0, 0.25, 0.5, -0.5, 0.75, 1.3, -2.2, 0.1};
    FloatImage image(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.at(x, y) = float(gaussian(x, 40.0 + jitter.rowShift[std::size_t(y)]));
    const FloatImage out = withoutScanJitter(image, jitter);
    for (int y = 0; y < height; ++y) {
        double sum = 0.0, moment = 0.0, worst = 0.0;
        for (int x = 0; x < width; ++x) {
            sum += out.at(x, y);
            moment += x * out.at(x, y);
            worst = std::max(worst, std::abs(out.at(x, y) - gaussian(x, 40.0)));
        }
        QVERIFY2(std::abs(moment / sum - 40.0) < 0.01, qPrintable(QStringLiteral("row %1: centroid %2").arg(y).arg(moment / sum)));
        QVERIFY2(worst < 0.5, qPrintable(QStringLiteral("row %1: off by %2 of 100").arg(y).arg(worst))); // a Gaussian this wide is band-limited
    }
}

// White noise shifted by half a pixel keeps its variance (linear interpolation would halve it, and
// the noise-weighted split test that reads the image would lose half its chi-square there).
void TestScanJitterShift::keepsTheNoiseVariance()
{
    const int width = 512, height = 64;
    std::mt19937 random(7);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    FloatImage image(width, height);
    for (float& v : image.data)
        v = noise(random);
    ScanJitter jitter;
    jitter.rowShift.assign(std::size_t(height), 0.5);
    const FloatImage out = withoutScanJitter(image, jitter);
    double sum = 0.0, squares = 0.0;
    long long n = 0;
    for (int y = 0; y < height; ++y)
        for (int x = 40; x < width - 40; ++x) { // away from the reflected ends
            sum += out.at(x, y);
            squares += double(out.at(x, y)) * out.at(x, y);
            ++n;
        }
    const double variance = squares / double(n) - (sum / double(n)) * (sum / double(n));
    QVERIFY2(variance > 0.93 && variance < 1.07, qPrintable(QStringLiteral("variance %1").arg(variance)));
}

QTEST_MAIN(TestScanJitterShift)
#include "test_scan_jitter_shift.moc"
