#include "ui/tools/linetool.h"

#include "ui/document/micrographdocument.h"
#include "ui/views/imageview.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

#include <cmath>
#include <limits>

namespace motifscope::ui {

std::vector<float> lineProfile(const Micrograph& image, QPointF a, QPointF b)
{
    const double length = std::hypot(b.x() - a.x(), b.y() - a.y());
    if (!std::isfinite(length) || image.empty())
        return {};
    const int n = int(std::floor(length)) + 1;
    std::vector<float> values(std::size_t(n), std::numeric_limits<float>::quiet_NaN());
    const double dx = length > 0 ? (b.x() - a.x()) / length : 0.0, dy = length > 0 ? (b.y() - a.y()) / length : 0.0;
    for (int k = 0; k < n; ++k) {
        const double x = a.x() + k * dx, y = a.y() + k * dy;
        if (x < 0 || y < 0 || x > image.width - 1 || y > image.height - 1)
            continue;
        const int x0 = std::min(int(x), image.width - 2 < 0 ? 0 : image.width - 2);
        const int y0 = std::min(int(y), image.height - 2 < 0 ? 0 : image.height - 2);
        const int x1 = std::min(x0 + 1, image.width - 1), y1 = std::min(y0 + 1, image.height - 1);
        const double fx = x - x0, fy = y - y0;
        const double top = (1 - fx) * image.at(x0, y0) + fx * image.at(x1, y0);
        const double bottom = (1 - fx) * image.at(x0, y1) + fx * image.at(x1, y1);
        values[std::size_t(k)] = float((1 - fy) * top + fy * bottom);
    }
    return values;
}

LineTool::LineTool(MicrographDocument* document, QObject* parent) : ViewTool(parent), mDocument(document)
{
    if (mDocument)
        connect(mDocument, &MicrographDocument::micrographChanged, this, &LineTool::clearLine);
}

double LineTool::lengthPixels() const
{
    return mHasLine ? std::hypot(mEnd.x() - mStart.x(), mEnd.y() - mStart.y()) : 0.0;
}

double LineTool::lengthCalibrated() const
{
    if (!mHasLine || !mDocument || !mDocument->hasMicrograph())
        return lengthPixels();
    const Calibration& c = mDocument->micrograph().calibration;
    if (!c.isCalibrated())
        return lengthPixels();
    const double sy = c.pixelSizeY > 0 ? c.pixelSizeY : c.pixelSizeX;
    return std::hypot((mEnd.x() - mStart.x()) * c.pixelSizeX, (mEnd.y() - mStart.y()) * sy);
}

QString LineTool::lengthText() const
{
    const QString pixels = tr("%1 px").arg(lengthPixels(), 0, 'f', 1);
    if (!mDocument || !mDocument->hasMicrograph() || !mDocument->micrograph().calibration.isCalibrated())
        return pixels;
    return QStringLiteral("%1 %2 (%3)")
        .arg(QString::number(lengthCalibrated(), 'g', 4), QString::fromStdString(mDocument->micrograph().calibration.unit), pixels);
}

void LineTool::setLine(QPointF start, QPointF end)
{
    mStart = start;
    mEnd = end;
    mHasLine = true;
    Q_EMIT changed();
    Q_EMIT lineChanged();
}

void LineTool::clearLine()
{
    if (!mHasLine && !mDragging)
        return;
    mHasLine = mDragging = false;
    Q_EMIT changed();
    Q_EMIT lineChanged();
}

bool LineTool::mousePress(ImageView& view, QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return false;
    mDragging = true;
    mStart = mEnd = view.mapToImage(event->position());
    mHasLine = false;
    Q_EMIT changed();
    return true;
}

bool LineTool::mouseMove(ImageView& view, QMouseEvent* event)
{
    if (!mDragging)
        return false;
    mEnd = view.mapToImage(event->position());
    mHasLine = true;
    Q_EMIT changed();
    Q_EMIT lineChanged();
    return true;
}

bool LineTool::mouseRelease(ImageView& view, QMouseEvent* event)
{
    if (!mDragging)
        return false;
    mDragging = false;
    mEnd = view.mapToImage(event->position());
    // A click without a drag (under 2 widget pixels) clears the line.
    const QPointF a = view.mapFromImage(mStart), b = view.mapFromImage(mEnd);
    mHasLine = std::hypot(b.x() - a.x(), b.y() - a.y()) >= 2.0;
    Q_EMIT changed();
    Q_EMIT lineChanged();
    return true;
}

bool LineTool::keyPress(ImageView&, QKeyEvent* event)
{
    if (event->key() != Qt::Key_Escape || !mHasLine)
        return false;
    clearLine();
    return true;
}

void LineTool::deactivate()
{
    mDragging = false;
}

void LineTool::paint(QPainter& painter, const OverlayContext& context)
{
    if (!mHasLine)
        return;
    painter.save();
    painter.resetTransform();
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QPointF a = context.imageToWidget.map(mStart), b = context.imageToWidget.map(mEnd);
    painter.setPen(QPen(QColor(0, 0, 0, 160), 4.0, Qt::SolidLine, Qt::RoundCap));
    painter.drawLine(a, b);
    painter.setPen(QPen(QColor(255, 230, 0), 2.0, Qt::SolidLine, Qt::RoundCap));
    painter.drawLine(a, b);
    const QString text = lengthText();
    QFont font = painter.font();
    font.setBold(true);
    painter.setFont(font);
    const QRectF box = QRectF(painter.fontMetrics().boundingRect(text)).adjusted(-4, -2, 4, 2).translated(b + QPointF(8, -8));
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 170));
    painter.drawRoundedRect(box, 3, 3);
    painter.setPen(QColor(255, 230, 0));
    painter.drawText(box, Qt::AlignCenter, text);
    painter.restore();
}

} // namespace motifscope::ui
