#include "ui/learn/embeddingplot.h"

#include "ui/learn/embeddingscatter.h"
#include "ui/learn/motifcolours.h"
#include "ui/learn/pointselection.h"
#include "ui/learn/plotlegend.h"
#include "ui/learn/qcustomplotinclude.h"
#include "ui/learn/selectionoutline.h"

#include <QActionGroup>
#include <QLocale>
#include <QMouseEvent>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

constexpr int kMaxLegendEntries = 16;
const QString kSelectionLayer = QStringLiteral("selection");
/** No tick (hence no label) this share of the range from an axis' lower end: the corner stays clear. */
constexpr double kCornerClearance = 0.06;

/** Ticks as usual, minus those at the lower end, where the two axes' labels would meet in the corner. */
class CornerClearTicker : public QCPAxisTicker
{
protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override
    {
        QVector<double> ticks = QCPAxisTicker::createTickVector(tickStep, range);
        const double limit = range.lower + kCornerClearance * range.size();
        // One tick below the range is kept: QCustomPlot draws the sub-ticks between it and the next.
        ticks.erase(std::remove_if(ticks.begin(), ticks.end(),
                                   [&](double t) { return t >= range.lower && t < limit; }),
                    ticks.end());
        return ticks;
    }
};

} // namespace

EmbeddingPlot::EmbeddingPlot(QWidget* parent) : QWidget(parent)
{
    auto* tools = new QToolBar(this);
    tools->setIconSize(QSize(16, 16));
    tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* group = new QActionGroup(this);
    mNavigateAction = tools->addAction(tr("Navigate"));
    mNavigateAction->setToolTip(tr("Drag to pan, wheel to zoom"));
    mRectangleAction = tools->addAction(tr("Rectangle"));
    mRectangleAction->setToolTip(tr("Drag a rectangle to select columns (Shift adds, Ctrl removes)"));
    mLassoAction = tools->addAction(tr("Lasso"));
    mLassoAction->setToolTip(tr("Hold and draw around columns to select them (Shift adds, Ctrl removes)"));
    for (QAction* a : {mNavigateAction, mRectangleAction, mLassoAction}) {
        a->setCheckable(true);
        group->addAction(a);
    }
    mNavigateAction->setChecked(true);
    tools->addSeparator();
    QAction* fit = tools->addAction(tr("Fit"));
    fit->setToolTip(tr("Show all points and follow the layout as it changes"));
    QAction* clearSel = tools->addAction(tr("Clear selection"));
    connect(fit, &QAction::triggered, this, &EmbeddingPlot::fitToData);
    connect(clearSel, &QAction::triggered, this, [this] {
        clearSelection();
        Q_EMIT selectionChanged(mSelection);
    });
    connect(mNavigateAction, &QAction::triggered, this, [this] { setTool(Tool::Navigate); });
    connect(mRectangleAction, &QAction::triggered, this, [this] { setTool(Tool::Rectangle); });
    connect(mLassoAction, &QAction::triggered, this, [this] { setTool(Tool::Lasso); });

    mPlot = new QCustomPlot(this);
    mPlot->setNoAntialiasingOnDrag(true);
    mPlot->setSelectionRectMode(QCP::srmNone);
    mPlot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    QFont tickFont = font();
    tickFont.setPointSizeF(std::max(7.0, tickFont.pointSizeF() - 1.0));
    for (QCPAxis* axis : {mPlot->xAxis, mPlot->yAxis}) {
        axis->setTickLabelFont(tickFont);
        axis->setLabelFont(font());
        axis->grid()->setPen(QPen(QColor(0xe4, 0xe4, 0xe4), 0));
        axis->grid()->setZeroLinePen(Qt::NoPen);
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new CornerClearTicker));
    }
    mPlot->xAxis->setLabel(tr("Embedding 1"));
    mPlot->yAxis->setLabel(tr("Embedding 2"));
    // The legend stands below the axes, never over the points, in as many columns as fit.
    placeLegendBelowAxes(mPlot);
    mPlot->legend->setFont(tickFont);
    mPlot->legend->setIconSize(10, 10);
    mPlot->legend->setFillOrder(QCPLayoutGrid::foRowsFirst, false);

    mScatter = new EmbeddingScatter(mPlot->xAxis, mPlot->yAxis);
    mScatter->removeFromLegend();
    mPlot->addLayer(kSelectionLayer, mPlot->layer(QStringLiteral("overlay")), QCustomPlot::limAbove);
    mPlot->layer(kSelectionLayer)->setMode(QCPLayer::lmBuffered);
    mOutline = new SelectionOutline(mPlot, kSelectionLayer);

    connect(mPlot, &QCustomPlot::mousePress, this, &EmbeddingPlot::onMousePress);
    connect(mPlot, &QCustomPlot::mouseMove, this, &EmbeddingPlot::onMouseMove);
    connect(mPlot, &QCustomPlot::mouseRelease, this, &EmbeddingPlot::onMouseRelease);
    connect(mPlot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &EmbeddingPlot::onRangeChanged);
    connect(mPlot->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &EmbeddingPlot::onRangeChanged);
    // Following the data is done after each layout so that resizes keep the equal-aspect fit.
    connect(mPlot, &QCustomPlot::afterLayout, this, [this] {
        if (!mFollowData)
            return;
        const QCPRange x = mPlot->xAxis->range(), y = mPlot->yAxis->range();
        applyFit();
        // New ranges can mean wider tick labels and other margins than this layout allowed for:
        // one more pass lays the axes out for the labels they now carry (it finds the same ranges).
        if (x != mPlot->xAxis->range() || y != mPlot->yAxis->range())
            mPlot->replot(QCustomPlot::rpQueuedReplot);
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(tools);
    layout->addWidget(mPlot, 1);
    rebuildLegend();
}

EmbeddingPlot::~EmbeddingPlot() = default;

void EmbeddingPlot::setEmbedding(const Eigen::MatrixX2f& embedding, const std::vector<int>& labels)
{
    const bool sameColumns = embedding.rows() == mEmbedding.rows();
    mEmbedding = embedding;
    const std::size_t n = std::size_t(embedding.rows());
    mLabels.assign(n, -1);
    std::copy_n(labels.begin(), std::min(n, labels.size()), mLabels.begin());
    std::vector<float> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = embedding(Eigen::Index(i), 0);
        y[i] = embedding(Eigen::Index(i), 1);
    }
    // Labels index the counts: out of range (a damaged file, 2^31 - 1) counts as unassigned, so
    // the table stays small and no index overflows.
    constexpr int kMaxLabel = 1 << 16;
    int classes = 0;
    for (int& l : mLabels) {
        l = l < 0 || l >= kMaxLabel ? -1 : l;
        classes = std::max(classes, l + 1);
    }
    mCounts.fill(0, classes + 1);
    for (int l : mLabels)
        ++mCounts[l + 1];
    mBounds = QRectF();
    if (n > 0) {
        const auto [xl, xh] = std::minmax_element(x.begin(), x.end());
        const auto [yl, yh] = std::minmax_element(y.begin(), y.end());
        mBounds = QRectF(QPointF(*xl, *yl), QPointF(*xh, *yh));
    }
    mScatter->setPoints(std::move(x), std::move(y), mLabels);
    if (!sameColumns) {
        mSelection.clear();
        mFollowData = true; // other points (undo, a reopened session, a new run): show them all
    }
    pushSelectionToScatter();
    rebuildLegend();
    mPlot->replot(QCustomPlot::rpQueuedReplot);
}

