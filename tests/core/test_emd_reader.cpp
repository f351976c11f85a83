// EMD reader (HDF5): Velox and Berkeley layouts written here with the HDF5 C API (every numeric
// type, stacks, calibration, metadata, complex), refusals of damaged or unsupported files, the
// generic entry points, and the shared real files against the reference values.
#include "frame_source_check.h"
#include "h5_test_writer.h"
#include "core/io/hdf5_file.h"
#include "core/io/readers.h"
#include "test_support.h"

#include <QtTest>

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

using namespace motifscope;

namespace {

using test::ByteVector;
using test::H5Writer;
using test::Id;

const std::string kVeloxGroup = "/Data/Image/6fdbde41eecc4375b45cd86bd2be17c0";

/** A Velox JSON document with pixel sizes (metres, written as Velox does: strings). */
std::string veloxJson(const std::string& width, const std::string& height, const std::string& unit = "m")
{
    return R"({"Core":{"MetadataDefinitionVersion":"7.9"},"Optics":{"AccelerationVoltage":"300000"},)"
           R"("Instrument":{"Manufacturer":"FEI Company","InstrumentModel":"Titan"},)"
           R"("Acquisition":{"AcquisitionStartDatetime":{"DateTime":"1488794201"}},)"
           R"("BinaryResult":{"Detector":"HAADF","PixelSize":{"width":")" + width + R"(","height":")" + height +
           R"("},"PixelUnitX":")" + unit + R"(","PixelUnitY":")" + unit + R"("}})";
}

/** One numeric type: its HDF5 file type, numpy name and values exactly representable in it. */
struct TypeCase
{
    const char* name;
    std::function<hid_t()> fileType;
    const char* dtype;
    std::vector<double> values;
};

const std::vector<TypeCase>& typeCases()
{
    static const std::vector<TypeCase> cases = {
        {"int8", [] { return H5T_STD_I8LE; }, "int8", {-128, -1, 0, 1, 77, 127}},
        {"uint8", [] { return H5T_STD_U8LE; }, "uint8", {0, 1, 2, 128, 200, 255}},
        {"int16", [] { return H5T_STD_I16LE; }, "int16", {-32768, -2, 0, 3, 1000, 32767}},
        {"int16-big-endian", [] { return H5T_STD_I16BE; }, "int16", {-32768, -2, 0, 3, 1000, 32767}},
        {"uint16", [] { return H5T_STD_U16LE; }, "uint16", {0, 1, 300, 32768, 60000, 65535}},
        {"int32", [] { return H5T_STD_I32LE; }, "int32", {-2147483648.0, -5, 0, 7, 100000, 2147483647}},
        {"uint32", [] { return H5T_STD_U32LE; }, "uint32", {0, 1, 70000, 2147483648.0, 4e9, 4294967295.0}},
        {"uint32-big-endian", [] { return H5T_STD_U32BE; }, "uint32", {0, 1, 70000, 2147483648.0, 4e9, 4294967295.0}},
        {"int64", [] { return H5T_STD_I64LE; }, "int64", {-9223372036854775808.0, -3, 0, 5, 1e12, 9007199254740992.0}},
        {"uint64", [] { return H5T_STD_U64LE; }, "uint64", {0, 1, 1099511627776.0, 9007199254740992.0, 9223372036854775808.0, 13835058055282163712.0}},
        {"float32", [] { return H5T_IEEE_F32LE; }, "float32", {-1.5, 0, 0.25, 1e-3, 3e38, 42}},
        {"float64", [] { return H5T_IEEE_F64LE; }, "float64", {-2.5, 0, 1e30, 1.0 / 3.0, 7, 1e-7}},
        {"float64-big-endian", [] { return H5T_IEEE_F64BE; }, "float64", {-2.5, 0, 1e30, 1.0 / 3.0, 7, 1e-7}},
    };
    return cases;
}

