#pragma once
/** Paints one motif of the gallery as a card: average patch, colour swatch, name, count and share. */

#include <QStyledItemDelegate>

namespace motifscope::ui {

/**
 * A fixed-size card per motif. The name line doubles as the editor's place, so renaming in
 * place (Enter, F2, double-click) edits exactly the text the user reads.
 */
class MotifGalleryDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static QSize cardSize();
    /** Where the parts of a card sit, for a card occupying `card`. */
    static QRect thumbnailRect(const QRect& card);
    static QRect nameRect(const QRect& card);
    static QRect statsRect(const QRect& card);
    /** "12,345 columns · 45.6 %" in the current locale. */
    static QString statsText(long long count, double fraction);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const override;
};

} // namespace motifscope::ui
