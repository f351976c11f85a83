#pragma once
// Lengths for people: pixels, and the calibrated length beside them when the image has a scale.
#include "core/io/micrograph.h"

#include <QString>

#include <cmath>

namespace motifscope::ui {

/** Metres per `unit` for the length units microscopes write; 0 when unknown. */
inline double metresPerUnit(const std::string& unit)
{
    const QString u = QString::fromStdString(unit).trimmed();
    if (u == QStringLiteral("m"))
        return 1.0;
    if (u == QStringLiteral("mm"))
        return 1e-3;
    if (u == QStringLiteral("µm") || u == QStringLiteral("μm") || u == QStringLiteral("um"))
        return 1e-6;
    if (u == QStringLiteral("nm"))
        return 1e-9;
    if (u == QStringLiteral("Å") || u == QStringLiteral("A") || u.compare(QStringLiteral("angstrom"), Qt::CaseInsensitive) == 0)
        return 1e-10;
    if (u == QStringLiteral("pm"))
        return 1e-12;
    return 0.0;
}

/**
 * "12.10 px", or "12.10 px (0.310 nm)" when the image is calibrated: a period, a spacing or a
 * cut-off measured in pixels, with its length in the image's unit (three significant digits).
 */
inline QString lengthText(double pixels, const Calibration& c, int pixelDecimals = 2)
{
    const QString px = QStringLiteral("%1 px").arg(pixels, 0, 'f', pixelDecimals);
    const double pixelSize = std::sqrt(std::abs(c.pixelSizeX * c.pixelSizeY));
    if (!c.isCalibrated() || !(pixelSize > 0.0) || !std::isfinite(pixelSize) || !std::isfinite(pixels))
        return px;
    return QStringLiteral("%1 (%2 %3)").arg(px, QString::number(pixels * pixelSize, 'g', 3), QString::fromStdString(c.unit));
}

} // namespace motifscope::ui
