#include "ui/hierarchy/hierarchytreeview.h"

#include "ui/hierarchy/hierarchynodeitem.h"
#include "ui/hierarchy/motifdrawing.h"
#include "ui/hierarchy/nodenames.h"

#include <QFileInfo>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QImageWriter>
#include <QMouseEvent>
#include <QPainterPath>
#include <QSvgGenerator>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

constexpr double kColumnGap = 22.0;
constexpr double kRowGap = 70.0;
constexpr double kWrapGap = 16.0; ///< between wrapped rows of one level
constexpr double kMargin = 24.0;

} // namespace

HierarchyTreeView::HierarchyTreeView(QWidget* parent)
    : QGraphicsView(parent), mEmptyText(tr("No hierarchy yet: detect columns, then build the hierarchy."))
{
    setScene(new QGraphicsScene(this));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setBackgroundBrush(QColor(0xfa, 0xfa, 0xfa));
    setMinimumSize(240, 200);
}

HierarchyTreeView::~HierarchyTreeView() = default;

void HierarchyTreeView::setHierarchy(const HierarchyResult& result, const std::vector<Point2>& points)
{
    mResult = result;
    mPoints = points;
    mFitMode = true;
    rebuild();
}

void HierarchyTreeView::clear()
{
    setHierarchy(HierarchyResult{}, {});
}

void HierarchyTreeView::setMotifNames(const QStringList& names)
{
    if (names == mMotifNames)
        return;
    mMotifNames = names;
    if (!mResult.levels.empty())
        rebuild();
}

void HierarchyTreeView::setEmptyText(const QString& text)
{
    if (text == mEmptyText)
        return;
    mEmptyText = text;
    if (mResult.levels.empty())
        rebuild();
}

void HierarchyTreeView::setLevelOneColours(const QVector<QColor>& colours)
{
    mColours = colours;
    rebuild();
}

void HierarchyTreeView::setMaxNodesPerLevel(int count)
{
    mMaxNodesPerLevel = std::max(1, count);
    rebuild();
}

QStringList HierarchyTreeView::nodeIds() const
{
    return mOrder;
}

HierarchyNodeItem* HierarchyTreeView::nodeItem(const QString& id) const
{
    return mItems.value(id, nullptr);
}

void HierarchyTreeView::setCurrentNode(const QString& id)
{
    if (HierarchyNodeItem* old = mItems.value(mCurrent, nullptr))
        old->setCurrent(false);
    mCurrent = mItems.contains(id) ? id : QString();
    if (HierarchyNodeItem* now = mItems.value(mCurrent, nullptr))
        now->setCurrent(true);
}

QString HierarchyTreeView::levelTitle(int level) const
{
    const bool cells = mResult.route == "cells";
    switch (level) {
    case 1:
        return cells ? tr("Level 1: unit cells") : tr("Level 1: rings");
    case 2:
        return cells ? tr("Level 2: cell clusters") : tr("Level 2: ring pairs");
    case 3:
        return tr("Level 3: ring + shell");
    default:
        return tr("Level %1").arg(level);
    }
}

