// Synthetic micrographs: the images deterministic to the bit, and the random numbers, noise, probe and
// coordinate convention what synth.h promises. The planted truth itself: test_synth_truth.cpp.
#include "core/synth/random.h"
#include "core/synth/render.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "test_support.h"

#include <QtTest>

#include <tbb/global_control.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <numbers>

using namespace motifscope;
using namespace motifscope::synth;
using motifscope::test::cleanSynthOptions;
using motifscope::test::synthOptions;

class TestSynth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomIsReproducible();
    void randomDistributions_data();
    void randomDistributions();
    void presetsAndBadOptions();
    void sameOptionsSameBytes_data();
    void sameOptionsSameBytes();
    void threadCountDoesNotMatter();
    void imageDescription();
    void singleColumnCentroidIsTruth();
    void brightestPixelSitsOnTruth();
    void astigmaticProbeIsElliptical();
    void jitterMovesImageNotTruth();
    void shotNoiseIsPoisson();
};

namespace {

bool sameBits(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

} // namespace

void TestSynth::randomIsReproducible()
{
    Random a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
        const std::uint64_t x = a.next();
        QCOMPARE(x, b.next());
        differs = differs || x != c.next();
    }
    QVERIFY(differs);
    // Known first output of xoshiro256** seeded by SplitMix64(0) (reference implementations agree).
    Random zero(0);
    QCOMPARE(zero.next(), std::uint64_t(0x99EC5F36CB75F2B4ULL));
    QVERIFY(deriveSeed(1, 2, 3) != deriveSeed(1, 2, 4));
    QVERIFY(deriveSeed(1, 2, 3) != deriveSeed(1, 3, 3));
    QCOMPARE(deriveSeed(7, 8, 9), deriveSeed(7, 8, 9));
    for (int k : {0, 1, 5, 31, 32, 100, 5000}) // logFactorial against the summed logs
    {
        double sum = 0.0;
        for (int i = 2; i <= k; ++i)
            sum += std::log(double(i));
        QVERIFY2(std::fabs(logFactorial(k) - sum) < 1e-9 * std::max(1.0, sum), qPrintable(QString::number(k)));
    }
}

void TestSynth::randomDistributions_data()
{
    QTest::addColumn<double>("mean");
    for (double m : {0.3, 4.0, 9.9, 10.0, 29.0, 31.0, 200.0, 1e5})
        QTest::newRow(qPrintable(QString("poisson %1").arg(m))) << m;
}

void TestSynth::randomDistributions()
{
    QFETCH(double, mean);
    Random random(7);
    const int n = 200000;
    double sum = 0.0, sum2 = 0.0;
    for (int i = 0; i < n; ++i) {
        const double k = double(random.poisson(mean));
        sum += k;
        sum2 += k * k;
    }
    const double m = sum / n, var = sum2 / n - m * m;
    // Mean within 5 standard errors, variance within 3% (its relative error here is ~0.3-0.5%).
    QVERIFY2(std::fabs(m - mean) < 5.0 * std::sqrt(mean / n), qPrintable(QString("mean %1").arg(m)));
    QVERIFY2(std::fabs(var / mean - 1.0) < 0.03, qPrintable(QString("variance %1").arg(var)));

    // Goodness of fit against the exact probabilities (bins expecting >= 50 draws, the rest pooled).
    Random fresh(8);
    std::map<std::uint64_t, double> histogram;
    for (int i = 0; i < n; ++i)
        histogram[fresh.poisson(mean)] += 1.0;
    double chi2 = 0.0, restObserved = n, restExpected = n;
    int bins = 0;
    const std::uint64_t top = std::uint64_t(mean + 10.0 * std::sqrt(mean) + 20.0);
    for (std::uint64_t k = 0; k <= top; ++k) {
        const double expected = n * std::exp(double(k) * std::log(mean) - mean - logFactorial(double(k)));
        if (expected < 50.0)
            continue;
        const double observed = histogram.count(k) ? histogram[k] : 0.0;
        chi2 += (observed - expected) * (observed - expected) / expected;
        restObserved -= observed;
        restExpected -= expected;
        ++bins;
    }
    if (restExpected > 5.0)
        chi2 += (restObserved - restExpected) * (restObserved - restExpected) / restExpected;
    QVERIFY2(chi2 < bins + 4.5 * std::sqrt(2.0 * bins), qPrintable(QString("chi2 %1 over %2 bins").arg(chi2).arg(bins)));

    // Uniform and normal moments from the same generator.
    double u1 = 0.0, z1 = 0.0, z2 = 0.0, z4 = 0.0;
    for (int i = 0; i < n; ++i) {
        const double u = random.uniform();
        QVERIFY(u >= 0.0 && u < 1.0);
        u1 += u;
        const double z = random.normal();
        z1 += z;
        z2 += z * z;
        z4 += z * z * z * z;
    }
    QVERIFY(std::fabs(u1 / n - 0.5) < 0.005);
    QVERIFY(std::fabs(z1 / n) < 0.01);
    QVERIFY(std::fabs(z2 / n - 1.0) < 0.015);
    QVERIFY(std::fabs(z4 / n - 3.0) < 0.1);
    int counts[3] = {0, 0, 0};
    for (int i = 0; i < 30000; ++i)
        counts[random.uniformInt(-1, 1) + 1]++;
    for (int c : counts)
        QVERIFY(std::abs(c - 10000) < 500);
}

