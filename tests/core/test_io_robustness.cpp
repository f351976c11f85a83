// Robustness of every reader against damaged files: thousands of truncated, bit-flipped and
// overwritten copies of real instrument files and of files MotifScope writes. Each copy must either
// load or be refused with an IoError; a crash, a sanitizer report or any other exception is a bug.
// CI runs this suite under AddressSanitizer + UndefinedBehaviorSanitizer.
#include "core/io/micrograph.h"
#include "core/io/readers.h"
#include "core/io/writers.h"
#include "test_support.h"

#include <QtTest>

#include <cstring>
#include <filesystem>
#include <random>

using namespace motifscope;

namespace {

using ByteVector = std::vector<std::uint8_t>;

/** A small calibrated test image with structure (a ramp plus bright spots). */
Micrograph sampleImage(int w, int h)
{
    Micrograph m;
    m.width = w;
    m.height = h;
    m.pixels.resize(std::size_t(w) * h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            m.at(x, y) = float(x + 2 * y) + ((x % 7 == 3 && y % 5 == 2) ? 100.0f : 0.0f);
    m.dtype = "float32";
    m.calibration = {0.05, 0.05, "nm"};
    return m;
}

ByteVector npyBytes(int w, int h)
{
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(h) + ", "
        + std::to_string(w) + "), }";
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    ByteVector out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    out.push_back(std::uint8_t(header.size() & 0xff));
    out.push_back(std::uint8_t(header.size() >> 8));
    out.insert(out.end(), header.begin(), header.end());
    const Micrograph m = sampleImage(w, h);
    const auto* p = reinterpret_cast<const std::uint8_t*>(m.pixels.data());
    out.insert(out.end(), p, p + m.pixels.size() * sizeof(float));
    return out;
}

ByteVector mrcBytes(int w, int h)
{
    ByteVector out(1024, 0);
    auto put32 = [&](std::size_t offset, std::int32_t v) { std::memcpy(out.data() + offset, &v, 4); };
    auto putF = [&](std::size_t offset, float v) { std::memcpy(out.data() + offset, &v, 4); };
    put32(0, w);
    put32(4, h);
    put32(8, 1);
    put32(12, 2); // mode 2: float32
    put32(28, w);
    put32(32, h);
    put32(36, 1);
    putF(40, 0.5f * float(w)); // cell in Å: 0.5 Å per pixel
    putF(44, 0.5f * float(h));
    putF(48, 0.5f);
    put32(64, 1);
    put32(68, 2);
    put32(72, 3);
    std::memcpy(out.data() + 208, "MAP ", 4);
    out[212] = 0x44;
    out[213] = 0x44;
    const Micrograph m = sampleImage(w, h);
    const auto* p = reinterpret_cast<const std::uint8_t*>(m.pixels.data());
    out.insert(out.end(), p, p + m.pixels.size() * sizeof(float));
    return out;
}

/** Loads or is refused with IoError; returns false (and reports) on anything else. */
bool decodeSafely(const ByteVector& bytes, const std::string& name, const ByteVector* emi, int& loaded)
{
    try {
        Micrograph m = emi ? readSer(bytes, name, *emi) : decodeMicrograph(bytes, name);
        if (m.width <= 0 || m.height <= 0 || m.pixels.size() != m.pixelCount()) {
            qWarning("%s: reader returned an inconsistent image %d x %d with %zu pixels", name.c_str(), m.width,
                     m.height, m.pixels.size());
            return false;
        }
        ++loaded;
    } catch (const IoError& e) {
        if (std::string(e.what()).find(name) == std::string::npos) {
            qWarning("error does not name the file: %s", e.what());
            return false;
        }
    } catch (const std::exception& e) {
        qWarning("%s: reader threw a non-IoError exception: %s", name.c_str(), e.what());
        return false;
    }
    return true;
}

/** Damaged copies of `original`: truncations, bit flips and overwritten words, biased to headers. */
std::vector<ByteVector> damagedCopies(const ByteVector& original, std::uint64_t seed, int count)
{
    std::mt19937_64 rng(seed);
    std::vector<ByteVector> copies;
    const std::size_t n = original.size();
    auto position = [&](std::size_t headerBias) {
        // Most damage lands where structure lives: the first few KiB.
        const std::size_t limit = (rng() % 4 != 0) ? std::min<std::size_t>(n, headerBias) : n;
        return std::size_t(rng() % std::max<std::size_t>(1, limit));
    };
    // Truncations: every length in the first 512 bytes, then spread over the file.
    for (std::size_t len = 0; len < std::min<std::size_t>(n, 512); len += 3)
        copies.emplace_back(original.begin(), original.begin() + std::ptrdiff_t(len));
    for (int i = 0; i < count / 4; ++i)
        copies.emplace_back(original.begin(), original.begin() + std::ptrdiff_t(rng() % n));
    // Bit flips.
    for (int i = 0; i < count / 2; ++i) {
        ByteVector c = original;
        const int flips = 1 + int(rng() % 4);
        for (int f = 0; f < flips; ++f)
            c[position(4096)] ^= std::uint8_t(1u << (rng() % 8));
        copies.push_back(std::move(c));
    }
    // Words overwritten with extreme values: absurd sizes, offsets and counts.
    const std::uint8_t fills[] = {0xff, 0x7f, 0x00, 0x80, 0x01};
    for (int i = 0; i < count / 4; ++i) {
        ByteVector c = original;
        const std::size_t at = position(4096);
        const std::size_t width = std::size_t(1) << (rng() % 4);
        const std::uint8_t fill = fills[rng() % std::size(fills)];
        for (std::size_t k = 0; k < width && at + k < n; ++k)
            c[at + k] = fill;
        copies.push_back(std::move(c));
    }
    return copies;
}

} // namespace

class TestIoRobustness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void damagedFilesAreRefusedCleanly_data();
    void damagedFilesAreRefusedCleanly();
    void damagedEmiCompanionNeverBreaksSer();
};

