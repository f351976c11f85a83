// Decoding in a child process: images come back bit-exact with all their fields; reader errors,
// crashes and hangs in the child become one IoError naming the file, and the test process lives on.
#include "core/io/isolated_decode.h"
#include "core/io/readers.h"
#include "test_support.h"

#include <QtTest>

#include <csignal>
#include <cmath>
#include <limits>
#include <thread>

using namespace motifscope;

class TestIsolatedDecode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void imageComesBackBitExact();
    void readerErrorKeepsItsMessage();
    void crashInReaderBecomesIoError();
    void hangIsStoppedAtTheTimeLimit();
    void damagedEmdNeverCrashesTheCaller();
};

void TestIsolatedDecode::imageComesBackBitExact()
{
    Micrograph original;
    original.width = 7;
    original.height = 5;
    original.frames = 3;
    original.dtype = "uint16";
    original.format = "EMD-Velox";
    original.calibration = {0.0123, 0.0456, "nm"};
    original.metadata = {{"Optics.Voltage", "300000"}, {"Sample.Name", "Mo\xc3\xa9Se2"}, {"Empty", ""}};
    for (int i = 0; i < original.width * original.height; ++i)
        original.pixels.push_back(std::ldexp(float(i) + 0.3f, i % 9 - 4));
    original.pixels[3] = std::numeric_limits<float>::quiet_NaN();
    original.pixels[4] = -std::numeric_limits<float>::infinity();

    const Micrograph back = decodeInChildProcess([&] { return original; }, "a.emd");
    QCOMPARE(back.width, 7);
    QCOMPARE(back.height, 5);
    QCOMPARE(back.frames, 3);
    QCOMPARE(back.dtype, original.dtype);
    QCOMPARE(back.format, original.format);
    QCOMPARE(back.calibration.pixelSizeX, 0.0123);
    QCOMPARE(back.calibration.pixelSizeY, 0.0456);
    QCOMPARE(back.calibration.unit, std::string("nm"));
    QVERIFY(back.metadata == original.metadata);
    QCOMPARE(back.pixels.size(), original.pixels.size());
    QVERIFY(std::memcmp(back.pixels.data(), original.pixels.data(), back.pixels.size() * sizeof(float)) == 0);
}

void TestIsolatedDecode::readerErrorKeepsItsMessage()
{
    try {
        decodeInChildProcess([]() -> Micrograph { throw IoError("b.emd", "no image dataset in the file"); }, "b.emd");
        QFAIL("expected an IoError");
    } catch (const IoError& e) {
        QCOMPARE(std::string(e.what()), std::string("b.emd: no image dataset in the file"));
    }
}

void TestIsolatedDecode::crashInReaderBecomesIoError()
{
    try {
        decodeInChildProcess([]() -> Micrograph {
            std::raise(SIGSEGV);
            return {};
        }, "c.emd");
        QFAIL("expected an IoError");
    } catch (const IoError& e) {
        QCOMPARE(e.file(), std::string("c.emd"));
        // A plain build sees the signal; a sanitizer build reports it and exits: both say "damaged".
        QVERIFY2(e.problem().find("damaged") != std::string::npos, e.what());
    }
    // The caller is intact and can decode again.
    Micrograph small;
    small.width = small.height = 1;
    small.pixels = {1.5f};
    QCOMPARE(decodeInChildProcess([&] { return small; }, "d.emd").pixels.at(0), 1.5f);
}

void TestIsolatedDecode::hangIsStoppedAtTheTimeLimit()
{
    try {
        decodeInChildProcess([]() -> Micrograph {
            std::this_thread::sleep_for(std::chrono::seconds(30));
            return {};
        }, "e.emd", std::chrono::milliseconds(300));
        QFAIL("expected an IoError");
    } catch (const IoError& e) {
        QVERIFY2(e.problem().find("took longer") != std::string::npos, e.what());
    }
}

void TestIsolatedDecode::damagedEmdNeverCrashesTheCaller()
{
    // Bytes that HDF5 recognises by signature but whose structure is garbage: refused, not fatal.
    std::vector<std::uint8_t> bytes = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    bytes.resize(4096, 0xff);
    QVERIFY_THROWS_EXCEPTION(IoError, readEmd(bytes, "garbage.emd"));
    MOTIFSCOPE_SHARED_FILE(velox, "formats/velox_image.emd");
    const auto good = readFileBytes(velox);
    const Micrograph image = readEmd(good, "velox_image.emd");
    QVERIFY(image.width > 0 && image.height > 0);
    QCOMPARE(image.pixels.size(), image.pixelCount());
}

QTEST_GUILESS_MAIN(TestIsolatedDecode)
#include "test_isolated_decode.moc"
