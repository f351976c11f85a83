#include "ui/hierarchy/hierarchynodeitem.h"

#include "ui/learn/motifcolours.h"

#include <QCursor>
#include <QFontMetrics>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

constexpr double kPad = 6.0;
constexpr double kDrawingHeight = 66.0; // leaves room for kNameLines lines of name
constexpr double kPi = 3.14159265358979323846;

} // namespace

HierarchyNodeItem::HierarchyNodeItem(const QString& id, const QString& name, int members, long long count,
                                     double fraction, const MotifDrawing& drawing, const QVector<QColor>& colours)
    : mId(id), mName(name), mMembers(members), mCount(count), mFraction(fraction), mDrawing(drawing), mColours(colours)
{
    setAcceptHoverEvents(true);
    setCursor(QCursor(Qt::PointingHandCursor));
    setToolTip(QStringLiteral("%1: %2\n%3").arg(id, name, countText()));
}

QString HierarchyNodeItem::countText(long long count, double fraction)
{
    const QLocale locale(QLocale::English);
    return QStringLiteral("%1 (%2 %)").arg(locale.toString(count), locale.toString(fraction * 100.0, 'f', 1));
}

QStringList HierarchyNodeItem::nameLines(const QString& name, const QFont& font, double width, int maxLines)
{
    const QFontMetricsF metrics(font);
    // Break after ", " and ": " (never inside "2 × Motif 3"), at spaces only in a part wider than a line.
    QStringList pieces;
    for (const QString& part : name.split(QRegularExpression(QStringLiteral("(?<=[,:]) ")), Qt::SkipEmptyParts)) {
        if (metrics.horizontalAdvance(part) <= width)
            pieces << part;
        else
            pieces << part.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    }
    QStringList lines;
    qsizetype w = 0;
    while (w < pieces.size()) {
        if (lines.size() == maxLines - 1) { // the last line takes the rest, elided if need be
            lines.append(metrics.elidedText(pieces.mid(w).join(QLatin1Char(' ')), Qt::ElideRight, width));
            return lines;
        }
        QString line = pieces[w++];
        while (w < pieces.size() && metrics.horizontalAdvance(line + QLatin1Char(' ') + pieces[w]) <= width)
            line += QLatin1Char(' ') + pieces[w++];
        lines.append(metrics.elidedText(line, Qt::ElideRight, width));
    }
    return lines;
}

QFont HierarchyNodeItem::nameFont(const QFont& base)
{
    QFont font = base;
    font.setPixelSize(kNamePixels);
    font.setWeight(QFont::Medium); // bold fits a sixth fewer characters on a line
    return font;
}

QStringList HierarchyNodeItem::nameLines() const
{
    return nameLines(mName, nameFont(QFont()), kWidth - 2 * kPad);
}

void HierarchyNodeItem::setCurrent(bool current)
{
    if (current != mCurrent) {
        mCurrent = current;
        update();
    }
}

QRectF HierarchyNodeItem::boundingRect() const
{
    return QRectF(-kWidth / 2 - 2, -kHeight / 2 - 2, kWidth + 4, kHeight + 4);
}

QColor HierarchyNodeItem::colourOf(int m) const
{
    if (m >= 0 && m < mColours.size() && mColours[m].isValid())
        return mColours[m];
    return motifDisplayColour(m);
}

void HierarchyNodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    const QRectF card(-kWidth / 2, -kHeight / 2, kWidth, kHeight);
    const QColor border = mCurrent ? QColor(0x00, 0x72, 0xb2) : mHovered ? QColor(0x80, 0x80, 0x80) : QColor(0xc0, 0xc0, 0xc0);
    painter->setPen(QPen(border, mCurrent ? 2.5 : 1.0));
    painter->setBrush(Qt::white);
    painter->drawRoundedRect(card, 6, 6);

    const QRectF box(card.left() + kPad, card.top() + kPad, card.width() - 2 * kPad, kDrawingHeight);
    if (mDrawing.isEmpty())
        paintGlyph(painter, box);
    else
        paintDrawing(painter, box);

    const QFont font = nameFont(painter->font());
    QFont countFont = painter->font();
    countFont.setPixelSize(kCountPixels);
    countFont.setWeight(QFont::DemiBold);
    const double lineHeight = kNamePixels + 3;
    const QRectF nameRect(card.left() + kPad, box.bottom() + 4, card.width() - 2 * kPad, kNameLines * lineHeight);
    const QRectF countRect(nameRect.left(), nameRect.bottom() + 2, nameRect.width(), kCountPixels + 5);
    painter->setPen(QColor(0x20, 0x20, 0x20));
    painter->setFont(font);
    const QStringList lines = nameLines(mName, font, nameRect.width());
    // Fewer lines sit in the middle of the room for kNameLines.
    double y = nameRect.top() + 0.5 * (kNameLines - lines.size()) * lineHeight;
    for (const QString& line : lines) {
        painter->drawText(QRectF(nameRect.left(), y, nameRect.width(), lineHeight), Qt::AlignCenter, line);
        y += lineHeight;
    }
    painter->setPen(QColor(0x20, 0x40, 0x60));
    painter->setFont(countFont);
    painter->drawText(countRect, Qt::AlignCenter, countText());
    painter->restore();
}

