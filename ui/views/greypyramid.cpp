#include "ui/views/greypyramid.h"

#include "ui/views/greylevels.h"

#include <cmath>

namespace motifscope::ui {

void GreyPyramid::rebuild(const Micrograph& image, double low, double high, double gamma)
{
    mLevels.clear();
    if (image.empty() || image.width <= 0 || image.height <= 0)
        return;
    QImage grey(image.width, image.height, QImage::Format_Grayscale8);
    if (grey.isNull())
        return; // out of memory: show nothing rather than crash
    for (int y = 0; y < image.height; ++y)
        mapToGreyLevels(image.pixels.data() + std::size_t(y) * std::size_t(image.width),
                        std::size_t(image.width), low, high, gamma, grey.scanLine(y));
    mLevels.append(grey);
}

void GreyPyramid::clear()
{
    mLevels.clear();
}

const QImage& GreyPyramid::base() const
{
    static const QImage none;
    return mLevels.isEmpty() ? none : mLevels.front();
}

const QImage& GreyPyramid::levelForZoom(double zoom)
{
    if (mLevels.isEmpty() || !(zoom < 0.5))
        return base();
    const int wanted = std::min(16, int(std::floor(std::log2(1.0 / zoom))));
    while (mLevels.size() <= wanted) {
        const QImage& finer = mLevels.back();
        if (finer.width() < 4 || finer.height() < 4)
            break;
        mLevels.append(finer.scaled((finer.width() + 1) / 2, (finer.height() + 1) / 2, Qt::IgnoreAspectRatio,
                                    Qt::SmoothTransformation));
    }
    return mLevels[std::min<qsizetype>(wanted, mLevels.size() - 1)];
}

} // namespace motifscope::ui
