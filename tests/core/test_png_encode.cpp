// encodePng (strips deflated in parallel, joined into one zlib stream) must decode, with OpenCV's
// reader, to exactly the picture it was given (colour or grey): noise, smooth gradients, sizes that are not whole
// strips, a single row and a single column.
#include "core/io/png_encode.h"

#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

using namespace motifscope;

namespace {

cv::Mat noisePicture(int width, int height, int seed, int type = CV_8UC3)
{
    cv::Mat m(height, width, type);
    cv::RNG rng(static_cast<std::uint64_t>(seed));
    rng.fill(m, cv::RNG::UNIFORM, 0, 256);
    return m;
}

cv::Mat smoothPicture(int width, int height)
{
    cv::Mat m(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            m.at<cv::Vec3b>(y, x) = cv::Vec3b(std::uint8_t(x / 7), std::uint8_t(y / 3), std::uint8_t((x + y) / 11));
    return m;
}

void decodesTo(const cv::Mat& picture)
{
    const std::vector<std::uint8_t> png = encodePng(picture);
    const cv::Mat back = cv::imdecode(png, cv::IMREAD_UNCHANGED);
    QVERIFY(!back.empty());
    QCOMPARE(back.type(), picture.type());
    QCOMPARE(back.size(), picture.size());
    QCOMPARE(cv::norm(back, picture, cv::NORM_INF), 0.0);
}

} // namespace

class TestPngEncode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void samePixels()
    {
        decodesTo(noisePicture(300, 200, 1));  // a few strips, the last one short
        decodesTo(noisePicture(1, 1, 2));
        decodesTo(noisePicture(517, 1, 3));    // one row
        decodesTo(noisePicture(1, 300, 4));    // one column
        decodesTo(noisePicture(640, 128, 5));  // whole strips only
        decodesTo(smoothPicture(1000, 700));
        // Grey pictures (writePng8): grey PNGs, same values.
        decodesTo(noisePicture(300, 200, 6, CV_8UC1));
        decodesTo(noisePicture(1, 70, 7, CV_8UC1));
    }

    void compressesSmoothPictures()
    {
        const cv::Mat picture = smoothPicture(1000, 700);
        const std::size_t raw = std::size_t(picture.total()) * 3;
        QVERIFY(encodePng(picture).size() < raw / 10);
    }

    void refusesOtherPictures()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, encodePng(cv::Mat(10, 10, CV_16UC1)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, encodePng(cv::Mat(10, 10, CV_8UC4)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, encodePng(cv::Mat()));
    }
};

QTEST_GUILESS_MAIN(TestPngEncode)
#include "test_png_encode.moc"
