#include "ui/series/seriesplots.h"

#include "ui/learn/plotlegend.h"
#include "ui/learn/qcustomplotinclude.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

#include <cmath>

namespace motifscope::ui {

namespace {

/// A click this close to a point (widget pixels) picks its frame.
constexpr double kPickRadius = 8.0;

const QString kEntropyName = QStringLiteral("entropy (bits)");
const QString kContinuityName = QStringLiteral("continuity");
const QString kNovelName = QStringLiteral("new structure");

QVector<QPointF> pointsOf(const QCPGraph* graph)
{
    QVector<QPointF> out;
    if (graph)
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
            out.append({it->key, it->value});
    return out;
}

/** The earliest time of `points` (NaN when none has one). */
template <typename Points> double firstTime(const Points& points)
{
    double first = std::numeric_limits<double>::quiet_NaN();
    for (const auto& [frame, p] : points)
        if (std::isfinite(p.time) && !(p.time >= first))
            first = p.time;
    return first;
}

} // namespace

SeriesPlots::SeriesPlots(QWidget* parent) : QWidget(parent)
{
    mFractions = new QCustomPlot(this);
    mFractions->setObjectName(QStringLiteral("fractionPlot"));
    mDisorder = new QCustomPlot(this);
    mDisorder->setObjectName(QStringLiteral("disorderPlot"));
    setUpPlot(mFractions, tr("fraction of columns"));
    setUpPlot(mDisorder, tr("motif entropy (bits)"));
    mDisorder->yAxis2->setVisible(true);
    mDisorder->yAxis2->setLabel(tr("continuity, new-structure fraction"));
    mDisorder->yAxis2->setRange(0.0, 1.0);
    mEntropy = addLine(mDisorder, false, kEntropyName, QColor(0x33, 0x33, 0x33));
    mContinuity = addLine(mDisorder, true, kContinuityName, QColor(0x00, 0x72, 0xb2));
    mNovel = addLine(mDisorder, true, kNovelName, QColor(0xd5, 0x5e, 0x00));

    mAxisBox = new QComboBox;
    mAxisBox->setObjectName(QStringLiteral("seriesAxis"));
    mAxisBox->addItem(tr("Frame"));
    mAxisBox->addItem(tr("Time (s since first frame)"));
    mAxisBox->setToolTip(tr("Plot against frame number or against time: seconds after the first frame's time stamp "
                            "(a file without one: its modification time)"));
    auto* axisLabel = new QLabel(tr("&X axis:"));
    axisLabel->setBuddy(mAxisBox);
    auto* axisRow = new QHBoxLayout;
    axisRow->addWidget(axisLabel);
    axisRow->addWidget(mAxisBox);
    axisRow->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(axisRow);
    layout->addWidget(mFractions, 3);
    layout->addWidget(mDisorder, 2);
    connect(mAxisBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setAxis(index == 1 ? Axis::Time : Axis::Frame); });
    for (QCustomPlot* plot : {mFractions, mDisorder}) {
        auto* mark = new QCPItemStraightLine(plot);
        mark->setPen(QPen(QColor(0, 0, 0, 90), 1.5, Qt::DashLine));
        mark->setVisible(false);
        mark->setSelectable(false);
        (plot == mFractions ? mFractionMark : mDisorderMark) = mark;
        connect(plot, &QCustomPlot::mousePress, this, [this, plot](QMouseEvent* event) {
            if (event->button() != Qt::LeftButton)
                return;
            const int frame = frameAt(plot, event->position());
            if (frame >= 0)
                Q_EMIT frameClicked(frame);
        });
    }
    followFrames();
    applyAxis(mAxis);
    rescale();
}

void SeriesPlots::setUpPlot(QCustomPlot* plot, const QString& yLabel)
{
    plot->setMinimumHeight(140);
    plot->yAxis->setLabel(yLabel);
    // The legend stands below the axes, never over the points, three to a row.
    placeLegendBelowAxes(plot);
    plot->legend->setIconSize(14, 8);
    plot->legend->setWrap(3);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
}

QCPGraph* SeriesPlots::addLine(QCustomPlot* plot, bool rightAxis, const QString& name, const QColor& colour)
{
    QCPGraph* g = plot->addGraph(plot->xAxis, rightAxis ? plot->yAxis2 : plot->yAxis);
    g->setName(name);
    g->setPen(QPen(colour, 1.5));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 6));
    g->setSelectable(QCP::stMultipleDataRanges); // set by setCurrentFrame only (the plots take no selection clicks)
    g->selectionDecorator()->setPen(g->pen());
    g->selectionDecorator()->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2.0), QBrush(colour), 12), QCPScatterStyle::spAll);
    return g;
}

