// Gatan DM3 / DM4 reader: corrupt files built byte by byte (dm_test_files.h) are refused with an
// error naming the file and the problem, tags DM4 can step over are stepped over, and truncated or
// bit-flipped files never crash it.
#include "dm_test_files.h"
#include "core/io/readers.h"
#include "test_support.h"

#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

using namespace motifscope;
using namespace motifscope::test::dm;

namespace {

void expectRefusal(const ByteVector& bytes, const QString& fragment)
{
    const std::string name = "broken_file.dm4";
    try {
        readDm(Bytes(bytes), name);
    } catch (const IoError& e) {
        QCOMPARE(QString::fromStdString(e.file()), QString::fromStdString(name));
        QVERIFY2(QString(e.what()).startsWith("broken_file.dm4: "), e.what());
        QVERIFY2(QString::fromStdString(e.problem()).contains(fragment), e.what());
        return;
    }
    QFAIL(qPrintable("accepted, expected a refusal mentioning: " + fragment));
}

} // namespace

class TestDmRefusals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dm4StepsOverUnknownValueTypes();
    void refusals_data();
    void refusals();
    void truncatedAndBitFlippedFilesNeverCrash();
};

void TestDmRefusals::dm4StepsOverUnknownValueTypes()
{
    // An array of arrays: not decoded, but DM4 gives the tag's length so it can be stepped over.
    for (int version : {3, 4}) {
        TestImage im{2, {2, 1}, 6, 0, encode(std::vector<float>{7, 8}, false), {}, {}, 0, {}};
        im.imageTags = {Tag{"Nested", false, {}, {20, 20, 4, 2, 3}, ByteVector(12, 0xAB)}};
        const ByteVector file = simpleFile(version, false, im);
        if (version == 4) {
            const Micrograph m = read(file);
            QCOMPARE(m.pixels[1], 8.0f);
        } else {
            expectRefusal(file, "unsupported value type 20");
        }
    }
}

void TestDmRefusals::refusals_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("fragment");
    const auto add = [](const char* name, const ByteVector& b, const char* fragment) {
        QTest::newRow(name) << QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()))
                            << fragment;
    };
    const auto image = [](int dataType, std::vector<std::uint64_t> dims, std::size_t bytes, int depth = 0) {
        return TestImage{dataType, std::move(dims), 10, 0, ByteVector(bytes, 1), {}, {}, depth, {}};
    };
    const ByteVector good = simpleFile(3, false);
    add("empty file", {}, "truncated");
    add("truncated header", ByteVector(good.begin(), good.begin() + 6), "truncated");
    ByteVector badVersion = good;
    badVersion[3] = 5;
    add("bad version", badVersion, "version is 5");
    ByteVector badOrder = good;
    badOrder[11] = 7;
    add("bad byte order", badOrder, "byte-order flag 7");
    ByteVector hugeCount = good;
    hugeCount[14] = hugeCount[15] = hugeCount[16] = hugeCount[17] = 0xFF;
    add("absurd root tag count", hugeCount, "claims 4294967295 tags");
    add("absurd dimensions",
        simpleFile(4, false, image(2, {std::uint64_t(1) << 21, std::uint64_t(1) << 21}, 64)),
        "larger than MotifScope accepts");
    add("absurd 64-bit dimension", simpleFile(4, false, image(2, {std::uint64_t(1) << 40, 2}, 64)),
        "1099511627776 x 2 is larger");
    add("data shorter than dims", simpleFile(3, false, image(1, {4, 4}, 30)), "image data too short");
    add("stack shorter than frames", simpleFile(4, true, image(6, {4, 4, 3}, 40)), "3 frame(s)");
    add("1-D spectrum", simpleFile(3, false, image(2, {256}, 1024)), "1-D spectrum, not an image");
    add("4-D data", simpleFile(4, false, image(6, {2, 2, 2, 2}, 16)), "4-D data");
    add("zero dimension", simpleFile(3, false, image(6, {0, 4}, 16)), "dimension is 0");
    add("packed complex", simpleFile(3, false, image(5, {4, 4}, 64)), "packed complex");
    add("packed complex 27", simpleFile(4, false, image(27, {4, 4}, 128)), "packed complex");
    add("unknown data type", simpleFile(3, false, image(99, {2, 2}, 16)),
        "unsupported Gatan image data type 99");
    add("invalid DataType", simpleFile(3, false, image(-1, {2, 2}, 4)), "no valid DataType");
    add("pixel depth mismatch", simpleFile(3, false, image(1, {2, 2}, 16, 4)), "PixelDepth");
    add("no ImageList", dmBytes(group("", {group("Other", {})}), 3, false), "no ImageList");
    add("image without data", dmBytes(group("", {group("ImageList", {group("", {})})}), 4, false),
        "no ImageList entry");
    Tag deep = group("leaf", {});
    for (int i = 0; i < 100; ++i)
        deep = group("g", {deep});
    add("deep nesting", dmBytes(group("", {deep}), 3, false), "nested deeper than 64");
    ByteVector badMarker = simpleFile(3, false);
    const auto marker = std::search(badMarker.begin(), badMarker.end(), "%%%%", "%%%%" + 4);
    *marker = '#';
    add("missing %%%% marker", badMarker, "marker");
    ByteVector badKind = good;
    badKind[18] = 33; // the first tag entry's kind byte
    add("unknown tag kind", badKind, "unknown tag kind 33");
}

void TestDmRefusals::refusals()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, fragment);
    expectRefusal(ByteVector(bytes.begin(), bytes.end()), fragment);
}

void TestDmRefusals::truncatedAndBitFlippedFilesNeverCrash()
{
    for (int version : {3, 4}) {
        TestImage im{
            7,          {3, 2},         3, 0, encode(std::vector<std::int32_t>{1, 2, 3, 4, 5, 6}, true),
            {0.5, 0.5}, {u"nm", u"nm"}, 4, {}};
        const ByteVector file = simpleFile(version, true, im);
        const Micrograph whole = read(file);
        QCOMPARE(whole.pixels[5], 6.0f);
        std::size_t accepted = 0;
        for (std::size_t cut = 0; cut < file.size(); ++cut) {
            try {
                read(ByteVector(file.begin(), file.begin() + std::ptrdiff_t(cut)));
                ++accepted;
            } catch (const IoError&) {
            }
        }
        QCOMPARE(accepted, std::size_t(8)); // only the 8 zero bytes that end the file are optional
        for (std::size_t i = 0; i < file.size(); ++i)
            for (std::uint8_t flip : {std::uint8_t(0x01), std::uint8_t(0x80), std::uint8_t(0xFF)}) {
                ByteVector broken = file;
                broken[i] ^= flip;
                try {
                    const Micrograph m = read(broken);
                    QVERIFY(m.pixelCount() == m.pixels.size() && !m.pixels.empty());
                } catch (const IoError&) {
                }
            }
    }
}

QTEST_GUILESS_MAIN(TestDmRefusals)
#include "test_dm_refusals.moc"
