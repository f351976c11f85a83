#pragma once
/** Where detection searched for columns: a translucent tint over the parts it left out. */

#include "ui/views/imageoverlay.h"

#include <QColor>
#include <QImage>
#include <QSize>

#include <cstdint>
#include <vector>

namespace motifscope::ui {

/**
 * Shows DetectionResult::contrastMask over the micrograph: cells without atomic contrast (vacuum,
 * amorphous support: no columns searched there) are tinted, the rest is left clear. The mask is
 * at `step`-pixel resolution: cell (mx, my) covers image pixels [mx * step, (mx + 1) * step).
 * Hidden by default (View > Atomic Contrast Mask).
 */
class ContrastMaskOverlay : public ImageOverlay
{
    Q_OBJECT
public:
    explicit ContrastMaskOverlay(QObject* parent = nullptr);

    /**
     * An empty mask (or a wrong size) means "searched everywhere": nothing is drawn. The tint is
     * clipped to the image (`imageSize` pixels); the last cells may reach past it.
     */
    void setMask(const std::vector<std::uint8_t>& mask, int width, int height, int step, QSize imageSize);
    void clear();
    bool hasMask() const { return !mImage.isNull(); }
    /** Fraction of the image left out (0 without a mask). */
    double excludedFraction() const { return mExcluded; }
    static QColor tint() { return QColor(70, 120, 255, 110); }

    void paint(QPainter& painter, const OverlayContext& context) override;

private:
    QImage mImage; ///< one pixel per mask cell: tint where excluded, transparent elsewhere
    int mStep = 1;
    QSize mImageSize;
    double mExcluded = 0.0;
};

} // namespace motifscope::ui
