#include "ui/panels/histogramwidget.h"

#include "ui/document/micrographdocument.h"
#include "ui/views/lookuptable.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

HistogramWidget::HistogramWidget(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("histogram"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setToolTip(tr("How many pixels have each value (log scale); the lines mark the values shown black and "
                  "white, the strip below the lookup table between them"));
}

void HistogramWidget::setDocument(MicrographDocument* document)
{
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    if (mDocument) {
        connect(mDocument, &MicrographDocument::micrographChanged, this, &HistogramWidget::recount);
        connect(mDocument, &MicrographDocument::contrastChanged, this, qOverload<>(&QWidget::update));
    }
    recount();
}

void HistogramWidget::recount()
{
    mBins.clear();
    if (mDocument && mDocument->hasMicrograph()) {
        const Micrograph& m = mDocument->micrograph();
        double lo = INFINITY, hi = -INFINITY;
        for (float v : m.pixels)
            if (std::isfinite(v)) {
                lo = std::min(lo, double(v));
                hi = std::max(hi, double(v));
            }
        if (lo <= hi) {
            mMin = lo;
            mMax = hi > lo ? hi : lo + 1.0;
            mBins.fill(0, kBins);
            for (float v : m.pixels)
                if (std::isfinite(v))
                    ++mBins[binOf(v)];
        }
    }
    update();
}

int HistogramWidget::binOf(double value) const
{
    const double t = (value - mMin) / (mMax - mMin);
    return std::clamp(int(std::floor(t * kBins)), 0, kBins - 1);
}

QRectF HistogramWidget::plotArea() const
{
    return QRectF(rect()).adjusted(2, 2, -2, -12);
}

double HistogramWidget::xOf(double value) const
{
    const QRectF a = plotArea();
    return a.left() + std::clamp((value - mMin) / (mMax - mMin), 0.0, 1.0) * a.width();
}

void HistogramWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRectF a = plotArea();
    if (mBins.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No image"));
        return;
    }
    const double top = std::log1p(double(*std::max_element(mBins.begin(), mBins.end())));
    QPainterPath bars;
    bars.moveTo(a.bottomLeft());
    for (int i = 0; i < kBins; ++i) {
        const double h = top > 0 ? std::log1p(double(mBins[i])) / top * a.height() : 0.0;
        const double x0 = a.left() + a.width() * i / kBins, x1 = a.left() + a.width() * (i + 1) / kBins;
        bars.lineTo(x0, a.bottom() - h);
        bars.lineTo(x1, a.bottom() - h);
    }
    bars.lineTo(a.bottomRight());
    bars.closeSubpath();
    p.fillPath(bars, QColor(110, 110, 120));

    // The lookup table from the black point to the white point, flat beyond them.
    const double low = mDocument->displayLow(), high = mDocument->displayHigh();
    const QVector<QRgb> colours = lookupColours(mDocument->displaySettings().lut);
    const double xl = xOf(low), xh = xOf(high);
    for (int x = int(a.left()); x < int(a.right()); ++x) {
        const double t = xh > xl ? std::clamp((x - xl) / (xh - xl), 0.0, 1.0) : (x < xl ? 0.0 : 1.0);
        const double g = std::pow(t, mDocument->displaySettings().gamma);
        p.setPen(QColor(colours[std::clamp(int(std::lround(g * 255.0)), 0, 255)]));
        p.drawLine(QPointF(x + 0.5, a.bottom() + 3), QPointF(x + 0.5, height() - 1));
    }
    p.setPen(QPen(QColor(220, 60, 40), 1.5));
    p.drawLine(QPointF(xl, a.top()), QPointF(xl, a.bottom()));
    p.drawLine(QPointF(xh, a.top()), QPointF(xh, a.bottom()));
}

} // namespace motifscope::ui
