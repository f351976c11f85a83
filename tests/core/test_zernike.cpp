// Zernike basis and features: orthonormality, exactness, rotation invariance, the fast path.
#include "core/features/patches.h"
#include "core/features/zernike_basis.h"
#include "core/features/zernike_features.h"
#include "test_support.h"

#include <QtTest>

#include <cmath>

using namespace motifscope;

namespace {

/** Gaussian columns of a honeycomb-like neighbourhood around (cx, cy), rotated by `angle` (CCW on screen). */
FloatImage renderNeighbourhood(int size, double cx, double cy, double angle, double spacing)
{
    FloatImage image(size, size, 0.0f);
    // An asymmetric motif: a centre column, three bright neighbours and two dim ones.
    const double offsets[][3] = {{0, 0, 1.0}, {1, 0, 0.8}, {-0.5, 0.866, 0.8}, {-0.5, -0.866, 0.8},
                                 {0.5, 0.866, 0.35}, {-1.0, 0.0, 0.35}, {1.4, 1.1, 0.5}};
    const double sigma = 0.15 * spacing;
    for (const auto& o : offsets) {
        const double u = o[0] * spacing, v = o[1] * spacing;
        const double x = cx + std::cos(angle) * u - std::sin(angle) * v;
        const double y = cy - (std::sin(angle) * u + std::cos(angle) * v); // screen y down
        for (int py = 0; py < size; ++py)
            for (int px = 0; px < size; ++px)
                image.at(px, py) += float(o[2] * std::exp(-((px - x) * (px - x) + (py - y) * (py - y)) / (2 * sigma * sigma)));
    }
    return image;
}

Eigen::VectorXf featuresAt(const FloatImage& image, double x, double y, int size, int nMax = 10)
{
    AtomColumn c;
    c.x = x;
    c.y = y;
    FeatureParams p;
    p.nMax = nMax;
    const FeatureSet f = computeFeatures(image, {c}, size, p);
    return f.invariants.row(0).transpose();
}

double relativeDifference(const Eigen::VectorXf& a, const Eigen::VectorXf& b)
{
    return double((a - b).norm() / a.norm());
}

} // namespace

class TestZernike : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void radialPolynomialsMatchClosedForms();
    void basisIsOrthonormal_data();
    void basisIsOrthonormal();
    void polynomialPatchGivesUnitVector();
    void featureCountIs36ForNMax10();
    void rotationBy90DegreesIsExact();
    void arbitraryRotationsChangeFeaturesLittle_data();
    void arbitraryRotationsChangeFeaturesLittle();
    void interpolatedRotationChangesFeaturesLittle();
    void rotatedPatchIsTheClampedBilinearSample();
    void orientationFollowsRotation();
    void fastPathEqualsDirectSum();
    void reconstructionRecoversSmoothPatch();
    void borderPatchesAreFlagged();
    void automaticPatchSizeIsOddAndTwoPeriods();
};

void TestZernike::radialPolynomialsMatchClosedForms()
{
    std::vector<double> t(11 * 11);
    for (double rho : {0.0, 0.3, 0.77, 1.0}) {
        ZernikeBasis::radialTable(rho, 10, t.data());
        auto R = [&](int n, int m) { return t[n * 11 + m]; };
        const double r2 = rho * rho;
        QVERIFY(std::abs(R(4, 0) - (6 * r2 * r2 - 6 * r2 + 1)) < 1e-12);
        QVERIFY(std::abs(R(5, 1) - (10 * std::pow(rho, 5) - 12 * std::pow(rho, 3) + 3 * rho)) < 1e-12);
        QVERIFY(std::abs(R(6, 2) - (15 * std::pow(rho, 6) - 20 * std::pow(rho, 4) + 6 * r2)) < 1e-12);
        QVERIFY(std::abs(R(10, 0) - (252 * std::pow(rho, 10) - 630 * std::pow(rho, 8) + 560 * std::pow(rho, 6)
                                     - 210 * std::pow(rho, 4) + 30 * r2 - 1)) < 1e-10);
        for (int n = 0; n <= 10; n += 2)
            QVERIFY(std::abs(R(n, 0) - (n % 4 == 0 ? 1 : -1) * (rho == 0.0 ? 1 : R(n, 0) / (n % 4 == 0 ? 1 : -1))) < 1e-12);
        if (rho == 1.0)
            for (int n = 0; n <= 10; ++n)
                for (int m = n % 2; m <= n; m += 2)
                    QVERIFY(std::abs(R(n, m) - 1.0) < 1e-12); // R_n^m(1) = 1
    }
}

