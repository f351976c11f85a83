#include "core/synth/random.h"

#include <array>
#include <cmath>
#include <numbers>

namespace motifscope::synth {

namespace {

std::uint64_t splitMix64(std::uint64_t& state)
{
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/** ln(k!) for k = 0..31, summed once. */
const std::array<double, 32>& smallLogFactorials()
{
    static const std::array<double, 32> table = [] {
        std::array<double, 32> t{};
        double sum = 0.0;
        for (int k = 0; k < 32; ++k) {
            if (k > 1)
                sum += std::log(static_cast<double>(k));
            t[k] = sum;
        }
        return t;
    }();
    return table;
}

} // namespace

std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index)
{
    std::uint64_t s = seed;
    std::uint64_t h = splitMix64(s);
    s = h ^ (stream * 0xD1B54A32D192ED03ULL);
    h = splitMix64(s);
    s = h ^ (index * 0x8CB92BA72F3D8DD7ULL);
    return splitMix64(s);
}

Random::Random(std::uint64_t seed)
{
    std::uint64_t s = seed;
    for (auto& word : mState)
        word = splitMix64(s);
}

std::uint64_t Random::next()
{
    const std::uint64_t result = rotl(mState[1] * 5, 7) * 9;
    const std::uint64_t t = mState[1] << 17;
    mState[2] ^= mState[0];
    mState[3] ^= mState[1];
    mState[1] ^= mState[2];
    mState[0] ^= mState[3];
    mState[2] ^= t;
    mState[3] = rotl(mState[3], 45);
    return result;
}

double Random::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Random::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

int Random::uniformInt(int lo, int hiInclusive)
{
    if (hiInclusive <= lo)
        return lo;
    const std::uint64_t range = static_cast<std::uint64_t>(static_cast<std::int64_t>(hiInclusive) - lo) + 1;
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % range; // reject the biased top slice
    std::uint64_t r = next();
    while (r >= limit)
        r = next();
    return static_cast<int>(static_cast<std::int64_t>(lo) + static_cast<std::int64_t>(r % range));
}

double Random::normal()
{
    if (mHasSpare) {
        mHasSpare = false;
        return mSpare;
    }
    const double u1 = 1.0 - uniform(); // (0, 1]: log is finite
    const double u2 = uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * std::numbers::pi * u2;
    mSpare = radius * std::sin(angle);
    mHasSpare = true;
    return radius * std::cos(angle);
}

std::uint64_t Random::poisson(double mean)
{
    if (!(mean > 0.0))
        return 0;
    if (mean < 10.0) {
        // Knuth: count uniforms until their product drops below exp(-mean).
        const double limit = std::exp(-mean);
        double product = uniform();
        std::uint64_t k = 0;
        while (product > limit) {
            product *= uniform();
            ++k;
        }
        return k;
    }
    // PTRS: W. Hörmann, "The transformed rejection method for generating Poisson random variables",
    // Insurance: Mathematics and Economics 12 (1993) 39-45. Valid for mean >= 10.
    const double smu = std::sqrt(mean);
    const double b = 0.931 + 2.53 * smu;
    const double a = -0.059 + 0.02483 * b;
    const double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2.0);
    const double logMean = std::log(mean);
    for (;;) {
        const double u = uniform() - 0.5;
        const double v = uniform();
        const double us = 0.5 - std::fabs(u);
        const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= vr)
            return static_cast<std::uint64_t>(k < 0.0 ? 0.0 : k);
        if (k < 0.0 || (us < 0.013 && v > us))
            continue;
        const double lhs = std::log(v * invAlpha / (a / (us * us) + b));
        const double rhs = -mean + k * logMean - logFactorial(k);
        if (lhs <= rhs)
            return static_cast<std::uint64_t>(k);
    }
}

double logFactorial(double k)
{
    if (k < 32.0)
        return k <= 1.0 ? 0.0 : smallLogFactorials()[static_cast<int>(k)];
    const double inv = 1.0 / k;
    const double inv2 = inv * inv;
    return k * std::log(k) - k + 0.5 * std::log(2.0 * std::numbers::pi * k)
        + inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 / 1260.0));
}

} // namespace motifscope::synth