void HierarchyTreeView::rebuild()
{
    QGraphicsScene* s = scene();
    s->clear();
    mItems.clear();
    mOrder.clear();
    const QString previous = mCurrent;
    mCurrent.clear();

    const QHash<QString, MotifDrawing> drawings = representativeDrawings(mResult, mPoints);
    QFont titleFont = font();
    titleFont.setPixelSize(14);
    titleFont.setBold(true);

    // Each level: its title on a line of its own, then its cards from the left (most common
    // first), wrapped into rows as wide as the view shows legibly, so a narrow dock shows every
    // card of a level by scrolling down rather than two per level and a long way sideways.
    const double pitch = HierarchyNodeItem::kWidth + kColumnGap;
    const int perRow = cardsPerRow();
    mCardsPerRow = perRow;
    double y = kMargin;
    for (const HierarchyLevel& level : mResult.levels) {
        auto* title = s->addSimpleText(levelTitle(level.level), titleFont);
        title->setBrush(QColor(0x30, 0x30, 0x30));
        title->setPos(kMargin, y);
        y += title->boundingRect().height() + 8.0 + HierarchyNodeItem::kHeight / 2;
        const int shown = std::min(int(level.motifs.size()), mMaxNodesPerLevel);
        const int slots = shown + (int(level.motifs.size()) > shown ? 1 : 0);
        if (level.motifs.empty()) {
            auto* none = s->addSimpleText(tr("none found"), titleFont);
            none->setBrush(QColor(0x80, 0x80, 0x80));
            none->setPos(kMargin, y - none->boundingRect().height() / 2);
        }
        auto slotCentre = [&](int k) {
            return QPointF(kMargin + HierarchyNodeItem::kWidth / 2 + (k % perRow) * pitch,
                           y + (k / perRow) * (HierarchyNodeItem::kHeight + kWrapGap));
        };
        for (int k = 0; k < shown; ++k) {
            const MotifNode& node = level.motifs[std::size_t(k)];
            const QString id = QString::fromStdString(node.id);
            // The user's motif names, not numbers; the core's name and the notation in the tool tip.
            auto* item = new HierarchyNodeItem(id, plainNodeName(node.name, mMotifNames), node.members, node.count,
                                               node.fraction, drawings.value(id), mColours);
            item->setToolTip(item->toolTip() + QStringLiteral("\n%1\n%2").arg(QString::fromStdString(node.name), nodeNameLegend()));
            item->setPos(slotCentre(k));
            s->addItem(item);
            mItems.insert(id, item);
            mOrder.append(id);
        }
        if (slots > shown) {
            auto* more = s->addSimpleText(tr("+%1 more").arg(level.motifs.size() - std::size_t(shown)), titleFont);
            more->setBrush(QColor(0x60, 0x60, 0x60));
            const QPointF at = slotCentre(shown);
            more->setPos(at.x() - more->boundingRect().width() / 2, at.y() - more->boundingRect().height() / 2);
        }
        const int rows = std::max(1, (slots + perRow - 1) / perRow);
        // Below the last row's cards, the gap the edges to the next level run through.
        y += (rows - 1) * (HierarchyNodeItem::kHeight + kWrapGap) + HierarchyNodeItem::kHeight / 2 + kRowGap - 20.0;
    }

    // Edges: from each child's bottom to its parent's top (both shown), behind the cards.
    QPen edgePen(QColor(0x9a, 0x9a, 0x9a), 1.2);
    for (const HierarchyLevel& level : mResult.levels)
        for (const MotifNode& node : level.motifs) {
            HierarchyNodeItem* parent = mItems.value(QString::fromStdString(node.id), nullptr);
            if (!parent)
                continue;
            for (const std::string& c : node.children) {
                HierarchyNodeItem* child = mItems.value(QString::fromStdString(c), nullptr);
                if (!child)
                    continue;
                const QPointF a = child->bottomAnchor(), b = parent->topAnchor();
                QPainterPath path(a);
                const double bend = (b.y() - a.y()) / 2;
                path.cubicTo(a + QPointF(0, bend), b - QPointF(0, bend), b);
                s->addPath(path, edgePen)->setZValue(-1);
            }
        }

    if (mResult.levels.empty()) {
        auto* empty = s->addSimpleText(mEmptyText, font());
        empty->setBrush(QColor(0x80, 0x80, 0x80));
        empty->setPos(kMargin, kMargin);
    }
    s->setSceneRect(s->itemsBoundingRect().adjusted(-kMargin, -kMargin, kMargin, kMargin));
    setCurrentNode(previous);
    if (mFitMode)
        fitAll();
}

void HierarchyTreeView::fitAll()
{
    mFitMode = true;
    resetTransform();
    const QRectF r = sceneRect();
    const QSize v = viewport()->size();
    if (r.isEmpty() || v.isEmpty())
        return;
    const double fit = std::min({1.0, v.width() / r.width(), v.height() / r.height()});
    const double s = std::max(fit, kMinReadableScale);
    scale(s, s);
    if (fit >= kMinReadableScale)
        centerOn(r.center());
    else // too large to fit legibly: start at the top-left, the most common motifs
        centerOn(r.left() + v.width() / (2 * s), r.top() + v.height() / (2 * s));
}

