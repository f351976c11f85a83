#include "ui/learn/patchimage.h"

#include "core/render/contrast.h"
#include "ui/views/greylevels.h"

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

std::pair<double, double> patchDisplayLimits(const std::vector<float>& values)
{
    if (values.empty())
        return {0.0, 1.0};
    return percentileLimits(values.data(), values.size(), 1.0, 99.0);
}

QImage greyPatchImage(const std::vector<float>& values, int size, double low, double high, int scale)
{
    if (size <= 0 || values.size() != std::size_t(size) * std::size_t(size) || scale < 1)
        return {};
    if (!(high > low))
        high = low + 1.0;
    std::vector<std::uint8_t> grey(values.size());
    mapToGreyLevels(values.data(), values.size(), low, high, 1.0, grey.data());
    QImage image(size * scale, size * scale, QImage::Format_Grayscale8);
    for (int y = 0; y < image.height(); ++y) {
        uchar* line = image.scanLine(y);
        const std::uint8_t* source = grey.data() + std::size_t(y / scale) * std::size_t(size);
        for (int x = 0; x < image.width(); ++x)
            line[x] = source[x / scale];
    }
    return image;
}

QImage greyPatchImage(const std::vector<float>& values, int size, int scale)
{
    const auto [low, high] = patchDisplayLimits(values);
    return greyPatchImage(values, size, low, high, scale);
}

} // namespace motifscope::ui
