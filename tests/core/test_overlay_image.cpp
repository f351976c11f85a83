// overlay.png (issue 16 point 5): nothing but the column rings is drawn over the micrograph. The
// legend stands in a band beside it in text of one readable size, the scale bar too unless a corner
// of the micrograph holds no column; every column's centre shows the micrograph.
#include "test_support.h"

#include "core/image/finite_image.h"
#include "core/render/annotation_place.h"
#include "core/render/contrast.h"
#include "core/render/overlay_image.h"
#include "core/synth/synth.h"
#include "synth_options.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cmath>

using namespace motifscope;

namespace {

struct Drawn
{
    Micrograph image;
    AtomColumns columns;
    std::vector<int> motif;
    OverlayStyle style;
    cv::Mat png; // BGR
};

Drawn drawOverlay(const std::string& preset, int size, const test::TempDir& dir)
{
    const synth::SynthResult s = synth::synthesize(test::synthOptions(preset, size, 3));
    Drawn d;
    d.image = s.image;
    int motifs = 0;
    for (const synth::TruthColumn& t : s.truth) {
        d.columns.push_back({t.x, t.y});
        d.motif.push_back(t.motif);
        motifs = std::max(motifs, t.motif + 1);
    }
    const char* colours[] = {"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"};
    for (int m = 0; m < motifs; ++m) {
        d.style.motifColours.push_back(colours[m % 7]);
        d.style.legend.push_back({"motif " + std::to_string(m) + " (123)", colours[m % 7]});
    }
    const std::string path = dir.file(preset + ".png");
    writeOverlayPng(d.image, d.columns, d.motif, d.style, path);
    d.png = cv::imread(path, cv::IMREAD_COLOR);
    return d;
}

/** The micrograph's grey at (x, y) under the overlay's contrast. */
int greyAt(const Micrograph& m, std::pair<double, double> limits, int x, int y)
{
    const double v = (m.at(x, y) - limits.first) / (limits.second - limits.first);
    return int(std::clamp(std::isfinite(v) ? v : 0.0, 0.0, 1.0) * 255.0 + 0.5);
}

bool isGrey(const cv::Vec3b& px, int grey)
{
    return std::abs(px[0] - grey) <= 1 && std::abs(px[1] - grey) <= 1 && std::abs(px[2] - grey) <= 1;
}

bool isDark(const cv::Vec3b& px)
{
    return px[0] < 90 && px[1] < 90 && px[2] < 90;
}

} // namespace

class TestOverlayImage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cornersAreChosenByTheColumnsTheyHide();
    void legendAndScaleBarStandBesideAFullImage();
    void emptyCornerHoldsTheScaleBar();
    void textIsReadableAtEverySize();
    void theFiniteCopyDrawsTheSameScaledOverlay();
};

void TestOverlayImage::cornersAreChosenByTheColumnsTheyHide()
{
    // Columns everywhere but the top-right 40 x 40: that corner is chosen, and it is "inside".
    std::vector<FramePoint> points;
    for (int y = 5; y < 200; y += 10)
        for (int x = 5; x < 200; x += 10)
            if (!(x > 150 && y < 50))
                points.push_back({double(x), double(y)});
    BoxPlacement p = placeInEmptiestCorner(200, 200, 30, 20, 5, points, 2.0);
    QVERIFY(p.inside && p.fits);
    QCOMPARE(p.corner, FrameCorner::TopRight);
    QCOMPARE(p.left, 165.0);
    QCOMPARE(p.top, 5.0);
    QCOMPARE(p.hidden, std::size_t(0));
    // A box too wide for that corner hides columns everywhere: not inside.
    p = placeInEmptiestCorner(200, 200, 80, 20, 5, points, 2.0);
    QVERIFY(!p.inside && p.hidden > 0);
    // A box larger than the picture does not fit.
    QVERIFY(!placeInEmptiestCorner(50, 50, 60, 10, 2, {}, 1.0).fits);
}

