#include "ui/series/seriesplots.h"

#include "ui/learn/plotlegend.h"
#include "ui/learn/qcustomplotinclude.h"

#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace motifscope::ui {

namespace {

/// A click this close to a point (widget pixels) picks its frame.
constexpr double kPickRadius = 8.0;

const QString kEntropyName = QStringLiteral("entropy (bits)");
const QString kContinuityName = QStringLiteral("continuity");
const QString kNovelName = QStringLiteral("new structure");

void putPoint(QCPGraph* graph, int frame, double value)
{
    graph->data()->remove(frame);
    if (std::isfinite(value))
        graph->data()->add(QCPGraphData(frame, value));
}

QVector<QPointF> pointsOf(const QCPGraph* graph)
{
    QVector<QPointF> out;
    if (graph)
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
            out.append({it->key, it->value});
    return out;
}

/** Rings the point of `graph` at key `frame` (none when it has no such point). */
void highlight(QCPGraph* graph, int frame)
{
    QCPDataSelection selection;
    const auto it = graph->data()->findBegin(frame, false);
    if (frame >= 0 && it != graph->data()->constEnd() && it->key == frame) {
        const int index = int(it - graph->data()->constBegin());
        selection.addDataRange(QCPDataRange(index, index + 1));
    }
    graph->setSelection(selection);
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
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(mFractions, 3);
    layout->addWidget(mDisorder, 2);
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
    rescale();
}

void SeriesPlots::setUpPlot(QCustomPlot* plot, const QString& yLabel)
{
    plot->setMinimumHeight(140);
    plot->xAxis->setLabel(tr("frame"));
    plot->yAxis->setLabel(yLabel);
    // Frames are whole numbers: ticks at 1, 2, 5, 10, ... frames apart.
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot->xAxis->setTicker(ticker);
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
    for (QCPGraph* g : mMotifLines)
        mFractions->removeGraph(g);
    mMotifLines.clear();
    for (const DictionaryMotif& m : dictionary.motifs)
        mMotifLines.append(addLine(mFractions, false, QString::fromStdString(m.name),
                                   QColor(QString::fromStdString(m.colour))));
    clearFrames();
}

void SeriesPlots::setFrame(int frame, const FrameResult& result)
{
    for (int k = 0; k < mMotifLines.size(); ++k)
        putPoint(mMotifLines[k], frame, std::size_t(k) < result.fraction.size() ? result.fraction[std::size_t(k)] : NAN);
    putPoint(mEntropy, frame, result.entropyBits);
    putPoint(mContinuity, frame, result.continuity);
    putPoint(mNovel, frame, result.novelFraction);
    rescale();
    setCurrentFrame(mCurrent); // the ring follows the point's index
}

void SeriesPlots::clearFrames()
{
    for (QCPGraph* g : mMotifLines)
        g->data()->clear();
    for (QCPGraph* g : {mEntropy, mContinuity, mNovel})
        g->data()->clear();
    rescale();
    setCurrentFrame(-1);
}

void SeriesPlots::setCurrentFrame(int frame)
{
    mCurrent = frame;
    for (QCPGraph* g : mMotifLines)
        highlight(g, frame);
    for (QCPGraph* g : {mEntropy, mContinuity, mNovel})
        highlight(g, frame);
    for (QCPItemStraightLine* mark : {mFractionMark, mDisorderMark}) {
        mark->setVisible(frame >= 0);
        mark->point1->setCoords(frame, 0.0);
        mark->point2->setCoords(frame, 1.0);
    }
    mFractions->replot(QCustomPlot::rpQueuedReplot);
    mDisorder->replot(QCustomPlot::rpQueuedReplot);
}

void SeriesPlots::rescale()
{
    double last = 0.0, entropy = 1.0;
    for (QCPGraph* g : mMotifLines)
        if (!g->data()->isEmpty())
            last = std::max(last, (g->data()->constEnd() - 1)->key);
    for (auto it = mEntropy->data()->constBegin(); it != mEntropy->data()->constEnd(); ++it)
        entropy = std::max(entropy, it->value);
    for (QCustomPlot* plot : {mFractions, mDisorder})
        plot->xAxis->setRange(-0.5, std::max(last, 1.0) + 0.5);
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
                bestDistance = distance, best = int(std::lround(it->key));
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
            out.append(int(std::lround((g->data()->constBegin() + i)->key)));
    return out;
}

QPointF SeriesPlots::fractionPointPosition(int motif, int frame) const
{
    for (const QPointF& p : fractionPoints(motif))
        if (int(std::lround(p.x())) == frame)
            return {mFractions->xAxis->coordToPixel(p.x()), mFractions->yAxis->coordToPixel(p.y())};
    return {-1.0, -1.0};
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