/** The value a reader must give for `v` stored in a type holding it exactly. */
float asFloat(double v)
{
    return static_cast<float>(v);
}

/** Expects an IoError naming `name` whose problem contains `needle`. */
void expectRefused(const ByteVector& bytes, const std::string& needle, const std::string& name = "broken.emd")
{
    try {
        readEmd(bytes, name);
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

/** A small valid Velox file: 3 x 4 uint16, 2 frames, calibrated. */
ByteVector smallVelox(const test::TempDir& dir)
{
    H5Writer w(dir.file("small_velox.emd"));
    std::vector<double> values(24);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = double(i * 11);
    w.dataset(kVeloxGroup + "/Data", H5T_STD_U16LE, {3, 4, 2}, values);
    w.veloxMetadata(kVeloxGroup, veloxJson("1e-10", "1e-10"));
    return w.bytes();
}

/** A Berkeley file: data[x][y] = 10 x + y (W x H), dim vectors with the given spacing and units. */
ByteVector berkeleyFile(const test::TempDir& dir, const std::string& root, int w, int h, double step1, double step2,
                        const std::string& units1, const std::string& units2, int frames = 0)
{
    H5Writer f(dir.file("berkeley.emd"));
    f.stringAttribute("/", "version_major", "0");
    f.stringAttribute("/", "version_minor", "2");
    f.group("/microscope");
    f.stringAttribute("/microscope", "voltage", "300");
    const std::string group = root + "/stack";
    f.group(group);
    f.intAttribute(group, "emd_group_type", 1);
    std::vector<double> values;
    std::vector<hsize_t> dims = {hsize_t(w), hsize_t(h)};
    if (frames > 0)
        dims.push_back(hsize_t(frames));
    for (int x = 0; x < w; ++x)
        for (int y = 0; y < h; ++y)
            for (int k = 0; k < std::max(frames, 1); ++k)
                values.push_back(10.0 * x + y + 1000.0 * k);
    f.dataset(group + "/data", H5T_STD_I16LE, dims, values, true);
    f.dataset(group + "/dim1", H5T_IEEE_F64LE, {hsize_t(w)}, [&] {
        std::vector<double> v;
        for (int i = 0; i < w; ++i)
            v.push_back(i * step1);
        return v;
    }());
    f.dataset(group + "/dim2", H5T_IEEE_F64LE, {2}, {0.0, step2});
    f.stringAttribute(group + "/dim1", "name", "x");
    f.stringAttribute(group + "/dim1", "units", units1);
    f.stringAttribute(group + "/dim2", "name", "y");
    f.stringAttribute(group + "/dim2", "units", units2);
    return f.bytes();
}

nlohmann::json expectedFor(const std::string& file)
{
    std::ifstream in(test::sharedPath("formats/expected.json"));
    return nlohmann::json::parse(in).at(file);
}

} // namespace

class TestEmdReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void veloxEveryNumericType_data();
    void stacksGiveEveryFrame();
    void veloxEveryNumericType();
    void veloxBoolAndComplex();
    void veloxCalibrationAndMetadata();
    void veloxWithoutUsableCalibration();
    void berkeleyLayoutAndCalibration();
    void refusesDamagedOrUnsupportedFiles();
    void damagedGlobalHeapIsNotTrusted();
    void damagedChunkShapeIsRefusedBeforeReading();
    void everyTruncationIsRefused();
    void bitFlipsAreReadOrRefused();
    void genericEntryPoints();
    void sharedFilesMatchReference();
};

void TestEmdReader::veloxEveryNumericType_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < typeCases().size(); ++i)
        QTest::newRow(typeCases()[i].name) << int(i);
}

