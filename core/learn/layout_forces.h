#pragma once
/**
 * The layout's force coefficients as tables of the squared distance (embedding.cpp). For the kernel
 * q(d) = 1 / (1 + a d^(2b)) an edge pulls its ends together with the gradient coefficient
 *     attract(d2) = -2 a b d2^(b-1) / (1 + a d2^b)
 * and a negative sample pushes a point away with
 *     repel(d2)   =  2 b / ((0.001 + d2) (1 + a d2^b)),
 * both functions of d2 = |y_i - y_j|^2 alone (UMAP's gradients). Evaluating d2^b takes a logarithm
 * and an exponential; reading the table takes the float's bits: the exponent and the top 5 bits of
 * the mantissa pick one of 32 entries per octave, the other 18 bits interpolate linearly between two
 * neighbouring entries (relative error about 1e-4, far below the layout's sampling noise).
 */

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace motifscope::learn {

class LayoutForces
{
public:
    LayoutForces(float a, float b)
    {
        mEntries.resize(kEntries + 1);
        for (std::uint32_t e = 0; e <= kEntries; ++e) {
            const double d2 = valueOfBits(kMinBits + (e << kFractionBits));
            const double powB = std::pow(d2, double(b));
            const double denominator = 1.0 + double(a) * powB;
            mEntries[e].attract = float(-2.0 * a * b * powB / d2 / denominator);
            mEntries[e].repel = float(2.0 * b / ((0.001 + d2) * denominator));
        }
        for (std::uint32_t e = 0; e < kEntries; ++e) {
            mEntries[e].attractSlope = mEntries[e + 1].attract - mEntries[e].attract;
            mEntries[e].repelSlope = mEntries[e + 1].repel - mEntries[e].repel;
        }
    }

    /** Attraction coefficient at squared distance d2 > 0 (clamped to [2^-24, 2^24]). */
    float attract(float d2) const
    {
        float t;
        const Entry& e = lookup(d2, t);
        return e.attract + t * e.attractSlope;
    }
    /** Repulsion coefficient at squared distance d2 >= 0 (clamped to [2^-24, 2^24]). */
    float repel(float d2) const
    {
        float t;
        const Entry& e = lookup(d2, t);
        return e.repel + t * e.repelSlope;
    }

private:
    struct Entry
    {
        float attract, attractSlope, repel, repelSlope;
    };
    static constexpr std::uint32_t kFractionBits = 18;                   ///< 23 - 5 mantissa bits per entry
    static constexpr std::uint32_t kMinBits = std::uint32_t(127 - 24) << 23; ///< 2^-24
    static constexpr std::uint32_t kMaxBits = std::uint32_t(127 + 24) << 23; ///< 2^24
    static constexpr std::uint32_t kEntries = (kMaxBits - kMinBits) >> kFractionBits;

    static float valueOfBits(std::uint32_t bits)
    {
        float v;
        std::memcpy(&v, &bits, 4);
        return v;
    }

    const Entry& lookup(float d2, float& t) const
    {
        std::uint32_t bits;
        std::memcpy(&bits, &d2, 4);
        bits = std::clamp(bits, kMinBits, kMaxBits - 1); // d2 >= 0, so the bits order like the values
        const std::uint32_t offset = bits - kMinBits;
        t = float(offset & ((1u << kFractionBits) - 1)) * (1.0f / float(1u << kFractionBits));
        return mEntries[offset >> kFractionBits];
    }

    std::vector<Entry> mEntries;
};

} // namespace motifscope::learn
