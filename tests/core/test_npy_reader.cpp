// NumPy .npy reader: every numeric dtype in both byte orders, C and Fortran order, stacks, RGB,
// format versions 1-3, header dialects, and refusals. Files are built byte by byte here.
#include "core/io/readers.h"
#include "test_support.h"

#include <QtTest>

#include <cmath>
#include <complex>
#include <cstring>

using namespace motifscope;

namespace {

using ByteVector = std::vector<std::uint8_t>;

/** A .npy file with an arbitrary header dictionary text and payload. */
ByteVector npyFile(const std::string& dict, const ByteVector& payload, int major = 1)
{
    std::string header = dict;
    const std::size_t prefix = major == 1 ? 10 : 12;
    while ((prefix + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    ByteVector out = {0x93, 'N', 'U', 'M', 'P', 'Y', std::uint8_t(major), 0};
    const std::size_t n = header.size();
    out.push_back(std::uint8_t(n & 0xff));
    out.push_back(std::uint8_t((n >> 8) & 0xff));
    if (major != 1) {
        out.push_back(std::uint8_t((n >> 16) & 0xff));
        out.push_back(std::uint8_t((n >> 24) & 0xff));
    }
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

std::string dictText(const std::string& descr, bool fortran, const std::string& shape)
{
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
           ", 'shape': " + shape + ", }";
}

/** Appends `value` as T in little (or big) endian. */
template <typename T> void put(ByteVector& out, T value, bool big)
{
    std::uint8_t b[sizeof(T)];
    std::memcpy(b, &value, sizeof(T));
    if (big)
        std::reverse(b, b + sizeof(T));
    out.insert(out.end(), b, b + sizeof(T));
}

/** Known test values for element i: small, exactly representable, negative for signed types. */
double valueFor(std::size_t i, bool isSigned)
{
    return isSigned ? double(int(i) * 3 - 7) : double(i * 3 + 1);
}

template <typename T>
ByteVector payloadOf(std::size_t count, bool big, bool isSigned, std::vector<float>& expected)
{
    ByteVector out;
    for (std::size_t i = 0; i < count; ++i) {
        const double v = valueFor(i, isSigned);
        put<T>(out, T(v), big);
        expected.push_back(float(v));
    }
    return out;
}

Micrograph decode(const ByteVector& bytes, const std::string& name = "test.npy")
{
    return readNpy(bytes, name);
}

void expectRefused(const ByteVector& bytes, const std::string& needle)
{
    const std::string name = "refused_case.npy";
    try {
        readNpy(bytes, name);
        QFAIL(qPrintable(QString("accepted a file that should be refused (%1)").arg(needle.c_str())));
    } catch (const IoError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(name) != std::string::npos, e.what());
        QVERIFY2(what.find(needle) != std::string::npos, e.what());
        QVERIFY2(what.find('\n') == std::string::npos, e.what());
    }
}

} // namespace

class TestNpyReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyNumericDtypeAndByteOrder_data();
    void everyNumericDtypeAndByteOrder();
    void boolAndHalfAndComplex();
    void fortranOrderIsTransposed();
    void stacksReadTheFirstFrame();
    void rgbArraysBecomeLuminance();
    void versionsAndHeaderDialects();
    void refusals();
};

void TestNpyReader::everyNumericDtypeAndByteOrder_data()
{
    QTest::addColumn<QString>("descr");
    QTest::addColumn<QString>("dtype");
    for (const char* order : {"<", ">"}) {
        for (const auto& [code, dtype] : {std::pair{"i1", "int8"},
                                          {"u1", "uint8"},
                                          {"i2", "int16"},
                                          {"u2", "uint16"},
                                          {"i4", "int32"},
                                          {"u4", "uint32"},
                                          {"i8", "int64"},
                                          {"u8", "uint64"},
                                          {"f4", "float32"},
                                          {"f8", "float64"}}) {
            const std::string descr = std::string(std::strlen(code) && code[1] == '1' ? "|" : order) + code;
            QTest::newRow((std::string(order) + code).c_str())
                << QString::fromStdString(descr) << QString(dtype);
        }
    }
}

void TestNpyReader::everyNumericDtypeAndByteOrder()
{
    QFETCH(QString, descr);
    QFETCH(QString, dtype);
    const std::string d = descr.toStdString();
    const bool big = d[0] == '>';
    const char kind = d[1];
    const int size = std::stoi(d.substr(2));
    const bool isSigned = kind != 'u';
    const int w = 5, h = 3;
    std::vector<float> expected;
    ByteVector payload;
    const std::size_t n = std::size_t(w) * h;
    if (kind == 'f')
        payload =
            size == 4 ? payloadOf<float>(n, big, true, expected) : payloadOf<double>(n, big, true, expected);
    else if (size == 1)
        payload = isSigned ? payloadOf<std::int8_t>(n, big, true, expected)
                           : payloadOf<std::uint8_t>(n, big, false, expected);
    else if (size == 2)
        payload = isSigned ? payloadOf<std::int16_t>(n, big, true, expected)
                           : payloadOf<std::uint16_t>(n, big, false, expected);
    else if (size == 4)
        payload = isSigned ? payloadOf<std::int32_t>(n, big, true, expected)
                           : payloadOf<std::uint32_t>(n, big, false, expected);
    else
        payload = isSigned ? payloadOf<std::int64_t>(n, big, true, expected)
                           : payloadOf<std::uint64_t>(n, big, false, expected);

    const Micrograph m = decode(npyFile(dictText(d, false, "(3, 5)"), payload));
    QCOMPARE(m.width, w);
    QCOMPARE(m.height, h);
    QCOMPARE(m.frames, 1);
    QCOMPARE(QString::fromStdString(m.format), QString("NPY"));
    QCOMPARE(QString::fromStdString(m.dtype), dtype);
    QVERIFY(!m.calibration.isCalibrated());
    QCOMPARE(m.pixels, expected);
}

void TestNpyReader::boolAndHalfAndComplex()
{
    // bool: any non-zero byte is true.
    Micrograph m = decode(npyFile(dictText("|b1", false, "(2, 2)"), ByteVector{0, 1, 0, 7}));
    QCOMPARE(QString::fromStdString(m.dtype), QString("bool"));
    QCOMPARE(m.pixels, (std::vector<float>{0, 1, 0, 1}));

    // float16 little and big endian: 1, -2, 65504, 2^-24 (smallest subnormal).
    for (bool big : {false, true}) {
        ByteVector p;
        for (std::uint16_t bits : {0x3c00, 0xc000, 0x7bff, 0x0001})
            put<std::uint16_t>(p, bits, big);
        m = decode(npyFile(dictText(big ? ">f2" : "<f2", false, "(2, 2)"), p));
        QCOMPARE(QString::fromStdString(m.dtype), QString("float16"));
        QCOMPARE(m.pixels, (std::vector<float>{1.0f, -2.0f, 65504.0f, std::ldexp(1.0f, -24)}));
    }

    // complex64 / complex128 become the modulus: |3+4i| = 5, |-6+8i| = 10.
    for (bool big : {false, true}) {
        ByteVector p64, p128;
        for (const auto& [re, im] : {std::pair{3.0, 4.0}, {-6.0, 8.0}}) {
            put<float>(p64, float(re), big);
            put<float>(p64, float(im), big);
            put<double>(p128, re, big);
            put<double>(p128, im, big);
        }
        m = decode(npyFile(dictText(big ? ">c8" : "<c8", false, "(1, 2)"), p64));
        QCOMPARE(QString::fromStdString(m.dtype), QString("complex64"));
        QCOMPARE(m.pixels, (std::vector<float>{5.0f, 10.0f}));
        m = decode(npyFile(dictText(big ? ">c16" : "<c16", false, "(2, 1)"), p128));
        QCOMPARE(QString::fromStdString(m.dtype), QString("complex128"));
        QCOMPARE(m.height, 2);
        QCOMPARE(m.pixels, (std::vector<float>{5.0f, 10.0f}));
    }
}

void TestNpyReader::fortranOrderIsTransposed()
{
    // A 3 x 4 image with pixel (y, x) = 10 y + x, stored column-major.
    ByteVector p;
    for (int x = 0; x < 4; ++x)
        for (int y = 0; y < 3; ++y)
            put<std::int16_t>(p, std::int16_t(10 * y + x), false);
    const Micrograph m = decode(npyFile(dictText("<i2", true, "(3, 4)"), p));
    QCOMPARE(m.width, 4);
    QCOMPARE(m.height, 3);
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 4; ++x)
            QCOMPARE(m.at(x, y), float(10 * y + x));

