// FEI/TIA SER reader: series versions 0x0210 and 0x0220 with every pixel type, multi-element
// series, calibration units, EMI metadata, refusals, and the shared real file. Files are built
// byte by byte (ser_test_files.h).
#include "core/io/pixel_types.h"
#include "core/io/readers.h"
#include "frame_source_check.h"
#include "ser_test_files.h"
#include "test_support.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace motifscope;

namespace {

using namespace motifscope::test::ser;

template <typename T> ByteVector encodeComplex(const std::vector<double>& values, std::vector<float>& expected)
{
    ByteVector out;
    for (std::size_t i = 0; i + 1 < values.size(); i += 2) {
        put<T>(out, static_cast<T>(values[i]));
        put<T>(out, static_cast<T>(values[i + 1]));
        expected.push_back(static_cast<float>(std::hypot(values[i], values[i + 1])));
    }
    return out;
}

/** A 3 x 2 element of TIA type `code` with extreme and ordinary values; `expected` in file order. */
Element elementOfType(int code, std::vector<float>& expected)
{
    Element e;
    e.code = code;
    e.width = 3;
    e.height = 2;
    switch (code) {
    case 1: e.pixels = encode<std::uint8_t>({0, 1, 127, 128, 200, 255}, expected); break;
    case 2: e.pixels = encode<std::uint16_t>({0, 1, 300, 32768, 65000, 65535}, expected); break;
    case 3: e.pixels = encode<std::uint32_t>({0, 1, 70000, 2147483648.0, 4e9, 4294967295.0}, expected); break;
    case 4: e.pixels = encode<std::int8_t>({-128, -1, 0, 1, 100, 127}, expected); break;
    case 5: e.pixels = encode<std::int16_t>({-32768, -1, 0, 1, 1000, 32767}, expected); break;
    case 6: e.pixels = encode<std::int32_t>({-2147483648.0, -1, 0, 1, 123456, 2147483647}, expected); break;
    case 7: e.pixels = encode<float>({-1.5, 0, 0.25, 3e38, 1e-3, 42.5}, expected); break;
    case 8: e.pixels = encode<double>({-2.5, 0, 1e30, 1.0 / 3.0, 7, 1e-7}, expected); break;
    case 9: e.pixels = encodeComplex<float>({3, 4, 0, 0, -6, 8, 1, 0, 0, -2, 5, 12}, expected); break;
    case 10: e.pixels = encodeComplex<double>({3, 4, 0, 0, -6, 8, 1.5, 0, 0, -2, 5, 12}, expected); break;
    default: break;
    }
    return e;
}

/** Expects an IoError naming `name` whose problem contains `needle`. */
void expectRefused(const ByteVector& bytes, const std::string& needle, const std::string& name = "broken_1.ser")
{
    try {
        readSer(bytes, name);
    } catch (const IoError& e) {
        QCOMPARE(QString::fromStdString(e.file()), QString::fromStdString(name));
        QVERIFY2(std::string(e.what()).rfind(name + ": ", 0) == 0, e.what());
        QVERIFY2(e.problem().find(needle) != std::string::npos, e.what());
        return;
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("not an IoError: %1").arg(e.what())));
    }
    QFAIL(qPrintable(QStringLiteral("accepted, expected refusal containing '%1'").arg(QString::fromStdString(needle))));
}

const char* const kEmiXml =
    "\x01\x02garbage<ObjectInfo><ExperimentalConditions><MicroscopeConditions>"
    "<AcceleratingVoltage>300000</AcceleratingVoltage></MicroscopeConditions></ExperimentalConditions>"
    "<ExperimentalDescription><Root><Data><Label>Microscope</Label><Value>Titan 80-300</Value><Unit></Unit></Data>"
    "<Data><Label>Magnification</Label><Value>245000</Value><Unit>x</Unit></Data>"
    "<Data><Label>Filter mode</Label><Value></Value><Unit></Unit></Data></Root></ExperimentalDescription>"
    "</ObjectInfo>\xff\xfe";

} // namespace

class TestSerReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPixelTypeInBothVersions_data();
    void everyPixelTypeInBothVersions();
    void seriesFollowsTheOffsetArray();
    void unitFollowsTheFieldOfView();
    void refusesDamagedOrUnsupportedFiles();
    void everyTruncationIsRefused();
    void emiMetadataIsReadAndGarbageIgnored();
    void readMicrographFindsTheEmiCompanion();
    void sharedFileMatchesReference();
};

