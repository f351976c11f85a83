#pragma once
/** The points of an embedding drawn into a QCustomPlot as one rasterised layer (fast at 10^5 points). */

#include "ui/learn/qcustomplotinclude.h"

#include <QImage>
#include <QVector>

#include <cstdint>
#include <vector>

namespace motifscope::ui {

/**
 * A QCustomPlot plottable holding x, y and a class label per point. draw() rasterises all points
 * straight into an image of the axis rect (anti-aliased discs blended in the pixel loop, no
 * QPainter call per point), cached until the data, the ranges, the size or the style change.
 * Unassigned (-1) points go first, in grey. With a selection, unselected points are faded and
 * selected ones drawn larger with a dark rim on top.
 */
class EmbeddingScatter : public QCPAbstractPlottable
{
public:
    EmbeddingScatter(QCPAxis* keyAxis, QCPAxis* valueAxis);

    /** x, y and labels must have the same length. */
    void setPoints(std::vector<float> x, std::vector<float> y, std::vector<int> labels);
    /** One flag per point; empty = no selection. */
    void setSelectedFlags(std::vector<std::uint8_t> selected);
    /** Colour of label k at index k; labels beyond the list use motifDisplayColour. */
    void setClassColours(const QVector<QColor>& colours);

    int pointCount() const { return int(mX.size()); }
    /** Disc radius in device pixels for the current point count. */
    double pointRadius() const;

    double selectTest(const QPointF& pos, bool onlySelectable, QVariant* details = nullptr) const override;
    QCPRange getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange& inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;

private:
    QColor colourOf(int label) const;
    void rasterise(const QRect& area, double devicePixelRatio);

    std::vector<float> mX, mY;
    std::vector<int> mLabels;
    std::vector<std::uint8_t> mSelected;
    bool mHasSelection = false;
    QVector<QColor> mColours;

    QImage mCache;
    bool mCacheValid = false;
    QCPRange mCacheKeyRange, mCacheValueRange;
    QRect mCacheArea;
    double mCacheRatio = 0.0;
};

} // namespace motifscope::ui
