#include "ui/views/imageview.h"

#include "ui/document/micrographdocument.h"
#include "ui/views/imageoverlay.h"
#include "ui/views/viewtool.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

const QColor kBackground(38, 40, 43);
const QColor kPlaceholderText(140, 145, 152);
constexpr double kFitMargin = 4.0;  // widget pixels left around a fitted image
constexpr double kKeepVisible = 48.0; // widget pixels of image that panning never hides

} // namespace

ImageView::ImageView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setCursor(Qt::CrossCursor);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(120, 90);
}

ImageView::~ImageView() = default;

void ImageView::setDocument(MicrographDocument* document)
{
    if (mDocument == document)
        return;
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    if (mDocument) {
        connect(mDocument, &MicrographDocument::micrographChanged, this, &ImageView::onMicrographChanged);
        connect(mDocument, &MicrographDocument::contrastChanged, this, &ImageView::invalidateCache);
        connect(mDocument, &MicrographDocument::calibrationChanged, this, qOverload<>(&QWidget::update)); // scale bar
    }
    onMicrographChanged();
}

void ImageView::onMicrographChanged()
{
    invalidateCache();
    fitToWindow();
}

void ImageView::invalidateCache()
{
    mCacheStale = true;
    update();
}

void ImageView::ensureCache() const
{
    if (!mCacheStale)
        return;
    mCacheStale = false;
    if (!mDocument || !mDocument->hasMicrograph()) {
        mPyramid.clear();
        return;
    }
    mPyramid.rebuild(mDocument->micrograph(), mDocument->displayLow(), mDocument->displayHigh(),
                     mDocument->displaySettings().gamma);
}

const QImage& ImageView::displayImage() const
{
    ensureCache();
    return mPyramid.base();
}

// --- view transform ----------------------------------------------------------------------------

QRectF ImageView::imageRect() const
{
    if (!mDocument || !mDocument->hasMicrograph())
        return {};
    const Micrograph& m = mDocument->micrograph();
    return {-0.5, -0.5, double(m.width), double(m.height)};
}

QPointF ImageView::mapToImage(const QPointF& widgetPoint) const
{
    return (widgetPoint - mOffset) / mZoom;
}

QPointF ImageView::mapFromImage(const QPointF& imagePoint) const
{
    return imagePoint * mZoom + mOffset;
}

QTransform ImageView::imageToWidget() const
{
    return QTransform(mZoom, 0, 0, mZoom, mOffset.x(), mOffset.y());
}

QRectF ImageView::visibleImageRect() const
{
    return QRectF(mapToImage(QPointF(0, 0)), mapToImage(QPointF(width(), height()))).normalized();
}

QPointF ImageView::widgetCentre() const
{
    return {width() / 2.0, height() / 2.0};
}

double ImageView::fitZoom() const
{
    const QRectF image = imageRect();
    if (image.isEmpty())
        return 1.0;
    const double w = std::max(1.0, width() - 2 * kFitMargin);
    const double h = std::max(1.0, height() - 2 * kFitMargin);
    return std::min(w / image.width(), h / image.height());
}

double ImageView::minZoom() const
{
    return std::min(1.0, fitZoom()) / 4.0;
}

void ImageView::applyView(double zoom, const QPointF& offset, bool fitMode)
{
    QPointF newOffset = offset;
    const QRectF image = imageRect();
    if (!image.isEmpty() && !fitMode) {
        // Never pan the image entirely out of sight.
        const QRectF r = QTransform(zoom, 0, 0, zoom, offset.x(), offset.y()).mapRect(image);
        const double keepX = std::min(kKeepVisible, r.width()), keepY = std::min(kKeepVisible, r.height());
        if (r.right() < keepX)
            newOffset.rx() += keepX - r.right();
        else if (r.left() > width() - keepX)
            newOffset.rx() -= r.left() - (width() - keepX);
        if (r.bottom() < keepY)
            newOffset.ry() += keepY - r.bottom();
        else if (r.top() > height() - keepY)
            newOffset.ry() -= r.top() - (height() - keepY);
    }
    const bool zoomMoved = zoom != mZoom;
    const bool moved = zoomMoved || newOffset != mOffset;
    mZoom = zoom;
    mOffset = newOffset;
    mFitMode = fitMode;
    if (moved) {
        update();
        Q_EMIT viewChanged();
    }
    if (zoomMoved)
        Q_EMIT zoomChanged(mZoom);
}

void ImageView::setZoom(double zoom, const QPointF& widgetAnchor)
{
    if (!std::isfinite(zoom) || zoom <= 0.0)
        return;
    zoom = std::clamp(zoom, minZoom(), kMaxZoom);
    const QPointF anchorInImage = mapToImage(widgetAnchor);
    applyView(zoom, widgetAnchor - anchorInImage * zoom, false);
}

