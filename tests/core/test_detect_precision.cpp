// Position precision of the detected columns against the Cramer-Rao bound (CRB) of the image:
// interior columns, grain boundaries (neighbours closer than usual), dumbbells (pairs 1.2 to 2
// column widths apart, unresolved by eye) and columns cut by the image border. Also the CRB
// function itself, and whether each column's reported positionSigma matches its actual error.
#include "core/detect/column_detector.h"
#include "core/detect/cramer_rao.h"
#include "core/detect/refine.h"
#include "core/synth/random.h"
#include "core/synth/render.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "synth_truth_match.h"

#include <QtTest>

#include <Eigen/Dense>

#include <cmath>
#include <cstdlib>

using namespace motifscope;

namespace {

constexpr double kDose = 60.0;        ///< counts at a bright column's peak
constexpr double kSigma = 2.0;        ///< column width (std), pixels
constexpr double kBackground = 0.04;  ///< of a bright column's peak

/** A planted column: true position, amplitude and flat background (image units = counts). */
struct Truth
{
    double x = 0, y = 0, amplitude = 0, background = 0;
    int partner = -1; ///< the other column of a dumbbell
};

struct Scene
{
    Micrograph image;
    std::vector<Truth> truth;
    double sigma = kSigma;
};

/** Poisson counts: the noise model of the synthetic images (variance = mean). */
NoiseModel poisson()
{
    NoiseModel n;
    n.gain = 1.0;
    return n;
}

Scene render(int size, const std::vector<Truth>& truth, std::uint64_t seed)
{
    std::vector<synth::RenderColumn> columns;
    for (const Truth& t : truth)
        columns.push_back({t.x, t.y, t.amplitude / kDose});
    synth::RenderSettings settings;
    settings.width = settings.height = size;
    settings.sigma = kSigma;
    settings.dose = kDose;
    settings.seed = seed;
    Scene s;
    s.image.width = s.image.height = size;
    s.image.pixels = synth::renderColumns(columns, synth::BackgroundField::flat(kBackground), settings);
    s.image.dtype = "float32";
    s.truth = truth;
    return s;
}

/** A rotated square lattice (spacing 12 px) of single columns, or of dumbbells `separation` px apart. */
Scene lattice(int size, double separation, std::uint64_t seed)
{
    synth::Random random(seed);
    const double spacing = 12.0, angle = random.uniform(0.0, 1.5), axis = random.uniform(0.0, 3.1);
    const double ox = random.uniform(0.0, spacing), oy = random.uniform(0.0, spacing);
    std::vector<Truth> truth;
    const int range = int(size / spacing) + 3;
    for (int i = -range; i <= range; ++i)
        for (int j = -range; j <= range; ++j) {
            const double u = i * spacing, v = j * spacing;
            const double cx = size / 2.0 + ox + std::cos(angle) * u - std::sin(angle) * v;
            const double cy = size / 2.0 + oy + std::sin(angle) * u + std::cos(angle) * v;
            const int members = separation > 0.0 ? 2 : 1;
            std::vector<Truth> group;
            for (int m = 0; m < members; ++m) {
                const double h = members == 2 ? (m == 0 ? -0.5 : 0.5) * separation : 0.0;
                Truth t{cx + h * std::cos(axis), cy + h * std::sin(axis), kDose, kBackground * kDose};
                if (t.x < 0 || t.y < 0 || t.x > size - 1 || t.y > size - 1)
                    group.clear(), m = members;
                else
                    group.push_back(t);
            }
            if (int(group.size()) != members)
                continue;
            if (members == 2) {
                group[0].partner = int(truth.size()) + 1;
                group[1].partner = int(truth.size());
            }
            truth.insert(truth.end(), group.begin(), group.end());
        }
    return render(size, truth, seed);
}

/**
 * A preset at dose 60, no jitter (mixed-lattice: column width 2 px, blur added), with each
 * column's amplitude and local background measured on the noise-free rendering by linear least
 * squares at the true positions (the presets do not export them).
 */
struct MixedScene
{
    Scene scene;
    std::vector<synth::TruthColumn> columns;
};

MixedScene presetScene(const char* preset, int size, std::uint64_t seed)
{
    synth::SynthOptions o = test::synthOptions(preset, size, seed, kDose);
    o.jitter = 0.0;
    if (o.preset == "mixed-lattice")
        o.blur = std::sqrt(kSigma * kSigma - 1.56 * 1.56); // columns 2 px wide
    const synth::SynthResult noisy = synth::synthesize(o);
    o.noise = false;
    const synth::SynthResult clean = synth::synthesize(o);
    MixedScene m;
    m.columns = noisy.truth;
    m.scene.image = noisy.image;
    m.scene.sigma = noisy.columnSigma;
    const double s = noisy.columnSigma;
    auto g = [&](double dx, double dy) { return std::exp(-(dx * dx + dy * dy) / (2 * s * s)); };
    std::vector<Truth>& truth = m.scene.truth;
    for (const auto& t : noisy.truth)
        truth.push_back({t.x, t.y, 0.0, 0.0});
    // Jacobi iterations: each column's (amplitude, background) with its neighbours held.
    for (int iteration = 0; iteration < 6; ++iteration) {
        std::vector<Truth> next = truth;
        for (std::size_t i = 0; i < truth.size(); ++i) {
            Eigen::Matrix2d a = Eigen::Matrix2d::Zero();
            Eigen::Vector2d b = Eigen::Vector2d::Zero();
            const int x0 = std::max(0, int(truth[i].x - 2 * s)), x1 = std::min(size - 1, int(truth[i].x + 2 * s) + 1);
            const int y0 = std::max(0, int(truth[i].y - 2 * s)), y1 = std::min(size - 1, int(truth[i].y + 2 * s) + 1);
            for (int y = y0; y <= y1; ++y)
                for (int x = x0; x <= x1; ++x) {
                    double value = clean.image.pixels[std::size_t(y) * size + x];
                    for (std::size_t j = 0; j < truth.size(); ++j)
                        if (j != i && std::abs(truth[j].x - x) < 5 * s && std::abs(truth[j].y - y) < 5 * s)
                            value -= truth[j].amplitude * g(x - truth[j].x, y - truth[j].y);
                    const Eigen::Vector2d row(g(x - truth[i].x, y - truth[i].y), 1.0);
                    a += row * row.transpose();
                    b += row * value;
                }
            const Eigen::Vector2d sol = a.ldlt().solve(b);
            next[i].amplitude = sol[0];
            next[i].background = sol[1];
        }
        truth = std::move(next);
    }
    return m;
}

/** The CRB of truth column i: its dumbbell partner estimated jointly, other neighbours known. */
PositionError bound(const Scene& s, int i)
{
    const Truth& t = s.truth[std::size_t(i)];
    std::vector<ModelColumn> partners, others;
    for (int j = 0; j < int(s.truth.size()); ++j) {
        const Truth& o = s.truth[std::size_t(j)];
        const double d = std::hypot(o.x - t.x, o.y - t.y);
        if (j == i || d > 10 * s.sigma)
            continue;
        (d < kPartnerWidths * s.sigma ? partners : others).push_back({o.x, o.y, o.amplitude});
    }
    return cramerRaoBound({t.x, t.y, t.amplitude}, partners, others, s.sigma, t.background, poisson(), s.image.width,
                          s.image.height);
}

/** Precision of one class of columns. */
struct Precision
{
    int count = 0, found = 0;
    double rmse = 0;      ///< sqrt(mean(dx^2 + dy^2))
    double crb = 0;       ///< sqrt(mean(crb_x^2 + crb_y^2)), the same kind of average
    double meanSigma = 0; ///< mean reported positionSigma
    double zStd = 0;      ///< std of dx / positionSigma and dy / positionSigma
    double ratio() const { return crb > 0 ? rmse / crb : 0; }
};

template <class Select>
Precision precision(const Scene& s, const AtomColumns& found, double tolerance, Select select)
{
    const std::vector<int> of = test::matchClosestFirst(s.truth, found, tolerance);
    Precision p;
    double err2 = 0, crb2 = 0, z2 = 0;
    int zCount = 0;
    for (int i = 0; i < int(s.truth.size()); ++i) {
        if (!select(i))
            continue;
        ++p.count;
        const int f = of[std::size_t(i)];
        if (f < 0)
            continue;
        ++p.found;
        const AtomColumn& c = found[std::size_t(f)];
        const double dx = c.x - s.truth[std::size_t(i)].x, dy = c.y - s.truth[std::size_t(i)].y;
        err2 += dx * dx + dy * dy;
        const PositionError b = bound(s, i);
        crb2 += b.x * b.x + b.y * b.y;
        p.meanSigma += c.positionSigma;
        if (c.positionSigma > 0) {
            z2 += (dx * dx + dy * dy) / (double(c.positionSigma) * c.positionSigma);
            zCount += 2;
        }
    }
    if (p.found > 0) {
        p.rmse = std::sqrt(err2 / p.found);
        p.crb = std::sqrt(crb2 / p.found);
        p.meanSigma /= p.found;
        p.zStd = zCount ? std::sqrt(z2 / zCount) : 0;
    }
    return p;
}

QString describe(const char* name, const Precision& p)
{
    return QStringLiteral("%1: %2 of %3 found, RMSE %4 px, CRB %5 px, RMSE/CRB %6, mean positionSigma %7 (x %8 of "
                          "RMSE/sqrt2), z std %9")
        .arg(QLatin1String(name))
        .arg(p.found)
        .arg(p.count)
        .arg(p.rmse, 0, 'f', 4)
        .arg(p.crb, 0, 'f', 4)
        .arg(p.ratio(), 0, 'f', 3)
        .arg(p.meanSigma, 0, 'f', 4)
        .arg(p.rmse > 0 ? p.meanSigma / (p.rmse / std::sqrt(2.0)) : 0, 0, 'f', 3)
        .arg(p.zStd, 0, 'f', 3);
}

/** The detection under test (MOTIFSCOPE_PRECISION_NO_JOINT=1 measures the single-column fits). */
DetectionParams params()
{
    DetectionParams p;
    p.jointFit = std::getenv("MOTIFSCOPE_PRECISION_NO_JOINT") == nullptr;
    return p;
}

double borderDistance(const Scene& s, int i)
{
    const Truth& t = s.truth[std::size_t(i)];
    return std::min({t.x, t.y, s.image.width - 1 - t.x, s.image.height - 1 - t.y});
}

/** Precision inside grains and at grain boundaries (columns more than 3 widths from the border). */
struct GrainPrecision
{
    Precision interior;
    Precision boundary;
};

GrainPrecision grainPrecision(const MixedScene& m)
{
    const Scene& s = m.scene;
    const DetectionResult d = detectColumns(s.image, params());
    auto inside = [&](int i) { return borderDistance(s, i) > 3 * s.sigma; };
    auto atBoundary = [&](int i) { return m.columns[std::size_t(i)].nearBoundary; };
    return {precision(s, d.columns, 3.0, [&](int i) { return inside(i) && !atBoundary(i); }),
            precision(s, d.columns, 3.0, [&](int i) { return inside(i) && atBoundary(i); })};
}

} // namespace

