#pragma once
// FEI/TIA SER files built byte by byte for tests (the SER reader's tests, the Series window's
// time-stamped stacks): header, one dimension, the data and tag offset arrays, the elements in any
// stored order, a time tag per element.
#include "core/io/pixel_types.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace motifscope::test::ser {

using ByteVector = std::vector<std::uint8_t>;

/** Appends `value` little-endian, whatever the host. */
template <typename T> inline void put(ByteVector& out, T value)
{
    std::uint8_t b[sizeof(T)];
    std::memcpy(b, &value, sizeof(T));
    if (hostByteOrder() == ByteOrder::Big)
        std::reverse(b, b + sizeof(T));
    out.insert(out.end(), b, b + sizeof(T));
}

template <typename T> inline void poke(ByteVector& out, std::size_t at, T value)
{
    ByteVector tmp;
    put(tmp, value);
    std::copy(tmp.begin(), tmp.end(), out.begin() + std::ptrdiff_t(at));
}

/** One stored element (image): TIA type code, size, raw pixel bytes in file order (bottom row first). */
struct Element
{
    int code = 7;
    int width = 0;
    int height = 0;
    ByteVector pixels;
    double deltaX = 0.2e-9;
    double deltaY = 0.2e-9;
    std::int64_t time = -1; ///< seconds since 1970 for a time tag; -1 = no tag (offset 0)
};

/** Byte offsets of interesting fields in a built file. */
struct SerLayout
{
    std::size_t offsetArrayField = 22; // where OffsetArrayOffset is stored
    std::size_t offsetArray = 0;
    std::vector<std::size_t> elementAt;
};

/**
 * A SER file: header, one dimension descriptor, the data and tag offset arrays, then the elements
 * in `storeOrder` (so the offset array, not adjacency, must be followed).
 */
inline ByteVector serFile(std::uint16_t version, const std::vector<Element>& elements, SerLayout* layout = nullptr,
                   std::vector<std::size_t> storeOrder = {}, std::uint32_t dataTypeId = 0x4122)
{
    const bool wide = version == 0x0220;
    const auto n = std::int32_t(elements.size());
    ByteVector out;
    put<std::uint16_t>(out, 0x4949);
    put<std::uint16_t>(out, 0x0197);
    put<std::uint16_t>(out, version);
    put<std::uint32_t>(out, dataTypeId);
    put<std::uint32_t>(out, 0x4152); // tag type: time only
    put<std::int32_t>(out, n);       // total elements
    put<std::int32_t>(out, n);       // valid elements
    const std::size_t offsetField = out.size();
    wide ? put<std::uint64_t>(out, 0) : put<std::uint32_t>(out, 0);
    put<std::int32_t>(out, 1); // number of dimensions
    // Dimension descriptor: size, calibration offset, delta, element, description, units.
    put<std::int32_t>(out, n);
    put<double>(out, 0.0);
    put<double>(out, 1.0);
    put<std::int32_t>(out, 0);
    const std::string description = "Number";
    put<std::int32_t>(out, std::int32_t(description.size()));
    out.insert(out.end(), description.begin(), description.end());
    put<std::int32_t>(out, 0); // no units

    const std::size_t offsetArray = out.size();
    wide ? poke<std::uint64_t>(out, offsetField, offsetArray) : poke<std::uint32_t>(out, offsetField, std::uint32_t(offsetArray));
    const std::size_t entry = wide ? 8 : 4;
    out.resize(out.size() + 2 * entry * elements.size(), 0); // data offsets, then tag offsets (zero)

    if (storeOrder.empty())
        for (std::size_t i = 0; i < elements.size(); ++i)
            storeOrder.push_back(i);
    std::vector<std::size_t> at(elements.size());
    for (std::size_t i : storeOrder) {
        const Element& e = elements[i];
        at[i] = out.size();
        put<double>(out, -1e-9);
        put<double>(out, e.deltaX);
        put<std::int32_t>(out, 0);
        put<double>(out, -2e-9);
        put<double>(out, e.deltaY);
        put<std::int32_t>(out, 0);
        put<std::int16_t>(out, std::int16_t(e.code));
        put<std::int32_t>(out, e.width);
        put<std::int32_t>(out, e.height);
        out.insert(out.end(), e.pixels.begin(), e.pixels.end());
    }
    for (std::size_t i = 0; i < elements.size(); ++i)
        wide ? poke<std::uint64_t>(out, offsetArray + i * entry, at[i])
             : poke<std::uint32_t>(out, offsetArray + i * entry, std::uint32_t(at[i]));
    // Time tags after the data: type 0x4152, two zero bytes, then the time.
    for (std::size_t i = 0; i < elements.size(); ++i) {
        if (elements[i].time < 0)
            continue;
        const std::size_t tagAt = out.size(), field = offsetArray + (elements.size() + i) * entry;
        put<std::uint16_t>(out, 0x4152);
        put<std::uint16_t>(out, 0);
        put<std::uint32_t>(out, std::uint32_t(elements[i].time));
        wide ? poke<std::uint64_t>(out, field, tagAt) : poke<std::uint32_t>(out, field, std::uint32_t(tagAt));
    }
    if (layout) {
        layout->offsetArrayField = offsetField;
        layout->offsetArray = offsetArray;
        layout->elementAt = at;
    }
    return out;
}

/** Test values for a type, stored as `T`; `expected` receives what the reader must report. */
template <typename T> inline ByteVector encode(const std::vector<double>& values, std::vector<float>& expected)
{
    ByteVector out;
    for (double v : values) {
        put<T>(out, static_cast<T>(v));
        expected.push_back(static_cast<float>(static_cast<T>(v)));
    }
    return out;
}

inline void writeFile(const std::string& path, const ByteVector& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

} // namespace motifscope::test::ser
