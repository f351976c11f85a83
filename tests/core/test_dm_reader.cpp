// Gatan DM3 / DM4 reader: the real files in ../shared/data/formats against expected.json, and files
// built byte by byte (dm_test_files.h: both versions, both byte orders, every numeric and RGB data type,
// thumbnails, stacks, calibration, metadata, every tag encoding) read back exactly. Corrupt files:
// test_dm_refusals.cpp.
#include "dm_test_files.h"
#include "frame_source_check.h"
#include "core/io/pixel_types.h"
#include "core/io/readers.h"
#include "test_support.h"

#include <QtTest>

#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

using namespace motifscope;
using namespace motifscope::test::dm;

namespace {

float luma(double r, double g, double b)
{
    return float(0.299 * r + 0.587 * g + 0.114 * b);
}

/** One Gatan data type with known pixels (3 x 2) and the floats MotifScope must return for them. */
struct TypeCase
{
    const char* label;
    int dataType;
    const char* dtype;
    std::uint64_t element;
    std::function<ByteVector(bool big)> bytes;
    QList<float> expected;
};

template <typename T>
TypeCase scalarCase(const char* label, int dataType, const char* dtype, std::vector<T> v)
{
    TypeCase c{label, dataType, dtype, typeCode<T>(), [v](bool big) { return encode(v, big); }, {}};
    for (T x : v)
        c.expected.push_back(float(x));
    return c;
}

template <typename T> TypeCase complexCase(const char* label, int dataType, const char* dtype)
{
    const std::vector<T> v = {3, 4, 0, -2, 6, 8, -5, 12, 1, 0, 0, 0}; // moduli 5, 2, 10, 13, 1, 0
    return {label,
            dataType,
            dtype,
            typeCode<T>(),
            [v](bool big) { return encode(v, big); },
            {5, 2, 10, 13, 1, 0}};
}

const std::vector<std::array<int, 4>> kRgba = {{255, 0, 0, 9},    {0, 255, 0, 9},     {0, 0, 255, 9},
                                               {10, 20, 30, 255}, {255, 255, 255, 0}, {0, 0, 0, 77}};

/** 32-bit words 0xAARRGGBB (types 8 and 23). */
TypeCase rgbWordCase(const char* label, int dataType)
{
    TypeCase c{label,
               dataType,
               "rgba8",
               3,
               [](bool big) {
                   ByteVector out;
                   for (const auto& p : kRgba)
                       put(out,
                           std::uint32_t(p[3]) << 24 | std::uint32_t(p[0]) << 16 | std::uint32_t(p[1]) << 8 |
                               std::uint32_t(p[2]),
                           big);
                   return out;
               },
               {}};
    for (const auto& p : kRgba)
        c.expected.push_back(luma(p[0], p[1], p[2]));
    return c;
}

/** Separate R, G, B(, A) components of type T, scaled by `unit`. */
template <typename T>
TypeCase rgbCase(const char* label, int dataType, const char* dtype, int channels, double unit)
{
    TypeCase c{label,
               dataType,
               dtype,
               typeCode<T>(),
               [channels, unit](bool big) {
                   ByteVector out;
                   for (const auto& p : kRgba)
                       for (int k = 0; k < channels; ++k)
                           put(out, T(p[k] * unit), big);
                   return out;
               },
               {}};
    for (const auto& p : kRgba)
        c.expected.push_back(luma(double(T(p[0] * unit)), double(T(p[1] * unit)), double(T(p[2] * unit))));
    return c;
}

std::vector<TypeCase> typeCases()
{
    TypeCase binary{
        "bool", 14, "bool", 10, [](bool) { return ByteVector{0, 1, 0, 7, 1, 0}; }, {0, 1, 0, 1, 1, 0}};
    return {
        scalarCase<std::int16_t>("int16", 1, "int16", {-300, 0, 1, 2, 32767, -32768}),
        scalarCase<float>("float32", 2, "float32", {-1.5f, 0.25f, 3e10f, -7.0f, 1e-20f, 42.0f}),
        complexCase<float>("complex64", 3, "complex64"),
        scalarCase<std::uint8_t>("uint8", 6, "uint8", {0, 1, 2, 128, 254, 255}),
        scalarCase<std::int32_t>("int32", 7, "int32", {-100000, 0, 7, 2000000, -1, 65536}),
        rgbWordCase("rgb (8)", 8),
        scalarCase<std::int8_t>("int8", 9, "int8", {-128, -1, 0, 1, 100, 127}),
        scalarCase<std::uint16_t>("uint16", 10, "uint16", {0, 1, 300, 32768, 65534, 65535}),
        scalarCase<std::uint32_t>("uint32", 11, "uint32", {0, 1, 70000, 1u << 31, 16777216, 5}),
        scalarCase<double>("float64", 12, "float64", {-2.5, 0.0, 1e30, 3.25, -1e-3, 8.0}),
        complexCase<double>("complex128", 13, "complex128"),
        binary,
        rgbCase<std::uint8_t>("rgb uint8", 15, "rgb8", 3, 1.0),
        rgbCase<std::uint16_t>("rgb uint16", 17, "rgb16", 3, 200.0),
        rgbCase<float>("rgb float32", 18, "rgb_float32", 3, 0.01),
        rgbCase<double>("rgb float64", 19, "rgb_float64", 3, -0.5),
        rgbWordCase("rgba uint8 (23)", 23),
        rgbCase<std::uint16_t>("rgba uint16", 24, "rgba16", 4, 250.0),
        rgbCase<float>("rgba float32", 25, "rgba_float32", 4, 1.5),
        rgbCase<double>("rgba float64", 26, "rgba_float64", 4, 1e-3),
        scalarCase<std::int64_t>("int64 (35)", 35, "int64",
                                 {-(std::int64_t(1) << 40), 0, 1, 123456789, -7, 1 << 24}),
        scalarCase<std::uint64_t>("uint64 (36)", 36, "uint64",
                                  {0, 1, std::uint64_t(1) << 63, 99, 1 << 20, 3}),
        scalarCase<std::int64_t>("int64 (39)", 39, "int64", {5, -5, std::int64_t(1) << 50, 0, -1, 2}),
        scalarCase<std::uint64_t>("uint64 (40)", 40, "uint64", {7, 0, std::uint64_t(1) << 33, 1, 2, 3}),
    };
}

} // namespace

class TestDmReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sharedFiles_data();
    void sharedFiles();
    void stemImageMetadata();
    void dataTypes_data();
    void dataTypes();
    void thumbnailIsSkippedEvenWhenLarger();
    void leadingRgbaEntryIsTakenForThumbnailWithoutList();
    void largestImageIsChosen();
    void stackGivesEveryFrame();
    void calibration_data();
    void calibration();
    void metadataIsFlattened();
};

void TestDmReader::sharedFiles_data()
{
    QTest::addColumn<QString>("file");
    if (test::sharedPath("formats/expected.json").empty())
        return;
    std::ifstream in(test::sharedPath("formats/expected.json"));
    const nlohmann::json expected = nlohmann::json::parse(in);
    for (const auto& item : expected.items()) {
        const QString name = QString::fromStdString(item.key());
        if (name.startsWith("dm3_") || name.startsWith("dm4_") || name == "STEM_image.dm3")
            QTest::newRow(item.key().c_str()) << name;
    }
}

void TestDmReader::sharedFiles()
{
    MOTIFSCOPE_SHARED_FILE(expectedPath, "formats/expected.json");
    QFETCH(QString, file);
    std::ifstream in(expectedPath);
    const nlohmann::json e = nlohmann::json::parse(in).at(file.toStdString());
    const std::vector<std::uint8_t> bytes = readFileBytes(test::sharedPath("formats/" + file.toStdString()));
    const Micrograph m = readDm(Bytes(bytes), file.toStdString());
    QCOMPARE(QString::fromStdString(m.format), file.endsWith(".dm4") ? QString("DM4") : QString("DM3"));
    QCOMPARE(m.height, e["shape"][0].get<int>());
    QCOMPARE(m.width, e["shape"][1].get<int>());
    QCOMPARE(m.frames, 1);
    QCOMPARE(QString::fromStdString(m.dtype), QString::fromStdString(e["dtype"].get<std::string>()));
    const PixelStats s = computeStats(m);
    QCOMPARE(s.min, e["min"].get<double>());
    QCOMPARE(s.max, e["max"].get<double>());
    QVERIFY(std::abs(s.mean - e["mean"].get<double>()) <= 1e-9 * std::abs(e["mean"].get<double>()));
    for (std::size_t i = 0; i < e["first_row_head"].size(); ++i)
        QCOMPARE(double(m.pixels[i]), e["first_row_head"][i].get<double>());
    QCOMPARE(m.calibration.pixelSizeY, e["scale"][0].get<double>());
    QCOMPARE(m.calibration.pixelSizeX, e["scale"][1].get<double>());
    QCOMPARE(QString::fromStdString(m.calibration.unit),
             QString::fromStdString(e["units"][1].get<std::string>()));
    QCOMPARE(QString::fromStdString(m.calibration.unit),
             QString::fromStdString(e["units"][0].get<std::string>()));
}

