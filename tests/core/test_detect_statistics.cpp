// Column detection against planted truth in the failure classes of real micrographs: low dose,
// a weak sublattice, a crystal on an amorphous support, isolated atoms without a lattice, and
// columns cut by the image border. Also the noise model the thresholds rest on.
#include "core/detect/column_detector.h"
#include "core/detect/noise_model.h"
#include "core/image/finite_image.h"
#include "core/synth/random.h"
#include "core/synth/render.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "synth_truth_match.h"

#include <QtTest>

#include <cmath>

using namespace motifscope;

namespace {

struct Planted
{
    Micrograph image;
    std::vector<std::pair<double, double>> truth;
    std::vector<int> label;
};

struct Score
{
    double recall = 0, precision = 0, f1 = 0;
    std::vector<double> recallByLabel;
};

/** One-to-one greedy matching within `tolerance` px (each found column takes its nearest free truth). */
Score score(const AtomColumns& found, const std::vector<std::pair<double, double>>& truth, const std::vector<int>& label,
            double tolerance)
{
    std::vector<char> used(truth.size(), 0);
    int tp = 0;
    for (int t : test::matchInTurn(found, truth, tolerance))
        if (t >= 0)
            used[std::size_t(t)] = 1, ++tp;
    Score s;
    s.recall = truth.empty() ? 1.0 : double(tp) / truth.size();
    s.precision = found.empty() ? 0.0 : double(tp) / found.size();
    s.f1 = s.recall + s.precision > 0 ? 2 * s.recall * s.precision / (s.recall + s.precision) : 0.0;
    const int labels = label.empty() ? 0 : *std::max_element(label.begin(), label.end()) + 1;
    std::vector<int> all(labels, 0), hit(labels, 0);
    for (std::size_t t = 0; t < truth.size(); ++t)
        ++all[label[t]], hit[label[t]] += used[t];
    for (int l = 0; l < labels; ++l)
        s.recallByLabel.push_back(all[l] ? double(hit[l]) / all[l] : 1.0);
    return s;
}

Planted fromSynth(const synth::SynthResult& r)
{
    Planted p;
    p.image = r.image;
    for (const auto& t : r.truth) {
        p.truth.push_back({t.x, t.y});
        p.label.push_back(t.label);
    }
    return p;
}

/** Detection with default settings on a synthetic preset, scored within `tolerance` periods. */
Score detectPreset(const char* preset, int size, double dose, std::uint64_t seed, double tolerance)
{
    const auto r = synth::synthesize(test::synthOptions(preset, size, seed, dose));
    const Planted p = fromSynth(r);
    const DetectionResult d = detectColumns(p.image, DetectionParams{});
    return score(d.columns, p.truth, p.label, tolerance * r.latticePeriod);
}

/** Renders truth columns (label, amplitude) plus untracked `texture` atoms, with Poisson noise. */
Planted render(int size, const std::vector<synth::RenderColumn>& columns, const std::vector<int>& labels,
               const std::vector<synth::RenderColumn>& texture, double sigma, double dose, double background)
{
    std::vector<synth::RenderColumn> all = columns;
    all.insert(all.end(), texture.begin(), texture.end());
    synth::RenderSettings settings;
    settings.width = settings.height = size;
    settings.sigma = sigma;
    settings.dose = dose;
    settings.seed = 11;
    Planted p;
    p.image.width = p.image.height = size;
    p.image.pixels = synth::renderColumns(all, synth::BackgroundField::flat(background), settings);
    p.image.dtype = "float32";
    for (const auto& c : columns)
        p.truth.push_back({c.x, c.y});
    p.label = labels;
    return p;
}

/** A perovskite-like [001] projection: square A lattice, B columns at the cell centres, `ratio` as bright. */
Planted weakSublattice(double ratio, double dose)
{
    const int size = 384;
    const double a = 12.0 * std::sqrt(2.0), angle = 0.3;
    std::vector<synth::RenderColumn> columns;
    std::vector<int> labels;
    for (int i = -40; i <= 40; ++i)
        for (int j = -40; j <= 40; ++j)
            for (int b = 0; b < 2; ++b) {
                const double u = (i + 0.5 * b) * a, v = (j + 0.5 * b) * a;
                const double x = size / 2.0 + std::cos(angle) * u - std::sin(angle) * v + 0.3;
                const double y = size / 2.0 + std::sin(angle) * u + std::cos(angle) * v + 0.7;
                if (x < 0 || y < 0 || x > size - 1 || y > size - 1)
                    continue;
                columns.push_back({x, y, b ? ratio : 1.0});
                labels.push_back(b);
            }
    return render(size, columns, labels, {}, 1.56, dose, 0.04);
}

/** Amorphous texture: dense, weak, randomly placed light atoms over the whole image. */
std::vector<synth::RenderColumn> amorphousSupport(int size, double perPixel, double amplitude,
                                                  double (*thickness)(double, double, int), std::uint64_t seed)
{
    synth::Random random(seed);
    std::vector<synth::RenderColumn> atoms;
    const int count = int(perPixel * size * size);
    for (int i = 0; i < count; ++i) {
        const double x = random.uniform(-3.0, size + 2.0), y = random.uniform(-3.0, size + 2.0);
        if (random.uniform() < thickness(x, y, size))
            atoms.push_back({x, y, amplitude});
    }
    return atoms;
}

double uniformThickness(double, double, int) { return 1.0; }
double rampThickness(double x, double, int size) { return 0.25 + 0.75 * x / size; }

} // namespace