void TestIoRobustness::damagedFilesAreRefusedCleanly_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");

    auto add = [](const std::string& name, const ByteVector& bytes) {
        QTest::newRow(name.c_str()) << QString::fromStdString(name)
                                    << QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
    };
    const std::string formats = test::sharedPath("formats");
    if (!formats.empty()) {
        for (const auto& entry : std::filesystem::directory_iterator(formats)) {
            const std::string ext = entry.path().extension().string();
            // EMD is included: HDF5 1.10 can crash on damaged files, so the reader decodes in a
            // child process (core/io/isolated_decode) and a crash there is a clean error here.
            if (ext == ".json" || ext == ".emi")
                continue;
            add(entry.path().filename().string(), readFileBytes(entry.path().string()));
        }
    }
    // HyperSpy's HDF5 (float16 with deflate; float64 with shuffle + deflate), through the same child.
    const std::string real = test::sharedPath("real");
    if (!real.empty())
        for (const std::string name : {"SrTiO3_atomap_ADF.hdf5", "PbTiO3_SrRuO3_supercrystal.hspy"})
            add(name, readFileBytes(real + "/" + name));
    add("sample_MoSe2.tif", readFileBytes(test::sourcePath("resources/MoSe2_80K_small_region.tif")));
    add("written.npy", npyBytes(24, 16));
    add("written.mrc", mrcBytes(24, 16));

    // Files MotifScope writes itself.
    test::TempDir dir;
    const Micrograph image = sampleImage(40, 30);
    try {
        writeTiffFloat32(image, dir.file("written.tif"));
        add("written.tif", readFileBytes(dir.file("written.tif")));
        writePng8(image, dir.file("written.png"), 0.0, 200.0);
        add("written.png", readFileBytes(dir.file("written.png")));
    } catch (const IoError& e) {
        QFAIL(e.what());
    }
}

void TestIoRobustness::damagedFilesAreRefusedCleanly()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    const ByteVector original(content.begin(), content.end());
    const std::string fileName = name.toStdString();

    int loaded = 0;
    int refused = 0;
    const auto copies = damagedCopies(original, qHash(name), 400);
    for (const ByteVector& copy : copies) {
        const int before = loaded;
        QVERIFY2(decodeSafely(copy, fileName, nullptr, loaded), qPrintable(name));
        refused += loaded == before ? 1 : 0;
    }
    qInfo("%s: %zu damaged copies, %d loaded, %d refused with a clear error", fileName.c_str(), copies.size(),
          loaded, refused);
    QVERIFY(refused > 0); // at least the empty and very short truncations must be refused
}

void TestIoRobustness::damagedEmiCompanionNeverBreaksSer()
{
    MOTIFSCOPE_SHARED_FILE(serPath, "formats/64x64_TEM_images_acquire_1.ser");
    MOTIFSCOPE_SHARED_FILE(emiPath, "formats/64x64_TEM_images_acquire.emi");
    const ByteVector ser = readFileBytes(serPath);
    const ByteVector emi = readFileBytes(emiPath);
    int loaded = 0;
    for (const ByteVector& damagedEmi : damagedCopies(emi, 7, 400))
        QVERIFY(decodeSafely(ser, "64x64_TEM_images_acquire_1.ser", &damagedEmi, loaded));
    // The EMI companion only adds metadata: damage to it must never make the image unreadable.
    QCOMPARE(loaded, int(damagedCopies(emi, 7, 400).size()));
}

QTEST_GUILESS_MAIN(TestIoRobustness)
#include "test_io_robustness.moc"
