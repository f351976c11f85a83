// estimateNoiseModel is computed in parallel (samples by rows, bins by halves, statistics by bin):
// its result must be bit for bit the serial one's. Pinned values are those of the serial
// implementation (before the parallel one) on deterministic count images; and the result must
// not depend on the number of threads.
#include "core/detect/noise_model.h"

#include <tbb/task_arena.h> // before Qt: its emit macro clashes with TBB

#include <QtTest>

#include <cmath>
#include <cstdint>
#include <cstring>

using namespace motifscope;

namespace {

std::uint64_t splitMix(std::uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/** Integer counts on a smooth pattern (many equal ring sums: ties at the bin cuts), noise from a hash. */
FloatImage countsImage(int w, int h, double dark = 0.0)
{
    FloatImage image(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const double u = double(splitMix(std::uint64_t(y) * 100003u + std::uint64_t(x)) >> 11) * 0x1p-53;
            const double mean = dark + 20.0 + 15.0 * (std::cos(x * 0.37) * std::cos(y * 0.41) + 1.0);
            image.data[std::size_t(y) * std::size_t(w) + std::size_t(x)] =
                float(std::floor(mean + (u - 0.5) * 2.0 * std::sqrt(mean) * 1.7));
        }
    return image;
}

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

void compareModels(const NoiseModel& got, const NoiseModel& want)
{
    QVERIFY2(sameBits(got.gain, want.gain), qPrintable(QString("gain %1 vs %2").arg(got.gain, 0, 'g', 17).arg(want.gain, 0, 'g', 17)));
    QVERIFY2(sameBits(got.offset, want.offset), "offset");
    QVERIFY2(sameBits(got.readVariance, want.readVariance), "readVariance");
    QVERIFY2(sameBits(got.minimumVariance, want.minimumVariance), "minimumVariance");
}

NoiseModel withThreads(int threads, const FloatImage& image)
{
    tbb::task_arena arena(threads);
    NoiseModel model;
    arena.execute([&] { model = estimateNoiseModel(image); });
    return model;
}

} // namespace

class TestNoiseModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameAsTheSerialEstimate_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<double>("dark");
        QTest::addColumn<double>("gain");
        QTest::addColumn<double>("offset");
        QTest::addColumn<double>("readVariance");
        QTest::addColumn<double>("minimumVariance");
        // Every pixel sampled (step 1), every 2nd and every 3rd; a dark level (offset > 0); too small to bin.
        QTest::newRow("1024^2") << 1024 << 1024 << 0.0 << 0x1.fbf2ca172bd19p-1 << 0.0 << 0x1.6b665574b4559p-3
                                << 0x1.5e96d0a2bb5dep+4;
        QTest::newRow("1500x900") << 1500 << 900 << 0.0 << 0x1.fbfa4d8c6691fp-1 << 0.0 << 0x1.53a0e92f4d76ep-3
                                  << 0x1.5dd97de1e06a5p+4;
        QTest::newRow("2100x1700") << 2100 << 1700 << 0.0 << 0x1.faa5f7fb323f2p-1 << 0.0 << 0x1.7f6d256e4e858p-3
                                   << 0x1.5bf760abc5cbp+4;
        QTest::newRow("3000x2000") << 3000 << 2000 << 0.0 << 0x1.fc1504e80d4f2p-1 << 0.0 << 0x1.55d9a57f1c01dp-3
                                   << 0x1.612f983f63581p+4;
        QTest::newRow("40x30") << 40 << 30 << 0.0 << 0x1.2b39aba2ef42p-3 << 0.0 << 0x1.6da18cbe8a19cp+4
                               << 0x1.0d5b046bc7122p+4;
        QTest::newRow("dark level") << 1024 << 1024 << 100.0 << 0x1.073ace13cc5e7p+0 << 0x1.6b260eb8b4623p+2 << 0.0
                                    << 0x1.e0e69cbac0cf5p+6;
    }

    void sameAsTheSerialEstimate()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(double, dark);
        NoiseModel want;
        QFETCH(double, gain);
        QFETCH(double, offset);
        QFETCH(double, readVariance);
        QFETCH(double, minimumVariance);
        want.gain = gain, want.offset = offset, want.readVariance = readVariance, want.minimumVariance = minimumVariance;
        compareModels(estimateNoiseModel(countsImage(width, height, dark)), want);
    }

    void independentOfThreads()
    {
        const FloatImage image = countsImage(1300, 1100);
        const NoiseModel one = withThreads(1, image);
        QVERIFY(one.gain > 0.5 && one.gain < 1.5);
        compareModels(withThreads(3, image), one);
        compareModels(withThreads(8, image), one);
    }
};

QTEST_GUILESS_MAIN(TestNoiseModel)
#include "test_noise_model.moc"