void TestSynth::presetsAndBadOptions()
{
    const auto names = presetNames();
    QVERIFY(std::find(names.begin(), names.end(), "mixed-lattice") != names.end());
    QVERIFY(std::find(names.begin(), names.end(), "pentagon-network") != names.end());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthesize(synthOptions("no-such-preset", 64, 1)));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthesize(synthOptions("mixed-lattice", 8, 1)));
    SynthOptions o = synthOptions("mixed-lattice", 64, 1);
    o.dose = -1.0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthesize(o));
    o.dose = std::nan("");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthesize(o));
}

void TestSynth::sameOptionsSameBytes_data()
{
    QTest::addColumn<QString>("preset");
    QTest::newRow("mixed-lattice") << "mixed-lattice";
    QTest::newRow("pentagon-network") << "pentagon-network";
}

void TestSynth::sameOptionsSameBytes()
{
    QFETCH(QString, preset);
    const SynthResult a = synthesize(synthOptions(preset.toStdString(), 300, 11));
    const SynthResult b = synthesize(synthOptions(preset.toStdString(), 300, 11));
    const SynthResult c = synthesize(synthOptions(preset.toStdString(), 300, 12));
    QVERIFY(sameBits(a.image.pixels, b.image.pixels));
    QCOMPARE(a.truth.size(), b.truth.size());
    for (std::size_t i = 0; i < a.truth.size(); ++i) {
        QVERIFY(std::memcmp(&a.truth[i].x, &b.truth[i].x, sizeof(double)) == 0);
        QVERIFY(std::memcmp(&a.truth[i].y, &b.truth[i].y, sizeof(double)) == 0);
        QCOMPARE(a.truth[i].label, b.truth[i].label);
    }
    QCOMPARE(a.rings, b.rings);
    QVERIFY(!sameBits(a.image.pixels, c.image.pixels));
    QVERIFY(a.truth.size() != c.truth.size() || a.truth[0].x != c.truth[0].x);
}

void TestSynth::threadCountDoesNotMatter()
{
    SynthOptions o = synthOptions("mixed-lattice", 700, 5);
    SynthResult parallel = synthesize(o);
    SynthResult serial;
    {
        tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        serial = synthesize(o);
    }
    QVERIFY(sameBits(parallel.image.pixels, serial.image.pixels));
}

void TestSynth::imageDescription()
{
    SynthOptions o = synthOptions("mixed-lattice", 128, 3);
    o.dose = 50.0;
    const SynthResult r = synthesize(o);
    QCOMPARE(r.image.width, 128);
    QCOMPARE(r.image.height, 128);
    QCOMPARE(r.image.pixels.size(), std::size_t(128 * 128));
    QCOMPARE(QString::fromStdString(r.image.dtype), QString("float32"));
    QCOMPARE(QString::fromStdString(r.image.format), QString("synthetic"));
    QCOMPARE(QString::fromStdString(r.image.calibration.unit), QString("nm"));
    QVERIFY(std::fabs(r.image.calibration.pixelSizeX * r.latticePeriod - 0.32) < 1e-12);
    QCOMPARE(QString::fromStdString(r.image.metadata.at("Synth.Preset")), QString("mixed-lattice"));
    QCOMPARE(QString::fromStdString(r.image.metadata.at("Synth.Seed")), QString("3"));
    QCOMPARE(QString::fromStdString(r.image.metadata.at("Synth.Dose")), QString("50"));
    QCOMPARE(r.labelNames.size(), std::size_t(3));
    QCOMPARE(r.motifNames.size(), std::size_t(4));
    for (float v : r.image.pixels) // whole counts, non-negative
        QVERIFY(v >= 0.0f && v == std::floor(v));
    QVERIFY(std::fabs(r.columnSigma - 0.13 * r.latticePeriod) < 1e-12);
}

