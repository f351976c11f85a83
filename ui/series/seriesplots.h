#pragma once
/**
 * The Series window's plots against frame number: every motif's fraction (one line per dictionary
 * motif, in its name and colour), and the disorder measures of each frame (motif entropy in bits;
 * motif continuity and the fraction of columns that fit no motif on the right-hand axis). Linked
 * brushing: a click on a point asks for its frame (frameClicked); the current frame's points are
 * ringed and a vertical line marks it.
 */

#include "core/dictionary/motif_dictionary.h"
#include "ui/series/seriesframe.h"

#include <QPointF>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;

namespace motifscope::ui {

class SeriesPlots : public QWidget
{
    Q_OBJECT
public:
    explicit SeriesPlots(QWidget* parent = nullptr);

    /** One fraction line per motif of `dictionary`; every point is removed. */
    void setDictionary(const MotifDictionary& dictionary);
    /** Puts frame `frame`'s values on every line (replacing the frame's old ones). */
    void setFrame(int frame, const FrameResult& result);
    /** Removes every point. */
    void clearFrames();
    /** Rings frame `frame`'s points and draws a line at it (-1 = none). */
    void setCurrentFrame(int frame);

    /** The fraction plot as a widget (clicks, grabs); fractionPointPosition is in its pixels. */
    QWidget* fractionCanvas() const;
    /** The fraction plot's legend: the motif names, in the dictionary's order. */
    QStringList legendNames() const;
    /** (frame, value) of every point of motif line `motif` (the dictionary's order). */
    QVector<QPointF> fractionPoints(int motif) const;
    /** (frame, value) of every point of the disorder line named `name` ("entropy (bits)", "continuity", "new structure"). */
    QVector<QPointF> disorderPoints(const QString& name) const;
    /** Frames whose points are ringed on motif line `motif`. */
    QVector<int> highlightedFrames(int motif) const;
    /** Where frame `frame`'s point of motif line `motif` is drawn, in fractionCanvas()'s pixels. */
    QPointF fractionPointPosition(int motif, int frame) const;
    /** Replots now (tests; the window replots queued). */
    void replotNow();

Q_SIGNALS:
    /** A point was clicked: show frame `frame`. */
    void frameClicked(int frame);

private:
    void setUpPlot(QCustomPlot* plot, const QString& yLabel);
    QCPGraph* addLine(QCustomPlot* plot, bool rightAxis, const QString& name, const QColor& colour);
    /** The frame of the point nearest `pixel` on `plot` (within a few pixels), -1 when none. */
    int frameAt(QCustomPlot* plot, const QPointF& pixel) const;
    void rescale();

    QCustomPlot* mFractions = nullptr;
    QCustomPlot* mDisorder = nullptr;
    QVector<QCPGraph*> mMotifLines;
    QCPGraph* mEntropy = nullptr;
    QCPGraph* mContinuity = nullptr;
    QCPGraph* mNovel = nullptr;
    QCPItemStraightLine* mFractionMark = nullptr;
    QCPItemStraightLine* mDisorderMark = nullptr;
    int mCurrent = -1;
};

} // namespace motifscope::ui
