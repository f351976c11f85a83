#include "core/render/contrast.h"

#include "core/util/float_median.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace motifscope {

std::pair<double, double> percentileLimits(const float* data, std::size_t count, double lowPercent, double highPercent)
{
    const std::size_t step = std::max<std::size_t>(1, count / (1u << 20));
    std::vector<float> sample;
    sample.reserve(count / step + 1);
    for (std::size_t i = 0; i < count; i += step)
        if (std::isfinite(data[i]))
            sample.push_back(data[i]);
    if (sample.empty())
        return {0.0, 1.0};
    auto at = [&](double percent) {
        const double p = std::clamp(percent, 0.0, 100.0) / 100.0;
        const std::size_t k = std::min(sample.size() - 1, std::size_t(p * double(sample.size() - 1) + 0.5));
        return double(floatOfRank(sample.data(), sample.size(), k)); // exact rank, in parallel
    };
    double low = at(lowPercent), high = at(highPercent);
    if (!(high > low)) {
        const double pad = std::max(1e-6, std::abs(low) * 1e-6);
        low -= pad;
        high += pad;
    }
    return {low, high};
}

double niceScaleBarLength(double maxLength)
{
    if (!(maxLength > 0.0) || !std::isfinite(maxLength))
        return 0.0;
    const double power = std::pow(10.0, std::floor(std::log10(maxLength)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * power <= maxLength * (1 + 1e-9))
            return m * power;
    return power;
}

} // namespace motifscope