void EmbeddingPlot::clear()
{
    setEmbedding(Eigen::MatrixX2f(0, 2), {});
}

void EmbeddingPlot::setMotifStyle(int id, const QString& name, const QColor& colour)
{
    if (id < 0)
        return;
    if (mNames.size() <= id) {
        mNames.resize(id + 1);
        mColours.resize(id + 1);
    }
    mNames[id] = name;
    mColours[id] = colour;
    rebuildLegend();
    mPlot->replot(QCustomPlot::rpQueuedReplot);
}

void EmbeddingPlot::setMotifTotals(QVector<long long> totals)
{
    if (totals == mTotals)
        return;
    mTotals = std::move(totals);
    rebuildLegend();
    mPlot->replot(QCustomPlot::rpQueuedReplot);
}

QStringList EmbeddingPlot::legendEntries() const
{
    return ui::legendNames(mPlot);
}

QWidget* EmbeddingPlot::canvas() const
{
    return mPlot;
}

QPointF EmbeddingPlot::mapToCanvas(const QPointF& p) const
{
    return {mPlot->xAxis->coordToPixel(p.x()), mPlot->yAxis->coordToPixel(p.y())};
}

QPointF EmbeddingPlot::mapFromCanvas(const QPointF& p) const
{
    return {mPlot->xAxis->pixelToCoord(p.x()), mPlot->yAxis->pixelToCoord(p.y())};
}

QRect EmbeddingPlot::canvasAxisRect() const
{
    return mPlot->axisRect()->rect();
}

