// TIFF reader and writer: every sample type in both byte orders, strips and tiles, compressions,
// packed bits, colour, planes, pages, calibration sources, the float32 writer's exact round trip,
// the real files in ../shared/data, and refusals. Test files are written here with libtiff.
#include "core/io/readers.h"
#include "core/io/writers.h"
#include "test_support.h"
#include "tiff_test_files.h"

#include <QtTest>
#include <tiffio.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

using namespace motifscope;
using namespace motifscope::test;

namespace {

Micrograph readBytes(const ByteVector& bytes, const std::string& name = "test.tif")
{
    return readTiff(bytes, name);
}

void expectRefused(const ByteVector& bytes, const std::string& needle)
{
    const std::string name = "refused_case.tif";
    try {
        readTiff(bytes, name);
        QFAIL(qPrintable(QString("accepted a file that should be refused (%1)").arg(needle.c_str())));
    } catch (const IoError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(name) != std::string::npos, e.what());
        QVERIFY2(what.find(needle) != std::string::npos, e.what());
        QVERIFY2(what.find('\n') == std::string::npos, e.what());
    }
}

/** A little-endian classic TIFF with one IFD of single-valued SHORT/LONG entries, built by hand. */
ByteVector craftTiff(const std::vector<std::array<std::uint32_t, 3>>& entries, std::size_t dataBytes)
{
    ByteVector out = {'I', 'I', 42, 0, 8, 0, 0, 0};
    const std::uint32_t dataOffset = std::uint32_t(8 + 2 + 12 * entries.size() + 4);
    auto put = [&](std::uint32_t v, int n) {
        for (int i = 0; i < n; ++i)
            out.push_back(std::uint8_t(v >> (8 * i)));
    };
    put(std::uint32_t(entries.size()), 2);
    for (const auto& [tag, type, value] : entries) {
        put(tag, 2);
        put(type, 2);
        put(1, 4);
        put(tag == TIFFTAG_STRIPOFFSETS ? dataOffset : value, type == TIFF_SHORT ? 2 : 4);
        if (type == TIFF_SHORT)
            put(0, 2);
    }
    put(0, 4);
    out.resize(out.size() + dataBytes, 0x5a);
    return out;
}

} // namespace

class TestTiffIo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sampleTypesLayoutsAndCompressions_data();
    void sampleTypesLayoutsAndCompressions();
    void packedBitsAndMinIsWhite();
    void halfFloatSamples();
    void colourAndExtraSamples();
    void paletteKeepsIndices();
    void jpegCompressedGrey();
    void multiPageReadsFirstPage();
    void calibrationSources_data();
    void calibrationSources();
    void writerRoundTripIsExact();
    void writerRefusesAndLeavesNoFile();
    void realFiles();
    void refusals();
};

