// MRC / CCP4 reader: every supported mode in both byte orders (with and without machine stamp),
// extended headers, stacks, calibration, IMOD's unsigned-byte flag, float16 bit patterns, refusals.
#include "core/io/readers.h"
#include "test_support.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>

using namespace motifscope;

namespace {

using ByteVector = std::vector<std::uint8_t>;

/** What the test MRC header says; anything can be set to odd values. */
struct MrcSpec
{
    std::int32_t nx = 4, ny = 3, nz = 1, mode = 2;
    std::int32_t mx = 4, my = 3, mz = 1;
    float cellX = 4.0f * 1.25f, cellY = 3.0f * 1.25f, cellZ = 1.0f;
    std::int32_t nsymbt = 0;
    bool big = false;
    bool stamp = true;
    std::int32_t imodFlags = -1; ///< -1: no IMOD stamp
    std::string label;
};

template <typename T> void putAt(ByteVector& out, std::size_t offset, T value, bool big)
{
    std::uint8_t b[sizeof(T)];
    std::memcpy(b, &value, sizeof(T));
    if (big)
        std::reverse(b, b + sizeof(T));
    std::memcpy(out.data() + offset, b, sizeof(T));
}

template <typename T> void append(ByteVector& out, T value, bool big)
{
    out.resize(out.size() + sizeof(T));
    putAt(out, out.size() - sizeof(T), value, big);
}

ByteVector mrcHeader(const MrcSpec& s)
{
    ByteVector h(1024, 0);
    const std::int32_t ints[] = {s.nx, s.ny, s.nz, s.mode};
    for (int i = 0; i < 4; ++i)
        putAt(h, std::size_t(4 * i), ints[i], s.big);
    putAt(h, 28, s.mx, s.big);
    putAt(h, 32, s.my, s.big);
    putAt(h, 36, s.mz, s.big);
    putAt(h, 40, s.cellX, s.big);
    putAt(h, 44, s.cellY, s.big);
    putAt(h, 48, s.cellZ, s.big);
    putAt(h, 64, std::int32_t(1), s.big);
    putAt(h, 68, std::int32_t(2), s.big);
    putAt(h, 72, std::int32_t(3), s.big);
    putAt(h, 92, s.nsymbt, s.big);
    if (s.imodFlags >= 0) {
        putAt(h, 152, std::int32_t(1146047817), s.big);
        putAt(h, 156, s.imodFlags, s.big);
    }
    std::memcpy(h.data() + 208, "MAP ", 4);
    if (s.stamp) {
        h[212] = s.big ? 0x11 : 0x44;
        h[213] = s.big ? 0x11 : 0x41;
    }
    if (!s.label.empty()) {
        putAt(h, 220, std::int32_t(1), s.big);
        std::memcpy(h.data() + 224, s.label.data(), std::min<std::size_t>(80, s.label.size()));
    }
    if (s.nsymbt > 0)
        h.resize(h.size() + std::size_t(s.nsymbt), 0xab);
    return h;
}

/** Header plus nz sections; section z pixel i holds valueFor(z, i) in the mode's type. */
double valueFor(int z, std::size_t i, bool isSigned)
{
    return 100.0 * z + (isSigned ? double(int(i) * 5 - 20) : double(i * 5 + 3));
}

ByteVector mrcFile(const MrcSpec& s, std::vector<float>* firstSection = nullptr)
{
    ByteVector out = mrcHeader(s);
    const std::size_t n = std::size_t(s.nx) * std::size_t(s.ny);
    for (int z = 0; z < s.nz; ++z) {
        for (std::size_t i = 0; i < n; ++i) {
            double v = 0;
            switch (s.mode) {
            case 0:
                v = s.imodFlags >= 0 && (s.imodFlags & 1) ? double(200 + i % 50) : double(int(i) - 6);
                out.push_back(std::uint8_t(std::int8_t(int(v))));
                break;
            case 1:
                v = valueFor(z, i, true);
                append<std::int16_t>(out, std::int16_t(v), s.big);
                break;
            case 2:
                v = valueFor(z, i, true) + 0.25;
                append<float>(out, float(v), s.big);
                break;
            case 6:
                v = valueFor(z, i, false) + 60000;
                append<std::uint16_t>(out, std::uint16_t(v), s.big);
                break;
            default:
                break;
            }
            if (z == 0 && firstSection)
                firstSection->push_back(float(v));
        }
    }
    return out;
}

void expectRefused(const ByteVector& bytes, const std::string& needle)
{
    const std::string name = "refused_case.mrc";
    try {
        readMrc(bytes, name);
        QFAIL(qPrintable(QString("accepted a file that should be refused (%1)").arg(needle.c_str())));
    } catch (const IoError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(name) != std::string::npos, e.what());
        QVERIFY2(what.find(needle) != std::string::npos, e.what());
    }
}

} // namespace

class TestMrcReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modesAndByteOrders_data();
    void modesAndByteOrders();
    void stacksExtendedHeaderAndCalibration();
    void imodUnsignedBytes();
    void halfFloatBitPatterns();
    void complexAndRgbModes();
    void refusals();
};

void TestMrcReader::modesAndByteOrders_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("big");
    QTest::addColumn<bool>("stamp");
    QTest::addColumn<QString>("dtype");
    for (const auto& [mode, dtype] : {std::pair{0, "int8"}, {1, "int16"}, {2, "float32"}, {6, "uint16"}})
        for (bool big : {false, true})
            for (bool stamp : {true, false}) {
                const std::string name = "mode" + std::to_string(mode) + (big ? "_big" : "_little") +
                                         (stamp ? "_stamp" : "_nostamp");
                QTest::newRow(name.c_str()) << mode << big << stamp << QString(dtype);
            }
}

void TestMrcReader::modesAndByteOrders()
{
    QFETCH(int, mode);
    QFETCH(bool, big);
    QFETCH(bool, stamp);
    QFETCH(QString, dtype);
    MrcSpec s;
    s.mode = mode;
    s.big = big;
    s.stamp = stamp;
    s.nx = 7;
    s.ny = 5;
    std::vector<float> expected;
    const Micrograph m = readMrc(mrcFile(s, &expected), "test.mrc");
    QCOMPARE(m.width, 7);
    QCOMPARE(m.height, 5);
    QCOMPARE(m.frames, 1);
    QCOMPARE(QString::fromStdString(m.format), QString("MRC"));
    QCOMPARE(QString::fromStdString(m.dtype), dtype);
    QCOMPARE(m.pixels, expected); // row 0 = first stored row
    QCOMPARE(QString::fromStdString(m.metadata.at("MRC.ByteOrder")),
             QString(big ? "big-endian" : "little-endian"));
}

void TestMrcReader::stacksExtendedHeaderAndCalibration()
{
    MrcSpec s;
    s.mode = 1;
    s.nz = 3;
    s.nsymbt = 2 * 1024 + 8; // bytes of 0xab that must be skipped
    s.label = "written by the MotifScope test";
    std::vector<float> expected;
    Micrograph m = readMrc(mrcFile(s, &expected), "stack.mrc");
    QCOMPARE(m.frames, 3);
    QCOMPARE(m.pixels, expected);
    QCOMPARE(m.pixels[0], -20.0f); // section 0, not section 1 (+100) or 2 (+200)
    // 1.25 Å per pixel along both axes: cell / sampling.
    QCOMPARE(QString::fromStdString(m.calibration.unit), QString("Å"));
    QCOMPARE(m.calibration.pixelSizeX, 1.25);
    QCOMPARE(m.calibration.pixelSizeY, 1.25);
    QCOMPARE(QString::fromStdString(m.metadata.at("MRC.Label0")), QString("written by the MotifScope test"));

    // Anisotropic: cell 10 x 6 Å over 4 x 3 samples.
    s.cellX = 10.0f;
    s.cellY = 6.0f;
    m = readMrc(mrcFile(s), "aniso.mrc");
    QCOMPARE(m.calibration.pixelSizeX, 2.5);
    QCOMPARE(m.calibration.pixelSizeY, 2.0);

    // No sampling (mx = 0) or no cell: uncalibrated.
    s.mx = 0;
    m = readMrc(mrcFile(s), "nomx.mrc");
    QVERIFY(!m.calibration.isCalibrated());
    QCOMPARE(m.calibration.pixelSizeX, 1.0);
    s.mx = 4;
    s.cellX = 0.0f;
    m = readMrc(mrcFile(s), "nocell.mrc");
    QVERIFY(!m.calibration.isCalibrated());
}

void TestMrcReader::imodUnsignedBytes()
{
    MrcSpec s;
    s.mode = 0;
    s.imodFlags = 1;
    std::vector<float> expected;
    const Micrograph m = readMrc(mrcFile(s, &expected), "imod.mrc");
    QCOMPARE(QString::fromStdString(m.dtype), QString("uint8"));
    QCOMPARE(m.pixels, expected);
    QCOMPARE(m.pixels[0], 200.0f);

    // Without the flag the same bytes are signed: 200 reads as -56.
    s.imodFlags = 0;
    ByteVector bytes = mrcFile(s);
    bytes[1024] = 200;
    QCOMPARE(readMrc(bytes, "signed.mrc").pixels[0], -56.0f);
}