void TestZernike::basisIsOrthonormal_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<double>("tolerance");
    // Stated tolerance: max |G - I| over the Gram matrix of the sampled basis (n_max 10).
    QTest::newRow("25 px") << 25 << 0.08;
    QTest::newRow("41 px") << 41 << 0.05;
    QTest::newRow("81 px") << 81 << 0.02;
}

void TestZernike::basisIsOrthonormal()
{
    QFETCH(int, size);
    QFETCH(double, tolerance);
    const ZernikeBasis basis(size, 10);
    const Eigen::MatrixXf gram = basis.matrix().transpose() * basis.matrix();
    const double err = double((gram - Eigen::MatrixXf::Identity(basis.count(), basis.count())).cwiseAbs().maxCoeff());
    qInfo("patch %d px: max |G - I| = %.4f", size, err);
    QVERIFY2(err < tolerance, qPrintable(QString::number(err)));
}

void TestZernike::polynomialPatchGivesUnitVector()
{
    const ZernikeBasis basis(41, 10);
    for (int j : {0, 4, 7, 12, 24, 40, 65}) {
        std::vector<float> patch(41 * 41, 0.0f);
        for (std::size_t p = 0; p < basis.diskPixels().size(); ++p)
            patch[basis.diskPixels()[p]] = basis.matrix()(Eigen::Index(p), j);
        Eigen::VectorXf moments(basis.count());
        for (int k = 0; k < basis.count(); ++k) {
            double sum = 0;
            for (std::size_t p = 0; p < basis.diskPixels().size(); ++p)
                sum += patch[basis.diskPixels()[p]] * basis.matrix()(Eigen::Index(p), k);
            moments[k] = float(sum);
        }
        Eigen::VectorXf unit = Eigen::VectorXf::Zero(basis.count());
        unit[j] = 1.0f;
        QVERIFY2((moments - unit).norm() < 0.1, qPrintable(QString::number((moments - unit).norm())));
    }
}

void TestZernike::featureCountIs36ForNMax10()
{
    QCOMPARE(int(invariantIndices(10).size()), 36);
    QCOMPARE(ZernikeBasis(25, 10).count(), 66);
    const ZernikeBasis b(25, 10);
    QCOMPARE(b.indexOf(3, -1), (3 * 5 - 1) / 2);
    QCOMPARE(b.indexOf(3, 0), -1);
}

void TestZernike::rotationBy90DegreesIsExact()
{
    const int size = 25;
    const FloatImage a = renderNeighbourhood(61, 30, 30, 0.3, 9.0);
    FloatImage b(61, 61);
    for (int y = 0; y < 61; ++y)
        for (int x = 0; x < 61; ++x)
            b.at(x, y) = a.at(60 - y, x); // exact 90 degree rotation about the centre pixel
    const auto fa = featuresAt(a, 30, 30, size), fb = featuresAt(b, 30, 30, size);
    QVERIFY2(relativeDifference(fa, fb) < 1e-5, qPrintable(QString::number(relativeDifference(fa, fb))));
}

void TestZernike::arbitraryRotationsChangeFeaturesLittle_data()
{
    QTest::addColumn<double>("degrees");
    for (double d : {17.0, 33.0, 61.0, 123.0})
        QTest::newRow(qPrintable(QString::number(d))) << d;
}

