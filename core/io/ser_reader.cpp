// FEI/TIA series (.ser) reader, with metadata from the .emi companion when given. Little-endian.
// Header: byte order 0x4949, series id 0x0197, version 0x0210 (32-bit offsets) or 0x0220 (64-bit),
// data type 0x4122 (2-D images; 0x4120 = 1-D spectra), tag type, element counts, offset-array
// offset, dimension descriptors; each element: x/y calibration, data type, size, then pixels.
#include "io/byte_reader.h"
#include "io/readers.h"
#include "io/units.h"

#include <algorithm>
#include <cmath>

namespace motifscope {

namespace {

constexpr auto LE = ByteOrder::Little;

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

/** Text of simple <Name>value</Name> elements of the EMI's embedded XML, for a few known names. */
void readEmiMetadata(Bytes emi, Micrograph& m)
{
    const std::string text(reinterpret_cast<const char*>(emi.data()), std::min<std::size_t>(emi.size(), 1u << 22));
    for (const char* key : {"AccelerationVoltage", "Magnification", "Mode", "Microscope", "User", "Camera",
                            "DwellTimePath", "Frame_Time", "Integration_Time", "Defocus"}) {
        const std::string open = std::string("<") + key + ">";
        const std::string close = std::string("</") + key + ">";
        const auto a = text.find(open);
        if (a == std::string::npos)
            continue;
        const auto b = text.find(close, a + open.size());
        if (b == std::string::npos || b - a > 256)
            continue;
        std::string value = text.substr(a + open.size(), b - a - open.size());
        value.erase(std::remove_if(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 32; }),
                    value.end());
        if (!value.empty())
            m.metadata[std::string("EMI.") + key] = value;
    }
}

} // namespace

Micrograph readSer(Bytes bytes, const std::string& fileName, Bytes emiBytes)
{
    ByteReader in(bytes, fileName);
    if (in.read<std::uint16_t>(LE, "byte order") != 0x4949 || in.read<std::uint16_t>(LE, "series id") != 0x0197)
        in.fail("not a TIA series file (bad magic)");
    const std::uint16_t version = in.read<std::uint16_t>(LE, "series version");
    if (version != 0x0210 && version != 0x0220)
        in.fail("unsupported series version 0x" + std::to_string(version));
    const std::uint32_t dataType = in.read<std::uint32_t>(LE, "data type id");
    if (dataType == 0x4120)
        in.fail("1-D spectra, not images");
    if (dataType != 0x4122)
        in.fail("unknown data type id " + std::to_string(dataType));
    in.read<std::uint32_t>(LE, "tag type id");
    const std::int32_t total = in.read<std::int32_t>(LE, "total elements");
    const std::int32_t valid = in.read<std::int32_t>(LE, "valid elements");
    const std::uint64_t offsetArray = version == 0x0210 ? in.read<std::uint32_t>(LE, "offset array offset")
                                                        : in.read<std::uint64_t>(LE, "offset array offset");
    if (total <= 0 || valid <= 0 || valid > total)
        in.fail("invalid element counts (" + std::to_string(valid) + " of " + std::to_string(total) + ")");

    in.seek(offsetArray);
    const std::uint64_t first = version == 0x0210 ? in.read<std::uint32_t>(LE, "data offset")
                                                  : in.read<std::uint64_t>(LE, "data offset");
    in.seek(first);
    const double offsetX = in.read<double>(LE, "calibration");
    const double deltaX = in.read<double>(LE, "calibration");
    in.read<std::int32_t>(LE, "calibration");
    const double offsetY = in.read<double>(LE, "calibration");
    const double deltaY = in.read<double>(LE, "calibration");
    in.read<std::int32_t>(LE, "calibration");
    (void)offsetX;
    (void)offsetY;
    const int code = in.read<std::int16_t>(LE, "pixel type");
    PixelType type{};
    if (!serPixelType(code, type))
        in.fail("unsupported pixel type " + std::to_string(code));
    const std::int32_t width = in.read<std::int32_t>(LE, "image width");
    const std::int32_t height = in.read<std::int32_t>(LE, "image height");
    checkImageSize(fileName, width, height);
    const std::size_t count = std::size_t(width) * std::size_t(height);

    Micrograph m;
    m.width = width;
    m.height = height;
    m.frames = valid;
    m.dtype = pixelTypeName(type);
    m.format = "SER";
    const std::uint8_t* data = in.take(std::uint64_t(count) * pixelTypeSize(type), "image data");
    m.pixels.resize(count);
    // TIA stores the bottom row first (y up); MotifScope's rows run top-down.
    const std::size_t rowBytes = std::size_t(width) * pixelTypeSize(type);
    for (int row = 0; row < height; ++row)
        convertPixels(data + std::size_t(row) * rowBytes, type, LE, std::size_t(width),
                      m.pixels.data() + std::size_t(height - 1 - row) * std::size_t(width));
    m.calibration = calibrationFromMetres(deltaX, deltaY, width);
    if (!emiBytes.empty())
        readEmiMetadata(emiBytes, m);
    return m;
}

} // namespace motifscope