void ImageView::setView(double zoom, const QPointF& imageCentre)
{
    if (!std::isfinite(zoom) || zoom <= 0.0 || !std::isfinite(imageCentre.x()) || !std::isfinite(imageCentre.y()))
        return;
    zoom = std::clamp(zoom, minZoom(), kMaxZoom);
    applyView(zoom, widgetCentre() - imageCentre * zoom, false);
}

void ImageView::zoomAt(double factor, const QPointF& widgetAnchor)
{
    setZoom(mZoom * factor, widgetAnchor);
}

void ImageView::zoomIn()
{
    zoomAt(kZoomStep, widgetCentre());
}

void ImageView::zoomOut()
{
    zoomAt(1.0 / kZoomStep, widgetCentre());
}

void ImageView::zoomToActualSize()
{
    setZoom(1.0, widgetCentre());
}

void ImageView::fitToWindow()
{
    const QRectF image = imageRect();
    if (image.isEmpty()) {
        applyView(1.0, QPointF(), true);
        return;
    }
    const double zoom = fitZoom();
    applyView(zoom, widgetCentre() - image.center() * zoom, true);
}

// --- overlays and scale bar ----------------------------------------------------------------------

void ImageView::addOverlay(ImageOverlay* overlay)
{
    if (!overlay || mOverlays.contains(overlay))
        return;
    overlay->setParent(this);
    mOverlays.append(overlay);
    connect(overlay, &ImageOverlay::changed, this, qOverload<>(&QWidget::update));
    update();
}

void ImageView::removeOverlay(ImageOverlay* overlay)
{
    if (mOverlays.removeAll(overlay) > 0) {
        disconnect(overlay, nullptr, this, nullptr);
        update();
    }
}

QList<ImageOverlay*> ImageView::overlays() const
{
    QList<ImageOverlay*> list;
    for (const QPointer<ImageOverlay>& o : mOverlays)
        if (o)
            list.append(o);
    return list;
}

void ImageView::setTool(ViewTool* tool)
{
    if (tool == mTool)
        return;
    if (mTool) {
        disconnect(mTool, nullptr, this, nullptr);
        mTool->deactivate();
    }
    mTool = tool;
    if (mTool)
        connect(mTool, &ViewTool::changed, this, qOverload<>(&QWidget::update));
    if (!mPanning)
        restoreCursor();
    update();
}

ViewTool* ImageView::tool() const
{
    return mTool;
}

void ImageView::restoreCursor()
{
    setCursor(mSpaceHeld ? QCursor(Qt::OpenHandCursor) : mTool ? mTool->cursor() : QCursor(Qt::CrossCursor));
}

void ImageView::setScaleBarVisible(bool visible)
{
    if (visible == mScaleBarVisible)
        return;
    mScaleBarVisible = visible;
    update();
}

ScaleBar ImageView::scaleBar() const
{
    if (!mDocument || !mDocument->hasMicrograph())
        return {};
    const double maxLength = std::clamp(width() * 0.22, 40.0, 220.0);
    return chooseScaleBar(mDocument->micrograph().calibration, mZoom, maxLength);
}

// --- painting -----------------------------------------------------------------------------------

void ImageView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), kBackground);
    ensureCache();
    if (mPyramid.isEmpty()) {
        paintPlaceholder(painter);
        return;
    }
    // The pyramid level and smoothing follow device pixels: at devicePixelRatio 2 a zoom of 0.5
    // still draws every image pixel, and 1:1 is a 2 x 2 block, not a blur.
    const double deviceZoom = mZoom * devicePixelRatioF();
    const QImage& level = colouredLevel(mPyramid.levelForZoom(deviceZoom));
    painter.setRenderHint(QPainter::SmoothPixmapTransform, deviceZoom < 1.0);
    painter.setTransform(imageToWidget());
    painter.drawImage(imageRect(), level, QRectF(level.rect()));

    const OverlayContext context{imageToWidget(), mZoom, visibleImageRect()};
    for (const QPointer<ImageOverlay>& overlay : std::as_const(mOverlays)) {
        if (!overlay || !overlay->isVisible())
            continue;
        painter.save();
        painter.setTransform(context.imageToWidget);
        painter.setOpacity(overlay->opacity());
        overlay->paint(painter, context);
        painter.restore();
    }
    if (mTool) {
        painter.save();
        painter.setTransform(context.imageToWidget);
        mTool->paint(painter, context);
        painter.restore();
    }
    if (mScaleBarVisible)
        paintPlacedScaleBar(painter);
}