void TestMrcReader::halfFloatBitPatterns()
{
    struct Case
    {
        std::uint16_t bits;
        float value;
    };
    const float inf = std::numeric_limits<float>::infinity();
    const Case cases[] = {{0x0000, 0.0f},
                          {0x3c00, 1.0f},
                          {0xc000, -2.0f},
                          {0x3555, 0.333251953125f},
                          {0x7bff, 65504.0f},
                          {0x0400, std::ldexp(1.0f, -14)},
                          {0x0001, std::ldexp(1.0f, -24)},
                          {0x03ff, std::ldexp(1023.0f, -24)},
                          {0x8001, -std::ldexp(1.0f, -24)},
                          {0x7c00, inf},
                          {0xfc00, -inf},
                          {0x4248, 3.140625f}};
    const std::size_t n = std::size(cases);
    for (bool big : {false, true}) {
        MrcSpec s;
        s.mode = 12;
        s.big = big;
        s.nx = int(n) + 2;
        s.ny = 1;
        ByteVector bytes = mrcHeader(s);
        for (const Case& c : cases)
            append<std::uint16_t>(bytes, c.bits, big);
        append<std::uint16_t>(bytes, 0x7e00, big); // quiet NaN
        append<std::uint16_t>(bytes, 0x8000, big); // negative zero
        const Micrograph m = readMrc(bytes, "half.mrc");
        QCOMPARE(QString::fromStdString(m.dtype), QString("float16"));
        for (std::size_t i = 0; i < n; ++i)
            QVERIFY2(m.pixels[i] == cases[i].value, qPrintable(QString("0x%1 -> %2")
                                                                   .arg(cases[i].bits, 4, 16, QChar('0'))
                                                                   .arg(double(m.pixels[i]), 0, 'g', 17)));
        QVERIFY(std::isnan(m.pixels[n]));
        QVERIFY(m.pixels[n + 1] == 0.0f && std::signbit(m.pixels[n + 1]));
    }
}

void TestMrcReader::complexAndRgbModes()
{
    MrcSpec s;
    s.mode = 4;
    s.nx = 2;
    s.ny = 1;
    ByteVector c = mrcHeader(s);
    for (float v : {3.0f, 4.0f, -5.0f, 12.0f})
        append<float>(c, v, false);
    Micrograph m = readMrc(c, "complex.mrc");
    QCOMPARE(QString::fromStdString(m.dtype), QString("complex64"));
    QCOMPARE(m.pixels, (std::vector<float>{5.0f, 13.0f}));

    s.mode = 16;
    ByteVector rgb = mrcHeader(s);
    for (std::uint8_t v : {255, 0, 0, 0, 0, 255})
        rgb.push_back(v);
    m = readMrc(rgb, "rgb.mrc");
    QCOMPARE(QString::fromStdString(m.dtype), QString("rgb8"));
    QCOMPARE(m.pixels, (std::vector<float>{float(0.299 * 255), float(0.114 * 255)}));
}

void TestMrcReader::refusals()
{
    MrcSpec s;
    const ByteVector valid = mrcFile(s);
    QCOMPARE(readMrc(valid, "valid.mrc").pixels.size(), std::size_t(12));
    expectRefused(ByteVector(valid.begin(), valid.begin() + 1000), "too short for an MRC header");
    expectRefused(ByteVector(valid.begin(), valid.end() - 1), "truncated image data");
    MrcSpec t = s;
    t.nz = 2; // declares two sections but holds one
    ByteVector twoSections = mrcHeader(t);
    twoSections.insert(twoSections.end(), valid.begin() + 1024, valid.end());
    expectRefused(twoSections, "truncated image data");
    for (const auto& [mode, needle] :
         {std::pair{3, "mode 3"}, {101, "mode 101"}, {99, "unsupported MRC mode 99"}}) {
        t = s;
        t.mode = mode;
        expectRefused(mrcFile(t), needle);
    }
    t = s;
    t.nz = 0;
    expectRefused(mrcFile(t), "invalid MRC dimensions");
    t = s;
    t.nx = -4;
    expectRefused(mrcHeader(t), "invalid MRC dimensions");
    t = s;
    t.nx = 1 << 21; // header only: the sizes are absurd, the data absent
    expectRefused(mrcHeader(t), "larger than MotifScope accepts");
    t = s;
    t.nx = 1 << 20;
    t.ny = 1 << 20; // 2^40 pixels
    expectRefused(mrcHeader(t), "larger than MotifScope accepts");
    t = s;
    t.nx = 30000;
    t.ny = 30000; // plausible size, but the file holds none of the data
    expectRefused(mrcHeader(t), "truncated image data");
    ByteVector badExt = valid;
    putAt<std::int32_t>(badExt, 92, 1 << 30, false);
    expectRefused(badExt, "extended header");
    putAt<std::int32_t>(badExt, 92, -8, false);
    expectRefused(badExt, "negative extended header size");
    for (std::size_t len = 0; len < valid.size(); len += 7)
        expectRefused(ByteVector(valid.begin(), valid.begin() + std::ptrdiff_t(len)), "");
}

QTEST_GUILESS_MAIN(TestMrcReader)
#include "test_mrc_reader.moc"