void TestSynth::singleColumnCentroidIsTruth()
{
    // One isolated column at sub-pixel positions, no noise, no background, no jitter: the
    // intensity-weighted centroid of its pixels must be the planted position (origin = pixel centre).
    for (const auto& [x, y] : std::vector<std::pair<double, double>>{{20.0, 20.0}, {31.37, 17.81}, {0.5, 63.5}, {40.93, 40.08}}) {
        RenderSettings settings;
        settings.width = 64;
        settings.height = 80;
        settings.sigma = 1.56;
        settings.noise = false;
        settings.dose = 1.0;
        const double px = std::clamp(x, 12.0, 50.0), py = y;
        const std::vector<float> image = renderColumns({{px, py, 1.0}}, BackgroundField::flat(0.0), settings);
        double sum = 0.0, sx = 0.0, sy = 0.0;
        for (int yy = 0; yy < settings.height; ++yy)
            for (int xx = 0; xx < settings.width; ++xx) {
                const double v = image[std::size_t(yy) * settings.width + xx];
                sum += v;
                sx += v * xx;
                sy += v * yy;
            }
        QVERIFY2(std::fabs(sx / sum - px) < 0.01 && std::fabs(sy / sum - py) < 0.01,
                 qPrintable(QString("planted (%1, %2), centroid (%3, %4)").arg(px).arg(py).arg(sx / sum).arg(sy / sum)));
        QVERIFY(std::fabs(sum - 2.0 * std::numbers::pi * 1.56 * 1.56) < 1e-3); // the Gaussian's full volume
        // The peak value is the amplitude when the column sits on a pixel centre.
        if (px == std::floor(px) && py == std::floor(py))
            QCOMPARE(image[std::size_t(py) * settings.width + std::size_t(px)], 1.0f);
    }
}

void TestSynth::brightestPixelSitsOnTruth()
{
    // End to end through synthesize(): noise and jitter off, every heavy column away from grain
    // boundaries is brightest at its rounded truth position (catches x/y swaps and half-pixel shifts).
    const SynthOptions o = cleanSynthOptions("mixed-lattice", 400, 6);
    const SynthResult r = synthesize(o);
    int checked = 0;
    for (const TruthColumn& c : r.truth) {
        const int rx = int(std::lround(c.x)), ry = int(std::lround(c.y));
        if (c.species != 0 || c.nearBoundary || rx < 2 || ry < 2 || rx > 397 || ry > 397)
            continue;
        if (std::fabs(c.x - std::round(c.x)) > 0.4 || std::fabs(c.y - std::round(c.y)) > 0.4)
            continue;
        float best = -1.0f;
        int bx = 0, by = 0;
        for (int y = ry - 2; y <= ry + 2; ++y)
            for (int x = rx - 2; x <= rx + 2; ++x)
                if (r.image.at(x, y) > best) {
                    best = r.image.at(x, y);
                    bx = x;
                    by = y;
                }
        QCOMPARE(bx, rx);
        QCOMPARE(by, ry);
        ++checked;
    }
    QVERIFY(checked > 100);
}

/**
 * --astigmatism: one column drawn noise-free on a zero background has the second moments of the
 * tilted ellipse (long axis sigma sqrt(A) at the set angle, short sigma / sqrt(A)), the same total
 * as the round column, and a round probe is the isotropic Gaussian.
 */
void TestSynth::astigmaticProbeIsElliptical()
{
    RenderSettings settings;
    settings.width = settings.height = 96;
    settings.sigma = 3.0;
    settings.dose = 1.0;
    settings.noise = false;
    const std::vector<RenderColumn> column{{47.3, 48.6, 1.0}};
    auto moments = [&](double ratio) {
        settings.astigmatism = ratio;
        const std::vector<float> px = renderColumns(column, BackgroundField::flat(0.0), settings);
        double m0 = 0, mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
        for (int y = 0; y < settings.height; ++y)
            for (int x = 0; x < settings.width; ++x) {
                const double v = px[std::size_t(y) * std::size_t(settings.width) + std::size_t(x)];
                m0 += v, mx += v * x, my += v * y;
                mxx += v * x * x, myy += v * y * y, mxy += v * x * y;
            }
        mx /= m0, my /= m0;
        return std::array<double, 6>{m0, mx, my, mxx / m0 - mx * mx, myy / m0 - my * my, mxy / m0 - mx * my};
    };
    const auto round = moments(1.0);
    QVERIFY(std::abs(round[3] - 9.0) < 0.01 && std::abs(round[4] - 9.0) < 0.01 && std::abs(round[5]) < 0.01);
    const double ratio = 1.7, angle = settings.astigmatismAngle;
    const auto m = moments(ratio);
    QVERIFY(std::abs(m[0] / round[0] - 1.0) < 1e-3); // same integrated intensity
    QVERIFY(std::abs(m[1] - 47.3) < 1e-3 && std::abs(m[2] - 48.6) < 1e-3);
    const double a = 9.0 * ratio, b = 9.0 / ratio, c = std::cos(angle), s = std::sin(angle);
    QVERIFY2(std::abs(m[3] - (a * c * c + b * s * s)) < 0.02, qPrintable(QString::number(m[3])));
    QVERIFY2(std::abs(m[4] - (a * s * s + b * c * c)) < 0.02, qPrintable(QString::number(m[4])));
    QVERIFY2(std::abs(m[5] - (a - b) * c * s) < 0.02, qPrintable(QString::number(m[5])));

    SynthOptions bad = synthOptions("mixed-lattice", 64, 1);
    bad.astigmatism = 0.5;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthesize(bad));
}

