#pragma once
/**
 * Gatan DM3 / DM4 files built byte by byte for the DM reader tests: tags of every encoding, image
 * entries with calibration and metadata, thumbnails, both versions and both byte orders.
 */

#include "core/io/pixel_types.h"
#include "core/io/readers.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace motifscope::test::dm {

using ByteVector = std::vector<std::uint8_t>;

/** Appends `value` as T in big-endian (`big`) or little-endian byte order. */
template <typename T> void put(ByteVector& out, T value, bool big)
{
    std::uint8_t b[sizeof(T)];
    std::memcpy(b, &value, sizeof(T));
    if (big != (hostByteOrder() == ByteOrder::Big))
        std::reverse(b, b + sizeof(T));
    out.insert(out.end(), b, b + sizeof(T));
}

/** DM's value-type code for a C++ type. */
template <typename T> constexpr std::uint64_t typeCode()
{
    if constexpr (std::is_same_v<T, std::int16_t>)
        return 2;
    else if constexpr (std::is_same_v<T, std::int32_t>)
        return 3;
    else if constexpr (std::is_same_v<T, std::uint16_t>)
        return 4;
    else if constexpr (std::is_same_v<T, std::uint32_t>)
        return 5;
    else if constexpr (std::is_same_v<T, float>)
        return 6;
    else if constexpr (std::is_same_v<T, double>)
        return 7;
    else if constexpr (std::is_same_v<T, bool>)
        return 8;
    else if constexpr (std::is_same_v<T, std::int8_t>)
        return 9;
    else if constexpr (std::is_same_v<T, std::uint8_t>)
        return 10;
    else if constexpr (std::is_same_v<T, std::int64_t>)
        return 11;
    else
        return 12; // uint64
}

template <typename T> ByteVector encode(const std::vector<T>& values, bool big)
{
    ByteVector out;
    for (T v : values)
        put(out, v, big);
    return out;
}

/** One tag of a test file: a group with children, or data (type description + value bytes). */
struct Tag
{
    std::string name;
    bool group = false;
    std::vector<Tag> children;
    std::vector<std::uint64_t> info;
    ByteVector value;
};

inline Tag group(std::string name, std::vector<Tag> children)
{
    return {std::move(name), true, std::move(children), {}, {}};
}

template <typename T> Tag scalar(std::string name, T v, bool big)
{
    return {std::move(name), false, {}, {typeCode<T>()}, encode(std::vector<T>{v}, big)};
}

inline Tag rawArray(std::string name, std::uint64_t element, std::uint64_t count, ByteVector bytes)
{
    return {std::move(name), false, {}, {20, element, count}, std::move(bytes)};
}

inline Tag utf16(std::string name, const std::u16string& s, bool big)
{
    return rawArray(std::move(name), 4, s.size(),
                    encode(std::vector<std::uint16_t>(s.begin(), s.end()), big));
}

inline void putCount(ByteVector& out, std::uint64_t v, int version)
{
    if (version == 3)
        put(out, std::uint32_t(v), true);
    else
        put(out, v, true);
}

inline void writeGroup(ByteVector& out, const Tag& g, int version)
{
    out.push_back(1); // sorted
    out.push_back(0); // open
    putCount(out, g.children.size(), version);
    for (const Tag& c : g.children) {
        out.push_back(c.group ? 20 : 21);
        put(out, std::uint16_t(c.name.size()), true);
        out.insert(out.end(), c.name.begin(), c.name.end());
        ByteVector body;
        if (c.group) {
            writeGroup(body, c, version);
        } else {
            body.assign(4, std::uint8_t('%'));
            putCount(body, c.info.size(), version);
            for (std::uint64_t i : c.info)
                putCount(body, i, version);
            body.insert(body.end(), c.value.begin(), c.value.end());
        }
        if (version == 4)
            put(out, std::uint64_t(body.size()), true);
        out.insert(out.end(), body.begin(), body.end());
    }
}

inline ByteVector dmBytes(const Tag& root, int version, bool big)
{
    ByteVector body;
    writeGroup(body, root, version);
    ByteVector out;
    put(out, std::uint32_t(version), true);
    putCount(out, body.size(), version);
    put(out, std::uint32_t(big ? 0 : 1), true);
    out.insert(out.end(), body.begin(), body.end());
    out.resize(out.size() + 8, 0);
    return out;
}

/** An ImageList entry to write. */
struct TestImage
{
    int dataType = 2;
    std::vector<std::uint64_t> dims;
    std::uint64_t element = 6; ///< DM value type of the Data array elements
    std::uint64_t count = 0;   ///< Data array length; 0 = data size / element size
    ByteVector data;           ///< already in the file's byte order
    std::vector<double> scales;
    std::vector<std::u16string> units;
    int pixelDepth = 0; ///< written when > 0
    std::vector<Tag> imageTags;
};