void TestDmReader::stemImageMetadata()
{
    MOTIFSCOPE_SHARED_FILE(path, "formats/STEM_image.dm3");
    const Micrograph m = readMicrograph(path);
    QCOMPARE(QString::fromStdString(m.metadata.at("Microscope Info.Voltage")), QString("200000"));
    QCOMPARE(QString::fromStdString(m.metadata.at("Microscope Info.Indicated Magnification")),
             QString("225000"));
    QCOMPARE(QString::fromStdString(m.metadata.at("Microscope Info.Name")), QString("FEI Tecnai Remote"));
    QCOMPARE(QString::fromStdString(m.metadata.at("Microscope Info.Emission Current (µA)")), QString("0"));
    QCOMPARE(QString::fromStdString(m.metadata.at("DataBar.Acquisition Date")), QString("8/8/2016"));
    QCOMPARE(QString::fromStdString(m.metadata.at("DM.ImageIndex")),
             QString("1")); // entry 0 is the thumbnail
    QVERIFY(m.metadata.size() <= 300);
}

void TestDmReader::dataTypes_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<bool>("big");
    QTest::addColumn<int>("dataType");
    QTest::addColumn<quint64>("element");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QList<float>>("expected");
    for (int version : {3, 4})
        for (bool big : {false, true})
            for (const TypeCase& c : typeCases()) {
                const ByteVector b = c.bytes(big);
                const QString row =
                    QString("DM%1 %2 %3").arg(version).arg(big ? "big" : "little").arg(c.label);
                QTest::newRow(qPrintable(row))
                    << version << big << c.dataType << quint64(c.element)
                    << QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()))
                    << QString(c.dtype) << c.expected;
            }
}

void TestDmReader::dataTypes()
{
    QFETCH(int, version);
    QFETCH(bool, big);
    QFETCH(int, dataType);
    QFETCH(quint64, element);
    QFETCH(QByteArray, data);
    QFETCH(QString, dtype);
    QFETCH(QList<float>, expected);
    TestImage im;
    im.dataType = dataType;
    im.dims = {3, 2};
    im.element = element;
    im.data.assign(data.begin(), data.end());
    im.pixelDepth = int(im.data.size() / 6);
    const Micrograph m = read(simpleFile(version, big, im));
    QCOMPARE(QString::fromStdString(m.format), QString("DM%1").arg(version));
    QCOMPARE(QString::fromStdString(m.dtype), dtype);
    QCOMPARE(m.width, 3);
    QCOMPARE(m.height, 2);
    QCOMPARE(m.frames, 1);
    QCOMPARE(QList<float>(m.pixels.begin(), m.pixels.end()), expected);
    QCOMPARE(QString::fromStdString(m.metadata.at("DM.ByteOrder")),
             QString(big ? "big-endian" : "little-endian"));
}

