#include "ui/views/scalebar.h"

#include "core/render/annotation_place.h"
#include "core/render/contrast.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QRect>

#include <array>
#include <cmath>

namespace motifscope::ui {

namespace {

struct LengthUnit
{
    const char* name; // UTF-8
    double metres;
};

constexpr std::array kLengthUnits{
    LengthUnit{"pm", 1e-12}, LengthUnit{"Å", 1e-10},  LengthUnit{"nm", 1e-9},
    LengthUnit{"µm", 1e-6},  LengthUnit{"um", 1e-6},  LengthUnit{"mm", 1e-3},
    LengthUnit{"m", 1.0},
};
// Units a bar may switch to (Å only when the file uses it).
constexpr std::array kLadder{"pm", "nm", "µm", "mm"};

/** Metres per `unit`, or 0 for units that are not lengths (1/nm, px, ...). */
double metresPer(const QString& unit)
{
    for (const LengthUnit& u : kLengthUnits)
        if (unit == QString::fromUtf8(u.name))
            return u.metres;
    return 0.0;
}

} // namespace

QString ScaleBar::label() const
{
    return QStringLiteral("%1 %2").arg(QString::number(length, 'g', 6), unit);
}

ScaleBar chooseScaleBar(const Calibration& calibration, double zoom, double maxWidgetLength)
{
    ScaleBar bar;
    if (!(zoom > 0.0) || !(maxWidgetLength > 0.0))
        return bar;
    const bool calibrated = calibration.isCalibrated() && calibration.pixelSizeX > 0.0
        && std::isfinite(calibration.pixelSizeX);
    double pixelSize = calibrated ? calibration.pixelSizeX : 1.0;
    QString unit = calibrated ? QString::fromStdString(calibration.unit) : QStringLiteral("px");
    if (unit == QStringLiteral("um"))
        unit = QStringLiteral("µm");

    double maxLength = maxWidgetLength / zoom * pixelSize; // in `unit`
    const double metres = metresPer(unit);
    if (metres > 0.0 && (maxLength < 1.0 || maxLength >= 1000.0)) {
        // Prefer "500 pm" or "2 µm" to "0.5 nm" or "2000 nm".
        for (const char* name : kLadder) {
            const QString candidate = QString::fromUtf8(name);
            const double factor = metres / metresPer(candidate);
            const double inCandidate = maxLength * factor;
            if (inCandidate >= 1.0 && inCandidate < 1000.0) {
                unit = candidate;
                pixelSize *= factor;
                maxLength = inCandidate;
                break;
            }
        }
    }
    bar.length = niceScaleBarLength(maxLength);
    bar.unit = unit;
    bar.widgetLength = bar.length / pixelSize * zoom;
    return bar;
}

namespace {

constexpr double kMargin = 14.0, kPad = 8.0, kBarHeight = 6.0, kGap = 4.0;

QFont scaleBarFont(const QPainter& painter)
{
    QFont font = painter.font();
    font.setPointSizeF(std::max(8.0, font.pointSizeF()));
    font.setBold(true);
    return font;
}

} // namespace

QSizeF scaleBarBoxSize(const QPainter& painter, const ScaleBar& bar)
{
    const QFontMetricsF metrics(scaleBarFont(painter));
    return {std::max(bar.widgetLength, metrics.horizontalAdvance(bar.label())) + 2 * kPad,
            kPad + metrics.height() + kGap + kBarHeight + kPad};
}

QRectF placeScaleBar(const QRect& area, const QSizeF& box, const std::vector<QPointF>& columns, double markerRadius)
{
    std::vector<FramePoint> points;
    points.reserve(columns.size());
    for (const QPointF& p : columns)
        points.push_back({p.x() - area.left(), p.y() - area.top()});
    const BoxPlacement place = placeInEmptiestCorner(area.width(), area.height(), box.width(), box.height(), kMargin,
                                                     points, markerRadius);
    return {area.left() + place.left, area.top() + place.top, box.width(), box.height()};
}

void paintScaleBar(QPainter& painter, const QRectF& box, const ScaleBar& bar)
{
    if (!bar.isValid())
        return;
    painter.save();
    painter.resetTransform();
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QFont font = scaleBarFont(painter);
    painter.setFont(font);
    const QFontMetricsF metrics(font);
    const QString text = bar.label();

    // A translucent dark backdrop keeps the white bar readable on bright and dark images alike.
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 150));
    painter.drawRoundedRect(box, 4, 4);

    const double barLeft = box.left() + (box.width() - bar.widgetLength) / 2;
    const QRectF barRect(barLeft, box.bottom() - kPad - kBarHeight, bar.widgetLength, kBarHeight);
    painter.setPen(QPen(QColor(20, 20, 20), 1.0));
    painter.setBrush(Qt::white);
    painter.drawRect(barRect);

    painter.setPen(Qt::white);
    const QRectF textRect(box.left(), box.top() + kPad, box.width(), metrics.height());
    painter.drawText(textRect, Qt::AlignHCenter | Qt::AlignVCenter, text);
    painter.restore();
}

} // namespace motifscope::ui