class TestDetectStatistics : public QObject
{
    Q_OBJECT

private slots:
    void noiseModelFindsPoissonGain_data();
    void noiseModelFindsPoissonGain();
    void noiseModelFindsScaledCounts();
    void lowDose_data();
    void lowDose();
    void lowDoseGraphene_data();
    void lowDoseGraphene();
    void borderColumnsAreFound();
    void weakSublatticeIsFoundWhole_data();
    void weakSublatticeIsFoundWhole();
    void noColumnsOnAmorphousSupport();
    void weakCrystallineDomainIsKept_data();
    void weakCrystallineDomainIsKept();
    void isolatedAtomsWithoutLattice();
    void nanoparticleSurfaceColumns_data();
    void nanoparticleSurfaceColumns();
};

void TestDetectStatistics::noiseModelFindsPoissonGain_data()
{
    QTest::addColumn<double>("dose");
    QTest::newRow("dose 3") << 3.0;
    QTest::newRow("dose 25") << 25.0;
    QTest::newRow("dose 200") << 200.0;
}

void TestDetectStatistics::noiseModelFindsPoissonGain()
{
    QFETCH(double, dose);
    const auto r = synth::synthesize(test::synthOptions("mixed-lattice", 512, 4, dose));
    const FloatImage raw = withFiniteValues(r.image.pixels.data(), r.image.width, r.image.height);
    const NoiseModel m = estimateNoiseModel(raw);
    // Raw counts: variance = mean. Check the variance predicted at a column peak and at the background.
    for (double level : {0.04 * dose, 0.5 * dose}) {
        const double ratio = m.variance(level) / level;
        QVERIFY2(ratio > 0.75 && ratio < 1.3, qPrintable(QStringLiteral("level %1: variance / mean %2").arg(level).arg(ratio)));
    }
}

void TestDetectStatistics::noiseModelFindsScaledCounts()
{
    // A detector with gain 7 counts per electron, a dark offset of 500 and read noise of std 4.
    const auto r = synth::synthesize(test::synthOptions("mixed-lattice", 512, 1, 50));
    FloatImage raw = withFiniteValues(r.image.pixels.data(), r.image.width, r.image.height);
    synth::Random random(9);
    for (float& v : raw.data)
        v = float(7.0 * v + 500.0 + 4.0 * random.normal());
    const NoiseModel m = estimateNoiseModel(raw);
    QVERIFY2(std::abs(m.gain / 7.0 - 1.0) < 0.25, qPrintable(QString::number(m.gain)));
    const double atPeak = m.variance(500.0 + 7.0 * 25.0), truePeak = 49.0 * 25.0 + 16.0;
    QVERIFY2(std::abs(atPeak / truePeak - 1.0) < 0.25, qPrintable(QString::number(atPeak)));
}

void TestDetectStatistics::lowDose_data()
{
    QTest::addColumn<double>("dose");
    QTest::addColumn<double>("minF1");
    QTest::newRow("dose 3") << 3.0 << 0.97;
    QTest::newRow("dose 10") << 10.0 << 0.99;
}

void TestDetectStatistics::lowDose()
{
    QFETCH(double, dose);
    QFETCH(double, minF1);
    const Score s = detectPreset("mixed-lattice", 768, dose, 3, 0.25);
    QVERIFY2(s.f1 >= minF1, qPrintable(QStringLiteral("F1 %1 (recall %2, precision %3)").arg(s.f1).arg(s.recall).arg(s.precision)));
}

