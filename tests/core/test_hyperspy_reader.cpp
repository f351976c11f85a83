// HyperSpy reader (.hspy / .hdf5): small files in HyperSpy's layout written here with the HDF5 C
// API (images, stacks, float16 in both byte orders, calibration and its units, old files without
// navigate flags), refusals of non-image signals and damaged files, and the two real files in
// ../shared/data/real against values read by libhdf5's own type conversion.
#include "frame_source_check.h"
#include "h5_test_writer.h"
#include "core/io/readers.h"
#include "test_support.h"

#include <QtTest>

#include <hdf5.h>

#include <cmath>
#include <cstring>

using namespace motifscope;

namespace {

using test::ByteVector;
using test::H5Writer;
using test::Id;

/** One array axis as HyperSpy writes it (`navigate` omitted when navigate < 0, units when empty). */
struct AxisSpec
{
    int navigate = 0;
    double scale = 1.0;
    double offset = 0.0;
    std::string units;
    std::string name;
};

/** A HyperSpy file holding one signal `title` of the given shape; pixel i (row-major) = 3 i + 1. */
class HspyFile
{
public:
    explicit HspyFile(const test::TempDir& dir, const std::string& title = "HAADF")
        : mWriter(dir.file("signal.hspy")), mGroup("/Experiments/" + title)
    {
        mWriter.group(mGroup + "/metadata/General");
        mWriter.group(mGroup + "/metadata/Signal");
        mWriter.stringAttribute("/", "file_format", "HyperSpy");
        mWriter.stringAttribute("/", "file_format_version", "3.1");
        mWriter.stringAttribute(mGroup + "/metadata/General", "title", title);
        mWriter.stringAttribute(mGroup, "package", "hyperspy");
        mWriter.stringAttribute(mGroup, "package_version", "2.1.0");
    }
    const std::string& group() const { return mGroup; }
    H5Writer& writer() { return mWriter; }

    void data(const std::vector<hsize_t>& shape, hid_t type = H5T_IEEE_F32LE)
    {
        std::size_t n = 1;
        for (hsize_t d : shape)
            n *= std::size_t(d);
        std::vector<double> values(n);
        for (std::size_t i = 0; i < n; ++i)
            values[i] = 3.0 * double(i) + 1.0;
        mWriter.dataset(mGroup + "/data", type, shape, values, true);
    }
    void axes(const std::vector<AxisSpec>& specs)
    {
        for (std::size_t i = 0; i < specs.size(); ++i) {
            const std::string axis = mGroup + "/axis-" + std::to_string(i);
            mWriter.group(axis);
            if (specs[i].navigate >= 0)
                mWriter.boolAttribute(axis, "navigate", specs[i].navigate == 1);
            mWriter.doubleAttribute(axis, "scale", specs[i].scale);
            mWriter.doubleAttribute(axis, "offset", specs[i].offset);
            if (!specs[i].units.empty())
                mWriter.stringAttribute(axis, "units", specs[i].units);
            if (!specs[i].name.empty())
                mWriter.stringAttribute(axis, "name", specs[i].name);
        }
    }
    ByteVector bytes() { return mWriter.bytes(); }

private:
    H5Writer mWriter;
    std::string mGroup;
};

/** A 3 x 5 float32 image calibrated 0.02 nm / px. */
ByteVector smallImage(const test::TempDir& dir)
{
    HspyFile f(dir);
    f.data({3, 5});
    f.axes({{0, 0.02, 1.5, "nm", "y"}, {0, 0.02, -0.5, "nm", "x"}});
    return f.bytes();
}

/** The calibration read from a 2-D image whose two axes have these scales and units. */
Calibration calibrationFor(double scale, const std::string& unitX, const std::string& unitY)
{
    test::TempDir dir;
    HspyFile f(dir);
    f.data({2, 2});
    f.axes({{0, scale, 0, unitY, "y"}, {0, scale, 0, unitX, "x"}});
    return readEmd(f.bytes(), "cal.hspy").calibration;
}

void expectRefused(const ByteVector& bytes, const std::string& needle, const std::string& name = "bad.hspy")
{
    try {
        readEmd(bytes, name);
    } catch (const IoError& e) {
        QCOMPARE(e.file(), name);
        QVERIFY2(std::string(e.what()).rfind(name + ": ", 0) == 0, e.what());
        QVERIFY2(std::string(e.what()).find('\n') == std::string::npos, e.what());
        QVERIFY2(e.problem().find(needle) != std::string::npos, e.what());
        return;
    }
    QFAIL(qPrintable(QStringLiteral("accepted, expected refusal containing '%1'").arg(QString::fromStdString(needle))));
}

} // namespace

class TestHyperSpyReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void imageWithCalibrationAndTitle();
    void stackReadsEveryFrame();
    void float16BothByteOrders();
    void unitsAreConverted();
    void filesWithoutNavigateFlags();
    void nonImageSignalsAreRefused();
    void damagedFilesAreRefused();
    void genericEntryPoints();
    void realFilesFromSharedData();
};

void TestHyperSpyReader::imageWithCalibrationAndTitle()
{
    test::TempDir dir;
    const Micrograph m = readEmd(smallImage(dir), "small.hspy");
    QCOMPARE(m.format, std::string("HyperSpy"));
    QCOMPARE(m.dtype, std::string("float32"));
    // numpy order (rows, columns): data[y][x], no transposition.
    QCOMPARE(m.width, 5);
    QCOMPARE(m.height, 3);
    QCOMPARE(m.frames, 1);
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 5; ++x)
            QCOMPARE(m.at(x, y), float(3 * (5 * y + x) + 1));
    QCOMPARE(m.calibration.unit, std::string("nm"));
    QCOMPARE(m.calibration.pixelSizeX, 0.02);
    QCOMPARE(m.calibration.pixelSizeY, 0.02);
    QCOMPARE(m.metadata.at("HyperSpy.General.title"), std::string("HAADF"));
    QCOMPARE(m.metadata.at("HyperSpy.Experiment"), std::string("HAADF"));
    QCOMPARE(m.metadata.at("HyperSpy.FormatVersion"), std::string("3.1"));
    QCOMPARE(m.metadata.at("HyperSpy.Writer"), std::string("hyperspy 2.1.0"));
    QCOMPARE(m.metadata.at("HyperSpy.axis.x.name"), std::string("x"));
    QCOMPARE(std::stod(m.metadata.at("HyperSpy.axis.y.offset")), 1.5);
    QVERIFY(!m.metadata.count("HyperSpy.UnitAssumed"));
}

void TestHyperSpyReader::stackReadsEveryFrame()
{
    test::TempDir dir;
    HspyFile f(dir, "series");
    f.data({4, 2, 3}, H5T_STD_U16LE);
    f.axes({{1, 0.5, 0, "s", "time"}, {0, 1.5, 0, "\u00c5", "y"}, {0, 1.5, 0, "\u00c5", "x"}});
    const Micrograph m = readEmd(f.bytes(), "stack.hspy");
    QCOMPARE(m.frames, 4);
    QCOMPARE(m.width, 3);
    QCOMPARE(m.height, 2);
    QCOMPARE(m.dtype, std::string("uint16"));
    QCOMPARE(m.pixels, (std::vector<float>{1, 4, 7, 10, 13, 16})); // frame 0 only
    QCOMPARE(readEmd(f.bytes(), "stack.hspy", 3).pixels, (std::vector<float>{55, 58, 61, 64, 67, 70}));
    QVERIFY_THROWS_EXCEPTION(IoError, readEmd(f.bytes(), "stack.hspy", 4));
    test::checkFrameSource(dir.file("signal.hspy"), 4); // one FrameSource gives what readMicrographFrame does
    QCOMPARE(QString::fromStdString(m.calibration.unit), QStringLiteral("\u00c5"));
    QCOMPARE(m.calibration.pixelSizeX, 1.5);
}

