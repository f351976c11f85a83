// PNG / JPEG / BMP reader and the 8-bit PNG writer: grey and colour of 8 and 16 bits with known
// values (OpenCV writes the test files), BGR channel order, format names, header size checks
// before decoding, and refusals.
#include "core/io/readers.h"
#include "core/io/writers.h"
#include "test_support.h"

#include <QtTest>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <cstring>
#include <limits>

using namespace motifscope;

namespace {

using ByteVector = std::vector<std::uint8_t>;

ByteVector encode(const std::string& ext, const cv::Mat& mat, const std::vector<int>& params = {})
{
    ByteVector out;
    if (!cv::imencode(ext, mat, out, params))
        return {};
    return out;
}

/** A w x h image whose channel c at (x, y) is a known function, in OpenCV's BGR(A) order. */
template <typename T> cv::Mat pattern(int w, int h, int channels, int scale)
{
    cv::Mat mat(h, w, CV_MAKETYPE(cv::DataType<T>::depth, channels));
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < channels; ++c)
                mat.ptr<T>(y)[x * channels + c] = T(((x * 13 + y * 7 + c * 50) % 256) * scale);
    return mat;
}

/** Luminance of pixel (x, y) of a BGR(A) Mat, the reader's rule. */
template <typename T> float luminance(const cv::Mat& mat, int x, int y)
{
    const T* p = mat.ptr<T>(y) + x * mat.channels();
    return float(0.299 * p[2] + 0.587 * p[1] + 0.114 * p[0]);
}

void expectRefused(const ByteVector& bytes, const std::string& needle)
{
    const std::string name = "refused_case.png";
    try {
        readRasterImage(bytes, name);
        QFAIL(qPrintable(QString("accepted a file that should be refused (%1)").arg(needle.c_str())));
    } catch (const IoError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(name) != std::string::npos, e.what());
        QVERIFY2(what.find(needle) != std::string::npos, e.what());
        QVERIFY2(what.find('\n') == std::string::npos, e.what());
    }
}

} // namespace

class TestRasterIo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void losslessGreyAndColour_data();
    void losslessGreyAndColour();
    void channelOrderIsBgr();
    void jpegIsCloseToTheOriginal();
    void sniffedThroughTheGenericEntryPoint();
    void png8WriterMapsTheRange();
    void png8WriterRefuses();
    void refusals();
};

void TestRasterIo::losslessGreyAndColour_data()
{
    QTest::addColumn<QString>("ext");
    QTest::addColumn<int>("depth");
    QTest::addColumn<int>("channels");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QString>("format");
    QTest::newRow("png_grey8") << ".png" << int(CV_8U) << 1 << "uint8"
                               << "PNG";
    QTest::newRow("png_grey16") << ".png" << int(CV_16U) << 1 << "uint16"
                                << "PNG";
    QTest::newRow("png_rgb8") << ".png" << int(CV_8U) << 3 << "rgb8"
                              << "PNG";
    QTest::newRow("png_rgba8") << ".png" << int(CV_8U) << 4 << "rgba8"
                               << "PNG";
    QTest::newRow("png_rgb16") << ".png" << int(CV_16U) << 3 << "rgb16"
                               << "PNG";
    QTest::newRow("bmp_rgb8") << ".bmp" << int(CV_8U) << 3 << "rgb8"
                              << "BMP";
    QTest::newRow("bmp_grey8") << ".bmp" << int(CV_8U) << 1 << "uint8"
                               << "BMP";
}

void TestRasterIo::losslessGreyAndColour()
{
    QFETCH(QString, ext);
    QFETCH(int, depth);
    QFETCH(int, channels);
    QFETCH(QString, dtype);
    QFETCH(QString, format);
    const int w = 29, h = 11;
    const cv::Mat mat = depth == CV_8U ? pattern<std::uint8_t>(w, h, channels, 1)
                                       : pattern<std::uint16_t>(w, h, channels, 257);
    const ByteVector bytes = encode(ext.toStdString(), mat);
    QVERIFY(!bytes.empty());
    const Micrograph m = readRasterImage(bytes, "image" + ext.toStdString());
    QCOMPARE(m.width, w);
    QCOMPARE(m.height, h);
    QCOMPARE(m.frames, 1);
    QCOMPARE(QString::fromStdString(m.dtype), dtype);
    QCOMPARE(QString::fromStdString(m.format), format);
    QVERIFY(!m.calibration.isCalibrated());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            float expected = 0;
            if (channels == 1)
                expected =
                    depth == CV_8U ? float(mat.at<std::uint8_t>(y, x)) : float(mat.at<std::uint16_t>(y, x));
            else
                expected =
                    depth == CV_8U ? luminance<std::uint8_t>(mat, x, y) : luminance<std::uint16_t>(mat, x, y);
            QCOMPARE(m.at(x, y), expected);
        }
}