class TestDetectPrecision : public QObject
{
    Q_OBJECT

private slots:
    void boundMatchesIndependentFisherSum();
    void boundMatchesHighDoseLimit();
    void interiorColumnsReachTheBound();
    void grainBoundaryColumns();
    void overlappingLightAtoms();
    void dumbbells_data();
    void dumbbells();
    void dumbbellsFittedJointly_data();
    void dumbbellsFittedJointly();
    void elongatedColumnsStaySingle();
};

// The CRB function against a Fisher matrix summed here, independently, for one Gaussian on a flat
// background with Poisson noise: parameters (A, x0, y0, s, B), bound = sqrt of (F^-1)_xx.
void TestDetectPrecision::boundMatchesIndependentFisherSum()
{
    const double a = 50.0, x0 = 20.3, y0 = 19.6, s = 1.8, b = 4.0;
    Eigen::Matrix<double, 5, 5> f = Eigen::Matrix<double, 5, 5>::Zero();
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 40; ++x) {
            if (std::hypot(x - x0, y - y0) > kBoundReachWidths * s)
                continue;
            const double r2 = (x - x0) * (x - x0) + (y - y0) * (y - y0);
            const double e = std::exp(-r2 / (2 * s * s));
            const double mean = a * e + b;
            Eigen::Matrix<double, 5, 1> d;
            d << e, a * e * (x - x0) / (s * s), a * e * (y - y0) / (s * s), a * e * r2 / (s * s * s), 1.0;
            f += d * d.transpose() / mean;
        }
    const Eigen::Matrix<double, 5, 5> c = f.inverse();
    const PositionError bound = cramerRaoBound({x0, y0, a}, {}, {}, s, b, poisson(), 40, 40);
    QVERIFY2(std::abs(bound.x / std::sqrt(c(1, 1)) - 1) < 1e-6, qPrintable(QString::number(bound.x)));
    QVERIFY2(std::abs(bound.y / std::sqrt(c(2, 2)) - 1) < 1e-6, qPrintable(QString::number(bound.y)));
    // A known neighbour adds counts (noise) but no parameters: the bound grows.
    const std::vector<ModelColumn> neighbour{{x0 + 5.0, y0, a}};
    QVERIFY(cramerRaoBound({x0, y0, a}, {}, neighbour, s, b, poisson(), 40, 40).x > bound.x);
    // The same neighbour estimated jointly (a partner) costs more information still.
    QVERIFY(cramerRaoBound({x0, y0, a}, neighbour, {}, s, b, poisson(), 40, 40).x >
            cramerRaoBound({x0, y0, a}, {}, neighbour, s, b, poisson(), 40, 40).x);
}