    // A Fortran-ordered stack (2, 3, 4): element (f, y, x) = 100 f + 10 y + x at f + 2 (y + 3 x).
    std::vector<double> stack(24);
    for (int f = 0; f < 2; ++f)
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 4; ++x)
                stack[std::size_t(f + 2 * (y + 3 * x))] = 100 * f + 10 * y + x;
    ByteVector s;
    for (double v : stack)
        put<double>(s, v, true);
    const Micrograph first = decode(npyFile(dictText(">f8", true, "(2, 3, 4)"), s));
    QCOMPARE(first.frames, 2);
    QCOMPARE(first.width, 4);
    QCOMPARE(first.height, 3);
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 4; ++x)
            QCOMPARE(first.at(x, y), float(10 * y + x));
}

void TestNpyReader::stacksReadTheFirstFrame()
{
    ByteVector p;
    for (int i = 0; i < 4 * 3 * 5; ++i)
        put<float>(p, float(i), false);
    Micrograph m = decode(npyFile(dictText("<f4", false, "(4, 3, 5)"), p));
    QCOMPARE(m.frames, 4);
    QCOMPARE(m.width, 5);
    QCOMPARE(m.height, 3);
    QCOMPARE(m.pixels.front(), 0.0f);
    QCOMPARE(m.pixels.back(), 14.0f);

    // Four dimensions: (2, 2, 3, 5) is four frames of 3 x 5.
    ByteVector q = p;
    m = decode(npyFile(dictText("<f4", false, "(2, 2, 3, 5)"), q));
    QCOMPARE(m.frames, 4);
    QCOMPARE(m.width, 5);
    QCOMPARE(m.height, 3);
    QCOMPARE(m.pixels.back(), 14.0f);

    // A trailing 3 that is not uint8 is a stack of 3-pixel-wide frames, not colour.
    ByteVector r;
    for (int i = 0; i < 2 * 2 * 3; ++i)
        put<std::uint16_t>(r, std::uint16_t(i), false);
    m = decode(npyFile(dictText("<u2", false, "(2, 2, 3)"), r));
    QCOMPARE(m.frames, 2);
    QCOMPARE(m.width, 3);
    QCOMPARE(m.height, 2);
    QCOMPARE(QString::fromStdString(m.dtype), QString("uint16"));
}