void TestDmReader::thumbnailIsSkippedEvenWhenLarger()
{
    for (bool big : {false, true}) {
        const Micrograph m = read(simpleFile(4, big));
        QCOMPARE(m.width, 3);
        QCOMPARE(QString::fromStdString(m.dtype), QString("float32"));
        QCOMPARE(m.pixels[5], 6.0f);
    }
    // The Thumbnails list is what counts, wherever the thumbnail sits.
    TestImage data{7, {2, 2}, 3, 0, encode(std::vector<std::int32_t>{9, 8, 7, 6}, false), {}, {}, 0, {}};
    const Micrograph m = read(dmFile(3, false, {data, thumbnailImage(false)}, {1}));
    QCOMPARE(QString::fromStdString(m.dtype), QString("int32"));
    QCOMPARE(m.pixels[0], 9.0f);
}

void TestDmReader::leadingRgbaEntryIsTakenForThumbnailWithoutList()
{
    TestImage data{1, {2, 2}, 2, 0, encode(std::vector<std::int16_t>{1, 2, 3, 4}, true), {}, {}, 0, {}};
    const Micrograph m = read(dmFile(3, true, {thumbnailImage(true), data}, {}));
    QCOMPARE(QString::fromStdString(m.dtype), QString("int16"));
    QCOMPARE(m.pixels[3], 4.0f);
    // A file holding nothing but an RGBA image still yields it.
    const Micrograph only = read(dmFile(4, false, {thumbnailImage(false)}, {}));
    QCOMPARE(only.width, 8);
    QCOMPARE(only.pixels[0], luma(0x80, 0x80, 0x80));
}

void TestDmReader::largestImageIsChosen()
{
    TestImage small{2, {2, 2}, 6, 0, encode(std::vector<float>{1, 1, 1, 1}, false), {}, {}, 0, {}};
    TestImage large{2, {4, 3}, 6, 0, encode(std::vector<float>(12, 5.0f), false), {}, {}, 0, {}};
    TestImage spectrum{2, {100}, 6, 0, encode(std::vector<float>(100, 2.0f), false), {}, {}, 0, {}};
    const Micrograph m = read(dmFile(4, false, {thumbnailImage(false), small, spectrum, large, small}, {0}));
    QCOMPARE(m.width, 4);
    QCOMPARE(m.height, 3);
    QCOMPARE(m.pixels[11], 5.0f);
    QCOMPARE(QString::fromStdString(m.metadata.at("DM.ImageIndex")), QString("3"));
}

void TestDmReader::stackGivesEveryFrame()
{
    test::TempDir dir;
    for (int version : {3, 4}) {
        std::vector<std::uint16_t> values(18);
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = std::uint16_t(100 + i);
        TestImage stack{10, {3, 2, 3}, 4, 0, encode(values, version == 4), {}, {}, 2, {}};
        const Micrograph m = read(simpleFile(version, version == 4, stack));
        QCOMPARE(m.frames, 3);
        QCOMPARE(m.width, 3);
        QCOMPARE(m.height, 2);
        QCOMPARE(QList<float>(m.pixels.begin(), m.pixels.end()),
                 QList<float>({100, 101, 102, 103, 104, 105}));
        // Later frames follow in the Data array, one 3 x 2 image each.
        const auto bytes = simpleFile(version, version == 4, stack);
        const Micrograph last = readDm(bytes, "stack.dm", 2);
        QCOMPARE(last.frames, 3);
        QCOMPARE(QList<float>(last.pixels.begin(), last.pixels.end()),
                 QList<float>({112, 113, 114, 115, 116, 117}));
        QCOMPARE(readDm(bytes, "stack.dm", 1).pixels.front(), 106.0f);
        QVERIFY_THROWS_EXCEPTION(IoError, readDm(bytes, "stack.dm", 3));
        // On disk, one FrameSource gives every frame as readMicrographFrame does.
        const std::string path = dir.file("stack.dm" + std::to_string(version));
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        test::checkFrameSource(path, 3);
    }
}