void TestEmdReader::veloxEveryNumericType()
{
    QFETCH(int, index);
    const TypeCase& c = typeCases()[std::size_t(index)];
    test::TempDir dir;
    H5Writer w(dir.file("typed.emd"));
    // HDF5 order [y][x][frame]: 3 rows, 4 columns, 2 frames; frame 1 holds other values.
    const int H = 3, W = 4, F = 2;
    std::vector<double> values;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            for (int f = 0; f < F; ++f)
                values.push_back(c.values[std::size_t(y * W + x + 3 * f) % c.values.size()]);
    w.dataset(kVeloxGroup + "/Data", c.fileType(), {H, W, F}, values);
    const Micrograph m = readEmd(w.bytes(), "typed.emd");
    QCOMPARE(m.width, W);
    QCOMPARE(m.height, H);
    QCOMPARE(m.frames, F);
    QCOMPARE(QString::fromStdString(m.format), QStringLiteral("EMD-Velox"));
    QCOMPARE(QString::fromStdString(m.dtype), QString(c.dtype));
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            QCOMPARE(m.at(x, y), asFloat(c.values[std::size_t(y * W + x) % c.values.size()]));
    QVERIFY(!m.calibration.isCalibrated()); // no Metadata dataset
}

/**
 * Every frame of a stack can be read: Velox (rows, columns, frames) with each frame's time from the
 * acquisition start plus the frame time, Berkeley (x, y, frames); a frame past the end is refused.
 */
void TestEmdReader::stacksGiveEveryFrame()
{
    test::TempDir dir;
    H5Writer w(dir.file("timed.emd"));
    std::vector<double> values(24);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = double(i * 11);
    w.dataset(kVeloxGroup + "/Data", H5T_STD_U16LE, {3, 4, 2}, values);
    std::string json = veloxJson("1e-10", "1e-10");
    json.insert(json.size() - 1, R"(,"Scan":{"FrameTime":"2.5"})");
    w.veloxMetadata(kVeloxGroup, json);
    const ByteVector velox = w.bytes();
    for (int frame : {0, 1}) {
        const Micrograph m = readEmd(velox, "timed.emd", frame);
        QCOMPARE(m.frames, 2);
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 4; ++x)
                QCOMPARE(m.at(x, y), float(((y * 4 + x) * 2 + frame) * 11));
        QCOMPARE(m.calibration.pixelSizeX, 0.1);
        QCOMPARE(m.metadata.at("Frame.DateTime"), std::string(frame == 0 ? "2017-03-06T09:56:41Z" : "2017-03-06T09:56:43.500Z"));
    }
    try {
        readEmd(velox, "timed.emd", 2);
        QFAIL("frame 2 of 2 was read");
    } catch (const IoError& e) {
        QVERIFY2(std::string(e.what()).find("frame 2 does not exist (the file holds 2)") != std::string::npos, e.what());
    }
    const ByteVector berkeley = berkeleyFile(dir, "/data", 5, 2, 0.5, 0.25, "[u_m]", "[u_m]", 3);
    QCOMPARE(readEmd(berkeley, "b.emd", 2).at(4, 1), 2041.0f);
    QCOMPARE(readEmd(berkeley, "b.emd", 1).at(0, 0), 1000.0f);
    QVERIFY_THROWS_EXCEPTION(IoError, readEmd(berkeley, "b.emd", 3));
    // On disk, one FrameSource gives every frame (with its time) as readMicrographFrame does.
    test::checkFrameSource(dir.file("timed.emd"), 2);
    test::checkFrameSource(dir.file("berkeley.emd"), 3);
}