// Shot-noise limit: a wide Gaussian of N counts in total on a negligible background locates to
// s / sqrt(N) per axis (the standard error of the mean of N photon positions).
void TestDetectPrecision::boundMatchesHighDoseLimit()
{
    const double s = 3.0, a = 1000.0, n = 2 * M_PI * s * s * a;
    const PositionError bound = cramerRaoBound({30.2, 29.7, a}, {}, {}, s, 1e-3 * a, poisson(), 60, 60);
    const double expected = s / std::sqrt(n);
    QVERIFY2(std::abs(bound.x / expected - 1) < 0.03, qPrintable(QStringLiteral("%1 vs %2").arg(bound.x).arg(expected)));
    QVERIFY2(std::abs(bound.y / expected - 1) < 0.03, qPrintable(QStringLiteral("%1 vs %2").arg(bound.y).arg(expected)));
}

void TestDetectPrecision::interiorColumnsReachTheBound()
{
    const Scene s = lattice(384, 0.0, 5);
    const DetectionResult d = detectColumns(s.image, params());
    const Precision interior =
        precision(s, d.columns, 3.0, [&](int i) { return borderDistance(s, i) > 3 * s.sigma; });
    const Precision border = precision(s, d.columns, 3.0, [&](int i) { return borderDistance(s, i) < 6.0; });
    qInfo().noquote() << describe("interior", interior);
    qInfo().noquote() << describe("border", border);
    QVERIFY(interior.count > 600);
    QCOMPARE(interior.found, interior.count);
    QVERIFY2(interior.ratio() <= 1.25, qPrintable(describe("interior", interior)));
    // The reported uncertainty is the actual one: per axis, RMSE / sqrt(2) = positionSigma.
    const double calibration = interior.meanSigma / (interior.rmse / std::sqrt(2.0));
    QVERIFY2(calibration >= 0.8 && calibration <= 1.25, qPrintable(describe("interior", interior)));
    QVERIFY2(interior.zStd >= 0.85 && interior.zStd <= 1.2, qPrintable(describe("interior", interior)));
    // Columns cut by the border: found and fitted, near their (larger, clipped-grid) bound.
    QVERIFY(border.count > 40);
    QVERIFY2(border.found >= border.count - 1, qPrintable(describe("border", border)));
    int fitted = 0;
    const std::vector<int> of = test::matchClosestFirst(s.truth, d.columns, 3.0);
    for (int i = 0; i < int(s.truth.size()); ++i)
        if (borderDistance(s, i) < 6.0 && of[std::size_t(i)] >= 0) {
            const AtomColumn& c = d.columns[std::size_t(of[std::size_t(i)])];
            fitted += c.refinement == Refinement::GaussianFit && c.positionSigma > 0.0f;
        }
    QVERIFY2(fitted >= border.found - 1, qPrintable(QStringLiteral("%1 of %2 fitted").arg(fitted).arg(border.found)));
    QVERIFY2(border.ratio() <= 1.6, qPrintable(describe("border", border)));
}

