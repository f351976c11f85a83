#pragma once
/** Small, fast, reproducible random numbers for the learning code (SplitMix64 and counter hashing). */

#include <cmath>
#include <cstdint>

namespace motifscope::learn {

/** Mixes a 64-bit value into a well-scrambled one (SplitMix64 finaliser). */
inline std::uint64_t mix64(std::uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/** A hash of several counters: the same inputs give the same stream on every machine and thread. */
inline std::uint64_t hashCounters(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0, std::uint64_t d = 0)
{
    return mix64(mix64(mix64(mix64(a) ^ b) ^ c) ^ d);
}

/** A sequential generator: SplitMix64 from a seed. */
class SplitMix
{
public:
    explicit SplitMix(std::uint64_t seed) : mState(seed) {}
    std::uint64_t next()
    {
        mState += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = mState;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /** Uniform in [0, 1). */
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    /** Uniform integer in [0, n). */
    std::uint32_t below(std::uint32_t n) { return std::uint32_t((std::uint64_t(std::uint32_t(next() >> 32)) * n) >> 32); }
    /** Standard normal (Box-Muller, one value per call). */
    double normal()
    {
        const double u = 1.0 - uniform(), v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
    }

private:
    std::uint64_t mState;
};

/** Uniform integer in [0, n) from a hash value. */
inline std::uint32_t hashBelow(std::uint64_t h, std::uint32_t n)
{
    return std::uint32_t((std::uint64_t(std::uint32_t(h >> 32)) * n) >> 32);
}

} // namespace motifscope::learn