void ImageView::paintPlacedScaleBar(QPainter& painter)
{
    const ScaleBar bar = scaleBar();
    if (!bar.isValid())
        return;
    // Only columns near a corner can be under the bar: the others are skipped before placing it.
    const QSizeF box = scaleBarBoxSize(painter, bar);
    constexpr double kMarker = 6.0; // about a column marker's radius on screen
    const double reachX = box.width() + 14.0 + kMarker, reachY = box.height() + 14.0 + kMarker;
    std::vector<QPointF> nearCorners;
    if (mDocument) {
        const QTransform t = imageToWidget();
        const double w = width(), h = height();
        for (const AtomColumn& c : mDocument->columns()) {
            const QPointF p = t.map(QPointF(c.x, c.y));
            if ((p.x() < reachX || p.x() > w - reachX) && (p.y() < reachY || p.y() > h - reachY)
                && p.x() > -kMarker && p.y() > -kMarker && p.x() < w + kMarker && p.y() < h + kMarker)
                nearCorners.push_back(p);
        }
    }
    mScaleBarRect = placeScaleBar(rect(), box, nearCorners, kMarker);
    paintScaleBar(painter, mScaleBarRect, bar);
}

const QImage& ImageView::colouredLevel(const QImage& grey) const
{
    const LookupTable lut = mDocument ? mDocument->displaySettings().lut : LookupTable::Grey;
    if (lut == LookupTable::Grey || grey.isNull())
        return grey;
    // The grey bytes read as colour indices (no copy), converted once per level and table.
    if (mColouredKey != grey.cacheKey() || mColouredLut != lut || mColoured.isNull()) {
        QImage indexed(grey.constBits(), grey.width(), grey.height(), grey.bytesPerLine(), QImage::Format_Indexed8);
        indexed.setColorTable(lookupColours(lut));
        mColoured = indexed.convertToFormat(QImage::Format_RGB32);
        mColouredKey = grey.cacheKey();
        mColouredLut = lut;
    }
    return mColoured;
}

void ImageView::paintPlaceholder(QPainter& painter)
{
    painter.setPen(kPlaceholderText);
    QFont font = painter.font();
    font.setPointSizeF(font.pointSizeF() * 1.15);
    painter.setFont(font);
    painter.drawText(rect(), Qt::AlignCenter,
                     tr("Open a micrograph (Ctrl+O) or drop a file here\n"
                        "TIFF, DM3/DM4, EMD, SER, MRC, NPY, PNG, JPEG"));
}

// --- interaction --------------------------------------------------------------------------------

void ImageView::resizeEvent(QResizeEvent* event)
{
    if (mFitMode) {
        fitToWindow();
    } else {
        const QPointF grow = QPointF(event->size().width() - event->oldSize().width(),
                                     event->size().height() - event->oldSize().height()) / 2.0;
        if (event->oldSize().isValid())
            applyView(mZoom, mOffset + grow, false);
    }
    QWidget::resizeEvent(event);
}

void ImageView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0.0 || imageRect().isEmpty()) {
        event->ignore();
        return;
    }
    zoomAt(std::pow(kZoomStep, steps), event->position());
    event->accept();
}

void ImageView::startPan(const QPointF& at)
{
    mPanning = true;
    mPanLast = at;
    setCursor(Qt::ClosedHandCursor);
}

void ImageView::mousePressEvent(QMouseEvent* event)
{
    if (mPanning) {
        event->accept();
        return;
    }
    const bool left = event->button() == Qt::LeftButton;
    if (left && mTool && !mSpaceHeld && mTool->mousePress(*this, event)) {
        event->accept();
        return;
    }
    if (left || event->button() == Qt::MiddleButton) {
        mPanButton = event->button();
        startPan(event->position());
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void ImageView::mouseMoveEvent(QMouseEvent* event)
{
    if (mPanning) {
        const QPointF delta = event->position() - mPanLast;
        mPanLast = event->position();
        applyView(mZoom, mOffset + delta, false);
    } else if (mTool) {
        mTool->mouseMove(*this, event);
    }
    Q_EMIT cursorMoved(mapToImage(event->position()));
}

void ImageView::mouseReleaseEvent(QMouseEvent* event)
{
    if (mPanning && event->button() == mPanButton) {
        mPanning = false;
        mPanButton = Qt::NoButton;
        restoreCursor();
        event->accept();
        return;
    }
    if (!mPanning && mTool && event->button() == Qt::LeftButton && mTool->mouseRelease(*this, event)) {
        event->accept();
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

void ImageView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space) {
        if (!event->isAutoRepeat()) {
            mSpaceHeld = true;
            if (!mPanning)
                restoreCursor();
        }
        event->accept();
        return;
    }
    if (mTool && mTool->keyPress(*this, event)) {
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void ImageView::keyReleaseEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        mSpaceHeld = false;
        if (!mPanning)
            restoreCursor();
        event->accept();
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void ImageView::mouseDoubleClickEvent(QMouseEvent* event)
{
    // With a tool the second click of a double click is an ordinary press (quick edits).
    if (event->button() == Qt::LeftButton && mTool && !mSpaceHeld) {
        mousePressEvent(event);
        return;
    }
    if (event->button() == Qt::LeftButton)
        fitToWindow();
}

void ImageView::leaveEvent(QEvent* event)
{
    Q_EMIT cursorLeft();
    QWidget::leaveEvent(event);
}

} // namespace motifscope::ui