void TestHyperSpyReader::float16BothByteOrders()
{
    // numpy float16 as h5py stores it: a float type of 2 bytes with IEEE binary16 fields. Raw bit
    // patterns: 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal), 0.333251953125, -0.
    const std::uint16_t bits[6] = {0x3c00, 0xc000, 0x7bff, 0x0001, 0x3555, 0x8000};
    const float expected[6] = {1.0f, -2.0f, 65504.0f, std::ldexp(1.0f, -24), 0.333251953125f, -0.0f};
    for (const H5T_order_t order : {H5T_ORDER_LE, H5T_ORDER_BE}) {
        test::TempDir dir;
        HspyFile f(dir);
        Id half{H5Tcopy(H5T_IEEE_F32LE), H5Tclose};
        QVERIFY(H5Tset_fields(half, 15, 10, 5, 0, 10) >= 0);
        QVERIFY(H5Tset_size(half, 2) >= 0);
        QVERIFY(H5Tset_ebias(half, 15) >= 0);
        Id stored{H5Tcopy(half), H5Tclose};
        QVERIFY(H5Tset_order(stored, order) >= 0);
        f.writer().rawDataset(f.group() + "/data", stored, half, {2, 3}, bits); // HDF5 swaps for BE
        f.axes({{0, 0.0093, 0, "nm", "y"}, {0, 0.0093, 0, "nm", "x"}});
        const Micrograph m = readEmd(f.bytes(), "half.hspy");
        QCOMPARE(m.dtype, std::string("float16"));
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(m.pixels[std::size_t(i)], expected[i]);
            QCOMPARE(std::signbit(m.pixels[std::size_t(i)]), std::signbit(expected[i]));
        }
    }
}

void TestHyperSpyReader::unitsAreConverted()
{
    // nm, µm and Å stay as written (spellings normalised); metres become nm / µm by field of view.
    Calibration c = calibrationFor(0.015, "nm", "nm");
    QCOMPARE(c.unit, std::string("nm"));
    QCOMPARE(c.pixelSizeX, 0.015);
    c = calibrationFor(1.5e-11, "m", "m");
    QCOMPARE(c.unit, std::string("nm"));
    QVERIFY(std::abs(c.pixelSizeX - 0.015) < 1e-15);
    QCOMPARE(QString::fromStdString(calibrationFor(0.25, "um", "um").unit), QStringLiteral("\u00b5m"));
    QCOMPARE(QString::fromStdString(calibrationFor(0.9, "A", "A").unit), QStringLiteral("\u00c5"));
    QCOMPARE(calibrationFor(9.3, "pm", "pm").unit, std::string("pm"));
    // Not lengths, not matching, not positive, or HyperSpy's default scale without a unit: pixels.
    QVERIFY(!calibrationFor(0.05, "1/nm", "1/nm").isCalibrated());
    QVERIFY(!calibrationFor(0.05, "nm", "\u00b5m").isCalibrated());
    QVERIFY(!calibrationFor(0.0, "nm", "nm").isCalibrated());
    QVERIFY(!calibrationFor(1.0, "", "").isCalibrated());
    // Atomap writes calibrated axes without units: nm is assumed and the assumption recorded.
    test::TempDir dir;
    HspyFile f(dir, "__unnamed__");
    f.data({2, 2});
    f.axes({{0, 0.0093, 0, "", ""}, {0, 0.0093, 0, "", ""}});
    const Micrograph m = readEmd(f.bytes(), "atomap.hdf5");
    QCOMPARE(m.calibration.unit, std::string("nm"));
    QCOMPARE(m.calibration.pixelSizeX, 0.0093);
    QVERIFY(m.metadata.at("HyperSpy.UnitAssumed").find("nm") == 0);
}

