// FEI/TIA series (.ser) reader, with metadata from the .emi companion when given. Little-endian.
// Header: byte order 0x4949, series id 0x0197, version 0x0210 (32-bit offsets) or 0x0220 (64-bit),
// data type 0x4122 (2-D images; 0x4120 = 1-D spectra), tag type, element counts, offset-array
// offset, dimension descriptors; each element: x/y calibration, data type, size, then pixels.
#include "core/io/byte_reader.h"
#include "core/io/frame_time.h"
#include "core/io/readers.h"
#include "core/io/units.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace motifscope {

namespace {

constexpr auto LE = ByteOrder::Little;
constexpr std::size_t kMaxEmiEntries = 100;
constexpr std::size_t kMaxEmiValue = 256;

std::string hex(unsigned value)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%04x", value);
    return text;
}

bool serPixelType(int code, PixelType& type)
{
    switch (code) {
    case 1: type = PixelType::UInt8; return true;
    case 2: type = PixelType::UInt16; return true;
    case 3: type = PixelType::UInt32; return true;
    case 4: type = PixelType::Int8; return true;
    case 5: type = PixelType::Int16; return true;
    case 6: type = PixelType::Int32; return true;
    case 7: type = PixelType::Float32; return true;
    case 8: type = PixelType::Float64; return true;
    case 9: type = PixelType::Complex64; return true;
    case 10: type = PixelType::Complex128; return true;
    default: return false;
    }
}

/** Printable text of a value, spaces trimmed, at most kMaxEmiValue characters. */
std::string cleanValue(const std::string& raw)
{
    std::string value;
    for (char c : raw)
        if (static_cast<unsigned char>(c) >= 32 && c != 127)
            value += c;
    const auto first = value.find_first_not_of(' ');
    if (first == std::string::npos)
        return {};
    value = value.substr(first, value.find_last_not_of(' ') - first + 1);
    return value.substr(0, kMaxEmiValue);
}

/** Text between <name> and </name> starting the search at `from`; npos in `end` when absent. */
std::string element(const std::string& text, const std::string& name, std::size_t from, std::size_t limit,
                    std::size_t& end)
{
    end = std::string::npos;
    const std::string open = "<" + name + ">", close = "</" + name + ">";
    const auto a = text.find(open, from);
    if (a == std::string::npos || a >= limit)
        return {};
    const auto b = text.find(close, a + open.size());
    if (b == std::string::npos || b > limit || b - a > 4096)
        return {};
    end = b + close.size();
    return text.substr(a + open.size(), b - a - open.size());
}

/**
 * Metadata from the EMI's embedded XML (tolerant of anything else in the file): the microscope
 * conditions (<AcceleratingVoltage>, <Tilt1>, <Tilt2>) and every <Data><Label>L</Label>
 * <Value>V</Value><Unit>U</Unit></Data> entry of the experimental description as "EMI.L" = "V U".
 */
void readEmiMetadata(Bytes emi, Micrograph& m)
{
    const std::string text(reinterpret_cast<const char*>(emi.data()), std::min<std::size_t>(emi.size(), 1u << 22));
    std::size_t end = 0;
    for (const char* key : {"AcceleratingVoltage", "Tilt1", "Tilt2"}) {
        const std::string value = cleanValue(element(text, key, 0, text.size(), end));
        if (!value.empty())
            m.metadata[std::string("EMI.") + key] = value;
    }
    std::size_t pos = 0, entries = 0;
    while (entries < kMaxEmiEntries) {
        const std::string data = element(text, "Data", pos, text.size(), end);
        if (end == std::string::npos)
            break;
        pos = end;
        std::size_t e = 0;
        const std::string label = cleanValue(element(data, "Label", 0, data.size(), e)).substr(0, 64);
        const std::string value = cleanValue(element(data, "Value", 0, data.size(), e));
        const std::string unit = cleanValue(element(data, "Unit", 0, data.size(), e));
        if (label.empty() || value.empty())
            continue;
        m.metadata["EMI." + label] = unit.empty() ? value : (value + " " + unit).substr(0, kMaxEmiValue);
        ++entries;
    }
}

