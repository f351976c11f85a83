#include "core/render/overlay_image.h"

#include "core/io/file_util.h"
#include "core/learn/motifs.h"
#include "core/render/annotation_place.h"
#include "core/render/contrast.h"
#include "core/io/png_encode.h"

#include <opencv2/imgproc.hpp>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace motifscope {

void parseHexColour(const std::string& hex, int& r, int& g, int& b)
{
    r = g = b = 160;
    unsigned rr = 0, gg = 0, bb = 0;
    if (hex.size() == 7 && hex[0] == '#' && std::sscanf(hex.c_str() + 1, "%02x%02x%02x", &rr, &gg, &bb) == 3)
        r = int(rr), g = int(gg), b = int(bb);
}

OverlayText overlayText(int pictureSide)
{
    OverlayText t;
    t.scale = std::max(0.6, double(pictureSide) / 1300.0);
    t.thickness = std::max(1, int(std::lround(t.scale * 1.4)));
    int baseline = 0;
    t.capHeight = cv::getTextSize("H", cv::FONT_HERSHEY_SIMPLEX, t.scale, t.thickness, &baseline).height;
    t.lineHeight = int(std::lround(t.capHeight * 2.1));
    return t;
}

int overlayMarkerRadius(int width, int height, std::size_t columns)
{
    const double area = double(width) * double(height) / double(std::max<std::size_t>(1, columns));
    return std::max(3, int(std::lround(std::sqrt(area) * 0.32)));
}

namespace {

cv::Scalar bgr(const std::string& hex)
{
    int r, g, b;
    parseHexColour(hex, r, g, b);
    return cv::Scalar(b, g, r);
}

cv::Size textSize(const std::string& s, const OverlayText& text)
{
    int baseline = 0;
    return cv::getTextSize(s, cv::FONT_HERSHEY_SIMPLEX, text.scale, text.thickness, &baseline);
}

void drawText(cv::Mat& canvas, const std::string& s, cv::Point at, const OverlayText& text, const cv::Scalar& ink)
{
    cv::putText(canvas, s, at, cv::FONT_HERSHEY_SIMPLEX, text.scale, ink, text.thickness, cv::LINE_AA);
}

std::string formatLength(double value, const std::string& unit)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%g %s", value, unit.c_str());
    return buffer;
}

/** The micrograph in grey at its drawing scale: scaled down in grey first (a third of the memory). */
cv::Mat greyPicture(const float* pixels, int width, int height, const OverlayStyle& style, double scale)
{
    const auto [low, high] = percentileLimits(pixels, std::size_t(width) * height, style.lowPercent, style.highPercent);
    cv::Mat grey(height, width, CV_8U);
    tbb::parallel_for(tbb::blocked_range<int>(0, height, 64), [&](const tbb::blocked_range<int>& rows) {
        for (int y = rows.begin(); y != rows.end(); ++y) {
            const float* row = pixels + std::size_t(y) * width;
            auto* out = grey.ptr<std::uint8_t>(y);
            for (int x = 0; x < width; ++x) {
                const double v = (row[x] - low) / (high - low);
                out[x] = std::uint8_t(std::clamp(std::isfinite(v) ? v : 0.0, 0.0, 1.0) * 255.0 + 0.5);
            }
        }
    });
    if (scale < 1.0)
        cv::resize(grey, grey, cv::Size(), scale, scale, cv::INTER_AREA);
    return grey;
}

