#pragma once
/** A small deterministic random generator: identical streams on every platform and compiler. */

#include <cstdint>

namespace motifscope::synth {

/**
 * A seed for an independent sub-stream: hashes (seed, stream, index) through SplitMix64 so that,
 * e.g., every image row draws its noise from its own generator and results never depend on how
 * rows are spread over threads.
 */
std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index = 0);

/** xoshiro256** seeded through SplitMix64, with its own distributions (std:: ones vary by library). */
class Random
{
public:
    explicit Random(std::uint64_t seed);
    std::uint64_t next();
    double uniform();                          ///< [0, 1), 53 random bits
    double uniform(double lo, double hi);      ///< [lo, hi)
    int uniformInt(int lo, int hiInclusive);   ///< unbiased (rejection), lo..hiInclusive
    double normal();                           ///< standard normal (Box-Muller, spare value kept)
    double normal(double mean, double sigma) { return mean + sigma * normal(); }
    /**
     * Poisson variate, exact: multiplication method (Knuth) below mean 10, Hörmann's transformed
     * rejection (PTRS, 1993) from 10 up. Returns 0 for a mean <= 0 or NaN.
     */
    std::uint64_t poisson(double mean);

private:
    std::uint64_t mState[4];
    bool mHasSpare = false;
    double mSpare = 0.0;
};

/** ln(k!) to double precision: exact sums below 32, Stirling's series above. */
double logFactorial(double k);

} // namespace motifscope::synth
