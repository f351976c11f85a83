#pragma once
/** Hand correction of atom columns on the image view: add, select, rubber-band, drag to move. */

#include "core/detect/atom_column.h"
#include "ui/views/viewtool.h"

#include <QPointer>
#include <QPointF>
#include <QRectF>

#include <vector>

namespace motifscope {
struct Micrograph;
}

namespace motifscope::ui {

class ColumnOverlay;
class MicrographDocument;

/**
 * Left click on a column selects it (Shift or Ctrl toggles it in the selection); a click on empty
 * image adds a column there (snapped to the local intensity centre when snapping is on); a drag
 * from empty space selects everything inside the rubber band; a drag from a selected column moves
 * the selection (one undo step per drag). Escape clears the selection. Every change goes through
 * the document's undo commands.
 */
class ColumnEditTool : public ViewTool
{
    Q_OBJECT
public:
    /** Widget pixels the mouse must travel before a press becomes a drag. */
    static constexpr double kDragThreshold = 3.0;
    /** A click this close (widget pixels) to a marker hits it even when the marker is tiny. */
    static constexpr double kMinPickRadius = 6.0;

    ColumnEditTool(MicrographDocument* document, ColumnOverlay* overlay, QObject* parent = nullptr);

    /** Added columns move to the intensity centre within a marker radius (default on). */
    void setSnapping(bool snap) { mSnap = snap; }
    bool isSnapping() const { return mSnap; }

    /** The column nearest `imagePoint` within `radius` image pixels, or -1. */
    int columnAt(const QPointF& imagePoint, double radius) const;

    bool mousePress(ImageView& view, QMouseEvent* event) override;
    bool mouseMove(ImageView& view, QMouseEvent* event) override;
    bool mouseRelease(ImageView& view, QMouseEvent* event) override;
    bool keyPress(ImageView& view, QKeyEvent* event) override;
    void paint(QPainter& painter, const OverlayContext& context) override;
    void deactivate() override;

private:
    enum class Gesture
    {
        None,
        PressedOnColumn, ///< may become a move
        Moving,
        PressedOnEmpty,  ///< a click (add) or a rubber band
        RubberBand,
    };

    AtomColumn newColumnAt(const QPointF& imagePoint) const;
    double pickRadius(const ImageView& view) const;

    QPointer<MicrographDocument> mDocument;
    QPointer<ColumnOverlay> mOverlay;
    Gesture mGesture = Gesture::None;
    QPointF mPressWidget;
    QPointF mPressImage;
    QPointF mLastImage;
    QRectF mBand;
    bool mExtend = false;
    std::vector<int> mSelectionAtPress;
    int mDragId = 0;
    bool mSnap = true;
};

/**
 * The intensity-weighted centre of `image` within `radius` pixels of `start`, background (the
 * window minimum) removed, re-centred `iterations` times; `start` when there is no signal.
 */
QPointF localCentreOfMass(const Micrograph& image, const QPointF& start, double radius, int iterations = 3);

} // namespace motifscope::ui