void TestTiffIo::sampleTypesLayoutsAndCompressions_data()
{
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<int>("compression");
    QTest::addColumn<int>("predictor");
    QTest::addColumn<int>("tile");
    QTest::addColumn<bool>("bigEndian");
    QTest::addColumn<bool>("bigTiff");
    for (const char* dtype :
         {"uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "float32", "float64"})
        for (bool big : {false, true})
            QTest::newRow((std::string(dtype) + (big ? "_big" : "_little")).c_str())
                << QString(dtype) << int(COMPRESSION_NONE) << 0 << 0 << big << false;
    QTest::newRow("uint16_lzw_predictor") << "uint16" << int(COMPRESSION_LZW) << 2 << 0 << false << false;
    // (libtiff 4.5.0 writes big-endian files with the floating-point predictor byte-swapped, so
    // that predictor is tested little-endian only; horizontal differencing in both orders.)
    QTest::newRow("float32_deflate_fp_predictor")
        << "float32" << int(COMPRESSION_ADOBE_DEFLATE) << 3 << 0 << false << false;
    QTest::newRow("int16_deflate_predictor_big")
        << "int16" << int(COMPRESSION_ADOBE_DEFLATE) << 2 << 0 << true << false;
    QTest::newRow("float32_deflate_big")
        << "float32" << int(COMPRESSION_ADOBE_DEFLATE) << 0 << 0 << true << false;
    QTest::newRow("uint8_packbits") << "uint8" << int(COMPRESSION_PACKBITS) << 0 << 0 << false << false;
    QTest::newRow("int16_tiled") << "int16" << int(COMPRESSION_NONE) << 0 << 16 << false << false;
    QTest::newRow("float32_tiled_deflate_big")
        << "float32" << int(COMPRESSION_ADOBE_DEFLATE) << 0 << 16 << true << false;
    QTest::newRow("float64_tiled_lzw") << "float64" << int(COMPRESSION_LZW) << 0 << 32 << false << false;
    QTest::newRow("uint16_bigtiff") << "uint16" << int(COMPRESSION_NONE) << 0 << 0 << false << true;
    QTest::newRow("int32_bigtiff_tiled_big") << "int32" << int(COMPRESSION_NONE) << 0 << 16 << true << true;
}

void TestTiffIo::sampleTypesLayoutsAndCompressions()
{
    QFETCH(QString, dtype);
    QFETCH(int, compression);
    QFETCH(int, predictor);
    QFETCH(int, tile);
    QFETCH(bool, bigEndian);
    QFETCH(bool, bigTiff);
    const std::string d = dtype.toStdString();
    TiffSpec s;
    s.bits = d.find("64") != std::string::npos   ? 64
             : d.find("32") != std::string::npos ? 32
             : d.find("16") != std::string::npos ? 16
                                                 : 8;
    s.format = d[0] == 'u' ? SAMPLEFORMAT_UINT : d[0] == 'i' ? SAMPLEFORMAT_INT : SAMPLEFORMAT_IEEEFP;
    s.compression = compression;
    s.predictor = predictor;
    s.tile = tile;
    s.bigEndian = bigEndian;
    s.bigTiff = bigTiff;
    std::vector<float> expected;
    const ByteVector bytes = makeTiff(s, [&](int page) { return greyPage(s, d, page, &expected); });
    QVERIFY(!bytes.empty());
    QCOMPARE(bytes[0], std::uint8_t(bigEndian ? 'M' : 'I'));
    const Micrograph m = readBytes(bytes);
    QCOMPARE(m.width, 37);
    QCOMPARE(m.height, 21);
    QCOMPARE(m.frames, 1);
    QCOMPARE(QString::fromStdString(m.format), QString("TIFF"));
    QCOMPARE(QString::fromStdString(m.dtype), dtype);
    QVERIFY(!m.calibration.isCalibrated());
    QCOMPARE(m.pixels.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        QVERIFY2(m.pixels[i] == expected[i],
                 qPrintable(QString("pixel %1: %2 != %3").arg(i).arg(m.pixels[i]).arg(expected[i])));

    // From disk the file is decoded as it is read (pread, no copy in memory): the same image.
    TempDir dir;
    const std::string path = dir.file("layout.tif");
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    const Micrograph fromDisk = readMicrograph(path);
    QCOMPARE(fromDisk.dtype, m.dtype);
    QCOMPARE(fromDisk.width, m.width);
    QVERIFY(fromDisk.pixels == m.pixels);
}

void TestTiffIo::packedBitsAndMinIsWhite()
{
    // 1-bit, 13 x 3 (rows not a whole number of bytes): pixel = (x + y) % 3 == 0.
    for (int photometric : {int(PHOTOMETRIC_MINISBLACK), int(PHOTOMETRIC_MINISWHITE)}) {
        TiffSpec s;
        s.width = 13;
        s.height = 3;
        s.bits = 1;
        s.photometric = photometric;
        ByteVector data(rowBytes(s) * 3, 0);
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 13; ++x)
                if ((x + y) % 3 == 0)
                    data[std::size_t(y) * rowBytes(s) + std::size_t(x / 8)] |= std::uint8_t(0x80 >> (x % 8));
        const Micrograph m = readBytes(makeTiff(s, [&](int) { return data; }));
        QCOMPARE(QString::fromStdString(m.dtype), QString("bool"));
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 13; ++x) {
                const float bit = (x + y) % 3 == 0 ? 1.0f : 0.0f;
                QCOMPARE(m.at(x, y), photometric == PHOTOMETRIC_MINISWHITE ? 1.0f - bit : bit);
            }
    }
    // 4-bit: value = (x + 2 y) % 16, 5 x 2.
    TiffSpec s;
    s.width = 5;
    s.height = 2;
    s.bits = 4;
    ByteVector data(rowBytes(s) * 2, 0);
    for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 5; ++x)
            data[std::size_t(y) * rowBytes(s) + std::size_t(x / 2)] |=
                std::uint8_t(((x + 2 * y) % 16) << (x % 2 ? 0 : 4));
    const Micrograph m = readBytes(makeTiff(s, [&](int) { return data; }));
    QCOMPARE(QString::fromStdString(m.dtype), QString("uint8"));
    for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 5; ++x)
            QCOMPARE(m.at(x, y), float((x + 2 * y) % 16));

    // 16-bit MinIsWhite is inverted: 65535 - v.
    TiffSpec w;
    w.bits = 16;
    w.photometric = PHOTOMETRIC_MINISWHITE;
    std::vector<float> expected;
    const Micrograph inverted =
        readBytes(makeTiff(w, [&](int page) { return greyPage(w, "uint16", page, &expected); }));
    QCOMPARE(inverted.at(3, 2), 65535.0f - expected[2 * 37 + 3]);
}

