#include "render/overlay_image.h"

#include "io/file_util.h"
#include "render/contrast.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace motifscope {

void parseHexColour(const std::string& hex, int& r, int& g, int& b)
{
    r = g = b = 160;
    unsigned rr = 0, gg = 0, bb = 0;
    if (hex.size() == 7 && hex[0] == '#' && std::sscanf(hex.c_str() + 1, "%02x%02x%02x", &rr, &gg, &bb) == 3)
        r = int(rr), g = int(gg), b = int(bb);
}

namespace {

cv::Scalar bgr(const std::string& hex)
{
    int r, g, b;
    parseHexColour(hex, r, g, b);
    return cv::Scalar(b, g, r);
}

void drawText(cv::Mat& canvas, const std::string& text, cv::Point at, double scale)
{
    const int thickness = std::max(1, int(std::lround(scale * 1.5)));
    cv::putText(canvas, text, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 0, 0), thickness + 2, cv::LINE_AA);
    cv::putText(canvas, text, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255), thickness, cv::LINE_AA);
}

std::string formatLength(double value, const std::string& unit)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%g %s", value, unit.c_str());
    return buffer;
}

} // namespace

void writeOverlayPng(const Micrograph& image, const AtomColumns& columns, const std::vector<int>& motif,
                     const OverlayStyle& style, const std::string& path)
{
    const auto [low, high] = percentileLimits(image.pixels.data(), image.pixelCount(), style.lowPercent, style.highPercent);
    const double scale = std::min(1.0, double(style.maxSide) / std::max(image.width, image.height));
    cv::Mat grey(image.height, image.width, CV_8U);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const double v = (image.at(x, y) - low) / (high - low);
            grey.at<std::uint8_t>(y, x) = std::uint8_t(std::clamp(std::isfinite(v) ? v : 0.0, 0.0, 1.0) * 255.0 + 0.5);
        }
    cv::Mat canvas;
    cv::cvtColor(grey, canvas, cv::COLOR_GRAY2BGR);
    if (scale < 1.0)
        cv::resize(canvas, canvas, cv::Size(), scale, scale, cv::INTER_AREA);

    // Column markers: radius from the typical spacing, sub-pixel centres via fixed-point shift.
    const double base = std::max(canvas.cols, canvas.rows);
    const int radius = std::max(2, int(std::lround(std::sqrt(double(canvas.cols) * canvas.rows / std::max<std::size_t>(1, columns.size())) * 0.18)));
    constexpr int kShift = 4;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const int id = i < motif.size() ? motif[i] : -1;
        const cv::Scalar colour = id >= 0 && std::size_t(id) < style.motifColours.size()
            ? bgr(style.motifColours[std::size_t(id)])
            : (motif.empty() ? cv::Scalar(40, 200, 255) : cv::Scalar(150, 150, 150));
        // Pixel centres are at integer coordinates in both the data and OpenCV's drawing.
        const cv::Point centre(int(std::lround(columns[i].x * scale * (1 << kShift))),
                               int(std::lround(columns[i].y * scale * (1 << kShift))));
        cv::circle(canvas, centre, radius << kShift, colour, std::max(1, radius / 3), cv::LINE_AA, kShift);
    }

    // Legend, top left.
    const double textScale = std::max(0.4, base / 1600.0);
    const int lineHeight = int(std::lround(28 * textScale)) + 6;
    int y = lineHeight;
    for (const auto& entry : style.legend) {
        cv::circle(canvas, cv::Point(lineHeight / 2 + 4, y - lineHeight / 4), lineHeight / 3, bgr(entry.colour), cv::FILLED,
                   cv::LINE_AA);
        drawText(canvas, entry.label, cv::Point(lineHeight + 4, y), textScale);
        y += lineHeight;
    }

    // Scale bar, bottom right: about a fifth of the width.
    const double pixelSize = image.calibration.pixelSizeX;
    const std::string unit = image.calibration.isCalibrated() ? image.calibration.unit : "px";
    const double length = niceScaleBarLength(0.2 * image.width * pixelSize);
    if (length > 0.0) {
        const int barPixels = int(std::lround(length / pixelSize * scale));
        const int x1 = canvas.cols - lineHeight, x0 = x1 - barPixels, yb = canvas.rows - lineHeight;
        const int thickness = std::max(3, lineHeight / 4);
        cv::rectangle(canvas, cv::Point(x0 - 2, yb - 2), cv::Point(x1 + 2, yb + thickness + 2), cv::Scalar(0, 0, 0), cv::FILLED);
        cv::rectangle(canvas, cv::Point(x0, yb), cv::Point(x1, yb + thickness), cv::Scalar(255, 255, 255), cv::FILLED);
        const std::string label = formatLength(length, unit);
        int baseline = 0;
        const cv::Size size = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, textScale, 1, &baseline);
        drawText(canvas, label, cv::Point((x0 + x1 - size.width) / 2, yb - 8), textScale);
    }

    std::vector<std::uint8_t> png;
    if (!cv::imencode(".png", canvas, png))
        throw IoError(path, "PNG encoding failed");
    writeFileAtomically(path, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
}

} // namespace motifscope