void EmbeddingPlot::zoomBy(double factor)
{
    if (!(factor > 0.0))
        return;
    mPlot->xAxis->scaleRange(1.0 / factor);
    mPlot->yAxis->scaleRange(1.0 / factor);
    mPlot->replot(QCustomPlot::rpQueuedReplot);
}

void EmbeddingPlot::replotNow()
{
    // A new fit can change the tick labels and with them the margins: then once more, as the
    // queued replot after the layout would.
    const QRect before = canvasAxisRect();
    mPlot->replot(QCustomPlot::rpImmediateRefresh);
    if (canvasAxisRect() != before)
        mPlot->replot(QCustomPlot::rpImmediateRefresh);
}

void EmbeddingPlot::setSelection(const QVector<int>& columnIndices)
{
    QVector<int> valid;
    valid.reserve(columnIndices.size());
    for (int i : columnIndices)
        if (i >= 0 && i < pointCount())
            valid.append(i);
    mSelection = combineSelections({}, valid, SelectionOperation::Replace);
    pushSelectionToScatter();
    mPlot->replot(QCustomPlot::rpQueuedReplot);
}

void EmbeddingPlot::clearSelection()
{
    setSelection({});
}

void EmbeddingPlot::setTool(Tool tool)
{
    if (mDrawing) {
        mDrawing = false;
        updateOutline({});
    }
    mTool = tool;
    mNavigateAction->setChecked(tool == Tool::Navigate);
    mRectangleAction->setChecked(tool == Tool::Rectangle);
    mLassoAction->setChecked(tool == Tool::Lasso);
    mPlot->setInteractions(tool == Tool::Navigate ? QCP::iRangeDrag | QCP::iRangeZoom : QCP::iRangeZoom);
    mPlot->setCursor(tool == Tool::Navigate ? Qt::OpenHandCursor : Qt::CrossCursor);
    Q_EMIT toolChanged(tool);
}

void EmbeddingPlot::fitToData()
{
    mFollowData = true;
    mPlot->replot(QCustomPlot::rpQueuedReplot);
}

void EmbeddingPlot::applyFit()
{
    QRectF b = mBounds;
    if (!b.isValid() && !(pointCount() > 0))
        b = QRectF(-1, -1, 2, 2);
    // A 5 % margin, at least a unit for a degenerate layout, then equal scales on both axes.
    double w = std::max(b.width(), 1e-6), h = std::max(b.height(), 1e-6);
    if (b.width() <= 0 && b.height() <= 0)
        w = h = 1.0;
    const QPointF c = b.center();
    w *= 1.1;
    h *= 1.1;
    const QRect area = mPlot->axisRect()->rect();
    if (area.width() > 0 && area.height() > 0) {
        const double aspect = double(area.width()) / area.height();
        if (w / h < aspect)
            w = h * aspect;
        else
            h = w / aspect;
    }
    mSettingRange = true;
    mPlot->xAxis->setRange(c.x() - w / 2, c.x() + w / 2);
    mPlot->yAxis->setRange(c.y() - h / 2, c.y() + h / 2);
    mSettingRange = false;
}

void EmbeddingPlot::onRangeChanged()
{
    if (!mSettingRange)
        mFollowData = false;
}

void EmbeddingPlot::onMousePress(QMouseEvent* event)
{
    if (mTool == Tool::Navigate || event->button() != Qt::LeftButton)
        return;
    mDrawing = true;
    mStroke = {event->position()};
    if (mTool == Tool::Rectangle)
        mStroke.append(event->position());
}

void EmbeddingPlot::onMouseMove(QMouseEvent* event)
{
    if (!mDrawing)
        return;
    const QPointF p = event->position();
    if (mTool == Tool::Rectangle) {
        mStroke[1] = p;
        updateOutline(QPolygonF(QRectF(mStroke[0], p).normalized()));
    } else {
        if (QLineF(mStroke.last(), p).length() >= 1.0)
            mStroke.append(p);
        updateOutline(mStroke);
    }
}

void EmbeddingPlot::onMouseRelease(QMouseEvent* event)
{
    if (!mDrawing || event->button() != Qt::LeftButton)
        return;
    mDrawing = false;
    const QPointF p = event->position();
    if (mTool == Tool::Rectangle)
        mStroke[1] = p;
    else if (QLineF(mStroke.last(), p).length() >= 1.0)
        mStroke.append(p);
    updateOutline({});
    finishSelection(mStroke, mTool == Tool::Rectangle, event->modifiers());
}