void HierarchyNodeItem::paintDrawing(QPainter* painter, const QRectF& box) const
{
    QRectF bounds;
    const auto include = [&bounds](const QPointF& p) {
        bounds = bounds.isNull() ? QRectF(p, QSizeF(1e-9, 1e-9)) : bounds.united(QRectF(p, QSizeF(1e-9, 1e-9)));
    };
    for (const QPointF& p : mDrawing.columns)
        include(p);
    for (const QPolygonF& ring : mDrawing.rings) // cell outlines reach beyond their columns
        for (const QPointF& p : ring)
            include(p);
    const double margin = 8.0;
    const double scale = std::min((box.width() - 2 * margin) / std::max(bounds.width(), 1e-6),
                                  (box.height() - 2 * margin) / std::max(bounds.height(), 1e-6));
    const auto map = [&](const QPointF& p) { return box.center() + (p - bounds.center()) * scale; };
    const double radius = std::clamp(scale * 1.2, 2.5, 5.0);

    painter->setPen(Qt::NoPen);
    for (int r = 0; r < mDrawing.rings.size(); ++r) {
        QPolygonF outline;
        for (const QPointF& p : mDrawing.rings[r])
            outline.append(map(p));
        QColor fill = colourOf(mDrawing.ringMotif.value(r, -1));
        fill.setAlpha(70);
        painter->setBrush(fill);
        painter->drawPolygon(outline);
    }
    painter->setPen(QPen(QColor(0x60, 0x60, 0x60), 1.3));
    for (const auto& [a, b] : mDrawing.bonds)
        painter->drawLine(map(mDrawing.columns[a]), map(mDrawing.columns[b]));
    painter->setPen(QPen(QColor(0x30, 0x30, 0x30), 0.8));
    for (int c = 0; c < mDrawing.columns.size(); ++c) {
        painter->setBrush(colourOf(mDrawing.columnMotif.value(c, -1)));
        painter->drawEllipse(map(mDrawing.columns[c]), radius, radius);
    }
}

void HierarchyNodeItem::paintGlyph(QPainter* painter, const QRectF& box) const
{
    const int corners = mMembers >= 3 && mMembers <= 12 ? mMembers : 0;
    const double r = std::min(box.width(), box.height()) / 2 - 8;
    QColor fill(0xee, 0xee, 0xee);
    painter->setPen(QPen(QColor(0x70, 0x70, 0x70), 1.2, Qt::DashLine));
    painter->setBrush(fill);
    if (corners) {
        QPolygonF polygon;
        for (int k = 0; k < corners; ++k) {
            const double a = -kPi / 2 + 2 * kPi * k / corners;
            polygon.append(box.center() + QPointF(std::cos(a), std::sin(a)) * r);
        }
        painter->drawPolygon(polygon);
    } else {
        painter->drawEllipse(box.center(), r, r);
    }
    QFont font = painter->font();
    font.setPixelSize(kNamePixels);
    painter->setFont(font);
    painter->setPen(QColor(0x40, 0x40, 0x40));
    painter->drawText(box, Qt::AlignCenter, mId);
}

void HierarchyNodeItem::hoverEnterEvent(QGraphicsSceneHoverEvent*)
{
    mHovered = true;
    update();
}

void HierarchyNodeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent*)
{
    mHovered = false;
    update();
}

} // namespace motifscope::ui