bool HierarchyTreeView::exportSvg(const QString& path, QString* error) const
{
    const QRectF r = scene()->sceneRect();
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(r.size().toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), r.size()));
    generator.setTitle(tr("Motif hierarchy"));
    generator.setDescription(tr("MotifScope motif hierarchy (%1 route)").arg(QString::fromStdString(mResult.route)));
    QPainter painter;
    if (!painter.begin(&generator)) {
        if (error)
            *error = tr("cannot write %1").arg(path);
        return false;
    }
    painter.fillRect(QRectF(QPointF(0, 0), r.size()), Qt::white);
    scene()->render(&painter, QRectF(QPointF(0, 0), r.size()), r);
    painter.end();
    const bool ok = QFileInfo(path).size() > 0;
    if (!ok && error)
        *error = tr("cannot write %1").arg(path);
    return ok;
}

bool HierarchyTreeView::exportPng(const QString& path, double dpi, QString* error) const
{
    const QRectF r = scene()->sceneRect();
    const double scale = std::clamp(dpi, 24.0, 1200.0) / 96.0;
    const QSize size(int(std::ceil(r.width() * scale)), int(std::ceil(r.height() * scale)));
    if (size.isEmpty() || double(size.width()) * size.height() > 400e6) {
        if (error)
            *error = tr("image of %1 x %2 pixels is too large").arg(size.width()).arg(size.height());
        return false;
    }
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    const int dotsPerMetre = int(std::lround(dpi / 0.0254));
    image.setDotsPerMeterX(dotsPerMetre);
    image.setDotsPerMeterY(dotsPerMetre);
    {
        QPainter painter(&image);
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
        scene()->render(&painter, QRectF(QPointF(0, 0), QSizeF(size)), r);
    }
    QImageWriter writer(path, "png");
    if (!writer.write(image)) {
        if (error)
            *error = writer.errorString();
        return false;
    }
    return true;
}

void HierarchyTreeView::wheelEvent(QWheelEvent* event)
{
    const double factor = std::pow(1.0015, event->angleDelta().y());
    const double current = transform().m11();
    const double next = std::clamp(current * factor, kMinZoom, kMaxZoom);
    scale(next / current, next / current);
    mFitMode = false;
    event->accept();
}

void HierarchyTreeView::mousePressEvent(QMouseEvent* event)
{
    mPressPos = event->position().toPoint();
    QGraphicsView::mousePressEvent(event);
}

void HierarchyTreeView::mouseReleaseEvent(QMouseEvent* event)
{
    QGraphicsView::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton || (event->position().toPoint() - mPressPos).manhattanLength() > 4)
        return;
    for (QGraphicsItem* item : items(event->position().toPoint()))
        if (auto* node = dynamic_cast<HierarchyNodeItem*>(item)) {
            setCurrentNode(node->id());
            Q_EMIT nodeActivated(node->id());
            return;
        }
}

void HierarchyTreeView::mouseDoubleClickEvent(QMouseEvent* event)
{
    for (QGraphicsItem* item : items(event->position().toPoint()))
        if (dynamic_cast<HierarchyNodeItem*>(item)) {
            QGraphicsView::mouseDoubleClickEvent(event);
            return;
        }
    fitAll(); // a double click on the background: back to the fitted view
    event->accept();
}

int HierarchyTreeView::cardsPerRow() const
{
    // As many cards as the viewport holds at the smallest legible scale (at least two, so the
    // commonest motifs compare side by side).
    const double pitch = HierarchyNodeItem::kWidth + kColumnGap;
    const double sceneWidth = std::max(1, viewport()->width()) / kMinReadableScale - 2 * kMargin + kColumnGap;
    return std::max(2, int(std::floor(sceneWidth / pitch)));
}

void HierarchyTreeView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    if (cardsPerRow() != mCardsPerRow && !mResult.levels.empty())
        rebuild();
    else if (mFitMode)
        fitAll();
}

} // namespace motifscope::ui
