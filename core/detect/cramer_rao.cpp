#include "core/detect/cramer_rao.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace motifscope {

namespace {

template <int N>
PositionError boundFor(const std::array<ModelColumn, kMaxGroup>& group, std::span<const ModelColumn> others,
                       std::span<const ModelColumn> moreOthers, double width, double background, const NoiseModel& noise, int imageWidth, int imageHeight)
{
    using G = GaussianGroup<N>;
    typename G::Vector q;
    for (int k = 0; k < N; ++k) {
        q[G::amplitude(k)] = group[k].amplitude;
        q[G::xIndex(k)] = group[k].x;
        q[G::yIndex(k)] = group[k].y;
    }
    q[G::width()] = width;
    q[G::background()] = background;
    const double reach = kBoundReachWidths * width;
    // Every pixel within reach of a column of the group (the union of their disks), on the image.
    double minX = group[0].x, maxX = minX, minY = group[0].y, maxY = minY;
    for (int k = 1; k < N; ++k) {
        minX = std::min(minX, group[k].x), maxX = std::max(maxX, group[k].x);
        minY = std::min(minY, group[k].y), maxY = std::max(maxY, group[k].y);
    }
    const int x0 = std::max(0, int(std::floor(minX - reach))), x1 = std::min(imageWidth - 1, int(std::ceil(maxX + reach)));
    const int y0 = std::max(0, int(std::floor(minY - reach))), y1 = std::min(imageHeight - 1, int(std::ceil(maxY + reach)));
    auto withinReach = [&](int px, int py) {
        for (int k = 0; k < N; ++k)
            if ((px - group[k].x) * (px - group[k].x) + (py - group[k].y) * (py - group[k].y) <= reach * reach)
                return true;
        return false;
    };
    const double inv2s2 = 1.0 / (2.0 * width * width);
    typename G::Matrix fisher = G::Matrix::Zero();
    typename G::Vector gradient;
    for (int py = y0; py <= y1; ++py) {
        for (int px = x0; px <= x1; ++px) {
            if (!withinReach(px, py))
                continue;
            double mean = G::value(q, px, py, &gradient);
            for (const ModelColumn& o : others)
                mean += o.amplitude * std::exp(-((px - o.x) * (px - o.x) + (py - o.y) * (py - o.y)) * inv2s2);
            for (const ModelColumn& o : moreOthers)
                mean += o.amplitude * std::exp(-((px - o.x) * (px - o.x) + (py - o.y) * (py - o.y)) * inv2s2);
            addPixelInformation(fisher, gradient, noise.variance(mean));
        }
    }
    PositionError out;
    if (!positionError<N>(fisher, 0, out))
        return {};
    return out;
}

} // namespace

PositionError cramerRaoBound(const ModelColumn& target, std::span<const ModelColumn> partners,
                             std::span<const ModelColumn> others, double width, double background,
                             const NoiseModel& noise, int imageWidth, int imageHeight)
{
    std::array<ModelColumn, kMaxGroup> group{};
    group[0] = target;
    const int n = 1 + int(std::min<std::size_t>(partners.size(), kMaxGroup - 1));
    for (int k = 1; k < n; ++k)
        group[k] = partners[std::size_t(k - 1)];
    // Partners beyond the group's capacity count as known neighbours.
    const std::span<const ModelColumn> extra = partners.subspan(std::size_t(n - 1));
    switch (n) {
    case 1: return boundFor<1>(group, others, extra, width, background, noise, imageWidth, imageHeight);
    case 2: return boundFor<2>(group, others, extra, width, background, noise, imageWidth, imageHeight);
    default: return boundFor<3>(group, others, extra, width, background, noise, imageWidth, imageHeight);
    }
}

} // namespace motifscope