inline std::size_t elementSize(std::uint64_t element)
{
    switch (element) {
    case 2:
    case 4:
        return 2;
    case 3:
    case 5:
    case 6:
        return 4;
    case 7:
    case 11:
    case 12:
        return 8;
    default:
        return 1;
    }
}

inline Tag imageEntry(const TestImage& im, bool big)
{
    std::vector<Tag> dims, axes;
    for (std::size_t i = 0; i < im.dims.size(); ++i) {
        dims.push_back(im.dims[i] <= 0xFFFFFFFFu ? scalar("", std::uint32_t(im.dims[i]), big)
                                                 : scalar("", im.dims[i], big));
        const double scale = i < im.scales.size() ? im.scales[i] : 1.0;
        const std::u16string unit = i < im.units.size() ? im.units[i] : u"";
        axes.push_back(group("", {scalar("Origin", 0.0f, big), scalar("Scale", float(scale), big),
                                  utf16("Units", unit, big)}));
    }
    const Tag brightness = group("Brightness", {scalar("Scale", 1.0f, big), utf16("Units", u"", big)});
    const std::uint64_t count = im.count ? im.count : im.data.size() / elementSize(im.element);
    std::vector<Tag> data = {group("Calibrations", {brightness, group("Dimension", axes),
                                                    scalar("DisplayCalibratedUnits", true, big)}),
                             rawArray("Data", im.element, count, im.data),
                             scalar("DataType", std::uint32_t(im.dataType), big), group("Dimensions", dims)};
    if (im.pixelDepth > 0)
        data.push_back(scalar("PixelDepth", std::uint32_t(im.pixelDepth), big));
    return group("", {group("ImageData", data), group("ImageTags", im.imageTags), utf16("Name", u"test", big),
                      group("UniqueID", {scalar("", std::uint32_t(7), big)})});
}

/** The 8 x 8 RGBA display thumbnail DigitalMicrograph writes first (larger than most test images). */
inline TestImage thumbnailImage(bool big)
{
    return {23, {8, 8}, 3, 0, encode(std::vector<std::uint32_t>(64, 0xFF808080u), big), {}, {}, 4, {}};
}

/**
 * A whole file: `images` in ImageList, `thumbnails` naming entries in the Thumbnails list (none
 * written when empty), and assorted document tags using every encoding (struct, array of
 * structs, string, 64-bit values) that the parser must step over correctly.
 */
inline ByteVector dmFile(int version, bool big, const std::vector<TestImage>& images,
                  std::vector<std::uint32_t> thumbnails)
{
    std::vector<Tag> list;
    for (const TestImage& im : images)
        list.push_back(imageEntry(im, big));
    ByteVector clut;
    for (int i = 0; i < 256 * 3; ++i)
        put(clut, std::int16_t(i), big);
    Tag clutTag{"CLUT", false, {}, {20, 15, 0, 3, 0, 2, 0, 2, 0, 2, 256}, clut};
    ByteVector rect = encode(std::vector<float>{0, 0, 2, 2}, big);
    Tag rectTag{"Rectangle", false, {}, {15, 0, 4, 0, 6, 0, 6, 0, 6, 0, 6}, rect};
    Tag stringTag{"Title", false, {}, {18, 3}, encode(std::vector<std::uint16_t>{'a', 'b', 'c'}, big)};
    std::vector<Tag> root = {
        group("DocumentObjectList",
              {group("", {clutTag, rectTag, stringTag, scalar("Id", std::int64_t(-5), big),
                          scalar("Big", std::uint64_t(1) << 40, big)})}),
        group("ImageList", list),
        group("ImageSourceList", {group("", {scalar("ImageRef", std::uint32_t(1), big)})})};
    if (!thumbnails.empty()) {
        std::vector<Tag> entries;
        for (std::uint32_t t : thumbnails)
            entries.push_back(
                group("", {scalar("ImageIndex", t, big), Tag{"SourceSize_Pixels",
                                                             false,
                                                             {},
                                                             {15, 0, 2, 0, 3, 0, 3},
                                                             encode(std::vector<std::int32_t>{2, 2}, big)}}));
        root.push_back(group("Thumbnails", entries));
    }
    return dmBytes(group("", root), version, big);
}

/** A 3 x 2 float32 image with a thumbnail ahead of it: the usual shape of a file. */
inline ByteVector simpleFile(int version, bool big, TestImage image = {})
{
    if (image.dims.empty()) {
        image.dims = {3, 2};
        image.data = encode(std::vector<float>{1, 2, 3, 4, 5, 6}, big);
    }
    return dmFile(version, big, {thumbnailImage(big), image}, {0});
}

inline Micrograph read(const ByteVector& bytes, const std::string& name = "test.dm3")
{
    return readDm(Bytes(bytes), name);
}

} // namespace motifscope::test::dm