void SeriesPlots::setDictionary(const MotifDictionary& dictionary)
{
    for (QCPGraph* g : mMotifLines) {
        mPointFrames.remove(g);
        mFractions->removeGraph(g);
    }
    mMotifLines.clear();
    for (const DictionaryMotif& m : dictionary.motifs)
        mMotifLines.append(addLine(mFractions, false, QString::fromStdString(m.name),
                                   QColor(QString::fromStdString(m.colour))));
    clearFrames();
}

void SeriesPlots::setFrame(int frame, const FrameResult& result, double time, bool stamped)
{
    FramePoint p;
    for (int k = 0; k < mMotifLines.size(); ++k)
        p.fraction.append(std::size_t(k) < result.fraction.size() ? result.fraction[std::size_t(k)] : NAN);
    p.entropy = result.entropyBits;
    p.continuity = result.continuity;
    p.novel = result.novelFraction;
    p.time = time;
    p.stamped = stamped && std::isfinite(time);
    mPoints[frame] = std::move(p);
    followFrames();
    rebuildLines();
}

void SeriesPlots::clearFrames()
{
    mPoints.clear();
    mCurrent = -1;
    mAxisChosen = false;
    followFrames();
    rebuildLines();
}

void SeriesPlots::setAxis(Axis axis)
{
    mAxisChosen = true;
    if (axis == mAxis)
        return;
    applyAxis(axis);
    rebuildLines();
    Q_EMIT axisChanged(axis);
}

void SeriesPlots::followFrames()
{
    const bool anyTime = std::any_of(mPoints.begin(), mPoints.end(), [](const auto& f) { return std::isfinite(f.second.time); });
    if (auto* model = qobject_cast<QStandardItemModel*>(mAxisBox->model()))
        model->item(1)->setEnabled(anyTime);
    if (mAxisChosen)
        return;
    const bool allStamped = !mPoints.empty()
                            && std::all_of(mPoints.begin(), mPoints.end(), [](const auto& f) { return f.second.stamped; });
    const Axis wanted = allStamped ? Axis::Time : Axis::Frame;
    if (wanted != mAxis) {
        applyAxis(wanted);
        Q_EMIT axisChanged(wanted);
    }
}

void SeriesPlots::applyAxis(Axis axis)
{
    mAxis = axis;
    {
        const QSignalBlocker block(mAxisBox);
        mAxisBox->setCurrentIndex(axis == Axis::Time ? 1 : 0);
    }
    for (QCustomPlot* plot : {mFractions, mDisorder}) {
        plot->xAxis->setLabel(xLabel());
        if (axis == Axis::Frame) {
            // Frames are whole numbers: ticks at 1, 2, 5, 10, ... frames apart.
            QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
            ticker->setTickStep(1.0);
            ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
            plot->xAxis->setTicker(ticker);
        } else {
            plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        }
    }
}

QString SeriesPlots::xLabel() const
{
    return mAxis == Axis::Time ? tr("time (s since first frame)") : tr("frame");
}

double SeriesPlots::frameX(int frame) const
{
    const auto it = mPoints.find(frame);
    if (it == mPoints.end())
        return NAN;
    return mAxis == Axis::Frame ? double(frame) : it->second.time - firstTime(mPoints);
}

void SeriesPlots::rebuildLines()
{
    const double first = firstTime(mPoints);
    const auto fill = [&](QCPGraph* graph, const std::function<double(const FramePoint&)>& value) {
        struct Entry
        {
            double x, y;
            int frame;
        };
        std::vector<Entry> entries;
        for (const auto& [frame, p] : mPoints) {
            const double x = mAxis == Axis::Frame ? double(frame) : p.time - first;
            if (std::isfinite(x) && std::isfinite(value(p)))
                entries.push_back({x, value(p), frame});
        }
        std::sort(entries.begin(), entries.end(),
                  [](const Entry& a, const Entry& b) { return a.x < b.x || (a.x == b.x && a.frame < b.frame); });
        QVector<QCPGraphData> data;
        QVector<int>& frames = mPointFrames[graph];
        frames.clear();
        for (const Entry& e : entries) {
            data.append(QCPGraphData(e.x, e.y));
            frames.append(e.frame);
        }
        graph->data()->set(data, true);
    };
    for (int k = 0; k < mMotifLines.size(); ++k)
        fill(mMotifLines[k], [k](const FramePoint& p) { return k < p.fraction.size() ? p.fraction[k] : NAN; });
    fill(mEntropy, [](const FramePoint& p) { return p.entropy; });
    fill(mContinuity, [](const FramePoint& p) { return p.continuity; });
    fill(mNovel, [](const FramePoint& p) { return p.novel; });
    rescale();
    setCurrentFrame(mCurrent); // the ring follows the point's index
}