void TestEmdReader::veloxBoolAndComplex()
{
    test::TempDir dir;
    {
        // numpy bool as h5py writes it: an 8-bit enum FALSE = 0, TRUE = 1.
        H5Writer w(dir.file("bool.emd"));
        Id type{H5Tenum_create(H5T_NATIVE_INT8), H5Tclose};
        const std::int8_t no = 0, yes = 1;
        H5Tenum_insert(type, "FALSE", &no);
        H5Tenum_insert(type, "TRUE", &yes);
        const std::int8_t pixels[2][3] = {{0, 1, 1}, {1, 0, 0}};
        w.rawDataset(kVeloxGroup + "/Data", type, type, {2, 3}, pixels);
        const Micrograph m = readEmd(w.bytes(), "bool.emd");
        QCOMPARE(m.dtype, std::string("bool"));
        QCOMPARE(m.frames, 1);
        QCOMPARE(m.pixels, (std::vector<float>{0, 1, 1, 1, 0, 0}));
    }
    {
        // Velox FFT / DPC images: a compound of two float32 (real, imaginary) -> modulus.
        H5Writer w(dir.file("complex.emd"));
        struct Pair
        {
            float re, im;
        };
        Id type{H5Tcreate(H5T_COMPOUND, sizeof(Pair)), H5Tclose};
        H5Tinsert(type, "realFloat", HOFFSET(Pair, re), H5T_NATIVE_FLOAT);
        H5Tinsert(type, "imagFloat", HOFFSET(Pair, im), H5T_NATIVE_FLOAT);
        const Pair pixels[2][2][1] = {{{{3, 4}}, {{0, 0}}}, {{{-6, 8}}, {{5, -12}}}};
        w.rawDataset(kVeloxGroup + "/Data", type, type, {2, 2, 1}, pixels);
        const Micrograph m = readEmd(w.bytes(), "complex.emd");
        QCOMPARE(m.dtype, std::string("complex64"));
        QCOMPARE(m.pixels, (std::vector<float>{5, 0, 10, 13}));
    }
}

void TestEmdReader::veloxCalibrationAndMetadata()
{
    test::TempDir dir;
    {
        // 4 px at 0.2 x 0.3 nm: nm; Velox writes the sizes as strings with three-digit exponents.
        H5Writer w(dir.file("cal.emd"));
        w.dataset(kVeloxGroup + "/Data", H5T_STD_U16LE, {2, 4, 1}, std::vector<double>(8, 5.0));
        w.veloxMetadata(kVeloxGroup, veloxJson("2e-010", "3e-010"));
        const Micrograph m = readEmd(w.bytes(), "cal.emd");
        QCOMPARE(m.calibration.unit, std::string("nm"));
        QCOMPARE(m.calibration.pixelSizeX, 0.2);
        QCOMPARE(m.calibration.pixelSizeY, 0.3);
        QCOMPARE(m.metadata.at("Velox.Optics.AccelerationVoltage"), std::string("300000"));
        QCOMPARE(m.metadata.at("Velox.Instrument.InstrumentModel"), std::string("Titan"));
        QCOMPARE(m.metadata.at("Velox.BinaryResult.Detector"), std::string("HAADF"));
        QCOMPARE(m.metadata.at("Velox.Acquisition.AcquisitionStartDatetime.DateTime"), std::string("1488794201"));
        QCOMPARE(m.metadata.at("Velox.ImageCount"), std::string("1"));
    }
    {
        // 600 px at 5 nm is 3 µm across: µm (the rule that gives 0.0053 µm for velox_image.emd).
        H5Writer w(dir.file("wide.emd"));
        w.dataset(kVeloxGroup + "/Data", H5T_STD_U8LE, {1, 600}, std::vector<double>(600, 1.0));
        w.veloxMetadata(kVeloxGroup, veloxJson("5e-9", "5e-9"));
        const Micrograph m = readEmd(w.bytes(), "wide.emd");
        QCOMPARE(m.frames, 1);
        QCOMPARE(QString::fromStdString(m.calibration.unit), QStringLiteral("\u00b5m"));
        QCOMPARE(m.calibration.pixelSizeX, 0.005);
    }
}

