#include "ui/tools/columnedittool.h"

#include "ui/document/micrographdocument.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/imageview.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

int nextDragId()
{
    static int id = 0;
    return ++id;
}

bool extendsSelection(Qt::KeyboardModifiers modifiers)
{
    return modifiers & (Qt::ShiftModifier | Qt::ControlModifier | Qt::MetaModifier);
}

} // namespace

QPointF localCentreOfMass(const Micrograph& image, const QPointF& start, double radius, int iterations)
{
    QPointF centre = start;
    if (image.empty() || !(radius > 0.0))
        return start;
    for (int pass = 0; pass < iterations; ++pass) {
        const int x0 = std::max(0, int(std::floor(centre.x() - radius)));
        const int x1 = std::min(image.width - 1, int(std::ceil(centre.x() + radius)));
        const int y0 = std::max(0, int(std::floor(centre.y() - radius)));
        const int y1 = std::min(image.height - 1, int(std::ceil(centre.y() + radius)));
        if (x0 > x1 || y0 > y1)
            return start;
        float low = std::numeric_limits<float>::infinity();
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x)
                if (std::hypot(x - centre.x(), y - centre.y()) <= radius && std::isfinite(image.at(x, y)))
                    low = std::min(low, image.at(x, y));
        double sum = 0, sx = 0, sy = 0;
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x) {
                const float v = image.at(x, y);
                if (std::hypot(x - centre.x(), y - centre.y()) > radius || !std::isfinite(v))
                    continue;
                sum += v - low;
                sx += (v - low) * x;
                sy += (v - low) * y;
            }
        if (!(sum > 0.0))
            return centre;
        const QPointF next(sx / sum, sy / sum);
        // A centre that wanders off (no column here) is not trusted.
        if (std::hypot(next.x() - start.x(), next.y() - start.y()) > radius)
            return start;
        centre = next;
    }
    return centre;
}

ColumnEditTool::ColumnEditTool(MicrographDocument* document, ColumnOverlay* overlay, QObject* parent)
    : ViewTool(parent), mDocument(document), mOverlay(overlay)
{
    setObjectName(QStringLiteral("columnEditTool"));
}

double ColumnEditTool::pickRadius(const ImageView& view) const
{
    const double marker = mOverlay ? mOverlay->markerRadius() : 3.0;
    return std::max(marker, kMinPickRadius / view.zoom());
}

int ColumnEditTool::columnAt(const QPointF& p, double radius) const
{
    if (!mDocument)
        return -1;
    const AtomColumns& columns = mDocument->columns();
    int best = -1;
    double bestDistance2 = radius * radius;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const double dx = columns[i].x - p.x(), dy = columns[i].y - p.y();
        const double d2 = dx * dx + dy * dy;
        if (d2 <= bestDistance2) {
            bestDistance2 = d2;
            best = int(i);
        }
    }
    return best;
}

AtomColumn ColumnEditTool::newColumnAt(const QPointF& imagePoint) const
{
    AtomColumn c;
    QPointF at = imagePoint;
    const Micrograph& image = mDocument->micrograph();
    const double radius = mOverlay ? mOverlay->markerRadius() : 3.0;
    if (mSnap) {
        at = localCentreOfMass(image, imagePoint, std::max(1.5, radius));
        if (at != imagePoint)
            c.refinement = Refinement::CentreOfMass;
    }
    c.x = at.x();
    c.y = at.y();
    const int px = int(std::lround(at.x())), py = int(std::lround(at.y()));
    if (px >= 0 && py >= 0 && px < image.width && py < image.height)
        c.intensity = image.at(px, py);
    return c;
}

bool ColumnEditTool::mousePress(ImageView& view, QMouseEvent* event)
{
    if (!mDocument || !mDocument->hasMicrograph())
        return false;
    mPressWidget = event->position();
    mPressImage = mLastImage = view.mapToImage(event->position());
    mExtend = extendsSelection(event->modifiers());
    mSelectionAtPress = mDocument->selection();
    const int hit = columnAt(mPressImage, pickRadius(view));
    if (hit < 0) {
        mGesture = Gesture::PressedOnEmpty;
        return true;
    }
    mGesture = Gesture::PressedOnColumn;
    if (mExtend) {
        std::vector<int> selection = mSelectionAtPress;
        if (mDocument->isSelected(hit))
            std::erase(selection, hit);
        else
            selection.push_back(hit);
        mDocument->setSelection(std::move(selection));
    } else if (!mDocument->isSelected(hit)) {
        mDocument->setSelection({hit});
    }
    mDragId = nextDragId();
    return true;
}

bool ColumnEditTool::mouseMove(ImageView& view, QMouseEvent* event)
{
    if (!mDocument || mGesture == Gesture::None)
        return false;
    const QPointF image = view.mapToImage(event->position());
    const bool farEnough = QLineF(event->position(), mPressWidget).length() >= kDragThreshold;
    if (mGesture == Gesture::PressedOnColumn && farEnough && !mDocument->selection().empty())
        mGesture = Gesture::Moving;
    if (mGesture == Gesture::PressedOnEmpty && farEnough)
        mGesture = Gesture::RubberBand;

    if (mGesture == Gesture::Moving) {
        const QPointF delta = image - mLastImage;
        mLastImage = image;
        mDocument->moveColumns(mDocument->selection(), delta.x(), delta.y(), mDragId);
    } else if (mGesture == Gesture::RubberBand) {
        mBand = QRectF(mPressImage, image).normalized();
        std::vector<int> selection = mExtend ? mSelectionAtPress : std::vector<int>{};
        const AtomColumns& columns = mDocument->columns();
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (mBand.contains(columns[i].x, columns[i].y))
                selection.push_back(int(i));
        mDocument->setSelection(std::move(selection));
        Q_EMIT changed();
    }
    return true;
}

bool ColumnEditTool::mouseRelease(ImageView& view, QMouseEvent* event)
{
    if (!mDocument || mGesture == Gesture::None)
        return false;
    const Gesture gesture = mGesture;
    mGesture = Gesture::None;
    if (gesture == Gesture::PressedOnEmpty) {
        const QPointF image = view.mapToImage(event->position());
        if (mExtend)
            return true; // a modified click on nothing keeps the selection
        if (view.imageRect().contains(image))
            mDocument->addColumn(newColumnAt(image));
        else
            mDocument->clearSelection();
    } else if (gesture == Gesture::RubberBand) {
        mBand = QRectF();
        Q_EMIT changed();
    }
    return true;
}

bool ColumnEditTool::keyPress(ImageView&, QKeyEvent* event)
{
    if (!mDocument)
        return false;
    if (event->key() == Qt::Key_Escape) {
        mDocument->clearSelection();
        return true;
    }
    if (event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) {
        mDocument->deleteSelectedColumns();
        return true;
    }
    return false;
}

void ColumnEditTool::paint(QPainter& painter, const OverlayContext& context)
{
    if (mGesture != Gesture::RubberBand || mBand.isNull())
        return;
    painter.resetTransform();
    const QRectF band = context.imageToWidget.mapRect(mBand);
    QPen pen(QColor(60, 235, 255), 1.0, Qt::DashLine);
    pen.setCosmetic(true);
    painter.setPen(pen);
    painter.setBrush(QColor(60, 235, 255, 40));
    painter.drawRect(band);
}

void ColumnEditTool::deactivate()
{
    mGesture = Gesture::None;
    mBand = QRectF();
}

} // namespace motifscope::ui