void TestDetectPrecision::grainBoundaryColumns()
{
    const GrainPrecision p = grainPrecision(presetScene("mixed-lattice", 512, 7));
    qInfo().noquote() << describe("mixed-lattice interior", p.interior);
    qInfo().noquote() << describe("grain boundary", p.boundary);
    QVERIFY(p.boundary.count > 100);
    QVERIFY2(p.boundary.found >= p.boundary.count * 0.99, qPrintable(describe("grain boundary", p.boundary)));
    QVERIFY2(p.boundary.ratio() <= 1.6, qPrintable(describe("grain boundary", p.boundary)));
    QVERIFY2(p.interior.ratio() <= 1.25, qPrintable(describe("mixed-lattice interior", p.interior)));
}

void TestDetectPrecision::overlappingLightAtoms()
{
    // Graphene at low voltage: every atom overlaps its three neighbours (3.6 widths apart). Single
    // fits in small windows scatter in width and amplitude; subtracting neighbours by them made the
    // block updates diverge (RMSE 1 px, 10x the bound) until the first sweeps held the width.
    const auto [interior, boundary] = grainPrecision(presetScene("graphene", 512, 3));
    qInfo().noquote() << describe("graphene interior", interior);
    qInfo().noquote() << describe("graphene grain boundary", boundary);
    QVERIFY(interior.count > 500 && boundary.count > 100);
    QVERIFY2(interior.found >= interior.count * 0.995, qPrintable(describe("graphene interior", interior)));
    QVERIFY2(boundary.found >= boundary.count * 0.99, qPrintable(describe("graphene grain boundary", boundary)));
    // Seeds 1-5 give 1.17-1.35 inside grains and 1.2-2.3 at boundaries, where a few duplicate or
    // missed columns dominate the RMSE (the typical column is at the bound); diverging fits gave 8-9.
    QVERIFY2(interior.ratio() <= 1.4, qPrintable(describe("graphene interior", interior)));
    QVERIFY2(boundary.ratio() <= 2.5, qPrintable(describe("graphene grain boundary", boundary)));
}

