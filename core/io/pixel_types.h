#pragma once
/** Stored pixel data types and their conversion to float32, shared by every binary reader. */

#include <cstddef>
#include <cstdint>
#include <string>

namespace motifscope {

enum class PixelType
{
    Bool,
    Int8,
    UInt8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float16,    ///< IEEE binary16 (half)
    Float32,
    Float64,
    Complex64,  ///< two float32 (re, im); converted to the modulus
    Complex128, ///< two float64 (re, im); converted to the modulus
    RGB8,       ///< three uint8 (r, g, b); converted to luminance
    RGBA8,      ///< four uint8 (r, g, b, a); converted to luminance, alpha ignored
};

enum class ByteOrder
{
    Little,
    Big
};

/** numpy-style name of a stored type: "uint16", "float32", "rgb8", ... */
const char* pixelTypeName(PixelType type);

/** Bytes one pixel occupies in the file. */
std::size_t pixelTypeSize(PixelType type);

/** The byte order of the machine running MotifScope. */
ByteOrder hostByteOrder();

/**
 * Converts `count` stored pixels at `src` (which must hold count * pixelTypeSize(type) bytes)
 * into float32 at `dst`. Rules: integers and floats by value; complex to modulus |z|;
 * RGB to Rec. 601 luma 0.299 R + 0.587 G + 0.114 B; bool to 0/1.
 */
void convertPixels(const std::uint8_t* src, PixelType type, ByteOrder order, std::size_t count, float* dst);

} // namespace motifscope
