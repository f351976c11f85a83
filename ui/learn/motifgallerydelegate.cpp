#include "ui/learn/motifgallerydelegate.h"

#include "ui/learn/motifgallerymodel.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>

namespace motifscope::ui {

namespace {

constexpr int kMargin = 6;
constexpr int kLine = 18;
constexpr int kSwatch = 12;

} // namespace

QSize MotifGalleryDelegate::cardSize()
{
    const int t = MotifGalleryModel::kThumbnailSize;
    return {t + 4 * kMargin + 12, t + 2 * kMargin + 2 * kLine + kMargin + 4};
}

QRect MotifGalleryDelegate::thumbnailRect(const QRect& card)
{
    const int t = MotifGalleryModel::kThumbnailSize;
    return {card.left() + (card.width() - t) / 2, card.top() + kMargin, t, t};
}

QRect MotifGalleryDelegate::nameRect(const QRect& card)
{
    const QRect thumb = thumbnailRect(card);
    return {card.left() + kMargin, thumb.bottom() + 1 + kMargin, card.width() - 2 * kMargin, kLine};
}

QRect MotifGalleryDelegate::statsRect(const QRect& card)
{
    const QRect name = nameRect(card);
    return {name.left(), name.bottom() + 1, name.width(), kLine};
}

QString MotifGalleryDelegate::statsText(long long count, double fraction)
{
    const QLocale locale;
    return tr("%1 · %2 %").arg(locale.toString(count), locale.toString(fraction * 100.0, 'f', 1));
}

void MotifGalleryDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    const QRect card = option.rect.adjusted(2, 2, -2, -2);
    const QPalette& pal = option.palette;
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    const bool current = option.state.testFlag(QStyle::State_HasFocus);

    QColor background = pal.color(QPalette::Base);
    if (selected) {
        background = pal.color(QPalette::Highlight);
        background.setAlpha(60);
    }
    painter->setPen(QPen(current ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), current ? 2.0 : 1.0));
    painter->setBrush(background);
    painter->drawRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);

    // The average patch, nearest-neighbour, framed.
    const QRect thumb = thumbnailRect(card);
    const QImage image = index.data(Qt::DecorationRole).value<QImage>();
    painter->setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (image.isNull()) {
        painter->fillRect(thumb, pal.color(QPalette::AlternateBase));
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(thumb, Qt::AlignCenter, tr("no patch"));
    } else {
        painter->drawImage(thumb, image);
    }
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(QPen(pal.color(QPalette::Dark), 1));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(thumb.adjusted(0, 0, -1, -1));
    painter->setRenderHint(QPainter::Antialiasing, true);

    // Colour swatch and name.
    const QRect name = nameRect(card);
    const QRect swatch(name.left(), name.center().y() - kSwatch / 2 + 1, kSwatch, kSwatch);
    painter->setPen(QPen(QColor(0x40, 0x40, 0x40), 1));
    painter->setBrush(index.data(MotifGalleryModel::ColourRole).value<QColor>());
    painter->drawRoundedRect(QRectF(swatch).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(pal.color(QPalette::Text));
    const QRect text = name.adjusted(kSwatch + 5, 0, 0, 0);
    const QString label = QFontMetrics(bold).elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, text.width());
    painter->drawText(text, Qt::AlignVCenter | Qt::AlignLeft, label);

    // Count and share.
    painter->setFont(option.font);
    QColor secondary = pal.color(QPalette::Text);
    secondary.setAlpha(170);
    painter->setPen(secondary);
    const QString stats = statsText(index.data(MotifGalleryModel::CountRole).toLongLong(),
                                    index.data(MotifGalleryModel::FractionRole).toDouble());
    painter->drawText(statsRect(card), Qt::AlignVCenter | Qt::AlignLeft,
                      QFontMetrics(option.font).elidedText(stats, Qt::ElideRight, statsRect(card).width()));
    painter->restore();
}

QSize MotifGalleryDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const
{
    return cardSize();
}

void MotifGalleryDelegate::updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option,
                                                const QModelIndex&) const
{
    editor->setGeometry(nameRect(option.rect.adjusted(2, 2, -2, -2)).adjusted(-2, -2, 2, 2));
}

} // namespace motifscope::ui