void TestSerReader::everyPixelTypeInBothVersions_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("dtype");
    const char* names[] = {"", "uint8", "uint16", "uint32", "int8", "int16", "int32", "float32", "float64", "complex64", "complex128"};
    for (int version : {0x0210, 0x0220})
        for (int code = 1; code <= 10; ++code)
            QTest::addRow("v%x-%s", version, names[code]) << version << code << QString(names[code]);
}

void TestSerReader::everyPixelTypeInBothVersions()
{
    QFETCH(int, version);
    QFETCH(int, code);
    QFETCH(QString, dtype);
    std::vector<float> expected;
    const Element e = elementOfType(code, expected);
    QCOMPARE(expected.size(), std::size_t(6));
    const Micrograph m = readSer(serFile(std::uint16_t(version), {e}), "typed_1.ser");
    QCOMPARE(m.width, 3);
    QCOMPARE(m.height, 2);
    QCOMPARE(m.frames, 1);
    QCOMPARE(QString::fromStdString(m.dtype), dtype);
    QCOMPARE(QString::fromStdString(m.format), QStringLiteral("SER"));
    // The file stores the bottom row first: file row 0 is image row 1.
    for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 3; ++x)
            QCOMPARE(m.at(x, y), expected[std::size_t(1 - y) * 3 + std::size_t(x)]);
    QCOMPARE(m.calibration.unit, std::string("nm"));
    QCOMPARE(m.calibration.pixelSizeX, 0.2);
    QCOMPARE(m.calibration.pixelSizeY, 0.2);
    QCOMPARE(m.metadata.at("SER.Version"), std::string(version == 0x0210 ? "0x0210" : "0x0220"));
}

void TestSerReader::seriesFollowsTheOffsetArray()
{
    test::TempDir dir;
    for (std::uint16_t version : {std::uint16_t(0x0210), std::uint16_t(0x0220)}) {
        std::vector<Element> elements;
        for (int i = 0; i < 3; ++i) {
            Element e;
            e.code = 2;
            e.width = 4;
            e.height = 3;
            std::vector<float> ignored;
            std::vector<double> values;
            for (int k = 0; k < 12; ++k)
                values.push_back(1000.0 * (i + 1) + k);
            e.pixels = encode<std::uint16_t>(values, ignored);
            e.time = i == 1 ? -1 : 1796600000 + 5 * i; // element 1 has no time tag
            elements.push_back(e);
        }
        // Stored as element 2, 0, 1: the first element is in the middle of the file.
        const ByteVector file = serFile(version, elements, nullptr, {2, 0, 1});
        const Micrograph m = readSer(file, "series_1.ser");
        QCOMPARE(m.frames, 3);
        QCOMPARE(m.width, 4);
        QCOMPARE(m.height, 3);
        QCOMPARE(m.at(0, 2), 1000.0f); // first element, first stored (bottom) row
        QCOMPARE(m.at(3, 0), 1011.0f);
        QCOMPARE(m.metadata.at("Frame.DateTime"), std::string("2026-12-06T23:33:20Z"));
        // Every element is a frame, with its own time tag.
        for (int frame : {1, 2}) {
            const Micrograph f = readSer(file, "series_1.ser", {}, frame);
            QCOMPARE(f.frames, 3);
            QCOMPARE(f.at(0, 2), float(1000 * (frame + 1)));
            QCOMPARE(f.at(3, 0), float(1000 * (frame + 1) + 11));
            QCOMPARE(f.metadata.count("Frame.DateTime"), std::size_t(frame == 2 ? 1 : 0));
        }
        QCOMPARE(readSer(file, "s_1.ser", {}, 2).metadata.at("Frame.DateTime"), std::string("2026-12-06T23:33:30Z"));
        for (int missing : {3, -1})
            QVERIFY_THROWS_EXCEPTION(motifscope::IoError, readSer(file, "series_1.ser", {}, missing));
        // On disk beside its .emi, one FrameSource gives every element as readMicrographFrame does.
        writeFile(dir.file("series_1.ser"), file);
        writeFile(dir.file("series.emi"), ByteVector(kEmiXml, kEmiXml + std::strlen(kEmiXml)));
        test::checkFrameSource(dir.file("series_1.ser"), 3);
    }
}

