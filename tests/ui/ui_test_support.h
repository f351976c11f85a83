#pragma once
/** Helpers for the widget tests: synthetic micrographs with known content, image statistics, fresh settings. */

#include "core/io/micrograph.h"
#include "ui/window/appsettings.h"

#include <QImage>
#include <QSettings>
#include <QStandardPaths>

#include <cmath>

namespace motifscope::test {

/** A gradient with Gaussian "atoms" on a square grid: values in about [0, 1.6]. */
inline Micrograph syntheticMicrograph(int width = 256, int height = 192, double pixelSize = 0.02,
                                      const std::string& unit = "nm")
{
    Micrograph m;
    m.width = width;
    m.height = height;
    m.dtype = "float32";
    m.format = "synthetic";
    m.calibration.pixelSizeX = m.calibration.pixelSizeY = pixelSize;
    m.calibration.unit = unit;
    m.pixels.resize(m.pixelCount());
    const double spacing = 16.0, sigma = 2.5;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const double dx = std::remainder(x - 8.0, spacing), dy = std::remainder(y - 8.0, spacing);
            const double atom = std::exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
            m.at(x, y) = float(0.5 * x / width + 0.1 * y / height + atom);
        }
    return m;
}

/** value(x, y) = y * width + x: a ramp 0 .. width*height-1, uncalibrated. */
inline Micrograph rampMicrograph(int width, int height)
{
    Micrograph m;
    m.width = width;
    m.height = height;
    m.dtype = "uint16";
    m.format = "synthetic";
    m.pixels.resize(m.pixelCount());
    for (std::size_t i = 0; i < m.pixels.size(); ++i)
        m.pixels[i] = float(i);
    return m;
}

/** Variance of the grey level (luminance) over the whole image; 0 for a blank picture. */
inline double greyVariance(const QImage& image)
{
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    double sum = 0, sum2 = 0;
    const double n = double(grey.width()) * grey.height();
    for (int y = 0; y < grey.height(); ++y) {
        const uchar* line = grey.constScanLine(y);
        for (int x = 0; x < grey.width(); ++x) {
            sum += line[x];
            sum2 += double(line[x]) * line[x];
        }
    }
    return n > 0 ? sum2 / n - (sum / n) * (sum / n) : 0.0;
}

/** QStandardPaths in test mode and MotifScope's settings cleared: every run starts from the defaults. */
inline void clearTestSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(ui::settingsOrganisation(), ui::settingsApplication()).clear();
}

} // namespace motifscope::test
