#pragma once
/** One motif of the hierarchy as a card in the scene: its drawing (or a glyph), name, count and share. */

#include "hierarchy/motifdrawing.h"

#include <QColor>
#include <QGraphicsItem>
#include <QString>
#include <QVector>

namespace motifscope::ui {

/**
 * A fixed-size card centred on its position. The top shows a representative occurrence (rings
 * filled and columns coloured by their level-1 motif, bonds in grey) scaled to fit; without
 * geometry a regular polygon with `members` corners and the motif id. Below: name (elided, full
 * name in the tool tip) and countText().
 */
class HierarchyNodeItem : public QGraphicsItem
{
public:
    static constexpr double kWidth = 160.0;
    static constexpr double kHeight = 158.0;
    /** Text sizes in scene units: the tree view never shows cards below kMinReadableScale of these. */
    static constexpr int kNamePixels = 13;
    static constexpr int kCountPixels = 14;

    HierarchyNodeItem(const QString& id, const QString& name, int members, long long count, double fraction,
                      const MotifDrawing& drawing, const QVector<QColor>& levelOneColours);

    const QString& id() const { return mId; }
    /** The name the card prints (elided to fit; whole in the tool tip). */
    const QString& name() const { return mName; }
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