void TestDetectPrecision::dumbbells_data()
{
    QTest::addColumn<double>("widths");
    QTest::newRow("1.2 sigma") << 1.2;
    QTest::newRow("1.5 sigma") << 1.5;
    QTest::newRow("2.0 sigma") << 2.0;
}

void TestDetectPrecision::dumbbells()
{
    QFETCH(double, widths);
    const Scene s = lattice(256, widths * kSigma, 9);
    // Default settings: detection sees the recurring pairs itself and detects again splitting them.
    const DetectionResult d = detectColumns(s.image, params());
    QVERIFY(d.used.splitPairs || !d.used.jointFit);
    auto inside = [&](int i) { return borderDistance(s, i) > 3 * s.sigma; };
    const Precision pairs = precision(s, d.columns, 0.5 * widths * kSigma, inside);
    qInfo().noquote() << describe(qPrintable(QStringLiteral("dumbbell %1 sigma").arg(widths)), pairs);
    QVERIFY(pairs.count > 500);
    // A pair closer than 2 widths shows one peak: detection finds one column, the model-order
    // test (splitUnresolvedPairs) makes it two, and the joint fit places both. At 1.2 sigma and
    // dose 60 about 3% of the pairs look round or fit a noise blob as their second member; once
    // the crystal is known to hold pairs, they are tried again along its recurring pair vector
    // (790 -> 802 of 817 found).
    QVERIFY2(pairs.found >= 0.98 * pairs.count, qPrintable(describe("dumbbell", pairs)));
    QVERIFY2(pairs.ratio() <= 1.6, qPrintable(describe("dumbbell", pairs)));
    // No extra columns: every column found belongs to a planted one.
    int extra = 0;
    const std::vector<int> of = test::matchClosestFirst(s.truth, d.columns, 0.5 * widths * kSigma);
    std::vector<char> used(d.columns.size(), 0);
    for (int k : of)
        if (k >= 0)
            used[std::size_t(k)] = 1;
    for (std::size_t k = 0; k < d.columns.size(); ++k) {
        const AtomColumn& c = d.columns[k];
        const bool inner = c.x > 3 * kSigma && c.y > 3 * kSigma && c.x < s.image.width - 3 * kSigma && c.y < s.image.height - 3 * kSigma;
        extra += inner && !used[k];
    }
    QVERIFY2(extra <= int(0.01 * pairs.count), qPrintable(QStringLiteral("%1 extra columns").arg(extra)));
}