int SeriesPlots::frameOfPoint(const QCPGraph* graph, int index) const
{
    const auto it = mPointFrames.constFind(graph);
    return it != mPointFrames.constEnd() && index >= 0 && index < it->size() ? it->at(index) : -1;
}

void SeriesPlots::setCurrentFrame(int frame)
{
    mCurrent = frame;
    QVector<QCPGraph*> lines = mMotifLines;
    lines << mEntropy << mContinuity << mNovel;
    for (QCPGraph* g : lines) {
        // Ring the point of `g` that is frame `frame`'s (none when it has no such point).
        QCPDataSelection selection;
        const int index = frame >= 0 ? int(mPointFrames.value(g).indexOf(frame)) : -1;
        if (index >= 0)
            selection.addDataRange(QCPDataRange(index, index + 1));
        g->setSelection(selection);
    }
    const double x = frame >= 0 ? frameX(frame) : NAN;
    for (QCPItemStraightLine* mark : {mFractionMark, mDisorderMark}) {
        mark->setVisible(std::isfinite(x));
        mark->point1->setCoords(x, 0.0);
        mark->point2->setCoords(x, 1.0);
    }
    mFractions->replot(QCustomPlot::rpQueuedReplot);
    mDisorder->replot(QCustomPlot::rpQueuedReplot);
}

void SeriesPlots::rescale()
{
    double low = 0.0, high = 0.0, entropy = 1.0;
    bool any = false;
    for (const auto& [frame, p] : mPoints) {
        const double x = frameX(frame);
        if (std::isfinite(x)) {
            low = any ? std::min(low, x) : x;
            high = any ? std::max(high, x) : x;
            any = true;
        }
        if (std::isfinite(p.entropy))
            entropy = std::max(entropy, p.entropy);
    }
    // Frames: from half a frame before 0 to half a frame past the last; time: a margin of 3 % (0.5 s at least).
    const double margin = mAxis == Axis::Frame ? 0.5 : std::max(0.5, 0.03 * (high - low));
    if (mAxis == Axis::Frame)
        low = 0.0, high = std::max(high, 1.0);
    for (QCustomPlot* plot : {mFractions, mDisorder})
        plot->xAxis->setRange(low - margin, high + margin);
    mFractions->yAxis->setRange(0.0, 1.0);
    mDisorder->yAxis->setRange(0.0, entropy * 1.1);
}

int SeriesPlots::frameAt(QCustomPlot* plot, const QPointF& pixel) const
{
    int best = -1;
    double bestDistance = kPickRadius;
    for (int i = 0; i < plot->graphCount(); ++i) {
        const QCPGraph* g = plot->graph(i);
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
            const QPointF at(g->keyAxis()->coordToPixel(it->key), g->valueAxis()->coordToPixel(it->value));
            const double distance = std::hypot(at.x() - pixel.x(), at.y() - pixel.y());
            if (distance <= bestDistance)
                bestDistance = distance, best = frameOfPoint(g, int(it - g->data()->constBegin()));
        }
    }
    return best;
}

QStringList SeriesPlots::legendNames() const
{
    return ui::legendNames(mFractions);
}

QVector<QPointF> SeriesPlots::fractionPoints(int motif) const
{
    return pointsOf(motif >= 0 && motif < mMotifLines.size() ? mMotifLines[motif] : nullptr);
}

QVector<QPointF> SeriesPlots::disorderPoints(const QString& name) const
{
    for (QCPGraph* g : {mEntropy, mContinuity, mNovel})
        if (g->name() == name)
            return pointsOf(g);
    return {};
}

QVector<int> SeriesPlots::highlightedFrames(int motif) const
{
    QVector<int> out;
    if (motif < 0 || motif >= mMotifLines.size())
        return out;
    const QCPGraph* g = mMotifLines[motif];
    for (const QCPDataRange& range : g->selection().dataRanges())
        for (int i = range.begin(); i < range.end(); ++i)
            out.append(frameOfPoint(g, i));
    return out;
}

QPointF SeriesPlots::fractionPointPosition(int motif, int frame) const
{
    if (motif < 0 || motif >= mMotifLines.size())
        return {-1.0, -1.0};
    const QCPGraph* g = mMotifLines[motif];
    const int index = int(mPointFrames.value(g).indexOf(frame));
    if (index < 0)
        return {-1.0, -1.0};
    const auto point = g->data()->constBegin() + index;
    return {mFractions->xAxis->coordToPixel(point->key), mFractions->yAxis->coordToPixel(point->value)};
}

QWidget* SeriesPlots::fractionCanvas() const
{
    return mFractions;
}

void SeriesPlots::replotNow()
{
    mFractions->replot();
    mDisorder->replot();
}

} // namespace motifscope::ui