void TestOverlayImage::legendAndScaleBarStandBesideAFullImage()
{
    test::TempDir dir;
    const Drawn d = drawOverlay("mixed-lattice", 256, dir);
    QVERIFY(!d.png.empty());
    const int w = d.image.width, h = d.image.height;
    QVERIFY2(d.png.cols > w + 60, "a band beside the micrograph");
    QVERIFY(d.png.rows >= h);

    // Inside the micrograph: the micrograph itself wherever no ring is drawn.
    const auto limits = percentileLimits(d.image.pixels.data(), d.image.pixelCount(), 0.5, 99.5);
    const int radius = overlayMarkerRadius(w, h, d.columns.size());
    const double reach = radius + std::max(1, radius / 4) + 1.5;
    int checked = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const bool nearColumn = std::any_of(d.columns.begin(), d.columns.end(), [&](const AtomColumn& c) {
                return std::hypot(c.x - x, c.y - y) < reach;
            });
            if (nearColumn)
                continue;
            ++checked;
            QVERIFY2(isGrey(d.png.at<cv::Vec3b>(y, x), greyAt(d.image, limits, x, y)),
                     qPrintable(QStringLiteral("covered at (%1, %2)").arg(x).arg(y)));
        }
    QVERIFY(checked > w * h / 10);
    // Every column's centre shows the atom: rings, not discs.
    for (const AtomColumn& c : d.columns) {
        const int x = int(std::lround(c.x)), y = int(std::lround(c.y));
        if (x >= 0 && y >= 0 && x < w && y < h)
            QVERIFY(isGrey(d.png.at<cv::Vec3b>(y, x), greyAt(d.image, limits, x, y)));
    }

    // The band: one line of dark text per legend entry, then the scale bar (no corner is free).
    std::vector<std::pair<int, int>> runs; // rows holding dark pixels: [first, last]
    int longestDark = 0;
    for (int y = 0; y < d.png.rows; ++y) {
        int dark = 0, run = 0;
        for (int x = w; x < d.png.cols; ++x) {
            const bool isInk = isDark(d.png.at<cv::Vec3b>(y, x));
            dark += isInk;
            run = isInk ? run + 1 : 0;
            longestDark = std::max(longestDark, run);
        }
        if (dark == 0)
            continue;
        if (!runs.empty() && runs.back().second == y - 1)
            runs.back().second = y;
        else
            runs.push_back({y, y});
    }
    QVERIFY2(runs.size() >= d.style.legend.size() + 1, qPrintable(QString::number(runs.size())));
    QVERIFY2(runs.front().second - runs.front().first + 1 >= 12,
             qPrintable(QStringLiteral("legend text %1 px tall").arg(runs.front().second - runs.front().first + 1)));
    const double barPixels = niceScaleBarLength(0.2 * w * d.image.calibration.pixelSizeX) / d.image.calibration.pixelSizeX;
    QVERIFY2(longestDark >= int(barPixels) - 1, qPrintable(QStringLiteral("bar %1 px").arg(longestDark)));
}

void TestOverlayImage::emptyCornerHoldsTheScaleBar()
{
    // The nanoparticle's vacuum corner takes the scale bar; the band holds only the legend.
    test::TempDir dir;
    const Drawn d = drawOverlay("nanoparticle", 512, dir);
    const int w = d.image.width, h = d.image.height;
    const auto limits = percentileLimits(d.image.pixels.data(), d.image.pixelCount(), 0.5, 99.5);
    int barInk = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const cv::Vec3b px = d.png.at<cv::Vec3b>(y, x);
            barInk += px[0] == 255 && px[1] == 255 && px[2] == 255 && greyAt(d.image, limits, x, y) < 200;
        }
    QVERIFY2(barInk > 30, qPrintable(QString::number(barInk)));
    for (const AtomColumn& c : d.columns) {
        const int x = int(std::lround(c.x)), y = int(std::lround(c.y));
        if (x >= 0 && y >= 0 && x < w && y < h)
            QVERIFY2(isGrey(d.png.at<cv::Vec3b>(y, x), greyAt(d.image, limits, x, y)),
                     qPrintable(QStringLiteral("column (%1, %2) hidden").arg(x).arg(y)));
    }
}

void TestOverlayImage::textIsReadableAtEverySize()
{
    // Capitals at least 13 px on a small micrograph, larger on a 1k one, about 2 % of a 4k one.
    QVERIFY(overlayText(128).capHeight >= 13);
    QVERIFY(overlayText(1024).capHeight >= 16);
    QVERIFY(overlayText(4096).capHeight >= 0.012 * 4096);
    QVERIFY(overlayText(4096).lineHeight > overlayText(4096).capHeight * 3 / 2);
}

/**
 * analyze draws the overlay from its finite copy (the file's pixels are released): the same PNG as
 * from the micrograph, also when a large micrograph is drawn scaled down (scaled in grey first).
 */
void TestOverlayImage::theFiniteCopyDrawsTheSameScaledOverlay()
{
    test::TempDir dir;
    Drawn d = drawOverlay("mixed-lattice", 256, dir);
    d.style.maxSide = 128;
    const std::string fromMicrograph = dir.file("micrograph.png"), fromCopy = dir.file("copy.png");
    writeOverlayPng(d.image, d.columns, d.motif, d.style, fromMicrograph);
    writeOverlayPng(withFiniteValues(d.image), d.image.calibration, d.columns, d.motif, d.style, fromCopy);
    const cv::Mat a = cv::imread(fromMicrograph, cv::IMREAD_UNCHANGED), b = cv::imread(fromCopy, cv::IMREAD_UNCHANGED);
    QCOMPARE(a.rows, b.rows);
    QCOMPARE(a.cols, b.cols);
    QCOMPARE(cv::norm(a, b, cv::NORM_INF), 0.0);
    QVERIFY2(a.cols > 128 && a.cols < d.png.cols, "drawn at half size, with the band beside it");
    // Scaled down, the micrograph is still the micrograph's grey between the rings: the picture's
    // pixel farthest from every column is grey, not tinted.
    double farthest = -1.0;
    cv::Point at;
    for (int y = 0; y < 128; ++y)
        for (int x = 0; x < 128; ++x) {
            double nearest = 1e9;
            for (const AtomColumn& c : d.columns)
                nearest = std::min(nearest, std::hypot(c.x * 0.5 - x, c.y * 0.5 - y));
            if (nearest > farthest) {
                farthest = nearest;
                at = {x, y};
            }
        }
    const cv::Vec3b px = a.at<cv::Vec3b>(at);
    QCOMPARE(px[0], px[1]);
    QCOMPARE(px[1], px[2]);
}

QTEST_GUILESS_MAIN(TestOverlayImage)
#include "test_overlay_image.moc"