void EmbeddingPlot::finishSelection(const QPolygonF& stroke, bool rectangle, Qt::KeyboardModifiers modifiers)
{
    QVector<int> picked;
    if (rectangle) {
        const QRectF pixels = QRectF(stroke[0], stroke[1]).normalized();
        if (pixels.width() >= 2 || pixels.height() >= 2) // a click selects nothing
            picked = pointsInRect(mEmbedding, QRectF(mapFromCanvas(pixels.topLeft()), mapFromCanvas(pixels.bottomRight())));
    } else {
        QPolygonF polygon;
        for (const QPointF& p : stroke)
            polygon.append(mapFromCanvas(p));
        picked = pointsInPolygon(mEmbedding, polygon);
    }
    const SelectionOperation op = modifiers.testFlag(Qt::ShiftModifier)     ? SelectionOperation::Add
                                  : modifiers.testFlag(Qt::ControlModifier) ? SelectionOperation::Subtract
                                                                            : SelectionOperation::Replace;
    mSelection = combineSelections(mSelection, picked, op);
    pushSelectionToScatter();
    mPlot->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT selectionChanged(mSelection);
}

void EmbeddingPlot::pushSelectionToScatter()
{
    std::vector<std::uint8_t> flags;
    if (!mSelection.isEmpty()) {
        flags.assign(std::size_t(pointCount()), 0);
        for (int i : mSelection)
            flags[std::size_t(i)] = 1;
    }
    mScatter->setSelectedFlags(std::move(flags));
}

QColor EmbeddingPlot::colourOf(int id) const
{
    if (id >= 0 && id < mColours.size() && mColours[id].isValid())
        return mColours[id];
    return motifDisplayColour(id);
}

QString EmbeddingPlot::nameOf(int id) const
{
    if (id < 0)
        return tr("Unassigned");
    if (id < mNames.size() && !mNames[id].isEmpty())
        return mNames[id];
    return tr("Motif %1").arg(id);
}

void EmbeddingPlot::rebuildLegend()
{
    QVector<QColor> colours;
    for (int k = 0; k + 1 < mCounts.size(); ++k)
        colours.append(colourOf(k));
    mScatter->setClassColours(colours);

    for (QCPGraph* g : mLegendGraphs)
        mPlot->removeGraph(g);
    mLegendGraphs.clear();
    const QLocale locale;
    const auto addEntry = [&](int id, long long count) {
        QCPGraph* g = mPlot->addGraph(mPlot->xAxis, mPlot->yAxis);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colourOf(id), colourOf(id), 8));
        const long long total = id >= 0 && id < mTotals.size() ? mTotals[id] : count;
        g->setName(total > count ? QStringLiteral("%1  (%2 of %3)").arg(nameOf(id), locale.toString(count), locale.toString(total))
                                 : QStringLiteral("%1  (%2)").arg(nameOf(id), locale.toString(count)));
        mLegendGraphs.append(g);
    };
    int shown = 0;
    for (int k = 0; k + 1 < mCounts.size(); ++k)
        if (mCounts[k + 1] > 0 && shown++ < kMaxLegendEntries)
            addEntry(k, mCounts[k + 1]);
    if (!mCounts.isEmpty() && mCounts[0] > 0)
        addEntry(-1, mCounts[0]);
    mPlot->legend->setVisible(!mLegendGraphs.isEmpty());
    wrapLegend();
}

void EmbeddingPlot::wrapLegend()
{
    // As many columns as the widest entry allows across the plot's width.
    int widest = 1;
    for (int i = 0; i < mPlot->legend->elementCount(); ++i)
        if (QCPLayoutElement* item = mPlot->legend->elementAt(i))
            widest = std::max(widest, item->minimumOuterSizeHint().width());
    const int available = std::max(1, mPlot->width() - 12);
    const int columns = std::clamp(available / (widest + mPlot->legend->columnSpacing()), 1,
                                   std::max(1, int(mLegendGraphs.size())));
    if (columns != mPlot->legend->wrap()) {
        mPlot->legend->setWrap(columns);
        mPlot->legend->setFillOrder(QCPLayoutGrid::foRowsFirst, true);
    }
}

void EmbeddingPlot::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    wrapLegend();
    mPlot->replot(QCustomPlot::rpQueuedReplot);
}

QRect EmbeddingPlot::legendRect() const
{
    return mPlot->legend->visible() ? mPlot->legend->outerRect() : QRect();
}

void EmbeddingPlot::updateOutline(const QPolygonF& polygon)
{
    mOutline->setOutline(polygon);
    mPlot->layer(kSelectionLayer)->replot();
}

} // namespace motifscope::ui