void TestZernike::arbitraryRotationsChangeFeaturesLittle()
{
    QFETCH(double, degrees);
    const int size = 25;
    const auto f0 = featuresAt(renderNeighbourhood(61, 30.3, 29.6, 0.0, 9.0), 30.3, 29.6, size);
    const auto fr = featuresAt(renderNeighbourhood(61, 30.3, 29.6, degrees * M_PI / 180, 9.0), 30.3, 29.6, size);
    // A different neighbourhood for scale: invariance must be far tighter than what tells motifs apart.
    FloatImage other = renderNeighbourhood(61, 30, 30, 0.0, 7.0);
    const auto fo = featuresAt(other, 30, 30, size);
    const double rotated = relativeDifference(f0, fr), different = relativeDifference(f0, fo);
    qInfo("%.0f deg: relative change %.4f (a different motif: %.3f)", degrees, rotated, different);
    QVERIFY(rotated < 0.02);
    QVERIFY(different > 10 * rotated);
}

void TestZernike::interpolatedRotationChangesFeaturesLittle()
{
    const FloatImage image = renderNeighbourhood(81, 40, 40, 0.2, 9.0);
    const int size = 25;
    std::vector<float> rotated(41 * 41);
    sampleRotatedPatch(image, 40, 40, 41, 33 * M_PI / 180, rotated.data());
    FloatImage r(41, 41);
    r.data.assign(rotated.begin(), rotated.end());
    const double diff = relativeDifference(featuresAt(image, 40, 40, size), featuresAt(r, 20, 20, size));
    // Bilinear interpolation blurs slightly: a stated 5% tolerance (analytic rotations stay below 2%).
    QVERIFY2(diff < 0.05, qPrintable(QString::number(diff)));
}

void TestZernike::rotatedPatchIsTheClampedBilinearSample()
{
    // Well inside (the direct paths), across the border and at a corner (the clamped path): every
    // pixel equals bilinear interpolation at the rotated (and mirrored) offset, coordinates clamped
    // to the image, to the bit.
    FloatImage image(37, 29);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x)
            image.data[std::size_t(y) * image.width + x] = float(std::sin(0.7 * x) * std::cos(0.45 * y) + 0.01 * x * y);
    auto reference = [&](double sx, double sy) {
        sx = std::clamp(sx, 0.0, double(image.width - 1));
        sy = std::clamp(sy, 0.0, double(image.height - 1));
        const int x0 = std::min(int(sx), image.width - 2), y0 = std::min(int(sy), image.height - 2);
        const float fx = float(sx - x0), fy = float(sy - y0);
        const float top = image.at(x0, y0) + fx * (image.at(x0 + 1, y0) - image.at(x0, y0));
        const float bottom = image.at(x0, y0 + 1) + fx * (image.at(x0 + 1, y0 + 1) - image.at(x0, y0 + 1));
        return top + fy * (bottom - top);
    };
    const int size = 11;
    const double half = (size - 1) / 2.0;
    struct Place { double x, y; };
    for (const Place at : {Place{18.3, 14.6}, Place{2.2, 14.0}, Place{35.5, 27.9}, Place{8.49, 8.49}})
        for (const double angle : {0.0, 0.6, 2.9})
            for (const bool mirrored : {false, true})
              for (const bool avx2 : {false, true}) { // the vector path (where the CPU has AVX2) and the scalar one
                std::vector<float> patch(std::size_t(size) * size);
                sampleRotatedPatchWith(avx2, image, at.x, at.y, size, angle, patch.data(), mirrored);
                const double c = std::cos(angle), s = std::sin(angle), flip = mirrored ? -1.0 : 1.0;
                for (int j = 0; j < size; ++j)
                    for (int i = 0; i < size; ++i) {
                        const double u = i - half, v = half - j;
                        const float expected = reference(at.x + (c * u - s * v), at.y - flip * (s * u + c * v));
                        QVERIFY(patch[std::size_t(j) * size + i] == expected); // exact, not QCOMPARE's fuzzy
                    }
            }
}

