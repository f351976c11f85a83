#include "core/util/float_median.h"

#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace motifscope {

namespace {

constexpr std::size_t kBins = std::size_t(1) << 16;
constexpr std::size_t kSerialBelow = std::size_t(1) << 16; ///< small inputs: one copy and nth_element
constexpr std::size_t kGrain = std::size_t(1) << 16;

/** Unsigned key with the floats' order: negative values flipped whole, positive ones get the sign bit. */
inline std::uint32_t orderedKey(float v)
{
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(v);
    return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

} // namespace

float floatOfRank(const float* values, std::size_t count, std::size_t rank)
{
    if (count == 0 || rank >= count)
        throw std::invalid_argument("floatOfRank: rank outside the values");
    if (count < kSerialBelow) {
        std::vector<float> copy(values, values + count);
        std::nth_element(copy.begin(), copy.begin() + std::ptrdiff_t(rank), copy.end());
        return copy[rank];
    }
    using Histogram = std::vector<std::uint32_t>;
    tbb::combinable<Histogram> local([] { return Histogram(kBins, 0); });
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, kGrain), [&](const tbb::blocked_range<std::size_t>& r) {
        Histogram& h = local.local();
        for (std::size_t i = r.begin(); i != r.end(); ++i)
            ++h[orderedKey(values[i]) >> 16];
    });
    Histogram total(kBins, 0);
    local.combine_each([&](const Histogram& h) {
        for (std::size_t b = 0; b < kBins; ++b)
            total[b] += h[b];
    });
    std::size_t below = 0, bin = 0;
    while (below + total[bin] <= rank)
        below += total[bin++];
    const std::uint32_t wanted = std::uint32_t(bin);
    tbb::combinable<std::vector<float>> members;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, kGrain), [&](const tbb::blocked_range<std::size_t>& r) {
        std::vector<float>& m = members.local();
        for (std::size_t i = r.begin(); i != r.end(); ++i)
            if ((orderedKey(values[i]) >> 16) == wanted)
                m.push_back(values[i]);
    });
    std::vector<float> inBin;
    inBin.reserve(total[bin]);
    members.combine_each([&](const std::vector<float>& m) { inBin.insert(inBin.end(), m.begin(), m.end()); });
    const std::size_t k = rank - below;
    std::nth_element(inBin.begin(), inBin.begin() + std::ptrdiff_t(k), inBin.end());
    return inBin[k];
}

} // namespace motifscope
