#include "core/dictionary/frame_scale.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace motifscope {

double unitInMetres(const std::string& unit)
{
    if (unit == "m")
        return 1.0;
    if (unit == "mm")
        return 1e-3;
    if (unit == "\u00b5m" || unit == "\u03bcm" || unit == "um" || unit == "micron")
        return 1e-6;
    if (unit == "nm")
        return 1e-9;
    if (unit == "\u00c5" || unit == "\u212b" || unit == "A" || unit == "Angstrom" || unit == "angstrom")
        return 1e-10;
    if (unit == "pm")
        return 1e-12;
    return 0.0;
}

double frameScale(const Calibration& frame, double dictionaryPixelSize, const std::string& dictionaryUnit)
{
    const double frameUnit = unitInMetres(frame.unit), dictUnit = unitInMetres(dictionaryUnit);
    if (!frame.isCalibrated() || dictionaryUnit.empty() || frameUnit <= 0.0 || dictUnit <= 0.0 ||
        !(frame.pixelSizeX > 0.0) || !(dictionaryPixelSize > 0.0))
        return 1.0;
    const double scale = (frame.pixelSizeX * frameUnit) / (dictionaryPixelSize * dictUnit);
    return std::isfinite(scale) && std::abs(scale - 1.0) >= 0.005 ? scale : 1.0;
}

FloatImage resampleImage(const FloatImage& image, double scale)
{
    if (scale == 1.0)
        return image;
    const int width = std::max(1, int(std::lround(image.width * scale)));
    const int height = std::max(1, int(std::lround(image.height * scale)));
    FloatImage out = FloatImage::uninitialised(width, height);
    const cv::Mat in(image.height, image.width, CV_32F, const_cast<float*>(image.data.data()));
    cv::Mat dst(height, width, CV_32F, out.data.data());
    cv::resize(in, dst, cv::Size(width, height), 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_CUBIC);
    return out;
}

AtomColumns scaleColumns(const AtomColumns& columns, double scale)
{
    AtomColumns out = columns;
    if (scale == 1.0)
        return out;
    for (AtomColumn& c : out) {
        c.x = (c.x + 0.5) * scale - 0.5;
        c.y = (c.y + 0.5) * scale - 0.5;
    }
    return out;
}

} // namespace motifscope