void TestTiffIo::halfFloatSamples()
{
    TiffSpec s;
    s.width = 4;
    s.height = 1;
    s.bits = 16;
    s.format = SAMPLEFORMAT_IEEEFP;
    for (bool big : {false, true}) {
        s.bigEndian = big;
        const std::uint16_t halves[] = {0x3c00, 0xc000, 0x7bff, 0x3555};
        ByteVector data(8);
        std::memcpy(data.data(), halves, sizeof halves);
        const Micrograph m = readBytes(makeTiff(s, [&](int) { return data; }));
        QCOMPARE(QString::fromStdString(m.dtype), QString("float16"));
        QCOMPARE(m.pixels, (std::vector<float>{1.0f, -2.0f, 65504.0f, 0.333251953125f}));
    }
}

void TestTiffIo::colourAndExtraSamples()
{
    const auto luma = [](double r, double g, double b) { return float(0.299 * r + 0.587 * g + 0.114 * b); };
    struct Case
    {
        const char* name;
        int samples, bits, planar;
        std::vector<std::uint16_t> extra;
        const char* dtype;
    };
    const Case cases[] = {{"rgb8", 3, 8, PLANARCONFIG_CONTIG, {}, "rgb8"},
                          {"rgba8", 4, 8, PLANARCONFIG_CONTIG, {EXTRASAMPLE_UNASSALPHA}, "rgba8"},
                          {"rgb16", 3, 16, PLANARCONFIG_CONTIG, {}, "rgb16"},
                          {"rgb8_separate_planes", 3, 8, PLANARCONFIG_SEPARATE, {}, "rgb8"}};
    for (const Case& c : cases) {
        TiffSpec s;
        s.samples = c.samples;
        s.bits = c.bits;
        s.planar = c.planar;
        s.photometric = PHOTOMETRIC_RGB;
        s.extraSamples = c.extra;
        std::vector<float> expected;
        const ByteVector bytes = makeTiff(s, [&](int) {
            ByteVector data(rowBytes(s) * std::size_t(s.height));
            for (int y = 0; y < s.height; ++y)
                for (int x = 0; x < s.width; ++x) {
                    const int rgb[4] = {(x * 7) % 256, (y * 11) % 256, (x * y) % 256, 99};
                    for (int k = 0; k < c.samples; ++k) {
                        std::uint8_t* p = data.data() + std::size_t(y) * rowBytes(s) +
                                          std::size_t(x * c.samples + k) * (c.bits / 8);
                        const std::uint16_t v = std::uint16_t(rgb[k] * 257);
                        if (c.bits == 16)
                            std::memcpy(p, &v, 2);
                        else
                            *p = std::uint8_t(rgb[k]);
                    }
                    const double scale = c.bits == 16 ? 257.0 : 1.0;
                    expected.push_back(luma(rgb[0] * scale, rgb[1] * scale, rgb[2] * scale));
                }
            return data;
        });
        const Micrograph m = readBytes(bytes);
        QVERIFY2(m.dtype == c.dtype, c.name);
        QCOMPARE(m.pixels, expected);
    }
    // Grey plus alpha (2 samples, contiguous and in separate planes): the first sample is the image.
    for (int planar : {int(PLANARCONFIG_CONTIG), int(PLANARCONFIG_SEPARATE)}) {
        TiffSpec s;
        s.samples = 2;
        s.bits = 16;
        s.planar = planar;
        s.extraSamples = {EXTRASAMPLE_UNASSALPHA};
        std::vector<float> expected;
        const Micrograph m =
            readBytes(makeTiff(s, [&](int page) { return greyPage(s, "uint16", page, &expected); }));
        QCOMPARE(QString::fromStdString(m.dtype), QString("uint16"));
        QCOMPARE(m.pixels, expected);
    }
}

