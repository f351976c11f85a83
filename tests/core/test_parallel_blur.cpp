// parallelGaussianBlur (strips in parallel) against OpenCV's one-thread whole-image blur: the strips
// read the real pixels beyond their edges, so the two agree pixel for pixel, in place or not.
#include "core/detect/image_filters.h"
#include "core/detect/parallel_blur.h"

#include <opencv2/imgproc.hpp>

#include <QtTest>

#include <random>

using namespace motifscope;

class TestParallelBlur : public QObject
{
    Q_OBJECT

    static cv::Mat noisyImage(int rows, int cols)
    {
        cv::Mat m(rows, cols, CV_32F);
        std::mt19937 rng(7);
        std::normal_distribution<float> noise(100.0f, 30.0f);
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < cols; ++x)
                m.at<float>(y, x) = noise(rng) + 50.0f * float((x / 9 + y / 7) % 2); // edges every few pixels
        return m;
    }

    static double maxDifference(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

private Q_SLOTS:
    void stripsEqualTheWholeImageBlur_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<double>("sigma");
        QTest::newRow("square, narrow") << 1024 << 1024 << 1.3;
        QTest::newRow("tall, wide kernel") << 1500 << 700 << 9.0; // kernel (55 rows) near a strip's height
        QTest::newRow("odd rows") << 777 << 901 << 2.5;
        QTest::newRow("too small to split") << 100 << 120 << 2.0;
    }

    void stripsEqualTheWholeImageBlur()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(double, sigma);
        const cv::Mat image = noisyImage(rows, cols);
        const int radius = int(std::ceil(3.5 * sigma));
        cv::Mat reference;
        cv::GaussianBlur(image, reference, cv::Size(2 * radius + 1, 2 * radius + 1), sigma, sigma, cv::BORDER_REFLECT);
        cv::Mat strips;
        parallelGaussianBlur(image, strips, sigma, radius);
        QCOMPARE(maxDifference(strips, reference), 0.0);
        cv::Mat inPlace = image.clone();
        parallelGaussianBlur(inPlace, inPlace, sigma, radius);
        QCOMPARE(maxDifference(inPlace, reference), 0.0);
        // The blur did something (the test image is not flat): far from the input.
        QVERIFY(maxDifference(reference, image) > 20.0);
    }

    void floatImageBlurUsesIt()
    {
        const cv::Mat image = noisyImage(800, 640);
        FloatImage f(image.cols, image.rows);
        std::copy(image.begin<float>(), image.end<float>(), f.data.begin());
        const FloatImage blurred = gaussianBlur(f, 1.7);
        cv::Mat reference;
        const int radius = int(std::ceil(3.5 * 1.7));
        cv::GaussianBlur(image, reference, cv::Size(2 * radius + 1, 2 * radius + 1), 1.7, 1.7, cv::BORDER_REFLECT);
        const cv::Mat got(f.height, f.width, CV_32F, const_cast<float*>(blurred.data.data()));
        QCOMPARE(maxDifference(got, reference), 0.0);
    }
};

QTEST_APPLESS_MAIN(TestParallelBlur)
#include "test_parallel_blur.moc"
