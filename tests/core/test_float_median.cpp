// floatOfRank must give exactly std::nth_element's element at every rank tried: normal and
// uniform values of both signs, heavy ties (integer counts, one constant), a tiny-variance cloud
// where every value falls into one histogram bin, and inputs below and above the serial cut.
#include "core/util/float_median.h"

#include <QtTest>

#include <algorithm>
#include <random>
#include <vector>

using namespace motifscope;

namespace {

float byNthElement(std::vector<float> v, std::size_t rank)
{
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(rank), v.end());
    return v[rank];
}

void checkRanks(const std::vector<float>& v)
{
    const std::size_t n = v.size();
    for (std::size_t rank : {std::size_t(0), n / 4, n / 2, n / 2 + 1, n - 1, (n * 99) / 100}) {
        rank = std::min(rank, n - 1);
        QCOMPARE(floatOfRank(v.data(), n, rank), byNthElement(v, rank));
    }
    QCOMPARE(upperMedian(v.data(), n), byNthElement(v, n / 2));
}

} // namespace

class TestFloatMedian : public QObject
{
    Q_OBJECT
private slots:
    void matchesNthElement_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("count");
        for (int count : {1, 2, 7, 1000, 65535, 65536, 300001, 2000000})
            for (int kind = 0; kind < 5; ++kind)
                QTest::addRow("kind %d, %d values", kind, count) << kind << count;
    }
    void matchesNthElement()
    {
        QFETCH(int, kind);
        QFETCH(int, count);
        std::mt19937 rng(unsigned(kind * 7919 + count));
        std::vector<float> v(static_cast<std::size_t>(count));
        std::normal_distribution<float> normal(-3.0f, 50.0f);
        std::uniform_real_distribution<float> uniform(-1e6f, 1e6f);
        std::poisson_distribution<int> counts(4.0);
        std::normal_distribution<float> narrow(1000.0f, 1e-4f);
        for (float& x : v) {
            switch (kind) {
            case 0: x = normal(rng); break;
            case 1: x = uniform(rng); break;
            case 2: x = float(counts(rng)); break;
            case 3: x = 2.5f; break;
            default: x = narrow(rng); break;
            }
        }
        checkRanks(v);
    }
    void refusesARankOutside()
    {
        const std::vector<float> v{1.0f, 2.0f};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, floatOfRank(v.data(), v.size(), 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, floatOfRank(v.data(), 0, 0));
    }
};

QTEST_APPLESS_MAIN(TestFloatMedian)
#include "test_float_median.moc"
