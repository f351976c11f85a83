#include "ui/views/localdisorderoverlay.h"

#include "core/render/colour_map.h"
#include "ui/document/micrographdocument.h"

#include <QPaintDevice>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

LocalDisorderOverlay::LocalDisorderOverlay(QObject* parent) : ImageOverlay(parent)
{
    setObjectName(QStringLiteral("localDisorderOverlay"));
}

void LocalDisorderOverlay::setDocument(MicrographDocument* document)
{
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    // Columns added or removed: the values no longer match them until the next map arrives.
    if (mDocument)
        connect(mDocument, &MicrographDocument::columnsChanged, this, [this] {
            if (mDocument && mMap.values.size() != mDocument->columns().size())
                setMap({});
        });
}

void LocalDisorderOverlay::setMap(ColumnValueMap map)
{
    mMap = std::move(map);
    Q_EMIT changed();
}

void LocalDisorderOverlay::paint(QPainter& painter, const OverlayContext& context)
{
    if (!mDocument || mMap.isEmpty() || mMap.values.size() != mDocument->columns().size())
        return;
    const AtomColumns& columns = mDocument->columns();
    const double span = mMap.high > mMap.low ? mMap.high - mMap.low : 1.0;
    const double side = std::max(1.0, (mMap.spacing > 0.0 ? mMap.spacing : 8.0) * context.zoom);
    // Tiles are written into one layer in device pixels (fast at 10^5 columns), then drawn once.
    const QPaintDevice* device = painter.device();
    const double dpr = device->devicePixelRatioF();
    const QRect widget(0, 0, int(std::ceil(device->width() * dpr)), int(std::ceil(device->height() * dpr)));
    if (mLayer.size() != widget.size())
        mLayer = QImage(widget.size(), QImage::Format_ARGB32_Premultiplied);
    mLayer.fill(Qt::transparent);
    const QTransform t = context.imageToWidget * QTransform::fromScale(dpr, dpr);
    const double half = 0.5 * side * dpr;
    const double margin = 0.5 * (mMap.spacing > 0.0 ? mMap.spacing : 8.0);
    const QRectF visible = context.visibleImage.adjusted(-margin, -margin, margin, margin);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const double v = mMap.values[i];
        if (!std::isfinite(v) || !visible.contains(columns[i].x, columns[i].y))
            continue;
        const auto rgb = orderedColour((v - mMap.low) / span);
        const QRgb colour = qPremultiply(qRgba(rgb[0], rgb[1], rgb[2], kTileAlpha));
        const QPointF c = t.map(QPointF(columns[i].x, columns[i].y));
        const int x0 = std::max(0, int(std::floor(c.x() - half))), x1 = std::min(widget.width(), int(std::ceil(c.x() + half)));
        const int y0 = std::max(0, int(std::floor(c.y() - half))), y1 = std::min(widget.height(), int(std::ceil(c.y() + half)));
        for (int y = y0; y < y1; ++y) {
            auto* line = reinterpret_cast<QRgb*>(mLayer.scanLine(y));
            std::fill(line + x0, line + std::max(x0, x1), colour);
        }
    }
    mLayer.setDevicePixelRatio(dpr);
    painter.save();
    painter.resetTransform();
    painter.drawImage(QPointF(0, 0), mLayer);
    painter.restore();
}

} // namespace motifscope::ui
