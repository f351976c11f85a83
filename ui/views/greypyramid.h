#pragma once
/** The view's render cache: the micrograph as 8-bit grey, plus halved copies for zoomed-out views. */

#include "core/io/micrograph.h"

#include <QImage>
#include <QList>

namespace motifscope::ui {

/**
 * Level 0 is the micrograph mapped to grey levels (Format_Grayscale8, one pixel per image pixel);
 * level k is level 0 shrunk 2^k times by area averaging, built on first use. Drawing a level close
 * to the screen resolution keeps zoomed-out views free of aliasing and fast on large images.
 */
class GreyPyramid
{
public:
    /** Rebuilds level 0 from `image` with the grey mapping (low, high, gamma); drops the others. */
    void rebuild(const Micrograph& image, double low, double high, double gamma);
    void clear();

    bool isEmpty() const { return mLevels.isEmpty(); }
    const QImage& base() const;
    /** The coarsest level still at least as fine as the screen at `zoom` widget px per image px. */
    const QImage& levelForZoom(double zoom);

private:
    QList<QImage> mLevels;
};

} // namespace motifscope::ui