void TestSerReader::unitFollowsTheFieldOfView()
{
    // 600 px at 5 nm/px is 3 µm across: µm. 3 px at 0.2 nm is 0.6 nm across: nm.
    Element wide;
    wide.code = 1;
    wide.width = 600;
    wide.height = 1;
    wide.pixels.assign(600, 7);
    wide.deltaX = 5e-9;
    wide.deltaY = 6e-9;
    const Micrograph m = readSer(serFile(0x0210, {wide}), "wide_1.ser");
    QCOMPARE(QString::fromStdString(m.calibration.unit), QStringLiteral("\u00b5m"));
    QCOMPARE(m.calibration.pixelSizeX, 0.005);
    QCOMPARE(m.calibration.pixelSizeY, 0.006);
    // A non-positive delta leaves the image uncalibrated rather than inventing a scale.
    wide.deltaX = 0.0;
    const Micrograph u = readSer(serFile(0x0210, {wide}), "wide_1.ser");
    QVERIFY(!u.calibration.isCalibrated());
    QCOMPARE(u.calibration.pixelSizeX, 1.0);
}

void TestSerReader::refusesDamagedOrUnsupportedFiles()
{
    std::vector<float> expected;
    const Element e = elementOfType(2, expected);
    SerLayout layout;
    const ByteVector good = serFile(0x0210, {e}, &layout);
    QCOMPARE(readSer(good, "broken_1.ser").width, 3); // the base file is fine

    ByteVector bad = good;
    poke<std::uint16_t>(bad, 0, 0x4d4d);
    expectRefused(bad, "bad magic");
    bad = good;
    poke<std::uint16_t>(bad, 2, 0x0198);
    expectRefused(bad, "bad magic");
    bad = good;
    poke<std::uint16_t>(bad, 4, 0x0300);
    expectRefused(bad, "unsupported series version 0x0300");
    expectRefused(serFile(0x0210, {e}, nullptr, {}, 0x4120), "1-D spectra");
    expectRefused(serFile(0x0220, {e}, nullptr, {}, 0x4120), "1-D spectra");
    expectRefused(serFile(0x0210, {e}, nullptr, {}, 0x1234), "unknown data type id 0x1234");

    bad = good;
    poke<std::int32_t>(bad, 18, 2); // valid (2) > total (1)
    expectRefused(bad, "invalid element counts");
    bad = good;
    poke<std::int32_t>(bad, 14, 0);
    poke<std::int32_t>(bad, 18, 0);
    expectRefused(bad, "invalid element counts");
    bad = good;
    poke<std::uint32_t>(bad, layout.offsetArrayField, 0xfffffff0u);
    expectRefused(bad, "past the end of the file");
    bad = good;
    poke<std::uint32_t>(bad, layout.offsetArray, std::uint32_t(good.size() + 100));
    expectRefused(bad, "data offset " + std::to_string(good.size() + 100) + " of element 0 is past the end");

    const std::size_t element = layout.elementAt[0];
    bad = good;
    poke<std::int16_t>(bad, element + 40, 11);
    expectRefused(bad, "unsupported pixel type code 11");
    bad = good;
    poke<std::int32_t>(bad, element + 42, -3);
    expectRefused(bad, "invalid image size -3 x 2");
    bad = good;
    poke<std::int32_t>(bad, element + 42, 2000000);
    expectRefused(bad, "larger than MotifScope accepts");
    bad = good;
    poke<std::int32_t>(bad, element + 42, 50000);
    poke<std::int32_t>(bad, element + 46, 50000);
    expectRefused(bad, "larger than MotifScope accepts");
    // Plausible but huge (900 Mpx) in a tiny file: refused before any pixel buffer is allocated.
    bad = good;
    poke<std::int32_t>(bad, element + 42, 30000);
    poke<std::int32_t>(bad, element + 46, 30000);
    expectRefused(bad, "file is truncated: image data needs 1800000000 bytes");
}

void TestSerReader::everyTruncationIsRefused()
{
    std::vector<float> expected;
    for (std::uint16_t version : {std::uint16_t(0x0210), std::uint16_t(0x0220)}) {
        const ByteVector good = serFile(version, {elementOfType(8, expected)});
        for (std::size_t length = 0; length < good.size(); ++length)
            expectRefused(ByteVector(good.begin(), good.begin() + std::ptrdiff_t(length)), "", "cut_1.ser");
    }
}