void TestDetectPrecision::dumbbellsFittedJointly_data() { dumbbells_data(); }

// The fit alone: both columns of each pair given (at their nearest pixel, as a detection that
// resolved them would), the joint fit must reach the pair's bound.
void TestDetectPrecision::dumbbellsFittedJointly()
{
    QFETCH(double, widths);
    const Scene s = lattice(256, widths * kSigma, 9);
    FloatImage raw(s.image.width, s.image.height);
    std::copy(s.image.pixels.begin(), s.image.pixels.end(), raw.data.begin());
    AtomColumns columns;
    for (const Truth& t : s.truth) {
        AtomColumn c;
        c.x = std::round(t.x);
        c.y = std::round(t.y);
        c.intensity = float(t.amplitude);
        columns.push_back(c);
    }
    RefineParams rp;
    rp.radius = 0.35 * 12.0;
    rp.sigmaGuess = 0.12 * 12.0;
    rp.maxShift = 0.35 * 12.0;
    rp.noise = poisson();
    // Both columns of each pair are given: the fit alone. splitPairs says unresolved pairs are
    // expected (a flat-topped single fit is not a column); no member is lone, so none is split.
    rp.splitPairs = true;
    refineColumns(raw, columns, rp, nullptr);
    auto inside = [&](int i) { return borderDistance(s, i) > 3 * s.sigma; };
    const Precision pairs = precision(s, columns, 0.5 * widths * kSigma, inside);
    qInfo().noquote() << describe(qPrintable(QStringLiteral("dumbbell %1 sigma, fit only").arg(widths)), pairs);
    QVERIFY(pairs.count > 500);
    // Open: the single-column fits that start the joint fit pull both members of a pair towards
    // its middle, and the pair fit does not always recover from there.
    QEXPECT_FAIL("1.2 sigma", "single fits merge the members of a pair before the joint fit", Continue);
    QEXPECT_FAIL("2.0 sigma", "single fits merge the members of a pair before the joint fit", Continue);
    QVERIFY2(pairs.found >= 0.98 * pairs.count, qPrintable(describe("dumbbell", pairs)));
    QEXPECT_FAIL("1.5 sigma", "single fits merge the members of a pair before the joint fit", Continue);
    QEXPECT_FAIL("2.0 sigma", "single fits merge the members of a pair before the joint fit", Continue);
    QVERIFY2(pairs.ratio() <= 1.6, qPrintable(describe("dumbbell", pairs)));
}