/**
 * The time tag of element `frame` (seconds since 1970, UTC), or NaN. The tag offset array follows
 * the data offset array (both `total` entries); a tag starts with its type: 0x4152 (time) or 0x4142
 * (time and stage position), two more bytes, then the time as a 32-bit integer.
 */
double elementTime(Bytes bytes, const std::string& fileName, std::uint64_t offsetArray, std::uint64_t offsetSize,
                   std::int32_t total, std::int32_t frame)
{
    try {
        ByteReader in(bytes, fileName);
        in.seek(offsetArray + std::uint64_t(total) * offsetSize + std::uint64_t(frame) * offsetSize);
        const std::uint64_t tag = offsetSize == 8 ? in.read<std::uint64_t>(LE, "tag offset")
                                                  : in.read<std::uint32_t>(LE, "tag offset");
        if (tag == 0)
            return std::nan("");
        in.seek(tag);
        const std::uint16_t type = in.read<std::uint16_t>(LE, "tag type");
        if (type != 0x4152 && type != 0x4142)
            return std::nan("");
        in.skip(2); // two bytes before the time (TIA writes 0; the time is 4-byte aligned)
        return double(in.read<std::uint32_t>(LE, "time"));
    } catch (const IoError&) {
        return std::nan(""); // a damaged tag costs the time, never the image
    }
}

