// Zernike reconstruction of one patch: exact sums of basis polynomials come back, invariants agree with
// the feature pipeline, and a Gaussian column is reproduced closely.
#include "core/features/zernike_basis.h"
#include "core/features/zernike_features.h"
#include "core/features/zernike_reconstruction.h"
#include "test_support.h"

#include <QtTest>

#include <cmath>
#include <stdexcept>

using namespace motifscope;

namespace {

/** a * Z(n1, m1) + b * Z(n2, m2) as sampled by the basis itself, zero outside the disk. */
std::vector<float> sumOfTwo(const ZernikeBasis& basis, int n1, int m1, double a, int n2, int m2, double b)
{
    const int size = basis.patchSize();
    std::vector<float> patch(std::size_t(size) * size, 0.0f);
    const int j1 = basis.indexOf(n1, m1), j2 = basis.indexOf(n2, m2);
    for (std::size_t p = 0; p < basis.diskPixels().size(); ++p)
        patch[std::size_t(basis.diskPixels()[p])] =
            float(a * basis.matrix()(Eigen::Index(p), j1) + b * basis.matrix()(Eigen::Index(p), j2));
    return patch;
}

} // namespace

class TestZernikeReconstruction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sumOfTwoPolynomialsIsRecovered_data();
    void sumOfTwoPolynomialsIsRecovered();
    void invariantsMatchFeaturePipeline();
    void gaussianColumnIsReproduced();
    void wrongSizeThrows();
};

void TestZernikeReconstruction::sumOfTwoPolynomialsIsRecovered_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("nMax");
    QTest::addColumn<int>("n1");
    QTest::addColumn<int>("m1");
    QTest::addColumn<int>("n2");
    QTest::addColumn<int>("m2");
    QTest::newRow("21px n10: Z(2,0)+Z(3,-1)") << 21 << 10 << 2 << 0 << 3 << -1;
    QTest::newRow("25px n10: Z(4,2)+Z(6,-4)") << 25 << 10 << 4 << 2 << 6 << -4;
    QTest::newRow("31px n12: Z(0,0)+Z(10,6)") << 31 << 12 << 0 << 0 << 10 << 6;
}

void TestZernikeReconstruction::sumOfTwoPolynomialsIsRecovered()
{
    QFETCH(int, size);
    QFETCH(int, nMax);
    QFETCH(int, n1);
    QFETCH(int, m1);
    QFETCH(int, n2);
    QFETCH(int, m2);
    const auto basis = ZernikeBasis::cached(size, nMax);
    const std::vector<float> patch = sumOfTwo(*basis, n1, m1, 2.0, n2, m2, -0.75);
    const int j1 = basis->indexOf(n1, m1), j2 = basis->indexOf(n2, m2);

    // Least squares: the patch and its two coefficients come back exactly.
    const ZernikeReconstruction r = reconstructPatch(*basis, patch);
    QCOMPARE(int(r.moments.size()), basis->count());
    QCOMPARE(int(r.coefficients.size()), basis->count());
    QCOMPARE(r.reconstruction.size(), patch.size());
    QVERIFY2(r.relativeError() < 1e-4, qPrintable(QString::number(r.relativeError())));
    for (int j = 0; j < basis->count(); ++j) {
        const double expected = j == j1 ? 2.0 : j == j2 ? -0.75 : 0.0;
        QVERIFY2(std::abs(r.coefficients[std::size_t(j)] - expected) < 1e-4, qPrintable(QString::number(j)));
    }
    // Outside the disk the reconstruction is zero.
    std::vector<char> onDisk(patch.size(), 0);
    for (int p : basis->diskPixels())
        onDisk[std::size_t(p)] = 1;
    for (std::size_t p = 0; p < patch.size(); ++p)
        if (!onDisk[p])
            QCOMPARE(r.reconstruction[p], 0.0f);

    // Projection (the feature moments): the planted moments dominate; the square grid's coupling
    // between different m (a few per cent per pair) leaves a visible but bounded error.
    const ZernikeReconstruction p = reconstructPatch(*basis, patch, ReconstructionMethod::Projection);
    QCOMPARE(p.moments, r.moments);
    QCOMPARE(p.coefficients, p.moments);
    QVERIFY2(std::abs(p.moments[std::size_t(j1)] - 2.0f) < 0.1, qPrintable(QString::number(p.moments[std::size_t(j1)])));
    QVERIFY2(std::abs(p.moments[std::size_t(j2)] + 0.75f) < 0.1, qPrintable(QString::number(p.moments[std::size_t(j2)])));
    for (int j = 0; j < basis->count(); ++j)
        if (j != j1 && j != j2)
            QVERIFY2(std::abs(p.moments[std::size_t(j)]) < 0.15, qPrintable(QString::number(j)));
    QVERIFY2(p.relativeError() > r.relativeError() && p.relativeError() < 0.15,
             qPrintable(QString::number(p.relativeError())));
}

void TestZernikeReconstruction::invariantsMatchFeaturePipeline()
{
    const auto basis = ZernikeBasis::cached(21, 10);
    std::vector<float> patch = sumOfTwo(*basis, 3, 1, 1.0, 3, -1, 1.0); // |A_31| = sqrt(2)
    const ZernikeReconstruction r = reconstructPatch(*basis, patch);
    QCOMPARE(int(r.invariants.size()), 36);
    QCOMPARE(int(r.invariantIndex.size()), 36);
    std::vector<float> expected(36);
    invariantsFromMoments(*basis, r.moments.data(), expected.data());
    for (int i = 0; i < 36; ++i)
        QCOMPARE(r.invariants[std::size_t(i)], expected[std::size_t(i)]);
    for (std::size_t i = 0; i < r.invariantIndex.size(); ++i)
        if (r.invariantIndex[i].n == 3 && r.invariantIndex[i].m == 1)
            QVERIFY(std::abs(r.invariants[i] - std::sqrt(2.0f)) < 0.03f);
}

void TestZernikeReconstruction::gaussianColumnIsReproduced()
{
    // A smooth Gaussian column at the centre is band-limited enough for n_max 10.
    const int size = 21;
    const auto basis = ZernikeBasis::cached(size, 10);
    std::vector<float> patch(std::size_t(size) * size);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            const double dx = x - 10.0, dy = y - 10.0;
            patch[std::size_t(y * size + x)] = float(std::exp(-(dx * dx + dy * dy) / (2 * 3.0 * 3.0)));
        }
    const ZernikeReconstruction r = reconstructPatch(*basis, patch);
    QVERIFY2(r.relativeError() < 0.05, qPrintable(QString::number(r.relativeError())));
    QVERIFY(r.rmsPatch > 0.1);
    // A circularly symmetric patch has (almost) no m > 0 energy.
    for (std::size_t i = 0; i < r.invariantIndex.size(); ++i)
        if (r.invariantIndex[i].m > 0)
            QVERIFY2(r.invariants[i] < 0.05f, qPrintable(QString::number(r.invariants[i])));
}

void TestZernikeReconstruction::wrongSizeThrows()
{
    const auto basis = ZernikeBasis::cached(15, 8);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reconstructPatch(*basis, std::vector<float>(14 * 14)));
}

QTEST_GUILESS_MAIN(TestZernikeReconstruction)
#include "test_zernike_reconstruction.moc"