// Astigmatism or drift makes every column elliptical along one direction (here axes 1.32:1): the
// single-Gaussian model then fails its chi-square on a scattered few percent of the columns, all
// with one pair vector (the bundled MoSe2 sample). Positions must stay at the bound, and the split
// test must leave the columns single. Still open: at axes 1.7:1 the residual search adds ~50
// columns on the lobes the round model leaves.
void TestDetectPrecision::elongatedColumnsStaySingle()
{
    const Scene round = lattice(256, 0.0, 11);
    const int size = round.image.width;
    const double sx = 1.15 * kSigma, sy = kSigma / 1.15, tilt = 0.6; // elliptical, axes tilted
    std::vector<double> mean(std::size_t(size) * std::size_t(size), kBackground * kDose);
    for (const Truth& t : round.truth)
        for (int y = std::max(0, int(t.y) - 12); y <= std::min(size - 1, int(t.y) + 12); ++y)
            for (int x = std::max(0, int(t.x) - 12); x <= std::min(size - 1, int(t.x) + 12); ++x) {
                const double dx = x - t.x, dy = y - t.y;
                const double u = std::cos(tilt) * dx + std::sin(tilt) * dy, v = -std::sin(tilt) * dx + std::cos(tilt) * dy;
                mean[std::size_t(y) * std::size_t(size) + std::size_t(x)] +=
                    t.amplitude * std::exp(-0.5 * (u * u / (sx * sx) + v * v / (sy * sy)));
            }
    synth::Random random(12);
    Scene s = round;
    for (std::size_t k = 0; k < mean.size(); ++k)
        s.image.pixels[k] = float(random.poisson(mean[k]));
    auto inside = [&](int i) { return borderDistance(s, i) > 3 * s.sigma; };
    for (const bool split : {false, true}) {
        DetectionParams p = params();
        p.splitPairs = split;
        const DetectionResult d = detectColumns(s.image, p);
        const Precision single = precision(s, d.columns, 0.5 * 12.0, inside);
        qInfo().noquote() << describe("elongated columns", single) << "split" << split << "columns found" << d.columns.size();
        QVERIFY(single.count > 300);
        QVERIFY2(single.found >= 0.99 * single.count, qPrintable(describe("elongated", single)));
        // The scan-jitter estimate must not take the tilted ellipse (a row shift growing down every
        // column) for a ramp of row shifts and shear the lattice: that moved columns by 3 px.
        // The bound is the round probe's; the elliptical one's is about the same.
        if (!split)
            QVERIFY2(single.rmse <= 1.5 * single.crb, qPrintable(describe("elongated", single)));
        // No column split in two: at most one column per planted one, plus a few at the border.
        // Column by column an elliptical Gaussian passes the split test (it differs from an
        // unresolved pair only in the fourth moment along the axis) and its pair vector recurs on
        // every column; the average of all the split columns tells them apart (pairsOrEllipse).
        QVERIFY2(d.columns.size() <= round.truth.size() + 5,
                 qPrintable(QStringLiteral("%1 columns for %2 planted").arg(d.columns.size()).arg(round.truth.size())));
    }
}

QTEST_GUILESS_MAIN(TestDetectPrecision)
#include "test_detect_precision.moc"