void TestTiffIo::paletteKeepsIndices()
{
    TiffSpec s;
    s.photometric = PHOTOMETRIC_PALETTE;
    std::vector<float> expected;
    const Micrograph m =
        readBytes(makeTiff(s, [&](int page) { return greyPage(s, "uint8", page, &expected); }));
    QCOMPARE(QString::fromStdString(m.dtype), QString("uint8"));
    QCOMPARE(m.pixels, expected);
}

void TestTiffIo::jpegCompressedGrey()
{
    if (!TIFFIsCODECConfigured(COMPRESSION_JPEG))
        QSKIP("libtiff without JPEG support");
    TiffSpec s;
    s.width = 64;
    s.height = 32;
    s.rowsPerStrip = 16;
    s.compression = COMPRESSION_JPEG;
    const auto smooth = [](int x, int y) { return 100.0 + 60.0 * std::sin(x * 0.1) * std::cos(y * 0.15); };
    const Micrograph m = readBytes(makeTiff(s, [&](int) {
        ByteVector data(64 * 32);
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 64; ++x)
                data[std::size_t(y) * 64 + std::size_t(x)] = std::uint8_t(std::lround(smooth(x, y)));
        return data;
    }));
    QCOMPARE(QString::fromStdString(m.dtype), QString("uint8"));
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 64; ++x)
            QVERIFY(std::abs(m.at(x, y) - smooth(x, y)) <= 6.0); // lossy, but close on a smooth image

    // Colour JPEG in YCbCr (as cameras write it): decoded to RGB by libjpeg, then luminance.
    s.photometric = PHOTOMETRIC_YCBCR;
    s.samples = 3;
    const Micrograph c = readBytes(makeTiff(s, [&](int) {
        ByteVector data(64 * 32 * 3);
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 64; ++x)
                for (int k = 0; k < 3; ++k)
                    data[(std::size_t(y) * 64 + std::size_t(x)) * 3 + std::size_t(k)] =
                        std::uint8_t(std::lround(smooth(x, y)));
        return data;
    }));
    QCOMPARE(QString::fromStdString(c.dtype), QString("rgb8"));
    QCOMPARE(c.width, 64);
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 64; ++x)
            QVERIFY(std::abs(c.at(x, y) - smooth(x, y)) <= 6.0);
}

void TestTiffIo::multiPageReadsFirstPage()
{
    TiffSpec s;
    s.bits = 16;
    s.pages = 3;
    std::vector<float> first;
    const Micrograph m = readBytes(
        makeTiff(s, [&](int page) { return greyPage(s, "uint16", page, page == 0 ? &first : nullptr); }));
    QCOMPARE(m.frames, 3);
    QCOMPARE(m.pixels, first);

    // An ImageJ stack saved as one directory holding all images reports its "images=" count.
    TiffSpec single;
    single.description = "ImageJ=1.53t\nimages=5\nslices=5\n";
    QCOMPARE(readBytes(makeTiff(single, [&](int page) { return greyPage(single, "uint8", page, nullptr); }))
                 .frames,
             5);
}

