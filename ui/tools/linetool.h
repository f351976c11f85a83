#pragma once
/** A line on the image (as Fiji's straight-line tool): its calibrated length and the intensity profile along it. */

#include "ui/views/viewtool.h"

#include <QPointer>
#include <QPointF>

#include <vector>

namespace motifscope {
struct Micrograph;
}

namespace motifscope::ui {

class MicrographDocument;

/**
 * The micrograph's values along the segment a -> b (image coordinates), one sample per pixel of
 * length (bilinear; NaN outside the image): floor(length) + 1 samples, the first at a.
 */
std::vector<float> lineProfile(const Micrograph& image, QPointF a, QPointF b);

/**
 * Drag on the image to draw a line (a click alone clears it; Escape too). The line is drawn with
 * its length in the image's calibrated unit (pixels when uncalibrated); lineChanged() reports it.
 */
class LineTool : public ViewTool
{
    Q_OBJECT
public:
    explicit LineTool(MicrographDocument* document, QObject* parent = nullptr);

    bool hasLine() const { return mHasLine; }
    QPointF start() const { return mStart; }
    QPointF end() const { return mEnd; }
    /** Length in pixels, and in the calibrated unit (= pixels when uncalibrated). */
    double lengthPixels() const;
    double lengthCalibrated() const;
    /** "1.234 nm (61.7 px)", or "61.7 px" when uncalibrated. */
    QString lengthText() const;
    /** Sets the line as a drag would (image coordinates). */
    void setLine(QPointF start, QPointF end);
    void clearLine();

    bool mousePress(ImageView& view, QMouseEvent* event) override;
    bool mouseMove(ImageView& view, QMouseEvent* event) override;
    bool mouseRelease(ImageView& view, QMouseEvent* event) override;
    bool keyPress(ImageView& view, QKeyEvent* event) override;
    void paint(QPainter& painter, const OverlayContext& context) override;
    void deactivate() override;

Q_SIGNALS:
    /** The line moved, was drawn or cleared (hasLine() false). */
    void lineChanged();

private:
    QPointer<MicrographDocument> mDocument;
    QPointF mStart, mEnd;
    bool mHasLine = false;
    bool mDragging = false;
};

} // namespace motifscope::ui