void TestEmdReader::veloxWithoutUsableCalibration()
{
    test::TempDir dir;
    const std::vector<std::string> documents = {veloxJson("2e-10", "2e-10", "1/m"), veloxJson("abc", "2e-10"),
                                                R"({"BinaryResult": {"PixelSize": 5}})", "{not json at all",
                                                R"([1, 2, 3])"};
    for (const std::string& json : documents) {
        H5Writer w(dir.file("uncal.emd"));
        w.dataset(kVeloxGroup + "/Data", H5T_IEEE_F32LE, {2, 2}, {1, 2, 3, 4});
        w.veloxMetadata(kVeloxGroup, json);
        const Micrograph m = readEmd(w.bytes(), "uncal.emd");
        QVERIFY2(!m.calibration.isCalibrated(), json.c_str());
        QCOMPARE(m.calibration.pixelSizeX, 1.0);
        QCOMPARE(m.pixels, (std::vector<float>{1, 2, 3, 4}));
    }
}

void TestEmdReader::berkeleyLayoutAndCalibration()
{
    test::TempDir dir;
    for (const std::string root : {"/data", "/signals"}) {
        // dim1 is x: pixel (x, y) = data[x][y]; spacing 0.1 must survive exactly (read as double).
        const Micrograph m = readEmd(berkeleyFile(dir, root, 4, 3, 0.1, 0.1, "[n_m]", "[n_m]"), "b.emd");
        QCOMPARE(m.format, std::string("EMD-Berkeley"));
        QCOMPARE(m.dtype, std::string("int16"));
        QCOMPARE(m.width, 4);
        QCOMPARE(m.height, 3);
        QCOMPARE(m.frames, 1);
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 4; ++x)
                QCOMPARE(m.at(x, y), float(10 * x + y));
        QCOMPARE(m.calibration.unit, std::string("nm"));
        QCOMPARE(m.calibration.pixelSizeX, 0.1);
        QCOMPARE(m.calibration.pixelSizeY, 0.1);
        QCOMPARE(m.metadata.at("EMD.Version"), std::string("0.2"));
        QCOMPARE(m.metadata.at("EMD.Microscope.voltage"), std::string("300"));
    }
    // A stack (x, y, frame): the first frame, frames counted.
    const Micrograph s = readEmd(berkeleyFile(dir, "/data", 5, 2, 0.5, 0.25, "[u_m]", "[u_m]", 3), "b.emd");
    QCOMPARE(s.frames, 3);
    QCOMPARE(s.at(4, 1), 41.0f);
    QCOMPARE(QString::fromStdString(s.calibration.unit), QStringLiteral("\u00b5m"));
    QCOMPARE(s.calibration.pixelSizeX, 0.5);
    QCOMPARE(s.calibration.pixelSizeY, 0.25);
    // Metres become nm; unitless or mismatched axes stay uncalibrated.
    const Micrograph metres = readEmd(berkeleyFile(dir, "/data", 4, 3, 2e-10, 2e-10, "[m]", "[m]"), "b.emd");
    QCOMPARE(metres.calibration.unit, std::string("nm"));
    QCOMPARE(metres.calibration.pixelSizeX, 0.2);
    QVERIFY(!readEmd(berkeleyFile(dir, "/data", 4, 3, 1, 1, "[]", "[]"), "b.emd").calibration.isCalibrated());
    QVERIFY(!readEmd(berkeleyFile(dir, "/data", 4, 3, 1, 1, "[n_m]", "[s]"), "b.emd").calibration.isCalibrated());
    QVERIFY(!readEmd(berkeleyFile(dir, "/data", 4, 3, -1, 1, "[n_m]", "[n_m]"), "b.emd").calibration.isCalibrated());
}