void TestHyperSpyReader::filesWithoutNavigateFlags()
{
    // Older files: no `navigate`; metadata/Signal/record_by says what the signal is.
    for (const std::string recordBy : {"image", ""}) {
        test::TempDir dir;
        HspyFile f(dir);
        f.data({3, 4});
        f.axes({{-1, 0.1, 0, "nm", ""}, {-1, 0.1, 0, "nm", ""}});
        if (!recordBy.empty())
            f.writer().stringAttribute(f.group() + "/metadata/Signal", "record_by", recordBy);
        const Micrograph m = readEmd(f.bytes(), "old.hspy");
        QCOMPARE(m.width, 4);
        QCOMPARE(m.at(3, 2), 34.0f);
    }
    test::TempDir dir;
    HspyFile f(dir);
    f.data({3, 4});
    f.axes({{-1, 1, 0, "", ""}, {-1, 1, 0, "eV", ""}});
    f.writer().stringAttribute(f.group() + "/metadata/Signal", "record_by", "spectrum");
    expectRefused(f.bytes(), "1-D signal (a spectrum or profile) over 1 navigation axis, not an image");
}

void TestHyperSpyReader::nonImageSignalsAreRefused()
{
    struct Case
    {
        std::vector<hsize_t> shape;
        std::vector<int> navigate;
        const char* problem;
    };
    const Case cases[] = {
        {{16}, {0}, "a 1-D signal (a spectrum or profile), not an image"},
        {{3, 4, 16}, {1, 1, 0}, "a 1-D signal (a spectrum or profile) over 2 navigation axes, not an image"},
        {{2, 3, 4, 5}, {1, 1, 0, 0}, "4-D data (images over 2 navigation axes, e.g. 4D-STEM), not an image or image stack"},
        {{3, 4, 5}, {0, 0, 0}, "a 3-D signal, not an image"},
        {{3, 4}, {1, 1}, "a signal with no signal axis"},
        {{3, 4, 5}, {0, 1, 0}, "the signal axes are not the last array axes"},
        {{0, 4, 5}, {1, 0, 0}, "image stack with zero frames"},
    };
    for (const Case& c : cases) {
        test::TempDir dir;
        HspyFile f(dir);
        if (c.shape[0] == 0)
            f.writer().dataset(f.group() + "/data", H5T_IEEE_F32LE, c.shape, {}, false, false);
        else
            f.data(c.shape);
        std::vector<AxisSpec> axes;
        for (int navigate : c.navigate)
            axes.push_back({navigate, 0.1, 0, "nm", ""});
        f.axes(axes);
        expectRefused(f.bytes(), c.problem, "signal.hspy");
    }
    test::TempDir dir;
    H5Writer w(dir.file("empty.hspy"));
    w.group("/Experiments/nothing/metadata");
    expectRefused(w.bytes(), "HyperSpy file holds no signal");
}

void TestHyperSpyReader::damagedFilesAreRefused()
{
    test::TempDir dir;
    const ByteVector good = smallImage(dir);
    QCOMPARE(readEmd(good, "cut.hspy").width, 5);
    for (std::size_t length = 0; length < good.size(); length += test::kSanitizedBuild ? 211 : 53)
        expectRefused(ByteVector(good.begin(), good.begin() + std::ptrdiff_t(length)), "", "cut.hspy");
    int loaded = 0, refused = 0;
    for (std::size_t at = 0; at < good.size(); at += test::kSanitizedBuild ? 113 : 37) {
        ByteVector bad = good;
        bad[at] ^= std::uint8_t(1u << (at % 8));
        try {
            const Micrograph m = readEmd(bad, "flip.hspy");
            QCOMPARE(m.pixels.size(), m.pixelCount());
            ++loaded;
        } catch (const IoError& e) {
            QCOMPARE(e.file(), std::string("flip.hspy"));
            QVERIFY2(std::string(e.what()).find('\n') == std::string::npos, e.what());
            ++refused;
        }
    }
    qInfo("bit flips: %d loaded, %d refused", loaded, refused);
    QVERIFY(refused > 0);
    QVERIFY(loaded > 0);
}

