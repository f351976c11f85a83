#pragma once
/** One motif of the hierarchy as a card in the scene: its drawing (or a glyph), name, count and share. */

#include "ui/hierarchy/motifdrawing.h"

#include <QColor>
#include <QFont>
#include <QGraphicsItem>
#include <QString>
#include <QStringList>
#include <QVector>

namespace motifscope::ui {

/**
 * A fixed-size card centred on its position. The top shows a representative occurrence (rings
 * filled and columns coloured by their level-1 motif, bonds in grey) scaled to fit; without
 * geometry a regular polygon with `members` corners and the motif id. Below: the name on up to
 * kNameLines lines (elided only beyond those, whole in the tool tip) and countText().
 */
class HierarchyNodeItem : public QGraphicsItem
{
public:
    static constexpr double kWidth = 160.0;
    static constexpr double kHeight = 158.0;
    /** Text sizes in scene units: the tree view never shows cards below kMinReadableScale of these. */
    static constexpr int kNamePixels = 13;
    static constexpr int kCountPixels = 14;
    static constexpr int kNameLines = 3;

    HierarchyNodeItem(const QString& id, const QString& name, int members, long long count, double fraction,
                      const MotifDrawing& drawing, const QVector<QColor>& levelOneColours);

    const QString& id() const { return mId; }
    /** The motif's whole name (the tool tip's; the card prints nameLines()). */
    const QString& name() const { return mName; }
    /**
     * `name` broken at spaces into at most `maxLines` lines no wider than `width` in `font`; only
     * what does not fit on the last line is elided ("..."). A word wider than a line is elided.
     */
    static QStringList nameLines(const QString& name, const QFont& font, double width, int maxLines = kNameLines);
    /** The font of the name: `base` at kNamePixels. */
    static QFont nameFont(const QFont& base);
    /** The lines this card prints under its drawing. */
    QStringList nameLines() const;
    /** "1,234 (45.6 %)": what the card prints under the name. */
    static QString countText(long long count, double fraction);
    QString countText() const { return countText(mCount, mFraction); }
    bool hasDrawing() const { return !mDrawing.isEmpty(); }

    void setCurrent(bool current);
    bool isCurrent() const { return mCurrent; }

    /** Where edges attach: the middle of the card's top and bottom edges, scene coordinates. */
    QPointF topAnchor() const { return mapToScene(QPointF(0, -kHeight / 2)); }
    QPointF bottomAnchor() const { return mapToScene(QPointF(0, kHeight / 2)); }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;

private:
    void paintDrawing(QPainter* painter, const QRectF& box) const;
    void paintGlyph(QPainter* painter, const QRectF& box) const;
    QColor colourOf(int levelOneMotif) const;

    QString mId, mName;
    int mMembers = 0;
    long long mCount = 0;
    double mFraction = 0.0;
    MotifDrawing mDrawing;
    QVector<QColor> mColours;
    bool mCurrent = false;
    bool mHovered = false;
};

} // namespace motifscope::ui