void TestDetectStatistics::borderColumnsAreFound()
{
    const synth::SynthOptions o = test::synthOptions("mixed-lattice", 768, 3, 200);
    const auto r = synth::synthesize(o);
    const DetectionResult d = detectColumns(r.image, DetectionParams{});
    // Only the columns whose centre lies within 6 px of the border.
    Planted border;
    for (const auto& t : r.truth)
        if (std::min({t.x, t.y, o.size - 1 - t.x, o.size - 1 - t.y}) < 6.0) {
            border.truth.push_back({t.x, t.y});
            border.label.push_back(0);
        }
    QVERIFY(border.truth.size() > 50);
    const Score edge = score(d.columns, border.truth, border.label, 3.0);
    QVERIFY2(edge.recall >= 0.99, qPrintable(QString::number(edge.recall)));
    const Score all = score(d.columns, fromSynth(r).truth, fromSynth(r).label, 3.0);
    QVERIFY2(all.f1 >= 0.998, qPrintable(QString::number(all.f1)));
}

void TestDetectStatistics::weakSublatticeIsFoundWhole_data()
{
    QTest::addColumn<double>("ratio");
    QTest::newRow("0.15") << 0.15;
    QTest::newRow("0.2") << 0.2;
    QTest::newRow("0.3") << 0.3;
}

void TestDetectStatistics::weakSublatticeIsFoundWhole()
{
    QFETCH(double, ratio);
    const Planted p = weakSublattice(ratio, 100.0);
    const DetectionResult d = detectColumns(p.image, DetectionParams{});
    const Score s = score(d.columns, p.truth, p.label, 3.0);
    QVERIFY2(s.recallByLabel.at(1) >= 0.99, qPrintable(QStringLiteral("weak recall %1").arg(s.recallByLabel.at(1))));
    QVERIFY2(s.recallByLabel.at(0) >= 0.99, qPrintable(QStringLiteral("bright recall %1").arg(s.recallByLabel.at(0))));
    QVERIFY2(s.precision >= 0.99, qPrintable(QStringLiteral("precision %1").arg(s.precision)));
}

void TestDetectStatistics::noColumnsOnAmorphousSupport()
{
    // A round crystal (square lattice, spacing 12 px) on an amorphous film that covers the image.
    const int size = 384;
    std::vector<synth::RenderColumn> columns;
    std::vector<int> labels;
    for (int i = -20; i <= 20; ++i)
        for (int j = -20; j <= 20; ++j) {
            const double x = size / 2.0 + 12.0 * i + 0.4, y = size / 2.0 + 12.0 * j - 0.3;
            if (std::hypot(x - size / 2.0, y - size / 2.0) < 0.3 * size) {
                columns.push_back({x, y, 1.0});
                labels.push_back(0);
            }
        }
    const auto film = amorphousSupport(size, 0.15, 0.06, uniformThickness, 21);
    const Planted p = render(size, columns, labels, film, 1.56, 150.0, 0.05);
    const DetectionResult d = detectColumns(p.image, DetectionParams{});
    const Score s = score(d.columns, p.truth, p.label, 3.0);
    QVERIFY2(s.precision >= 0.98, qPrintable(QStringLiteral("precision %1 (%2 found)").arg(s.precision).arg(d.columns.size())));
    QVERIFY2(s.recall >= 0.97, qPrintable(QStringLiteral("recall %1").arg(s.recall)));
}

void TestDetectStatistics::weakCrystallineDomainIsKept_data()
{
    QTest::addColumn<double>("ratio");
    QTest::newRow("0.3") << 0.3;
    QTest::newRow("0.2") << 0.2;
}

void TestDetectStatistics::weakCrystallineDomainIsKept()
{
    // Two domains of one hexagonal lattice (spacing 12 px), the right one `ratio` as bright (a
    // thinner region, or a stacking with less channelling): its contrast is far below the left's,
    // as an amorphous support's would be, but it is a crystal and must not be masked out.
    QFETCH(double, ratio);
    const int size = 384;
    std::vector<synth::RenderColumn> columns;
    std::vector<int> labels;
    for (int i = -40; i <= 40; ++i)
        for (int j = -40; j <= 40; ++j) {
            const double x = size / 2.0 + 12.0 * (i + 0.5 * j) + 0.3, y = size / 2.0 + 12.0 * std::sqrt(0.75) * j + 0.2;
            if (x < 0 || y < 0 || x > size - 1 || y > size - 1)
                continue;
            const bool weak = x >= size / 2.0;
            columns.push_back({x, y, weak ? ratio : 1.0});
            labels.push_back(weak ? 1 : 0);
        }
    const Planted p = render(size, columns, labels, {}, 1.56, 100.0, 0.04);
    const DetectionResult d = detectColumns(p.image, DetectionParams{});
    const Score s = score(d.columns, p.truth, p.label, 3.0);
    QVERIFY2(s.recallByLabel.at(1) >= 0.99, qPrintable(QStringLiteral("weak domain recall %1").arg(s.recallByLabel.at(1))));
    QVERIFY2(s.recallByLabel.at(0) >= 0.99, qPrintable(QStringLiteral("bright domain recall %1").arg(s.recallByLabel.at(0))));
    QVERIFY2(s.precision >= 0.99, qPrintable(QStringLiteral("precision %1").arg(s.precision)));
}

