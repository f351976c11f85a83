#pragma once
/** The 2-D embedding of the column features as a scatter coloured by motif, with rectangle and lasso selection. */

#include <Eigen/Core>

#include <QColor>
#include <QPolygonF>
#include <QRectF>
#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

class QAction;
class QCustomPlot;
class QCPGraph;
class QMouseEvent;

namespace motifscope::ui {

class EmbeddingScatter;
class SelectionOutline;

/**
 * One point per atom column (row of the embedding), coloured by its motif label (-1 = unassigned,
 * grey), with a legend per motif. Three tools on a small tool bar: navigate (drag pans, wheel
 * zooms), rectangle and lasso (hold and draw). Shift adds to the selection, Ctrl removes from it.
 * A finished selection is reported as the column indices inside it; setSelection() highlights
 * columns chosen elsewhere (linked brushing) without echoing the signal. Built for live updates:
 * setEmbedding() with 10^5 points only copies the data and queues one replot.
 */
class EmbeddingPlot : public QWidget
{
    Q_OBJECT
public:
    enum class Tool
    {
        Navigate,
        Rectangle,
        Lasso,
    };

    explicit EmbeddingPlot(QWidget* parent = nullptr);
    ~EmbeddingPlot() override;

    /**
     * N x 2 layout and N labels (fewer labels: the rest unassigned). The view follows the data
     * until the user zooms or pans (fitToData() resumes it; so does a different N: other points).
     * The selection survives when N is unchanged (same columns, new layout) and is cleared otherwise.
     */
    void setEmbedding(const Eigen::MatrixX2f& embedding, const std::vector<int>& labels);
    void clear();
    /** Display name and colour of motif `id` (legend and points); an invalid colour restores the palette's. */
    void setMotifStyle(int id, const QString& name, const QColor& colour);
    /**
     * Per motif id, its columns on the whole image. The map holds the learned columns only (border
     * columns and those given a motif afterwards are not on it), so where a motif has more, its
     * legend entry reads "148 of 178"; empty = the map's counts alone.
     */
    void setMotifTotals(QVector<long long> totals);

    int pointCount() const { return int(mEmbedding.rows()); }
    const Eigen::MatrixX2f& embedding() const { return mEmbedding; }
    QVector<int> selection() const { return mSelection; }
    Tool tool() const { return mTool; }
    /** Names shown in the legend, in order. */
    QStringList legendEntries() const;

    /** The plot surface that receives the mouse (for docking code and tests). */
    QWidget* canvas() const;
    /** Where the axes are on canvas(), in its pixels. */
    QRect canvasAxisRect() const;
    /** Where the legend is on canvas() (below the axes; empty when hidden). */
    QRect legendRect() const;
    /** Zooms the axes by `factor` (> 1 = in) about their centre, as the mouse wheel does; stops following the data. */
    void zoomBy(double factor);
    /** Embedding coordinates <-> canvas pixels. */
    QPointF mapToCanvas(const QPointF& embeddingPoint) const;
    QPointF mapFromCanvas(const QPointF& canvasPoint) const;
    /** Replots now instead of at the next event-loop turn. */
    void replotNow();

public Q_SLOTS:
    /** Highlights `columnIndices` (out-of-range indices are ignored); does not emit selectionChanged. */
    void setSelection(const QVector<int>& columnIndices);
    void clearSelection();
    void setTool(Tool tool);
    /** Shows all points and makes the view follow the data again. */
    void fitToData();

Q_SIGNALS:
    /** The user finished a rectangle or lasso: the selected column indices, ascending. */
    void selectionChanged(const QVector<int>& columnIndices);
    void toolChanged(Tool tool);

private:
    void onMousePress(QMouseEvent* event);
    void onMouseMove(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);
    void onRangeChanged();
    void applyFit();
    void finishSelection(const QPolygonF& canvasPolygon, bool rectangle, Qt::KeyboardModifiers modifiers);
    void pushSelectionToScatter();
    void rebuildLegend();
    void wrapLegend();
    void resizeEvent(QResizeEvent* event) override;
    void updateOutline(const QPolygonF& polygon);
    QColor colourOf(int id) const;
    QString nameOf(int id) const;

    QCustomPlot* mPlot = nullptr;
    EmbeddingScatter* mScatter = nullptr;
    SelectionOutline* mOutline = nullptr;
    QVector<QCPGraph*> mLegendGraphs;
    QAction* mNavigateAction = nullptr;
    QAction* mRectangleAction = nullptr;
    QAction* mLassoAction = nullptr;

    Eigen::MatrixX2f mEmbedding;
    QRectF mBounds; // of the points, embedding coordinates
    std::vector<int> mLabels;
    QVector<long long> mCounts;  // per label; index 0 = unassigned, k + 1 = motif k
    QVector<long long> mTotals;  // per motif id: columns on the whole image (setMotifTotals)
    QVector<QString> mNames;     // per motif id, empty = default
    QVector<QColor> mColours;    // per motif id, invalid = palette
    QVector<int> mSelection;
    Tool mTool = Tool::Navigate;
    bool mFollowData = true;
    bool mSettingRange = false;
    bool mDrawing = false;
    QPolygonF mStroke; // canvas pixels of the rectangle corners or lasso path
};

} // namespace motifscope::ui
