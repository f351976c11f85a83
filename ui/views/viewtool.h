#pragma once
/** A mouse tool plugged into ImageView (editing columns, later: drawing regions, measuring). */

#include "ui/views/imageoverlay.h"

#include <QCursor>
#include <QObject>

class QKeyEvent;
class QMouseEvent;
class QPainter;

namespace motifscope::ui {

class ImageView;

/**
 * Gets the view's left-button mouse events first (middle drag and space + left drag always pan).
 * Return true from a handler to take the event; false lets the view pan as usual. paint() draws
 * transient feedback (a rubber band) over the overlays, with the painter in image coordinates.
 */
class ViewTool : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual bool mousePress(ImageView& view, QMouseEvent* event) = 0;
    virtual bool mouseMove(ImageView& view, QMouseEvent* event) = 0;
    virtual bool mouseRelease(ImageView& view, QMouseEvent* event) = 0;
    virtual bool keyPress(ImageView&, QKeyEvent*) { return false; }
    virtual void paint(QPainter&, const OverlayContext&) {}
    virtual QCursor cursor() const { return Qt::CrossCursor; }
    /** The tool was removed from the view: drop any gesture in progress. */
    virtual void deactivate() {}

Q_SIGNALS:
    /** Its feedback changed: the view repaints. */
    void changed();
};

} // namespace motifscope::ui