void TestHyperSpyReader::genericEntryPoints()
{
    test::TempDir dir;
    const ByteVector bytes = smallImage(dir);
    QCOMPARE(decodeMicrograph(bytes, "no_extension").format, std::string("HyperSpy"));
    QCOMPARE(sniffFormat({}, "x.hspy"), FileFormat::Emd);
    QVERIFY(std::string(supportedExtensionsPattern()).find("*.hspy") != std::string::npos);
    const Micrograph onDisk = readMicrograph(dir.file("signal.hspy"));
    QCOMPARE(onDisk.at(4, 2), 43.0f);
    QCOMPARE(onDisk.calibration.pixelSizeX, 0.02);
}

void TestHyperSpyReader::realFilesFromSharedData()
{
    // Reference values: the same datasets read by libhdf5 converting to double itself.
    {
        MOTIFSCOPE_SHARED_FILE(path, "real/SrTiO3_atomap_ADF.hdf5");
        const Micrograph m = readMicrograph(path);
        QCOMPARE(m.format, std::string("HyperSpy"));
        QCOMPARE(m.dtype, std::string("float16"));
        QCOMPARE(m.width, 599);
        QCOMPARE(m.height, 520);
        QCOMPARE(m.pixels[0], 2074.0f);
        QCOMPARE(m.pixels[3], 2678.0f);
        QCOMPARE(m.at(200, 100), 1094.0f);
        QCOMPARE(m.pixels.back(), 1397.0f);
        const PixelStats s = computeStats(m);
        QCOMPARE(s.min, 857.5);
        QCOMPARE(s.max, 4488.0);
        QVERIFY(std::abs(s.mean - 1702.3455583022987) < 1e-9);
        // 9.3 pm per pixel: the axes' scale 0.00933 with no unit, Atomap's nm.
        QCOMPARE(m.calibration.unit, std::string("nm"));
        QCOMPARE(m.calibration.pixelSizeX, 0.009326270238006416);
        QCOMPARE(m.calibration.pixelSizeY, 0.009326270238006416);
        QVERIFY(m.metadata.count("HyperSpy.UnitAssumed"));
        QCOMPARE(m.metadata.at("HyperSpy.FormatVersion"), std::string("2.2"));
    }
    {
        MOTIFSCOPE_SHARED_FILE(path, "real/PbTiO3_SrRuO3_supercrystal.hspy");
        const Micrograph m = readMicrograph(path);
        QCOMPARE(m.dtype, std::string("float64"));
        QCOMPARE(m.width, 1312);
        QCOMPARE(m.height, 224);
        QCOMPARE(m.pixels[0], 22662.0f);
        QCOMPARE(m.pixels[3], 23266.0f);
        QCOMPARE(m.at(200, 100), 22325.0f);
        QCOMPARE(m.pixels.back(), 24215.0f);
        const PixelStats s = computeStats(m);
        QCOMPARE(s.min, 19973.0);
        QCOMPARE(s.max, 33750.0);
        QVERIFY(std::abs(s.mean - 23581.838125408318) < 1e-9);
        // 15 pm per pixel, in nm as the file says.
        QCOMPARE(m.calibration.unit, std::string("nm"));
        QCOMPARE(m.calibration.pixelSizeX, 0.014996802980261981);
        QVERIFY(!m.metadata.count("HyperSpy.UnitAssumed"));
        QCOMPARE(m.metadata.at("HyperSpy.General.title"), std::string("HAADF"));
        QCOMPARE(m.metadata.at("HyperSpy.TEM.microscope"), std::string("Titan"));
        QCOMPARE(m.metadata.at("HyperSpy.TEM.beam_energy"), std::string("300"));
        QCOMPARE(m.metadata.at("HyperSpy.Writer"), std::string("hyperspy 1.6.0"));
    }
}

QTEST_GUILESS_MAIN(TestHyperSpyReader)
#include "test_hyperspy_reader.moc"