void TestTiffIo::calibrationSources_data()
{
    QTest::addColumn<QByteArray>("description");
    QTest::addColumn<double>("xres");
    QTest::addColumn<double>("yres");
    QTest::addColumn<int>("unitTag");
    QTest::addColumn<double>("sizeX");
    QTest::addColumn<double>("sizeY");
    QTest::addColumn<QString>("unit");
    const double none = RESUNIT_NONE, inch = RESUNIT_INCH, cm = RESUNIT_CENTIMETER;
    QTest::newRow("imagej_nm") << QByteArray("ImageJ=1.53t\nunit=nm\n") << 20.0 << 20.0 << int(none) << 0.05
                               << 0.05 << "nm";
    QTest::newRow("imagej_micron") << QByteArray("ImageJ=1.53t\nunit=micron\n") << 4.0 << 8.0 << int(none)
                                   << 0.25 << 0.125 << "µm";
    QTest::newRow("imagej_escaped_micro")
        << QByteArray("ImageJ=1.53t\nunit=\\u00B5m\n") << 2.0 << 2.0 << int(none) << 0.5 << 0.5 << "µm";
    QTest::newRow("imagej_latin1_micro")
        << QByteArray("ImageJ=1.53t\nunit=\xb5m\n") << 2.0 << 2.0 << int(none) << 0.5 << 0.5 << "µm";
    QTest::newRow("imagej_um") << QByteArray("ImageJ=1.53t\nunit=um\n") << 2.0 << 2.0 << int(inch) << 0.5
                               << 0.5 << "µm";
    QTest::newRow("imagej_A") << QByteArray("ImageJ=1.53t\nunit=A\n") << 0.5 << 0.5 << int(none) << 2.0 << 2.0
                              << "Å";
    QTest::newRow("imagej_angstrom") << QByteArray("ImageJ=1.53t\nunit=angstrom\n") << 0.25 << 0.25
                                     << int(none) << 4.0 << 4.0 << "Å";
    QTest::newRow("imagej_pixel") << QByteArray("ImageJ=1.53t\nunit=pixel\n") << 1.0 << 1.0 << int(none)
                                  << 1.0 << 1.0 << "";
    QTest::newRow("centimetre_um") << QByteArray("") << 50000.0 << 50000.0 << int(cm) << 0.2 << 0.2 << "µm";
    QTest::newRow("centimetre_nm") << QByteArray("") << 2.0e6 << 2.0e6 << int(cm) << 5.0 << 5.0 << "nm";
    QTest::newRow("centimetre_print") << QByteArray("") << 28.3465 << 28.3465 << int(cm) << 1.0 << 1.0 << "";
    QTest::newRow("inch_dpi") << QByteArray("") << 300.0 << 300.0 << int(inch) << 1.0 << 1.0 << "";
    QTest::newRow("none") << QByteArray("") << 0.0 << 0.0 << 0 << 1.0 << 1.0 << "";
}

void TestTiffIo::calibrationSources()
{
    QFETCH(QByteArray, description);
    QFETCH(double, xres);
    QFETCH(double, yres);
    QFETCH(int, unitTag);
    QFETCH(double, sizeX);
    QFETCH(double, sizeY);
    QFETCH(QString, unit);
    TiffSpec s;
    s.description = description.toStdString();
    s.xres = float(xres);
    s.yres = float(yres);
    s.resolutionUnit = unitTag;
    const Micrograph m =
        readBytes(makeTiff(s, [&](int page) { return greyPage(s, "uint8", page, nullptr); }));
    QCOMPARE(QString::fromStdString(m.calibration.unit), unit);
    // The rational tags pass through float: compare to float precision.
    QVERIFY2(std::abs(m.calibration.pixelSizeX - sizeX) <= 1e-6 * sizeX,
             qPrintable(QString::number(m.calibration.pixelSizeX, 'g', 17)));
    QVERIFY2(std::abs(m.calibration.pixelSizeY - sizeY) <= 1e-6 * sizeY,
             qPrintable(QString::number(m.calibration.pixelSizeY, 'g', 17)));
}