void TestZernike::orientationFollowsRotation()
{
    const int size = 25;
    for (double a : {0.1, 0.5, 1.0}) {
        AtomColumn c;
        c.x = c.y = 30;
        const FeatureSet f0 = computeFeatures(renderNeighbourhood(61, 30, 30, 0.0, 9.0), {c}, size, {});
        const FeatureSet f1 = computeFeatures(renderNeighbourhood(61, 30, 30, a, 9.0), {c}, size, {});
        const int m = f0.orientationOrder[0];
        QVERIFY(m > 0);
        QCOMPARE(f1.orientationOrder[0], m);
        const double period = 2 * M_PI / m;
        double delta = std::fmod(double(f1.orientation[0] - f0.orientation[0]) - a, period);
        delta = std::min(std::abs(delta), period - std::abs(delta));
        QVERIFY2(delta < 0.02, qPrintable(QString::number(delta)));
    }
}

void TestZernike::fastPathEqualsDirectSum()
{
    const FloatImage image = renderNeighbourhood(80, 40, 40, 0.7, 10.0);
    AtomColumns cols;
    for (int i = 0; i < 50; ++i) {
        AtomColumn c;
        c.x = 20 + 0.77 * i;
        c.y = 25 + 0.31 * i;
        cols.push_back(c);
    }
    const int size = 21;
    const FeatureSet f = computeFeatures(image, cols, size, {});
    const ZernikeBasis& basis = *f.basis;
    std::vector<float> patch(size * size);
    for (std::size_t i = 0; i < cols.size(); ++i) {
        samplePatch(image, cols[i].x, cols[i].y, size, patch.data());
        for (int j = 0; j < basis.count(); ++j) {
            double sum = 0;
            for (std::size_t p = 0; p < basis.diskPixels().size(); ++p)
                sum += double(patch[basis.diskPixels()[p]]) * basis.matrix()(Eigen::Index(p), j);
            QVERIFY(std::abs(sum - f.moments(Eigen::Index(i), j)) < 1e-4 * (1 + std::abs(sum)));
        }
    }
}

void TestZernike::reconstructionRecoversSmoothPatch()
{
    const FloatImage image = renderNeighbourhood(61, 30, 30, 0.4, 12.0);
    const int size = 25;
    AtomColumn c;
    c.x = c.y = 30;
    FeatureParams p;
    p.nMax = 20;
    const FeatureSet f = computeFeatures(image, {c}, size, p);
    const Eigen::VectorXf m = f.moments.row(0).transpose();
    const std::vector<float> back = f.basis->reconstruct(m.data());
    std::vector<float> patch(size * size);
    samplePatch(image, 30, 30, size, patch.data());
    double err = 0, norm = 0;
    for (int k : f.basis->diskPixels()) {
        const int i = k % size - 12, j = k / size - 12;
        if (i * i + j * j > 100) // well inside the disk
            continue;
        err += (back[k] - patch[k]) * (back[k] - patch[k]);
        norm += patch[k] * patch[k];
    }
    QVERIFY2(std::sqrt(err / norm) < 0.1, qPrintable(QString::number(std::sqrt(err / norm))));
}

void TestZernike::borderPatchesAreFlagged()
{
    const FloatImage image = renderNeighbourhood(60, 30, 30, 0, 9);
    AtomColumn inside, edge;
    inside.x = inside.y = 30;
    edge.x = 5;
    edge.y = 30;
    const FeatureSet f = computeFeatures(image, {inside, edge}, 25, {});
    QCOMPARE(int(f.inside[0]), 1);
    QCOMPARE(int(f.inside[1]), 0);
    QVERIFY(f.invariants.allFinite());
}

void TestZernike::automaticPatchSizeIsOddAndTwoPeriods()
{
    QCOMPARE(automaticPatchSize(12.0), 25);
    QCOMPARE(automaticPatchSize(12.4), 25);
    QCOMPARE(automaticPatchSize(1.0), 7);
    QCOMPARE(automaticPatchSize(20.6) % 2, 1);
}

QTEST_GUILESS_MAIN(TestZernike)
#include "test_zernike.moc"
