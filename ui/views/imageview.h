#pragma once
/** The micrograph on screen: zoom, pan, overlays in image coordinates and a scale bar. */

#include "ui/views/greypyramid.h"
#include "ui/views/lookuptable.h"
#include "ui/views/scalebar.h"

#include <QPointer>
#include <QWidget>

namespace motifscope::ui {

class ImageOverlay;
class MicrographDocument;
class ViewTool;

/**
 * Draws the document's micrograph through its own view transform, widget = image * zoom + offset,
 * with image coordinates whose pixel centres are the integers (pixel (0, 0) covers -0.5..0.5), as
 * in the CLI's CSV files. Wheel zooms about the cursor, left or middle drag pans (with a tool set,
 * the tool gets the left button; middle drag and space + left drag still pan). Smooth
 * (area-averaged) when zoomed out, nearest neighbour beyond 1:1 so single pixels stay visible.
 * Keeps no data of its own beyond the grey-level render cache.
 */
class ImageView : public QWidget
{
    Q_OBJECT
public:
    static constexpr double kMaxZoom = 64.0;
    static constexpr double kZoomStep = 1.25;

    explicit ImageView(QWidget* parent = nullptr);
    ~ImageView() override;

    void setDocument(MicrographDocument* document);
    MicrographDocument* document() const { return mDocument; }

    double zoom() const { return mZoom; }
    QPointF offset() const { return mOffset; }
    bool isFitMode() const { return mFitMode; }
    /** Zoom that shows the whole image in the widget. */
    double fitZoom() const;
    double minZoom() const;

    QPointF mapToImage(const QPointF& widgetPoint) const;
    QPointF mapFromImage(const QPointF& imagePoint) const;
    QTransform imageToWidget() const;
    /** The part of the image plane currently visible, in image coordinates. */
    QRectF visibleImageRect() const;
    /** The image's outline in image coordinates: (-0.5, -0.5, width, height). */
    QRectF imageRect() const;

    /** Adds an overlay drawn after the image, in the order added; the view takes ownership. */
    void addOverlay(ImageOverlay* overlay);
    void removeOverlay(ImageOverlay* overlay);
    QList<ImageOverlay*> overlays() const;

    /** The tool that gets left-button events (null: left drag pans); not owned. */
    void setTool(ViewTool* tool);
    ViewTool* tool() const;

    bool isScaleBarVisible() const { return mScaleBarVisible; }
    /** The scale bar for the current zoom and calibration (invalid when there is no image). */
    ScaleBar scaleBar() const;
    /** Where the scale bar was last drawn (widget pixels): the corner hiding the fewest columns. */
    QRectF scaleBarRect() const { return mScaleBarRect; }
    /** The 8-bit render cache of the whole image (null when there is no image). */
    const QImage& displayImage() const;

    QSize sizeHint() const override { return {800, 600}; }

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void fitToWindow();
    void zoomToActualSize();
    /** Multiplies the zoom by `factor`, keeping the image point under `widgetAnchor` fixed. */
    void zoomAt(double factor, const QPointF& widgetAnchor);
    /** Sets the zoom, keeping the image point under `widgetAnchor` fixed. */
    void setZoom(double zoom, const QPointF& widgetAnchor);
    void setScaleBarVisible(bool visible);
    /** Shows image point `imageCentre` in the middle of the view at `zoom` (a saved view). */
    void setView(double zoom, const QPointF& imageCentre);

Q_SIGNALS:
    /** Zoom or pan changed. */
    void viewChanged();
    void zoomChanged(double zoom);
    /** The cursor is over the view at `imagePoint` (which may lie outside the image). */
    void cursorMoved(const QPointF& imagePoint);
    void cursorLeft();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void onMicrographChanged();
    void ensureCache() const;
    void invalidateCache();
    void applyView(double zoom, const QPointF& offset, bool fitMode);
    void paintPlaceholder(QPainter& painter);
    void paintPlacedScaleBar(QPainter& painter);
    /** `grey` (a pyramid level) in the document's lookup table; `grey` itself for Grey. */
    const QImage& colouredLevel(const QImage& grey) const;
    QPointF widgetCentre() const;
    void startPan(const QPointF& at);
    void restoreCursor();

    QPointer<MicrographDocument> mDocument;
    mutable GreyPyramid mPyramid; // render cache, rebuilt lazily when marked stale
    mutable bool mCacheStale = true;
    QList<QPointer<ImageOverlay>> mOverlays;
    double mZoom = 1.0;
    QPointF mOffset;
    bool mFitMode = true;
    bool mScaleBarVisible = true;
    QRectF mScaleBarRect;
    mutable QImage mColoured; // the last level drawn in a lookup table other than grey
    mutable qint64 mColouredKey = 0;
    mutable LookupTable mColouredLut = LookupTable::Grey;
    bool mPanning = false;
    Qt::MouseButton mPanButton = Qt::NoButton;
    bool mSpaceHeld = false;
    QPointF mPanLast;
    QPointer<ViewTool> mTool;
};

} // namespace motifscope::ui
