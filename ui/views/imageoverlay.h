#pragma once
/** Something drawn over the micrograph in image coordinates (column markers, motif colours, ...). */

#include <QObject>
#include <QRectF>
#include <QTransform>

class QPainter;

namespace motifscope::ui {

/** What an overlay needs to draw only what is visible, at a level of detail fitting the zoom. */
struct OverlayContext
{
    QTransform imageToWidget; ///< image coordinates (pixel centres at integers) to widget pixels
    double zoom = 1.0;        ///< widget pixels per image pixel
    QRectF visibleImage;      ///< the part of the image plane in view, in image coordinates
};

/**
 * Base of every overlay. The view calls paint() with the painter already transformed to image
 * coordinates (reset it to draw fixed-size markers in widget pixels via context.imageToWidget).
 * Emit changed() to request a repaint.
 */
class ImageOverlay : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void paint(QPainter& painter, const OverlayContext& context) = 0;

    bool isVisible() const { return mVisible; }
    void setVisible(bool visible)
    {
        if (visible == mVisible)
            return;
        mVisible = visible;
        Q_EMIT changed();
    }

    /** How opaque the whole layer is drawn, 0..1 (the view applies it; default 1). */
    double opacity() const { return mOpacity; }
    void setOpacity(double opacity)
    {
        opacity = opacity < 0.0 ? 0.0 : opacity > 1.0 ? 1.0 : opacity;
        if (opacity == mOpacity)
            return;
        mOpacity = opacity;
        Q_EMIT changed();
    }

Q_SIGNALS:
    void changed();

private:
    bool mVisible = true;
    double mOpacity = 1.0;
};

} // namespace motifscope::ui