void TestEmdReader::refusesDamagedOrUnsupportedFiles()
{
    test::TempDir dir;
    expectRefused(ByteVector{}, "empty");
    expectRefused(ByteVector(4096, 0x5a), "not a readable HDF5 file");
    {
        H5Writer w(dir.file("x.emd"));
        w.dataset("/Data/Image/abc/Metadata", H5T_STD_U8LE, {2, 1}, {123, 125});
        expectRefused(w.bytes(), "missing dataset /Data/Image/abc/Data");
    }
    {
        H5Writer w(dir.file("x.emd"));
        w.group("/Data/Image");
        expectRefused(w.bytes(), "holds no image");
    }
    {
        H5Writer w(dir.file("x.emd"));
        w.dataset("/other/thing", H5T_STD_U8LE, {2, 2}, {1, 2, 3, 4});
        expectRefused(w.bytes(), "no image found");
    }
    {
        H5Writer w(dir.file("x.emd"));
        w.group("/data/spectrum");
        w.intAttribute("/data/spectrum", "emd_group_type", 1);
        w.dataset("/data/spectrum/data", H5T_IEEE_F32LE, {5}, {1, 2, 3, 4, 5});
        expectRefused(w.bytes(), "1-D data");
    }
    {
        H5Writer w(dir.file("x.emd"));
        w.dataset(kVeloxGroup + "/Data", H5T_IEEE_F32LE, {5}, {1, 2, 3, 4, 5});
        expectRefused(w.bytes(), "1-D data");
    }
    {
        H5Writer w(dir.file("x.emd"));
        w.dataset(kVeloxGroup + "/Data", H5T_STD_U8LE, {2, 2, 2, 2}, std::vector<double>(16, 1.0));
        expectRefused(w.bytes(), "4-D data");
    }
    {
        H5Writer w(dir.file("x.emd"));
        w.dataset(kVeloxGroup + "/Data", H5T_STD_U8LE, {2, 2, 0}, {});
        expectRefused(w.bytes(), "zero frames");
    }
    {
        H5Writer w(dir.file("x.emd"));
        Id type{H5Tcopy(H5T_C_S1), H5Tclose};
        H5Tset_size(type, 4);
        const char text[2][2][4] = {{"ab", "cd"}, {"ef", "gh"}};
        w.rawDataset(kVeloxGroup + "/Data", type, type, {2, 2}, text);
        expectRefused(w.bytes(), "unsupported HDF5 type (string, 4 bytes)");
    }
    {
        // Absurd declared sizes in a tiny file (chunked, never written).
        H5Writer w(dir.file("x.emd"));
        w.dataset(kVeloxGroup + "/Data", H5T_STD_U8LE, {4, (1u << 20) + 1, 1}, {}, true, false);
        expectRefused(w.bytes(), "larger than MotifScope accepts");
    }
    {
        H5Writer w(dir.file("x.emd"));
        w.dataset(kVeloxGroup + "/Data", H5T_STD_U8LE, {40000, 40000}, {}, true, false);
        expectRefused(w.bytes(), "larger than MotifScope accepts");
    }
    {
        // Plausible size but nothing stored: refused before allocating 400 MB of fill values.
        H5Writer w(dir.file("x.emd"));
        w.dataset(kVeloxGroup + "/Data", H5T_STD_U8LE, {20000, 20000}, {}, true, false);
        expectRefused(w.bytes(), "holds no stored data");
    }
    {
        // An external link would make HDF5 open another file on disk: treated as missing.
        const ByteVector other = smallVelox(dir);
        H5Writer w(dir.file("x.emd"));
        w.group(kVeloxGroup);
        const std::string target = dir.file("small_velox.emd");
        QVERIFY(H5Lcreate_external(target.c_str(), (kVeloxGroup + "/Data").c_str(), w.file(),
                                   (kVeloxGroup + "/Data").c_str(), H5P_DEFAULT, H5P_DEFAULT) >= 0);
        expectRefused(w.bytes(), "missing dataset");
    }
}

