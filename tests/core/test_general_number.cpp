// appendGeneral (a fast path for printf's %.<p>g) must give std::to_chars's text byte for byte:
// random magnitudes over 30 decades, floats widened to double, values on a 1/1000 grid (ties),
// random bit patterns (subnormals, huge values), and hand-picked edges, at every precision 1..15.
#include "core/util/general_number.h"

#include <QtTest>

#include <charconv>
#include <cmath>
#include <cstring>
#include <random>

using namespace motifscope;

namespace {

std::string viaToChars(double v, int precision)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::general, precision);
    return std::string(buffer, result.ptr);
}

int mismatches = 0;

void check(double v, int precision)
{
    std::string got;
    appendGeneral(got, v, precision);
    const std::string want = viaToChars(v, precision);
    if (got != want && ++mismatches <= 5)
        qWarning("%.17g at precision %d: \"%s\" instead of \"%s\"", v, precision, got.c_str(), want.c_str());
}

} // namespace

class TestGeneralNumber : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { mismatches = 0; }

    void edges()
    {
        const double values[] = {0.5,     1.5,       2.5,      0.125,     0.375,    9.9999995, 99999.95, 999999.5,
                                 9999999.5, 1e-4,     1e-5,     123456.5,  1234567.5, 1e15,     1e16,      1e22,
                                 1e23,    5e-324,    1.7976931348623157e308, -0.0, 0.0,     1.0,       10.0,
                                 100000.0, 1e6,     1e7,       0.00012345678, 2.675, 1.005, 4.35,    0.045,
                                 -123.456, 99.5,    0.99999,   9.5e-5,    -9.99999e-5, NAN, INFINITY, -INFINITY};
        for (double v : values)
            for (int p = 1; p <= 15; ++p)
                check(v, p);
        QCOMPARE(mismatches, 0);
    }

    void randomValues()
    {
        std::mt19937_64 rng(1);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (int i = 0; i < 300000; ++i) {
            const double v = std::pow(10.0, -12.0 + 30.0 * u(rng)) * (u(rng) < 0.3 ? -1.0 : 1.0);
            const int p = 1 + int(rng() % 15);
            check(v, p);
            check(double(float(v)), p);
            check(std::round(v * 1000.0) / 1000.0, p);
            const std::uint64_t bits = rng();
            double r = 0.0;
            std::memcpy(&r, &bits, sizeof r);
            check(r, p);
        }
        QCOMPARE(mismatches, 0);
    }

    void appendsToWhatIsThere()
    {
        std::string s = "x=";
        appendGeneral(s, 0.000123456789, 4);
        appendGeneral(s, -1234567.0, 6);
        QCOMPARE(s, std::string("x=0.0001235-1.23457e+06"));
    }
};

QTEST_GUILESS_MAIN(TestGeneralNumber)
#include "test_general_number.moc"