void TestNpyReader::rgbArraysBecomeLuminance()
{
    // (h, w, 3) uint8, C order: pixels red, green, blue, white.
    const std::uint8_t rgb[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    const std::vector<float> luma = {float(0.299 * 255), float(0.587 * 255), float(0.114 * 255),
                                     float(0.299 * 255 + 0.587 * 255 + 0.114 * 255)};
    ByteVector c;
    for (const auto& px : rgb)
        c.insert(c.end(), px, px + 3);
    Micrograph m = decode(npyFile(dictText("|u1", false, "(2, 2, 3)"), c));
    QCOMPARE(QString::fromStdString(m.dtype), QString("rgb8"));
    QCOMPARE(m.frames, 1);
    QCOMPARE(m.width, 2);
    QCOMPARE(m.pixels, luma);

    // The same image in Fortran order: element (y, x, ch) at y + 2 (x + 2 ch).
    ByteVector f(12);
    for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 2; ++x)
            for (int ch = 0; ch < 3; ++ch)
                f[std::size_t(y + 2 * (x + 2 * ch))] = rgb[y * 2 + x][ch];
    m = decode(npyFile(dictText("|u1", true, "(2, 2, 3)"), f));
    QCOMPARE(m.pixels, luma);

    // RGBA: alpha ignored.
    ByteVector a;
    for (const auto& px : rgb) {
        a.insert(a.end(), px, px + 3);
        a.push_back(17);
    }
    m = decode(npyFile(dictText("|u1", false, "(2, 2, 4)"), a));
    QCOMPARE(QString::fromStdString(m.dtype), QString("rgba8"));
    QCOMPARE(m.pixels, luma);
}

