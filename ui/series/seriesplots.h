#pragma once
/**
 * The Series window's plots: every motif's fraction (one line per dictionary motif, in its name and
 * colour), and the disorder measures of each frame (motif entropy in bits; motif continuity and the
 * fraction of columns that fit no motif on the right-hand axis), against frame number or time.
 * The "x axis" box above them switches between "Frame" and "Time (s since first frame)": seconds
 * after the earliest frame's time (its stamp; a folder's file without one: the file's modification
 * time); frames with no time are left out of the time axis. Until the user picks one, the axis is
 * Time when every plotted frame carries its own stamp, else Frame. Linked brushing on either axis:
 * a click on a point asks for its frame (frameClicked); the current frame's points are ringed and a
 * vertical line marks it.
 */

#include "core/dictionary/motif_dictionary.h"
#include "ui/series/seriesframe.h"

#include <QHash>
#include <QPointF>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <limits>
#include <map>

class QComboBox;
class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;

namespace motifscope::ui {

class SeriesPlots : public QWidget
{
    Q_OBJECT
public:
    enum class Axis
    {
        Frame, ///< frame number
        Time,  ///< seconds since the first frame
    };

    explicit SeriesPlots(QWidget* parent = nullptr);

    /** One fraction line per motif of `dictionary`; every point is removed. */
    void setDictionary(const MotifDictionary& dictionary);
    /**
     * Puts frame `frame`'s values on every line (replacing the frame's old ones); `time`: when it was
     * taken (seconds since 1970, NaN = unknown), `stamped`: that time is the frame's own stamp.
     */
    void setFrame(int frame, const FrameResult& result, double time = std::numeric_limits<double>::quiet_NaN(),
                  bool stamped = false);
    /** Removes every point (and the current frame); the axis follows the frames again until the user picks one. */
    void clearFrames();
    /** Rings frame `frame`'s points and draws a line at it (-1 = none). */
    void setCurrentFrame(int frame);

    Axis axis() const { return mAxis; }
    /** Plots against `axis` (as the user's pick in the box: the axis no longer follows the frames). */
    void setAxis(Axis axis);
    /** The x axis box ("Frame", "Time (s since first frame)"; Time disabled while no frame has a time). */
    QComboBox* axisBox() const { return mAxisBox; }
    /** Where frame `frame` sits on the x axis now (frame number, or seconds since the first frame); NaN when it has no point. */
    double frameX(int frame) const;

    /** The fraction plot as a widget (clicks, grabs); fractionPointPosition is in its pixels. */
    QWidget* fractionCanvas() const;
    /** The x axis label the plots show. */
    QString xLabel() const;
    /** The fraction plot's legend: the motif names, in the dictionary's order. */
    QStringList legendNames() const;
    /** (x, value) of every point of motif line `motif` (the dictionary's order), x as frameX. */
    QVector<QPointF> fractionPoints(int motif) const;
    /** (x, value) of every point of the disorder line named `name` ("entropy (bits)", "continuity", "new structure"). */
    QVector<QPointF> disorderPoints(const QString& name) const;
    /** Frames whose points are ringed on motif line `motif`. */
    QVector<int> highlightedFrames(int motif) const;
    /** Where frame `frame`'s point of motif line `motif` is drawn, in fractionCanvas()'s pixels ((-1, -1) when none). */
    QPointF fractionPointPosition(int motif, int frame) const;
    /** Replots now (tests; the window replots queued). */
    void replotNow();

Q_SIGNALS:
    /** A point was clicked: show frame `frame`. */
    void frameClicked(int frame);
    void axisChanged(motifscope::ui::SeriesPlots::Axis axis);

private:
    /** What one frame puts on the lines. */
    struct FramePoint
    {
        QVector<double> fraction; ///< per motif line
        double entropy = 0.0, continuity = 0.0, novel = 0.0;
        double time = std::numeric_limits<double>::quiet_NaN();
        bool stamped = false;
    };

    void setUpPlot(QCustomPlot* plot, const QString& yLabel);
    QCPGraph* addLine(QCustomPlot* plot, bool rightAxis, const QString& name, const QColor& colour);
    /** Puts every frame's points on the lines at their x on the current axis. */
    void rebuildLines();
    /** The axis the frames call for while the user has not picked one; enables the box's Time entry. */
    void followFrames();
    void applyAxis(Axis axis);
    /** The frame of the point nearest `pixel` on `plot` (within a few pixels), -1 when none. */
    int frameAt(QCustomPlot* plot, const QPointF& pixel) const;
    /** The frame of point `index` of `graph`, -1 when none. */
    int frameOfPoint(const QCPGraph* graph, int index) const;
    void rescale();

    QCustomPlot* mFractions = nullptr;
    QCustomPlot* mDisorder = nullptr;
    QComboBox* mAxisBox = nullptr;
    QVector<QCPGraph*> mMotifLines;
    QCPGraph* mEntropy = nullptr;
    QCPGraph* mContinuity = nullptr;
    QCPGraph* mNovel = nullptr;
    QCPItemStraightLine* mFractionMark = nullptr;
    QCPItemStraightLine* mDisorderMark = nullptr;
    std::map<int, FramePoint> mPoints;       ///< by frame
    QHash<const QCPGraph*, QVector<int>> mPointFrames; ///< per line: the frame of each point, in the line's order
    Axis mAxis = Axis::Frame;
    bool mAxisChosen = false; ///< the user picked the axis
    int mCurrent = -1;
};

} // namespace motifscope::ui
