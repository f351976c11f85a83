#include "core/io/pixel_types.h"

#include "core/io/half_float.h"

#include <cmath>
#include <cstring>

namespace motifscope {

const char* pixelTypeName(PixelType type)
{
    switch (type) {
    case PixelType::Bool: return "bool";
    case PixelType::Int8: return "int8";
    case PixelType::UInt8: return "uint8";
    case PixelType::Int16: return "int16";
    case PixelType::UInt16: return "uint16";
    case PixelType::Int32: return "int32";
    case PixelType::UInt32: return "uint32";
    case PixelType::Int64: return "int64";
    case PixelType::UInt64: return "uint64";
    case PixelType::Float16: return "float16";
    case PixelType::Float32: return "float32";
    case PixelType::Float64: return "float64";
    case PixelType::Complex64: return "complex64";
    case PixelType::Complex128: return "complex128";
    case PixelType::RGB8: return "rgb8";
    case PixelType::RGBA8: return "rgba8";
    }
    return "unknown";
}

std::size_t pixelTypeSize(PixelType type)
{
    switch (type) {
    case PixelType::Bool:
    case PixelType::Int8:
    case PixelType::UInt8: return 1;
    case PixelType::Int16:
    case PixelType::UInt16:
    case PixelType::Float16: return 2;
    case PixelType::RGB8: return 3;
    case PixelType::Int32:
    case PixelType::UInt32:
    case PixelType::Float32:
    case PixelType::RGBA8: return 4;
    case PixelType::Int64:
    case PixelType::UInt64:
    case PixelType::Float64:
    case PixelType::Complex64: return 8;
    case PixelType::Complex128: return 16;
    }
    return 1;
}

ByteOrder hostByteOrder()
{
    const std::uint16_t probe = 1;
    std::uint8_t first = 0;
    std::memcpy(&first, &probe, 1);
    return first == 1 ? ByteOrder::Little : ByteOrder::Big;
}

namespace {

template<typename T>
T load(const std::uint8_t* p, bool swap)
{
    std::uint8_t bytes[sizeof(T)];
    if (swap) {
        for (std::size_t i = 0; i < sizeof(T); ++i)
            bytes[i] = p[sizeof(T) - 1 - i];
    } else {
        std::memcpy(bytes, p, sizeof(T));
    }
    T value;
    std::memcpy(&value, bytes, sizeof(T));
    return value;
}

template<typename T>
void convertScalar(const std::uint8_t* src, bool swap, std::size_t count, float* dst)
{
    for (std::size_t i = 0; i < count; ++i)
        dst[i] = static_cast<float>(load<T>(src + i * sizeof(T), swap));
}

template<typename T>
void convertComplex(const std::uint8_t* src, bool swap, std::size_t count, float* dst)
{
    for (std::size_t i = 0; i < count; ++i) {
        const double re = load<T>(src + 2 * i * sizeof(T), swap);
        const double im = load<T>(src + (2 * i + 1) * sizeof(T), swap);
        dst[i] = static_cast<float>(std::hypot(re, im));
    }
}

void convertRgb(const std::uint8_t* src, std::size_t stride, std::size_t count, float* dst)
{
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint8_t* p = src + i * stride;
        dst[i] = static_cast<float>(0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]);
    }
}

} // namespace

void convertPixels(const std::uint8_t* src, PixelType type, ByteOrder order, std::size_t count, float* dst)
{
    const bool swap = order != hostByteOrder();
    switch (type) {
    case PixelType::Bool:
        for (std::size_t i = 0; i < count; ++i)
            dst[i] = src[i] != 0 ? 1.0f : 0.0f;
        break;
    case PixelType::Int8: convertScalar<std::int8_t>(src, false, count, dst); break;
    case PixelType::UInt8: convertScalar<std::uint8_t>(src, false, count, dst); break;
    case PixelType::Int16: convertScalar<std::int16_t>(src, swap, count, dst); break;
    case PixelType::UInt16: convertScalar<std::uint16_t>(src, swap, count, dst); break;
    case PixelType::Int32: convertScalar<std::int32_t>(src, swap, count, dst); break;
    case PixelType::UInt32: convertScalar<std::uint32_t>(src, swap, count, dst); break;
    case PixelType::Int64: convertScalar<std::int64_t>(src, swap, count, dst); break;
    case PixelType::UInt64: convertScalar<std::uint64_t>(src, swap, count, dst); break;
    case PixelType::Float16: convertHalves(src, order == ByteOrder::Little, count, dst); break;
    case PixelType::Float32: convertScalar<float>(src, swap, count, dst); break;
    case PixelType::Float64: convertScalar<double>(src, swap, count, dst); break;
    case PixelType::Complex64: convertComplex<float>(src, swap, count, dst); break;
    case PixelType::Complex128: convertComplex<double>(src, swap, count, dst); break;
    case PixelType::RGB8: convertRgb(src, 3, count, dst); break;
    case PixelType::RGBA8: convertRgb(src, 4, count, dst); break;
    }
}

} // namespace motifscope