Micrograph decodeSer(Bytes bytes, const std::string& fileName, Bytes emiBytes, int frame)
{
    ByteReader in(bytes, fileName);
    const std::uint16_t byteOrder = in.read<std::uint16_t>(LE, "byte order");
    const std::uint16_t seriesId = in.read<std::uint16_t>(LE, "series id");
    if (byteOrder != 0x4949 || seriesId != 0x0197)
        in.fail("not a TIA series file (bad magic " + hex(byteOrder) + " " + hex(seriesId) + ")");
    const std::uint16_t version = in.read<std::uint16_t>(LE, "series version");
    if (version != 0x0210 && version != 0x0220)
        in.fail("unsupported series version " + hex(version) + " (expected 0x0210 or 0x0220)");
    const std::uint32_t dataType = in.read<std::uint32_t>(LE, "data type id");
    if (dataType == 0x4120)
        in.fail("1-D spectra (data type 0x4120), not images");
    if (dataType != 0x4122)
        in.fail("unknown data type id " + hex(dataType) + " (expected 0x4122 for images)");
    in.read<std::uint32_t>(LE, "tag type id");
    const std::int32_t total = in.read<std::int32_t>(LE, "total elements");
    const std::int32_t valid = in.read<std::int32_t>(LE, "valid elements");
    const bool wideOffsets = version == 0x0220;
    const std::uint64_t offsetArray = wideOffsets ? in.read<std::uint64_t>(LE, "offset array offset")
                                                  : in.read<std::uint32_t>(LE, "offset array offset");
    const std::int32_t dimensions = in.read<std::int32_t>(LE, "number of dimensions");
    if (total <= 0 || valid <= 0 || valid > total)
        in.fail("invalid element counts (" + std::to_string(valid) + " valid of " + std::to_string(total) + ")");
    if (dimensions < 0 || dimensions > 16)
        in.fail("invalid number of series dimensions " + std::to_string(dimensions));
    if (frame < 0 || frame >= valid)
        in.fail("frame " + std::to_string(frame) + " does not exist (the series holds " + std::to_string(valid) + ")");

    // The data offset array: one offset per element; every valid one must point into the file.
    const std::uint64_t offsetSize = wideOffsets ? 8 : 4;
    if (offsetArray > bytes.size() || std::uint64_t(valid) * offsetSize > bytes.size() - offsetArray)
        in.fail("data offset array (" + std::to_string(valid) + " entries at offset " + std::to_string(offsetArray)
                + ") runs past the end of the file (" + std::to_string(bytes.size()) + " bytes)");
    in.seek(offsetArray);
    std::uint64_t elementOffset = 0; // where element `frame` starts
    for (std::int32_t i = 0; i < valid; ++i) {
        const std::uint64_t offset = wideOffsets ? in.read<std::uint64_t>(LE, "data offset")
                                                 : in.read<std::uint32_t>(LE, "data offset");
        if (offset >= bytes.size())
            in.fail("data offset " + std::to_string(offset) + " of element " + std::to_string(i)
                    + " is past the end of the file (" + std::to_string(bytes.size()) + " bytes)");
        if (i == frame)
            elementOffset = offset;
    }

    in.seek(elementOffset);
    const double offsetX = in.read<double>(LE, "element calibration");
    const double deltaX = in.read<double>(LE, "element calibration");
    in.read<std::int32_t>(LE, "element calibration");
    const double offsetY = in.read<double>(LE, "element calibration");
    const double deltaY = in.read<double>(LE, "element calibration");
    in.read<std::int32_t>(LE, "element calibration");
    const int code = in.read<std::int16_t>(LE, "pixel type");
    PixelType type{};
    if (!serPixelType(code, type))
        in.fail("unsupported pixel type code " + std::to_string(code) + " (expected 1 to 10)");
    const std::int32_t width = in.read<std::int32_t>(LE, "image width");
    const std::int32_t height = in.read<std::int32_t>(LE, "image height");
    checkImageSize(fileName, width, height);
    const std::size_t count = std::size_t(width) * std::size_t(height);
    const std::uint8_t* data = in.take(std::uint64_t(count) * pixelTypeSize(type), "image data");

    Micrograph m;
    m.width = width;
    m.height = height;
    m.frames = valid;
    m.dtype = pixelTypeName(type);
    m.format = "SER";
    m.pixels.resize(count);
    // TIA stores the bottom row first (y up); MotifScope's rows run top-down.
    const std::size_t rowBytes = std::size_t(width) * pixelTypeSize(type);
    for (int row = 0; row < height; ++row)
        convertPixels(data + std::size_t(row) * rowBytes, type, LE, std::size_t(width),
                      m.pixels.data() + std::size_t(height - 1 - row) * std::size_t(width));
    // Deltas are in metres (nm, µm or mm chosen from the field of view, see units.h).
    m.calibration = calibrationFromMetres(deltaX, deltaY, width);
    m.metadata["SER.Version"] = hex(version);
    m.metadata["SER.TotalElements"] = std::to_string(total);
    m.metadata["SER.SeriesDimensions"] = std::to_string(dimensions);
    if (const std::string time = utcDateTime(elementTime(bytes, fileName, offsetArray, offsetSize, total, frame));
        !time.empty())
        m.metadata[kFrameDateTimeKey] = time;
    if (std::isfinite(offsetX) && std::isfinite(offsetY)) {
        char text[64];
        std::snprintf(text, sizeof text, "%.9g m", offsetX);
        m.metadata["SER.CalibrationOffsetX"] = text;
        std::snprintf(text, sizeof text, "%.9g m", offsetY);
        m.metadata["SER.CalibrationOffsetY"] = text;
    }
    if (!emiBytes.empty()) {
        try {
            readEmiMetadata(emiBytes, m); // a damaged companion never fails the read
        } catch (const std::exception&) {
        }
    }
    return m;
}

} // namespace

Micrograph readSer(Bytes bytes, const std::string& fileName, Bytes emiBytes, int frame)
{
    try {
        return decodeSer(bytes, fileName, emiBytes, frame);
    } catch (const IoError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw IoError(fileName, "not enough memory to read the image");
    } catch (const std::exception& error) {
        throw IoError(fileName, std::string("cannot read the SER file: ") + error.what());
    }
}

} // namespace motifscope
