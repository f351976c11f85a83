#include "ui/views/contrastmaskoverlay.h"

#include <QPainter>

#include <algorithm>

namespace motifscope::ui {

ContrastMaskOverlay::ContrastMaskOverlay(QObject* parent) : ImageOverlay(parent)
{
    setObjectName(QStringLiteral("contrastMaskOverlay"));
    setVisible(false);
}

void ContrastMaskOverlay::setMask(const std::vector<std::uint8_t>& mask, int width, int height, int step,
                                  QSize imageSize)
{
    mImage = QImage();
    mImageSize = imageSize;
    mExcluded = 0.0;
    mStep = std::max(1, step);
    if (width > 0 && height > 0 && mask.size() == std::size_t(width) * std::size_t(height)) {
        const auto excluded = std::count(mask.begin(), mask.end(), std::uint8_t(0));
        if (excluded > 0) {
            mExcluded = double(excluded) / double(mask.size());
            mImage = QImage(width, height, QImage::Format_ARGB32_Premultiplied);
            const QRgb tinted = qPremultiply(tint().rgba());
            for (int y = 0; y < height; ++y) {
                auto* line = reinterpret_cast<QRgb*>(mImage.scanLine(y));
                for (int x = 0; x < width; ++x)
                    line[x] = mask[std::size_t(y) * std::size_t(width) + std::size_t(x)] ? 0u : tinted;
            }
        }
    }
    Q_EMIT changed();
}

void ContrastMaskOverlay::clear()
{
    if (mImage.isNull())
        return;
    mImage = QImage();
    mExcluded = 0.0;
    Q_EMIT changed();
}

void ContrastMaskOverlay::paint(QPainter& painter, const OverlayContext&)
{
    if (mImage.isNull())
        return;
    // Image coordinates put pixel centres at integers: pixel 0 spans -0.5 .. 0.5. Cells stay
    // blocks (no smoothing): the mask really is this coarse.
    painter.save();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (mImageSize.isValid())
        painter.setClipRect(QRectF(-0.5, -0.5, mImageSize.width(), mImageSize.height()), Qt::IntersectClip);
    painter.drawImage(QRectF(-0.5, -0.5, double(mImage.width()) * mStep, double(mImage.height()) * mStep), mImage);
    painter.restore();
}

} // namespace motifscope::ui