void TestDetectStatistics::isolatedAtomsWithoutLattice()
{
    // Single heavy atoms, at least 30 px apart, on a carbon film thickening across the image.
    const int size = 512;
    synth::Random random(5);
    std::vector<synth::RenderColumn> atoms;
    std::vector<int> labels;
    for (int tries = 0; tries < 4000 && atoms.size() < 120; ++tries) {
        const double x = random.uniform(4.0, size - 5.0), y = random.uniform(4.0, size - 5.0);
        bool free = true;
        for (const auto& a : atoms)
            free = free && std::hypot(a.x - x, a.y - y) >= 30.0;
        if (free) {
            atoms.push_back({x, y, 1.0});
            labels.push_back(0);
        }
    }
    const auto film = amorphousSupport(size, 0.3, 0.05, rampThickness, 22);
    const Planted p = render(size, atoms, labels, film, 1.8, 60.0, 0.05);
    DetectionResult d;
    try {
        d = detectColumns(p.image, DetectionParams{});
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
    const Score s = score(d.columns, p.truth, p.label, 3.0);
    QVERIFY2(s.recall >= 0.95, qPrintable(QStringLiteral("recall %1").arg(s.recall)));
    QVERIFY2(s.precision >= 0.98, qPrintable(QStringLiteral("precision %1 (%2 found)").arg(s.precision).arg(d.columns.size())));
}

void TestDetectStatistics::lowDoseGraphene_data()
{
    QTest::addColumn<double>("dose");
    QTest::addColumn<double>("minPrecision");
    QTest::newRow("dose 10") << 10.0 << 0.99;
    QTest::newRow("dose 5") << 5.0 << 0.95;
    QTest::newRow("dose 3") << 3.0 << 0.95;
}

void TestDetectStatistics::lowDoseGraphene()
{
    // Light atoms under a wide probe: every atom overlaps its three neighbours. Noise on the
    // flanks used to pass as columns: judged against the background's noise in the residual pass,
    // kept beside the atom it sits on, and found with a matched filter sized by single fits that
    // narrow onto noisy pixels at a few counts (1.3 px for 3.4). Precision at dose 5 / 3 was
    // 0.91 / 0.75; now 0.99 / 0.95.
    QFETCH(double, dose);
    QFETCH(double, minPrecision);
    const Score s = detectPreset("graphene", 512, dose, 1, 0.35);
    const QString text = QStringLiteral("recall %1, precision %2").arg(s.recall).arg(s.precision);
    qInfo().noquote() << text;
    QVERIFY2(s.recall >= 0.99, qPrintable(text));
    QVERIFY2(s.precision >= minPrecision, qPrintable(text));
}

void TestDetectStatistics::nanoparticleSurfaceColumns_data()
{
    QTest::addColumn<int>("seed");
    QTest::newRow("seed 1") << 1;
    QTest::newRow("seed 2") << 2;
    QTest::newRow("seed 4") << 4;
}

void TestDetectStatistics::nanoparticleSurfaceColumns()
{
    // A particle whose outermost columns (0.1 .. 0.3 of the brightest) are as weak as the speckle
    // of the film it lies on: the contrast mask, judging blocks, left all but 9% of them out. Found
    // now where the crystal's rows predict them (crystalRimColumns), without columns on the film.
    QFETCH(int, seed);
    const Score s = detectPreset("nanoparticle", 512, 200.0, std::uint64_t(seed), 0.25);
    const QString text = QStringLiteral("interior recall %1, surface recall %2, precision %3")
                             .arg(s.recallByLabel.at(0)).arg(s.recallByLabel.at(1)).arg(s.precision);
    qInfo().noquote() << text;
    QVERIFY2(s.recallByLabel.at(0) >= 0.99, qPrintable(text));
    QVERIFY2(s.recallByLabel.at(1) >= 0.6, qPrintable(text));
    QVERIFY2(s.precision >= 0.98, qPrintable(text));
}

QTEST_GUILESS_MAIN(TestDetectStatistics)
#include "test_detect_statistics.moc"
