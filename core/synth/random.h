#pragma once
/** A small deterministic random generator: identical streams on every platform and compiler. */

#include <cstdint>

namespace motifscope::synth {

/** xoshiro256** seeded through SplitMix64, with its own distributions (std:: ones vary by library). */
class Random
{
public:
    explicit Random(std::uint64_t seed);
    std::uint64_t next();
    double uniform();                          ///< [0, 1)
    double uniform(double lo, double hi);      ///< [lo, hi)
    int uniformInt(int lo, int hiInclusive);
    double normal();                           ///< standard normal (Box-Muller)
    double normal(double mean, double sigma) { return mean + sigma * normal(); }
    std::uint64_t poisson(double mean);        ///< exact for small means, normal approximation above 500

private:
    std::uint64_t mState[4];
    bool mHasSpare = false;
    double mSpare = 0.0;
};

} // namespace motifscope::synth