void TestTiffIo::writerRoundTripIsExact()
{
    test::TempDir dir;
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> uniform(-1.0e6f, 1.0e6f);
    const float specials[] = {
        std::numeric_limits<float>::quiet_NaN(),  std::numeric_limits<float>::infinity(),
        -std::numeric_limits<float>::infinity(),  -0.0f,
        std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max(),
        std::numeric_limits<float>::lowest()};
    const Calibration calibrations[] = {{0.012345678901234567, 0.023456789012345678, "nm"},
                                        {0.16867469251155853, 0.16867469251155853, "µm"},
                                        {0.7, 0.7, "Å"},
                                        {3.0, 3.0, "pm"},
                                        {1.0, 1.0, ""}};
    const std::pair<int, int> sizes[] = {{1, 1}, {300, 7}, {1000, 700}, {17, 1031}};
    int n = 0;
    for (const auto& [w, h] : sizes)
        for (const Calibration& c : calibrations) {
            Micrograph image;
            image.width = w;
            image.height = h;
            image.calibration = c;
            for (int i = 0; i < w * h; ++i)
                image.pixels.push_back(i < int(std::size(specials)) ? specials[i] : uniform(rng));
            const std::string path = dir.file("round" + std::to_string(n++) + ".tif");
            writeTiffFloat32(image, path);
            const Micrograph back = readMicrograph(path);
            QCOMPARE(back.width, w);
            QCOMPARE(back.height, h);
            QCOMPARE(QString::fromStdString(back.dtype), QString("float32"));
            QVERIFY(std::memcmp(back.pixels.data(), image.pixels.data(), image.pixels.size() * 4) ==
                    0); // bit-identical
            QCOMPARE(QString::fromStdString(back.calibration.unit), QString::fromStdString(c.unit));
            QCOMPARE(back.calibration.pixelSizeX, c.pixelSizeX);
            QCOMPARE(back.calibration.pixelSizeY, c.pixelSizeY);
        }
    // Other TIFF readers see an ImageJ description with a resolution in pixels per unit.
    TIFF* t = TIFFOpen(dir.file("round6.tif").c_str(), "r");
    QVERIFY(t);
    char* description = nullptr;
    float xres = 0;
    std::uint16_t format = 0;
    QVERIFY(TIFFGetField(t, TIFFTAG_IMAGEDESCRIPTION, &description));
    QVERIFY(TIFFGetField(t, TIFFTAG_XRESOLUTION, &xres));
    QVERIFY(TIFFGetField(t, TIFFTAG_SAMPLEFORMAT, &format));
    QVERIFY(std::string(description).rfind("ImageJ=", 0) == 0);
    QVERIFY(std::string(description).find("unit=micron\n") != std::string::npos);
    QCOMPARE(xres, float(1.0 / 0.16867469251155853));
    QCOMPARE(int(format), int(SAMPLEFORMAT_IEEEFP));
    TIFFClose(t);
    // Nothing but the written files is left behind (no temporary names).
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        QVERIFY2(entry.path().filename().string().rfind("round", 0) == 0, entry.path().c_str());
        ++files;
    }
    QCOMPARE(files, n);
}

void TestTiffIo::writerRefusesAndLeavesNoFile()
{
    test::TempDir dir;
    Micrograph image;
    image.width = 3;
    image.height = 2;
    image.pixels = {1, 2, 3};
    const std::string path = dir.file("bad.tif");
    QVERIFY_THROWS_EXCEPTION(IoError, writeTiffFloat32(image, path));
    QVERIFY(!std::filesystem::exists(path));
    image.pixels = {1, 2, 3, 4, 5, 6};
    const std::string missingDir = dir.file("no/such/dir/out.tif");
    try {
        writeTiffFloat32(image, missingDir);
        QFAIL("wrote into a missing directory");
    } catch (const IoError& e) {
        QVERIFY2(std::string(e.what()).find(missingDir) != std::string::npos, e.what());
    }
    QVERIFY(std::filesystem::is_empty(dir.path()));
}

void TestTiffIo::realFiles()
{
    MOTIFSCOPE_SHARED_FILE(dmTif, "formats/saved_with_DM.tif");
    std::ifstream in(test::sharedPath("formats/expected.json"));
    const nlohmann::json e = nlohmann::json::parse(in).at("saved_with_DM.tif");
    const Micrograph dm = readMicrograph(dmTif);
    QCOMPARE(dm.height, e["shape"][0].get<int>());
    QCOMPARE(dm.width, e["shape"][1].get<int>());
    QCOMPARE(QString::fromStdString(dm.dtype), QString::fromStdString(e["dtype"].get<std::string>()));
    const PixelStats st = computeStats(dm);
    QCOMPARE(st.min, e["min"].get<double>());
    QCOMPARE(st.max, e["max"].get<double>());
    QVERIFY(std::abs(st.mean - e["mean"].get<double>()) <= 1e-9 * e["mean"].get<double>());
    for (std::size_t i = 0; i < 4; ++i)
        QCOMPARE(double(dm.pixels[i]), e["first_row_head"][i].get<double>());
    QCOMPARE(dm.calibration.pixelSizeX, e["scale"][1].get<double>());
    QCOMPARE(dm.calibration.pixelSizeY, e["scale"][0].get<double>());
    QCOMPARE(QString::fromStdString(dm.calibration.unit),
             QString::fromStdString(e["units"][1].get<std::string>()));

    // The tifffile-written real images: one uncompressed little-endian float32 strip at offset 268.
    for (const auto& [name, side] :
         {std::pair{"real/MoSe2_80K_small_region.tif", 512}, {"real/WS2Te2_cut.tif", 374}}) {
        const std::string path = test::sharedPath(name);
        QVERIFY2(!path.empty(), name);
        const ByteVector raw = readFileBytes(path);
        const Micrograph m = readTiff(raw, path);
        QCOMPARE(m.width, side);
        QCOMPARE(m.height, side);
        QCOMPARE(QString::fromStdString(m.dtype), QString("float32"));
        QVERIFY(!m.calibration.isCalibrated());
        QVERIFY(raw.size() >= 268 + m.pixelCount() * 4);
        QVERIFY(std::memcmp(m.pixels.data(), raw.data() + 268, m.pixelCount() * 4) == 0);
    }
}