void TestNpyReader::versionsAndHeaderDialects()
{
    ByteVector p;
    for (int i = 0; i < 6; ++i)
        put<std::int32_t>(p, i - 2, false);
    const std::vector<float> expected = {-2, -1, 0, 1, 2, 3};
    for (int major : {1, 2, 3}) {
        const Micrograph m = decode(npyFile(dictText("<i4", false, "(2, 3)"), p, major));
        QCOMPARE(m.pixels, expected);
    }
    // Double quotes, other key order, no trailing comma, Python 2 long suffixes, extra keys.
    for (const std::string& dict :
         {std::string("{\"shape\": (2L, 3L), \"fortran_order\": False, \"descr\": \"<i4\"}"),
          std::string("{'fortran_order':False,'descr':'<i4','shape':(2,3),'extra':[1,(2,),None]}")}) {
        const Micrograph m = decode(npyFile(dict, p));
        QCOMPARE(m.width, 3);
        QCOMPARE(m.height, 2);
        QCOMPARE(m.pixels, expected);
    }
}

void TestNpyReader::refusals()
{
    const ByteVector four(16, 0);
    expectRefused(npyFile(dictText("<f4", false, "(4,)"), four), "1-D array is not an image");
    expectRefused(npyFile(dictText("<f4", false, "()"), four), "0-D array is not an image");
    expectRefused(npyFile(dictText("|O", false, "(2, 2)"), four), "unsupported dtype '|O'");
    expectRefused(npyFile(dictText("<U4", false, "(2, 2)"), four), "unsupported dtype");
    expectRefused(npyFile(dictText("|S4", false, "(2, 2)"), four), "unsupported dtype");
    expectRefused(npyFile(dictText("<f16", false, "(1, 1)"), four), "unsupported dtype");
    expectRefused(npyFile("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 2), }", four),
                  "structured dtypes are not supported");
    expectRefused(npyFile(dictText("<f4", false, "(3, 2)"), four), "truncated array data");
    expectRefused(npyFile(dictText("<f4", false, "(0, 2)"), four), "empty array");
    expectRefused(npyFile(dictText("<f4", false, "(1099511627776, 1099511627776)"), four), "");
    expectRefused(npyFile(dictText("<f4", false, "(2, -2)"), four), "non-negative");
    expectRefused(npyFile("{'descr': '<f4', 'shape': (2, 2)}", four),
                  "needs 'descr', 'fortran_order' and 'shape'");
    expectRefused(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)", four),
                  "malformed .npy header");
    expectRefused(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2) } junk", four),
                  "malformed");
    expectRefused(npyFile(std::string(40, '(') + std::string(40, ')'), four), "nesting too deep");
    ByteVector wrongVersion = npyFile(dictText("<f4", false, "(2, 2)"), four);
    wrongVersion[6] = 4;
    expectRefused(wrongVersion, "unsupported .npy format version 4.0");
    ByteVector badMagic = npyFile(dictText("<f4", false, "(2, 2)"), four);
    badMagic[1] = 'X';
    expectRefused(badMagic, "bad magic");
    // Header length pointing far past the end of the file.
    ByteVector longHeader = npyFile(dictText("<f4", false, "(2, 2)"), four);
    longHeader[8] = 0xff;
    longHeader[9] = 0xff;
    expectRefused(longHeader, "truncated");
    // Every truncation of a valid file is refused cleanly.
    const ByteVector valid = npyFile(dictText("<f4", false, "(2, 2)"), four);
    QVERIFY(decode(valid).pixels.size() == 4);
    for (std::size_t len = 0; len < valid.size(); ++len)
        expectRefused(ByteVector(valid.begin(), valid.begin() + std::ptrdiff_t(len)), "");
}

QTEST_GUILESS_MAIN(TestNpyReader)
#include "test_npy_reader.moc"
