#pragma once
/** IEEE 754 binary16 ("half", float16) to float32, written out by hand (MRC mode 12, NPY '<f2', TIFF). */

#include <cstdint>
#include <cstring>

namespace motifscope {

/** Converts one binary16 bit pattern to float32 exactly (every half value is representable). */
inline float halfToFloat(std::uint16_t half)
{
    const std::uint32_t sign = std::uint32_t(half >> 15) << 31;
    std::uint32_t exponent = (half >> 10) & 0x1f;
    std::uint32_t mantissa = half & 0x3ff;
    std::uint32_t bits = 0;
    if (exponent == 0x1f) {
        // Infinity (mantissa 0) or NaN (payload kept in the top mantissa bits).
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) {
        // Normal number: rebias the exponent from 15 to 127.
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign; // signed zero
    } else {
        // Subnormal half: shift the mantissa up until its leading 1 becomes the implicit bit.
        exponent = 113;
        while ((mantissa & 0x400) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
    }
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

/** Converts `count` stored halves at `src` in the given byte order (little = true) to float32. */
inline void convertHalves(const std::uint8_t* src, bool littleEndian, std::size_t count, float* dst)
{
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint8_t* p = src + 2 * i;
        const std::uint16_t h =
            littleEndian ? std::uint16_t(p[0] | (p[1] << 8)) : std::uint16_t((p[0] << 8) | p[1]);
        dst[i] = halfToFloat(h);
    }
}

} // namespace motifscope