void drawOverlay(const float* pixels, int width, int height, const Calibration& calibration, const AtomColumns& columns,
                 const std::vector<int>& motif, const OverlayStyle& style, const std::string& path)
{
    const double scale = std::min(1.0, double(style.maxSide) / std::max(width, height));
    cv::Mat picture;
    cv::cvtColor(greyPicture(pixels, width, height, style, scale), picture, cv::COLOR_GRAY2BGR);

    // Column markers: rings (the atom shows inside), radius from the typical spacing, sub-pixel
    // centres via a fixed-point shift.
    const int radius = overlayMarkerRadius(picture.cols, picture.rows, columns.size());
    const int ringWidth = std::max(1, radius / 4);
    constexpr int kShift = 4;
    std::vector<FramePoint> centres;
    centres.reserve(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const int id = i < motif.size() ? motif[i] : -1;
        const cv::Scalar colour = id >= 0 && std::size_t(id) < style.motifColours.size()
            ? bgr(style.motifColours[std::size_t(id)])
            : (motif.empty() ? cv::Scalar(40, 200, 255) : bgr(motifColour(-1)));
        // Pixel centres are at integer coordinates in both the data and OpenCV's drawing.
        centres.push_back({columns[i].x * scale, columns[i].y * scale});
        const cv::Point centre(int(std::lround(centres.back().x * (1 << kShift))),
                               int(std::lround(centres.back().y * (1 << kShift))));
        cv::circle(picture, centre, radius << kShift, colour, ringWidth, cv::LINE_AA, kShift);
    }

    // Text of one size however small the micrograph: black on the white band beside it.
    const OverlayText text = overlayText(std::max(picture.cols, picture.rows));
    const int line = text.lineHeight, pad = line / 2;

    // Scale bar: over the picture only in a corner without columns, else in the band.
    const double pixelSize = calibration.pixelSizeX;
    const std::string unit = calibration.isCalibrated() ? calibration.unit : "px";
    const double length = niceScaleBarLength(0.2 * width * pixelSize);
    const int barPixels = length > 0.0 ? int(std::lround(length / pixelSize * scale)) : 0;
    const std::string barLabel = formatLength(length, unit);
    const int barThickness = std::max(3, line / 4);
    const cv::Size barText = textSize(barLabel, text);
    const int barBoxWidth = std::max(barPixels, barText.width) + 2 * pad;
    const int barBoxHeight = pad + barText.height + pad / 2 + barThickness + pad;
    BoxPlacement bar;
    if (barPixels > 0)
        bar = placeInEmptiestCorner(picture.cols, picture.rows, barBoxWidth, barBoxHeight, pad, centres, radius + ringWidth);

    // The band: legend entries, then the scale bar when it is not over the picture.
    int labelWidth = 0;
    for (const auto& entry : style.legend)
        labelWidth = std::max(labelWidth, textSize(entry.label, text).width);
    const bool barInBand = barPixels > 0 && !bar.inside;
    const bool band = !style.legend.empty() || barInBand;
    const int bandWidth = band ? std::max(pad + line + labelWidth + pad, barInBand ? barBoxWidth : 0) : 0;
    const int legendHeight = style.legend.empty() ? 0 : pad + int(style.legend.size()) * line;
    const int bandHeight = legendHeight + (barInBand ? barBoxHeight : 0) + (band ? pad : 0);
    cv::Mat canvas(std::max(picture.rows, bandHeight), picture.cols + bandWidth, CV_8UC3, cv::Scalar(255, 255, 255));
    picture.copyTo(canvas(cv::Rect(0, 0, picture.cols, picture.rows)));

    const int bandLeft = picture.cols;
    int y = pad;
    for (const auto& entry : style.legend) {
        cv::circle(canvas, cv::Point(bandLeft + pad + line / 2, y + line / 2), line / 3, bgr(entry.colour), cv::FILLED, cv::LINE_AA);
        cv::circle(canvas, cv::Point(bandLeft + pad + line / 2, y + line / 2), line / 3, cv::Scalar(60, 60, 60), 1, cv::LINE_AA);
        drawText(canvas, entry.label, cv::Point(bandLeft + pad + line, y + (line + text.capHeight) / 2), text, cv::Scalar(0, 0, 0));
        y += line;
    }
    if (barPixels > 0) {
        const bool over = !barInBand;
        const int boxLeft = over ? int(bar.left) : bandLeft;
        const int boxTop = over ? int(bar.top) : legendHeight;
        const cv::Scalar ink = over ? cv::Scalar(255, 255, 255) : cv::Scalar(0, 0, 0);
        if (over)
            cv::rectangle(canvas, cv::Rect(boxLeft, boxTop, barBoxWidth, barBoxHeight), cv::Scalar(0, 0, 0), cv::FILLED);
        const int x0 = boxLeft + pad, yb = boxTop + barBoxHeight - pad - barThickness;
        cv::rectangle(canvas, cv::Rect(x0, yb, barPixels, barThickness), ink, cv::FILLED);
        drawText(canvas, barLabel, cv::Point(x0, boxTop + pad + barText.height), text, ink);
    }

    std::vector<std::uint8_t> png;
    try {
        png = encodePng(canvas);
    } catch (const std::runtime_error& e) {
        throw IoError(path, e.what());
    }
    writeFileAtomically(path, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
}

} // namespace

void writeOverlayPng(const Micrograph& image, const AtomColumns& columns, const std::vector<int>& motif,
                     const OverlayStyle& style, const std::string& path)
{
    drawOverlay(image.pixels.data(), image.width, image.height, image.calibration, columns, motif, style, path);
}

void writeOverlayPng(const FloatImage& pixels, const Calibration& calibration, const AtomColumns& columns,
                     const std::vector<int>& motif, const OverlayStyle& style, const std::string& path)
{
    drawOverlay(pixels.data.data(), pixels.width, pixels.height, calibration, columns, motif, style, path);
}

} // namespace motifscope