void TestDmReader::calibration_data()
{
    QTest::addColumn<QString>("unitX");
    QTest::addColumn<QString>("unitY");
    QTest::addColumn<double>("scaleX");
    QTest::addColumn<double>("scaleY");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<double>("sizeX");
    QTest::addColumn<double>("sizeY");
    QTest::newRow("nm") << "nm"
                        << "nm" << 0.25 << 0.5 << "nm" << 0.25 << 0.5;
    QTest::newRow("µm") << "µm"
                        << "µm" << 1.5 << 1.5 << "µm" << 1.5 << 1.5;
    QTest::newRow("Å") << "Å"
                       << "Å" << 0.75 << 0.75 << "Å" << 0.75 << 0.75;
    QTest::newRow("no unit") << ""
                             << "" << 0.25 << 0.25 << "" << 1.0 << 1.0;
    QTest::newRow("different units") << "nm"
                                     << "µm" << 0.25 << 0.25 << "" << 1.0 << 1.0;
    QTest::newRow("zero scale") << "nm"
                                << "nm" << 0.0 << 0.5 << "" << 1.0 << 1.0;
    QTest::newRow("negative scale") << "nm"
                                    << "nm" << -0.125 << 0.125 << "nm" << 0.125 << 0.125;
}

void TestDmReader::calibration()
{
    QFETCH(QString, unitX);
    QFETCH(QString, unitY);
    QFETCH(double, scaleX);
    QFETCH(double, scaleY);
    QFETCH(QString, unit);
    QFETCH(double, sizeX);
    QFETCH(double, sizeY);
    for (int version : {3, 4})
        for (bool big : {false, true}) {
            TestImage im{6, {2, 2}, 10, 0, {1, 2, 3, 4}, {scaleX, scaleY}, {}, 1, {}};
            im.units = {unitX.toStdU16String(), unitY.toStdU16String()};
            const Micrograph m = read(simpleFile(version, big, im));
            QCOMPARE(QString::fromStdString(m.calibration.unit), unit);
            QCOMPARE(m.calibration.pixelSizeX, sizeX);
            QCOMPARE(m.calibration.pixelSizeY, sizeY);
        }
}

void TestDmReader::metadataIsFlattened()
{
    const bool big = true;
    TestImage im{2, {2, 1}, 6, 0, encode(std::vector<float>{1, 2}, big), {}, {}, 0, {}};
    ByteVector beam = encode(std::vector<float>{2.5f}, big); // a struct of a float and an int32
    put(beam, std::int32_t(-4), big);
    std::vector<Tag> many;
    for (int i = 0; i < 500; ++i)
        many.push_back(scalar("Value " + std::to_string(i), std::int32_t(i), big));
    im.imageTags = {
        group("Microscope Info",
              {scalar("Voltage", 300000.0, big), scalar("Indicated Magnification", 1.5e6f, big),
               utf16("Operator", u"Zoë", big), scalar("Tilt", std::int16_t(-3), big),
               scalar("HT Extrapolated", false, big), Tag{"Beam", false, {}, {15, 0, 2, 0, 6, 0, 3}, beam}}),
        group("Acquisition",
              {group("Parameters", {group("High Level", {scalar("Exposure (s)", 0.5, big)})})}),
        group("Private", {scalar("Secret", std::uint32_t(1), big)}), group("DigiScan", many)};
    const Micrograph m = read(simpleFile(3, big, im));
    const auto value = [&](const char* key) { return QString::fromStdString(m.metadata.at(key)); };
    QCOMPARE(value("Microscope Info.Voltage"), QString("300000"));
    QCOMPARE(value("Microscope Info.Indicated Magnification"), QString("1500000"));
    QCOMPARE(value("Microscope Info.Operator"), QString("Zoë"));
    QCOMPARE(value("Microscope Info.Tilt"), QString("-3"));
    QCOMPARE(value("Microscope Info.HT Extrapolated"), QString("false"));
    QCOMPARE(value("Microscope Info.Beam"), QString("(2.5, -4)"));
    QCOMPARE(value("Acquisition.Parameters.High Level.Exposure (s)"), QString("0.5"));
    QCOMPARE(value("DM.Name"), QString("test"));
    QCOMPARE(value("DM.Version"), QString("3"));
    QVERIFY(!m.metadata.count("Private.Secret"));
    QVERIFY(m.metadata.count("DigiScan.Value 99"));
    QVERIFY(!m.metadata.count("DigiScan.Value 100")); // capped per group
    QVERIFY(m.metadata.size() <= 300);
}

QTEST_GUILESS_MAIN(TestDmReader)
#include "test_dm_reader.moc"