void TestSynth::jitterMovesImageNotTruth()
{
    const SynthOptions still = cleanSynthOptions("pentagon-network", 256, 9);
    SynthOptions shaken = still;
    shaken.jitter = 0.3;
    const SynthResult a = synthesize(still), b = synthesize(shaken);
    QCOMPARE(a.truth.size(), b.truth.size());
    for (std::size_t i = 0; i < a.truth.size(); ++i)
        QVERIFY(a.truth[i].x == b.truth[i].x && a.truth[i].y == b.truth[i].y);
    QVERIFY(!sameBits(a.image.pixels, b.image.pixels));

    RenderSettings settings;
    settings.width = 32;
    settings.height = 4000;
    settings.jitter = 0.3;
    const std::vector<double> shifts = scanRowShifts(settings);
    double s2 = 0.0, lag = 0.0;
    for (std::size_t i = 0; i < shifts.size(); ++i) {
        s2 += shifts[i] * shifts[i];
        if (i > 0)
            lag += shifts[i] * shifts[i - 1];
    }
    const double rms = std::sqrt(s2 / shifts.size());
    QVERIFY2(std::fabs(rms - 0.3) < 0.05, qPrintable(QString("rms %1").arg(rms)));
    const double correlation = lag / s2;
    QVERIFY(correlation > 0.4 && correlation < 0.8); // correlated scan lines, not white noise
}

void TestSynth::shotNoiseIsPoisson()
{
    // A flat region: variance equals mean for counts.
    RenderSettings settings;
    settings.width = 256;
    settings.height = 256;
    settings.dose = 200.0;
    const std::vector<float> flat = renderColumns({}, BackgroundField::flat(0.04), settings); // 8 counts
    double sum = 0.0, sum2 = 0.0;
    for (float v : flat) {
        sum += v;
        sum2 += double(v) * v;
    }
    const double mean = sum / flat.size(), var = sum2 / flat.size() - mean * mean;
    QVERIFY2(std::fabs(mean - 8.0) < 0.05, qPrintable(QString("mean %1").arg(mean)));
    QVERIFY2(std::fabs(var / mean - 1.0) < 0.03, qPrintable(QString("variance/mean %1").arg(var / mean)));

    // A whole synthetic image against its noise-free twin: (image - expected)^2 / expected ~ 1.
    SynthOptions noisy = synthOptions("mixed-lattice", 512, 10);
    SynthOptions clean = noisy;
    clean.noise = false;
    const SynthResult n = synthesize(noisy), c = synthesize(clean);
    double chi2 = 0.0, bias = 0.0, peak = 0.0;
    for (std::size_t i = 0; i < n.image.pixels.size(); ++i) {
        const double expected = c.image.pixels[i];
        const double residual = n.image.pixels[i] - expected;
        chi2 += residual * residual / expected;
        bias += residual;
        peak = std::max(peak, expected);
    }
    chi2 /= n.image.pixels.size();
    QVERIFY2(std::fabs(chi2 - 1.0) < 0.02, qPrintable(QString("chi2 per pixel %1").arg(chi2)));
    QVERIFY(std::fabs(bias / n.image.pixels.size()) < 0.05);
    QVERIFY2(peak > 170.0 && peak < 300.0, qPrintable(QString("brightest expected pixel %1").arg(peak)));

    // A lower dose is noisier relative to the signal.
    SynthOptions low = clean;
    low.dose = 20.0;
    low.noise = true;
    SynthOptions lowClean = low;
    lowClean.noise = false;
    const SynthResult l = synthesize(low), lc = synthesize(lowClean);
    double relHigh = 0.0, relLow = 0.0;
    for (std::size_t i = 0; i < l.image.pixels.size(); ++i) {
        relHigh += std::pow((n.image.pixels[i] - c.image.pixels[i]) / 200.0, 2);
        relLow += std::pow((l.image.pixels[i] - lc.image.pixels[i]) / 20.0, 2);
    }
    QVERIFY(relLow > 5.0 * relHigh);
}

QTEST_GUILESS_MAIN(TestSynth)
#include "test_synth.moc"
