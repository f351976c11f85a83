#pragma once
/** The motif hierarchy as a tree: one row per level, one card per motif, lines from parts to wholes. */

#include "core/hierarchy/hierarchy.h"

#include <QColor>
#include <QGraphicsView>
#include <QHash>
#include <QStringList>

#include <vector>

namespace motifscope::ui {

class HierarchyNodeItem;

/**
 * Level 1 on top, then level 2 and 3 below, each row in the level's order (most common first)
 * from the left; a curve joins every motif to each parent it is part of. Cards show a
 * representative occurrence drawn from the column positions (see representativeDrawings).
 * Fit (the default, and on a double click on the background) shows the whole tree but never below
 * kMinReadableScale, where the cards' text stays legible: a larger tree is shown from its top-left
 * (the most common motifs) and scrolls. Wheel zooms about the cursor, drag pans, a click on a card
 * makes it current and emits nodeActivated. Exports the whole tree as SVG (vector) or PNG at a
 * chosen resolution. Rows longer than maxNodesPerLevel() end in a "+N more" note.
 */
class HierarchyTreeView : public QGraphicsView
{
    Q_OBJECT
public:
    /** Smallest scale fitAll() uses: a card's name and count stay at least ~10 screen pixels high. */
    static constexpr double kMinReadableScale = 0.75;
    static constexpr double kMinZoom = 0.1;
    static constexpr double kMaxZoom = 8.0;

    explicit HierarchyTreeView(QWidget* parent = nullptr);
    ~HierarchyTreeView() override;

    /** Shows `result`; `points` (the columns it was built from) give the drawings, empty = glyphs only. */
    void setHierarchy(const HierarchyResult& result, const std::vector<Point2>& points = {});
    void clear();
    /** The user's names of the learned motifs (by id): the cards name rings and cells with them. */
    void setMotifNames(const QStringList& names);
    /** What an empty tree says (where the hierarchy comes from). */
    void setEmptyText(const QString& text);
    QString emptyText() const { return mEmptyText; }
    /** Colours of level-1 motifs by index (default: the motif palette). */
    void setLevelOneColours(const QVector<QColor>& colours);

    int maxNodesPerLevel() const { return mMaxNodesPerLevel; }
    /** Cards per row of a level: as many as the view shows at kMinReadableScale (rows wrap). */
    int cardsPerRow() const;
    void setMaxNodesPerLevel(int count);

    /** Ids of the cards shown, level by level. */
    QStringList nodeIds() const;
    /** The card of `id` (nullptr when not shown). */
    HierarchyNodeItem* nodeItem(const QString& id) const;
    QString currentNode() const { return mCurrent; }
    /** Scene units to screen pixels (1 = cards at their design size). */
    double zoom() const { return transform().m11(); }
    bool isFitMode() const { return mFitMode; }
    void setCurrentNode(const QString& id);

    /** Writes the whole tree as SVG; false (and `error`) when the file cannot be written. */
    bool exportSvg(const QString& path, QString* error = nullptr) const;
    /** Writes the whole tree as PNG at `dpi` (96 = one scene unit per pixel). */
    bool exportPng(const QString& path, double dpi = 300.0, QString* error = nullptr) const;

public Q_SLOTS:
    void fitAll();

Q_SIGNALS:
    void nodeActivated(const QString& id);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuild();
    QString levelTitle(int level) const;

    HierarchyResult mResult;
    QString mEmptyText;
    QStringList mMotifNames;
    std::vector<Point2> mPoints;
    QVector<QColor> mColours;
    QHash<QString, HierarchyNodeItem*> mItems;
    QStringList mOrder;
    QString mCurrent;
    int mMaxNodesPerLevel = 40;
    int mCardsPerRow = 0; // of the last rebuild
    bool mFitMode = true;
    QPoint mPressPos;
};

} // namespace motifscope::ui