void TestEmdReader::damagedGlobalHeapIsNotTrusted()
{
    // HDF5 1.10 loops forever on a global heap whose free-space object has size 0, and reads out
    // of bounds for references to missing objects: such files must still load, without the
    // variable-length strings (units, names) that live in the heap.
    test::TempDir dir;
    const ByteVector good = berkeleyFile(dir, "/data", 4, 3, 0.1, 0.1, "[n_m]", "[n_m]");
    QVERIFY(hdf5::variableLengthAttributeIsSafe(good, "units"));
    const auto at = std::search(good.begin(), good.end(), std::begin("GCOL"), std::begin("GCOL") + 4);
    QVERIFY(at != good.end());
    const std::size_t heap = std::size_t(at - good.begin());
    // Walk the collection's objects (16-byte headers: index u16, refs u16, reserved, size u64).
    std::size_t p = heap + 16, freeObject = 0;
    std::vector<std::size_t> objects;
    while (p + 16 <= heap + 4096) {
        const unsigned index = good[p] | (good[p + 1] << 8);
        std::uint64_t size = 0;
        std::memcpy(&size, &good[p + 8], 8);
        if (index == 0) {
            freeObject = p;
            break;
        }
        objects.push_back(p);
        p += 16 + ((size + 7) & ~std::uint64_t(7));
    }
    QVERIFY(freeObject > 0 && !objects.empty());

    ByteVector looping = good;
    std::fill(looping.begin() + std::ptrdiff_t(freeObject + 8), looping.begin() + std::ptrdiff_t(freeObject + 16), 0);
    ByteVector missing = good;
    for (std::size_t object : objects)
        missing[object + 1] = 0x77; // every object's index moves past those referenced
    for (const ByteVector* damaged : {&looping, &missing}) {
        QVERIFY(!hdf5::variableLengthAttributeIsSafe(*damaged, "units"));
        const Micrograph m = readEmd(*damaged, "heap.emd");
        QCOMPARE(m.at(3, 2), 32.0f);
        QVERIFY(!m.calibration.isCalibrated());
        QVERIFY(!m.metadata.count("EMD.Version"));
    }
}