void TestRasterIo::channelOrderIsBgr()
{
    // OpenCV order is B, G, R: pure red, green, blue pixels must give 0.299, 0.587, 0.114 of 255.
    cv::Mat mat(1, 3, CV_8UC3, cv::Scalar(0, 0, 0));
    mat.at<cv::Vec3b>(0, 0) = cv::Vec3b(0, 0, 255);
    mat.at<cv::Vec3b>(0, 1) = cv::Vec3b(0, 255, 0);
    mat.at<cv::Vec3b>(0, 2) = cv::Vec3b(255, 0, 0);
    const Micrograph m = readRasterImage(encode(".png", mat), "rgb.png");
    QCOMPARE(m.pixels, (std::vector<float>{float(0.299 * 255), float(0.587 * 255), float(0.114 * 255)}));
}

void TestRasterIo::jpegIsCloseToTheOriginal()
{
    for (int channels : {1, 3}) {
        cv::Mat mat(40, 48, channels == 1 ? CV_8UC1 : CV_8UC3);
        for (int y = 0; y < mat.rows; ++y)
            for (int x = 0; x < mat.cols; ++x)
                for (int c = 0; c < channels; ++c)
                    mat.ptr<std::uint8_t>(y)[x * channels + c] =
                        std::uint8_t(120 + 50 * std::sin(0.1 * x + 0.05 * c) * std::cos(0.12 * y));
        const Micrograph m =
            readRasterImage(encode(".jpg", mat, {cv::IMWRITE_JPEG_QUALITY, 98}), "photo.jpg");
        QCOMPARE(QString::fromStdString(m.format), QString("JPEG"));
        QCOMPARE(QString::fromStdString(m.dtype), QString(channels == 1 ? "uint8" : "rgb8"));
        QCOMPARE(m.width, 48);
        QCOMPARE(m.height, 40);
        for (int y = 0; y < mat.rows; ++y)
            for (int x = 0; x < mat.cols; ++x) {
                const float expected =
                    channels == 1 ? float(mat.at<std::uint8_t>(y, x)) : luminance<std::uint8_t>(mat, x, y);
                QVERIFY(std::abs(m.at(x, y) - expected) <= 4.0f);
            }
    }
}

void TestRasterIo::sniffedThroughTheGenericEntryPoint()
{
    const cv::Mat mat = pattern<std::uint8_t>(5, 4, 1, 1);
    // The name says .dat: the magic bytes decide.
    const Micrograph png = decodeMicrograph(encode(".png", mat), "unnamed.dat");
    QCOMPARE(QString::fromStdString(png.format), QString("PNG"));
    QCOMPARE(png.at(4, 3), float(mat.at<std::uint8_t>(3, 4)));
    QCOMPARE(QString::fromStdString(decodeMicrograph(encode(".bmp", mat), "x.dat").format), QString("BMP"));
    QCOMPARE(QString::fromStdString(decodeMicrograph(encode(".jpg", mat), "x.dat").format), QString("JPEG"));
}

void TestRasterIo::png8WriterMapsTheRange()
{
    test::TempDir dir;
    Micrograph image;
    image.width = 4;
    image.height = 2;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    // low = 10, high = 20: 10 -> 0, 20 -> 255, 15 -> 127.5 -> 128, below/above clamp, NaN -> 0.
    image.pixels = {10.0f, 20.0f, 15.0f, -1e9f, 1e9f, nan, 12.0f, 19.0f};
    const std::string path = dir.file("out.png");
    writePng8(image, path, 10.0, 20.0);
    const cv::Mat back = cv::imread(path, cv::IMREAD_UNCHANGED);
    QCOMPARE(back.type(), CV_8UC1);
    QCOMPARE(back.cols, 4);
    QCOMPARE(back.rows, 2);
    const int expected[] = {0, 255, 128, 0, 255, 0, 51, 230};
    for (int i = 0; i < 8; ++i)
        QCOMPARE(int(back.at<std::uint8_t>(i / 4, i % 4)), expected[i]);
    // Our own reader agrees, and only the PNG is in the folder (atomic write, no temp left).
    const Micrograph m = readMicrograph(path);
    QCOMPARE(QString::fromStdString(m.format), QString("PNG"));
    QCOMPARE(m.pixels[1], 255.0f);
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path()))
        ++files;
    QCOMPARE(files, 1);
}