void TestSerReader::emiMetadataIsReadAndGarbageIgnored()
{
    std::vector<float> expected;
    const ByteVector ser = serFile(0x0210, {elementOfType(7, expected)});
    const std::string xml = kEmiXml;
    const ByteVector emi(xml.begin(), xml.end());
    const Micrograph m = readSer(ser, "meta_1.ser", emi);
    QCOMPARE(m.metadata.at("EMI.AcceleratingVoltage"), std::string("300000"));
    QCOMPARE(m.metadata.at("EMI.Microscope"), std::string("Titan 80-300"));
    QCOMPARE(m.metadata.at("EMI.Magnification"), std::string("245000 x"));
    QVERIFY(!m.metadata.count("EMI.Filter mode")); // empty values are left out

    // Unclosed tags, binary noise and an empty companion: the image still reads, identically.
    for (const std::string& garbage : {std::string("<Data><Label>X</Label><Value>"), std::string("\0\0<<>></", 9),
                                       std::string(5000, '\xff'), std::string()}) {
        const ByteVector bytes(garbage.begin(), garbage.end());
        const Micrograph g = readSer(ser, "meta_1.ser", bytes);
        QCOMPARE(g.pixels, m.pixels);
        QVERIFY(!g.metadata.count("EMI.Microscope"));
    }
}

void TestSerReader::readMicrographFindsTheEmiCompanion()
{
    test::TempDir dir;
    std::vector<float> expected;
    const ByteVector ser = serFile(0x0220, {elementOfType(6, expected)});
    writeFile(dir.file("scan_1.ser"), ser);
    const std::string xml = kEmiXml;
    writeFile(dir.file("scan.emi"), ByteVector(xml.begin(), xml.end()));

    const Micrograph onDisk = readMicrograph(dir.file("scan_1.ser"));
    QCOMPARE(onDisk.dtype, std::string("int32"));
    QCOMPARE(onDisk.at(0, 1), expected[0]);
    QCOMPARE(onDisk.metadata.at("EMI.Microscope"), std::string("Titan 80-300"));

    // decodeMicrograph sniffs SER from its magic (any name) and reads it without a companion.
    const Micrograph inMemory = decodeMicrograph(ser, "no_extension");
    QCOMPARE(inMemory.format, std::string("SER"));
    QCOMPARE(inMemory.pixels, onDisk.pixels);
    QVERIFY(!inMemory.metadata.count("EMI.Microscope"));
}

void TestSerReader::sharedFileMatchesReference()
{
    MOTIFSCOPE_SHARED_FILE(path, "formats/64x64_TEM_images_acquire_1.ser");
    std::ifstream in(test::sharedPath("formats/expected.json"));
    const nlohmann::json e = nlohmann::json::parse(in).at("64x64_TEM_images_acquire_1.ser");
    const Micrograph m = readMicrograph(path);
    QCOMPARE(m.height, e["shape"][0].get<int>());
    QCOMPARE(m.width, e["shape"][1].get<int>());
    QCOMPARE(m.dtype, e["dtype"].get<std::string>());
    QCOMPARE(m.frames, 1);
    const PixelStats s = computeStats(m);
    QCOMPARE(s.min, e["min"].get<double>());
    QCOMPARE(s.max, e["max"].get<double>());
    QVERIFY(std::abs(s.mean - e["mean"].get<double>()) <= 1e-6 * std::abs(e["mean"].get<double>()));
    for (std::size_t i = 0; i < 4; ++i)
        QCOMPARE(double(m.pixels[i]), e["first_row_head"][i].get<double>());
    QCOMPARE(m.calibration.pixelSizeY, e["scale"][0].get<double>());
    QCOMPARE(m.calibration.pixelSizeX, e["scale"][1].get<double>());
    QCOMPARE(m.calibration.unit, e["units"][1].get<std::string>());
    // The companion .emi beside it was found and read.
    QCOMPARE(m.metadata.at("EMI.AcceleratingVoltage"), std::string("200000"));
    QCOMPARE(m.metadata.at("EMI.Magnification"), std::string("19500 x"));
    QCOMPARE(m.metadata.at("EMI.Microscope"), std::string("Microscope Tecnai 200 kV D2267 SuperTwin"));
    QCOMPARE(m.metadata.at("EMI.High tension"), std::string("200 kV"));
    // The element's time tag: 11 s after the EMI's AcquireDate "Sun Feb 21 17:50:18 2016" (local
    // time, UTC+1). Read without the two bytes after the tag type it would say 1989.
    QCOMPARE(m.metadata.at("Frame.DateTime"), std::string("2016-02-21T16:50:29Z"));
}

QTEST_GUILESS_MAIN(TestSerReader)
#include "test_ser_reader.moc"