void TestEmdReader::damagedChunkShapeIsRefusedBeforeReading()
{
    // A chunk's shape sets the buffer HDF5 allocates (and fills) for it before decompressing. Here
    // the layout message's 37 x 41 chunk becomes 60000 x 60000 (3.6 GB, under HDF5's 4 GB limit)
    // while a few kB are stored: refused before HDF5 reads, file-size aware.
    test::TempDir dir;
    H5Writer w(dir.file("chunked.emd"));
    w.group(kVeloxGroup);
    {
        const hsize_t dims[2] = {40, 48}, unlimited[2] = {H5S_UNLIMITED, H5S_UNLIMITED}, chunk[2] = {37, 41};
        Id space{H5Screate_simple(2, dims, unlimited), H5Sclose};
        Id dcpl{H5Pcreate(H5P_DATASET_CREATE), H5Pclose};
        QVERIFY(H5Pset_chunk(dcpl, 2, chunk) >= 0 && H5Pset_deflate(dcpl, 4) >= 0);
        Id d{H5Dcreate2(w.file(), (kVeloxGroup + "/Data").c_str(), H5T_STD_U8LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
             H5Dclose};
        std::vector<std::uint8_t> pixels(40 * 48);
        for (std::size_t i = 0; i < pixels.size(); ++i)
            pixels[i] = std::uint8_t(i % 251);
        QVERIFY(H5Dwrite(d, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, pixels.data()) >= 0);
    }
    const ByteVector good = w.bytes();
    const Micrograph m = readEmd(good, "chunked.emd");
    QCOMPARE(m.width, 48);
    QCOMPARE(m.at(47, 39), float((39 * 48 + 47) % 251));
    // Layout message, version 3, chunked: ... chunk dimensions (u32 each), then the element size.
    const std::uint8_t shape[12] = {37, 0, 0, 0, 41, 0, 0, 0, 1, 0, 0, 0};
    const auto at = std::search(good.begin(), good.end(), std::begin(shape), std::end(shape));
    QVERIFY(at != good.end());
    ByteVector damaged = good;
    const std::uint8_t huge[8] = {0x60, 0xea, 0, 0, 0x60, 0xea, 0, 0}; // 60000, 60000
    std::copy(std::begin(huge), std::end(huge), damaged.begin() + (at - good.begin()));
    expectRefused(damaged, "a chunk of 3600000000 bytes cannot come from the");
}

void TestEmdReader::everyTruncationIsRefused()
{
    test::TempDir dir;
    const ByteVector good = smallVelox(dir);
    QCOMPARE(readEmd(good, "cut.emd").frames, 2);
    for (std::size_t length = 0; length < good.size(); length += test::kSanitizedBuild ? 61 : 13)
        expectRefused(ByteVector(good.begin(), good.begin() + std::ptrdiff_t(length)), "", "cut.emd");
}

void TestEmdReader::bitFlipsAreReadOrRefused()
{
    test::TempDir dir;
    const ByteVector good = smallVelox(dir);
    int refused = 0, loaded = 0;
    const std::size_t stride = test::kSanitizedBuild ? 29 : 3;
    for (std::size_t at = 0; at < good.size(); at += stride) {
        ByteVector bad = good;
        bad[at] ^= std::uint8_t(1u << (at % 8));
        try {
            const Micrograph m = readEmd(bad, "flip.emd");
            QCOMPARE(m.pixels.size(), m.pixelCount());
            ++loaded;
        } catch (const IoError& e) {
            QCOMPARE(e.file(), std::string("flip.emd"));
            ++refused;
        }
    }
    qInfo("bit flips: %d loaded, %d refused", loaded, refused);
    QVERIFY(refused > 0);
    QVERIFY(loaded > 0);
}

void TestEmdReader::genericEntryPoints()
{
    test::TempDir dir;
    const ByteVector bytes = smallVelox(dir);
    // decodeMicrograph sniffs the HDF5 signature whatever the name; readMicrograph reads from disk.
    const Micrograph decoded = decodeMicrograph(bytes, "no_extension");
    QCOMPARE(decoded.format, std::string("EMD-Velox"));
    QCOMPARE(decoded.at(3, 2), 242.0f); // [y=2][x=3][frame 0] = index 22 * 11
    const Micrograph onDisk = readMicrograph(dir.file("small_velox.emd"));
    QCOMPARE(onDisk.pixels, decoded.pixels);
    QCOMPARE(onDisk.calibration.unit, std::string("nm"));
    QCOMPARE(onDisk.calibration.pixelSizeX, 0.1);
    try {
        readMicrograph(dir.file("missing.emd"));
        QFAIL("missing file accepted");
    } catch (const IoError& e) {
        QCOMPARE(e.file(), dir.file("missing.emd"));
    }
}

void TestEmdReader::sharedFilesMatchReference()
{
    for (const std::string name : {"velox_image.emd", "berkeley_image.emd"}) {
        MOTIFSCOPE_SHARED_FILE(path, "formats/" + name);
        const nlohmann::json e = expectedFor(name);
        const Micrograph m = readMicrograph(path);
        QCOMPARE(m.height, e["shape"][0].get<int>());
        QCOMPARE(m.width, e["shape"][1].get<int>());
        // HyperSpy reads Velox data into float64; the file stores H5T_STD_U16LE, reported as stored.
        QCOMPARE(m.dtype, name == "velox_image.emd" ? std::string("uint16") : e["dtype"].get<std::string>());
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
    }
    MOTIFSCOPE_SHARED_FILE(velox, "formats/velox_image.emd");
    const Micrograph m = readMicrograph(velox);
    QCOMPARE(m.format, std::string("EMD-Velox"));
    QCOMPARE(m.metadata.at("Velox.Optics.AccelerationVoltage"), std::string("200000"));
    QCOMPARE(m.metadata.at("Velox.BinaryResult.Detector"), std::string("HAADF"));
    QCOMPARE(m.metadata.at("Velox.Instrument.InstrumentClass"), std::string("Talos"));
}

QTEST_GUILESS_MAIN(TestEmdReader)
#include "test_emd_reader.moc"