void TestTiffIo::refusals()
{
    using E = std::array<std::uint32_t, 3>;
    const auto image = [](std::uint32_t w, std::uint32_t h, std::uint32_t bits, std::uint32_t format) {
        return std::vector<E>{
            {256, TIFF_LONG, w},      {257, TIFF_LONG, h},  {258, TIFF_SHORT, bits},
            {259, TIFF_SHORT, 1},     {262, TIFF_SHORT, 1}, {273, TIFF_LONG, 0},
            {277, TIFF_SHORT, 1},     {278, TIFF_LONG, h},  {279, TIFF_LONG, w * h * bits / 8},
            {339, TIFF_SHORT, format}};
    };
    const ByteVector ok = craftTiff(image(4, 2, 8, 1), 8);
    QCOMPARE(readBytes(ok).pixels, std::vector<float>(8, 90.0f)); // the hand-built file itself is valid
    expectRefused(craftTiff(image((1u << 20) + 1, 1, 8, 1), 16), "larger than MotifScope accepts");
    expectRefused(craftTiff(image(60000, 60000, 8, 1), 16), "larger than MotifScope accepts");
    expectRefused(craftTiff(image(30000, 30000, 8, 1), 16), "truncated image data");
    expectRefused(craftTiff(image(4, 2, 24, 3), 24), "unsupported sample type");
    expectRefused(craftTiff(image(4, 2, 12, 1), 12), "unsupported sample type");
    std::vector<E> noWidth = image(4, 2, 8, 1);
    noWidth.erase(noWidth.begin());
    expectRefused(craftTiff(noWidth, 8), "not a readable TIFF file");
    expectRefused(ByteVector{'I', 'I', 42, 0, 0xff, 0xff, 0xff, 0x00}, "not a readable TIFF file");
    expectRefused(ByteVector{'I', 'I', 42}, "too short");

    TiffSpec s;
    s.bits = 32;
    s.format = SAMPLEFORMAT_IEEEFP;
    s.compression = COMPRESSION_ADOBE_DEFLATE;
    const ByteVector deflated = makeTiff(s, [&](int page) { return greyPage(s, "float32", page, nullptr); });
    QCOMPARE(readBytes(deflated).width, 37);
    // Truncated anywhere: a clean refusal, never a crash (compressed strips fail inside libtiff).
    for (std::size_t len = 0; len < deflated.size(); len += 13)
        expectRefused(ByteVector(deflated.begin(), deflated.begin() + std::ptrdiff_t(len)), "");
    // Damaged compressed data behind an intact directory: libtiff's complaint, as an IoError.
    ByteVector damaged = deflated;
    for (std::size_t i = 16; i < 400; ++i)
        damaged[i] = 0xff;
    expectRefused(damaged, "cannot decode row");

    // The same refusals from disk, where the reader reads as it decodes: one line naming the file.
    TempDir dir;
    const std::string path = dir.file("truncated.tif");
    for (std::size_t len : {std::size_t(5), deflated.size() / 2, deflated.size() - 3}) {
        std::ofstream(path, std::ios::binary | std::ios::trunc)
            .write(reinterpret_cast<const char*>(deflated.data()), std::streamsize(len));
        try {
            readMicrograph(path);
            QFAIL("a truncated TIFF on disk was accepted");
        } catch (const IoError& e) {
            QVERIFY2(std::string(e.what()).rfind(path + ": ", 0) == 0, e.what());
            QVERIFY2(std::string(e.what()).find('\n') == std::string::npos, e.what());
        }
    }
}

QTEST_GUILESS_MAIN(TestTiffIo)
#include "test_tiff_io.moc"