void TestRasterIo::png8WriterRefuses()
{
    test::TempDir dir;
    Micrograph image;
    image.width = 2;
    image.height = 2;
    image.pixels = {1, 2, 3};
    QVERIFY_THROWS_EXCEPTION(IoError, writePng8(image, dir.file("bad.png"), 0, 1));
    image.pixels = {1, 2, 3, 4};
    const std::string missing = dir.file("missing/dir/x.png");
    try {
        writePng8(image, missing, 0, 4);
        QFAIL("wrote into a missing directory");
    } catch (const IoError& e) {
        QVERIFY2(std::string(e.what()).find(missing) != std::string::npos, e.what());
    }
    QVERIFY(std::filesystem::is_empty(dir.path()));
}

void TestRasterIo::refusals()
{
    const ByteVector png = encode(".png", pattern<std::uint8_t>(16, 16, 1, 1));
    QVERIFY(readRasterImage(png, "ok.png").width == 16);
    expectRefused(ByteVector{'n', 'o', 'p', 'e'}, "not a PNG, JPEG or BMP file");
    expectRefused(ByteVector(png.begin(), png.begin() + 20), "truncated");
    expectRefused(ByteVector(png.begin(), png.begin() + std::ptrdiff_t(png.size() / 2)), "cannot decode PNG");
    // A PNG declaring 100000 x 100000 pixels is refused from its header, before decoding.
    ByteVector huge = png;
    const std::uint8_t side[4] = {0x00, 0x01, 0x86, 0xa0};
    std::memcpy(huge.data() + 16, side, 4);
    std::memcpy(huge.data() + 20, side, 4);
    expectRefused(huge, "larger than MotifScope accepts");
    // JPEG with a 65535 x 65535 frame header.
    ByteVector jpeg = encode(".jpg", pattern<std::uint8_t>(16, 16, 1, 1));
    for (std::size_t i = 2; i + 9 < jpeg.size(); ++i)
        if (jpeg[i] == 0xff && jpeg[i + 1] == 0xc0) {
            jpeg[i + 5] = jpeg[i + 6] = jpeg[i + 7] = jpeg[i + 8] = 0xff;
            break;
        }
    expectRefused(jpeg, "larger than MotifScope accepts");
    expectRefused(ByteVector{0xff, 0xd8, 0xff, 0xda, 0x00, 0x02}, "no frame header");
    // BMP with a width of 2^24.
    ByteVector bmp = encode(".bmp", pattern<std::uint8_t>(8, 8, 3, 1));
    bmp[18] = 0;
    bmp[19] = 0;
    bmp[20] = 0;
    bmp[21] = 1;
    expectRefused(bmp, "larger than MotifScope accepts");
    ByteVector badBmp = encode(".bmp", pattern<std::uint8_t>(8, 8, 3, 1));
    badBmp[14] = 7;
    expectRefused(badBmp, "unsupported BMP header size 7");
    // Found by fuzz_raster: 69 bytes claiming 32768 x 23540 one-bit pixels (OpenCV reserved 2.3 GB).
    const ByteVector claimsTooMuch{0x42, 0x4d, 0xff, 0xff, 0x12, 0x00, 0x80, 0x00, 0xff, 0xff, 0xff, 0xff, 0x3a, 0x2f,
                                   0x2f, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0xf4, 0x5b, 0x00, 0x00, 0x04, 0x00,
                                   0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                   0x00, 0xff, 0xd8, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                   0x00, 0x00, 0x80, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x01, 0x00};
    QCOMPARE(claimsTooMuch.size(), std::size_t(69));
    expectRefused(claimsTooMuch, "more than the file's 69 bytes hold");
    // A valid BMP cut short loses rows: refused before decoding, not read as a partial image.
    ByteVector cut = encode(".bmp", pattern<std::uint8_t>(64, 64, 3, 1));
    cut.resize(cut.size() / 2);
    expectRefused(cut, "more than the file's");
    for (std::size_t len = 0; len < png.size(); len += 5)
        expectRefused(ByteVector(png.begin(), png.begin() + std::ptrdiff_t(len)), "");
}

QTEST_GUILESS_MAIN(TestRasterIo)
#include "test_raster_io.moc"
