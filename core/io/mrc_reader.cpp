// MRC / CCP4 (MRC2014 and older IMOD files). 1024-byte header, optional extended header of NSYMBT
// bytes, then NZ sections of NX x NY pixels. The first section is read.
//
// Row order: rows are kept in file order, row 0 = the first row stored (as mrcfile/numpy present
// data[0]); some viewers draw y = 0 at the bottom, but EM software (IMOD, RELION, cryoSPARC)
// round-trips images with this mapping, so MotifScope does not flip them.
//
// Modes: 0 int8 (uint8 when IMOD's header flags say so), 1 int16, 2 float32, 4 complex float32
// (shown as modulus |z|), 6 uint16, 12 float16, 16 RGB uint8 (IMOD; shown as luminance).
// Mode 3 (complex int16) and 101 (4-bit packed) are refused.
#include "core/io/byte_reader.h"
#include "core/io/half_float.h"
#include "core/io/readers.h"

#include <cmath>
#include <new>

namespace motifscope {

namespace {

constexpr std::size_t kHeaderBytes = 1024;
constexpr std::int32_t kImodStamp = 1146047817; // "IMOD" as a 32-bit integer

/** The fields of the MRC header that matter here, already in host order. */
struct MrcHeader
{
    std::int32_t nx = 0, ny = 0, nz = 0, mode = 0;
    std::int32_t mx = 0, my = 0, mz = 0;
    float cellX = 0, cellY = 0, cellZ = 0;
    float dmin = 0, dmax = 0, dmean = 0;
    std::int32_t nsymbt = 0;
    std::int32_t imodStamp = 0, imodFlags = 0;
    std::int32_t version = 0;
    std::int32_t labelCount = 0;
};

bool knownMode(std::int32_t mode)
{
    return mode == 0 || mode == 1 || mode == 2 || mode == 3 || mode == 4 || mode == 6 || mode == 12 ||
           mode == 16 || mode == 101;
}

MrcHeader readHeader(ByteReader& in, ByteOrder order)
{
    MrcHeader h;
    in.seek(0);
    h.nx = in.read<std::int32_t>(order);
    h.ny = in.read<std::int32_t>(order);
    h.nz = in.read<std::int32_t>(order);
    h.mode = in.read<std::int32_t>(order);
    in.seek(28);
    h.mx = in.read<std::int32_t>(order);
    h.my = in.read<std::int32_t>(order);
    h.mz = in.read<std::int32_t>(order);
    h.cellX = in.read<float>(order);
    h.cellY = in.read<float>(order);
    h.cellZ = in.read<float>(order);
    in.seek(76);
    h.dmin = in.read<float>(order);
    h.dmax = in.read<float>(order);
    h.dmean = in.read<float>(order);
    in.seek(92);
    h.nsymbt = in.read<std::int32_t>(order);
    in.seek(108);
    h.version = in.read<std::int32_t>(order);
    in.seek(152);
    h.imodStamp = in.read<std::int32_t>(order);
    h.imodFlags = in.read<std::int32_t>(order);
    in.seek(220);
    h.labelCount = in.read<std::int32_t>(order);
    return h;
}

bool plausible(const MrcHeader& h)
{
    return knownMode(h.mode) && h.nx > 0 && h.ny > 0 && h.nz > 0 && h.nx <= kMaxSide && h.ny <= kMaxSide;
}

/** Byte order from the machine stamp (0x44 = little, 0x11 = big), else from which reading is sane. */
ByteOrder detectByteOrder(ByteReader& in, std::string& how)
{
    in.seek(212);
    const auto stamp = in.read<std::uint8_t>(ByteOrder::Little);
    if (stamp == 0x44) {
        how = "machine stamp";
        return ByteOrder::Little;
    }
    if (stamp == 0x11) {
        how = "machine stamp";
        return ByteOrder::Big;
    }
    how = "header sanity (no machine stamp)";
    if (plausible(readHeader(in, ByteOrder::Little)))
        return ByteOrder::Little;
    if (plausible(readHeader(in, ByteOrder::Big)))
        return ByteOrder::Big;
    return ByteOrder::Little; // neither is sane: the checks below refuse it with a specific message
}

std::string trimmed(std::string s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0'))
        s.pop_back();
    for (char& c : s)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            c = '?';
    return s;
}

void addMetadata(ByteReader& in, const MrcHeader& h, Micrograph& m)
{
    m.metadata["MRC.Mode"] = std::to_string(h.mode);
    m.metadata["MRC.Sampling"] =
        std::to_string(h.mx) + " " + std::to_string(h.my) + " " + std::to_string(h.mz);
    m.metadata["MRC.CellA"] =
        std::to_string(h.cellX) + " " + std::to_string(h.cellY) + " " + std::to_string(h.cellZ);
    m.metadata["MRC.DMin"] = std::to_string(h.dmin);
    m.metadata["MRC.DMax"] = std::to_string(h.dmax);
    m.metadata["MRC.DMean"] = std::to_string(h.dmean);
    m.metadata["MRC.ExtendedHeaderBytes"] = std::to_string(h.nsymbt);
    if (h.version > 0)
        m.metadata["MRC.Version"] = std::to_string(h.version);
    in.seek(104);
    const std::string extType = trimmed(in.readString(4));
    if (!extType.empty())
        m.metadata["MRC.ExtendedHeaderType"] = extType;
    const int labels = h.labelCount >= 0 && h.labelCount <= 10 ? h.labelCount : 0;
    for (int i = 0; i < labels; ++i) {
        in.seek(224 + std::uint64_t(i) * 80);
        const std::string label = trimmed(in.readString(80));
        if (!label.empty())
            m.metadata["MRC.Label" + std::to_string(i)] = label;
    }
}

} // namespace

Micrograph readMrc(Bytes bytes, const std::string& fileName)
{
    ByteReader in(bytes, fileName);
    if (bytes.size() < kHeaderBytes)
        in.fail("file is too short for an MRC header: " + std::to_string(bytes.size()) + " of 1024 bytes");
    try {
        std::string how;
        const ByteOrder order = detectByteOrder(in, how);
        const MrcHeader h = readHeader(in, order);
        if (h.nz <= 0 || h.nx <= 0 || h.ny <= 0)
            in.fail("invalid MRC dimensions " + std::to_string(h.nx) + " x " + std::to_string(h.ny) + " x " +
                    std::to_string(h.nz) + " (byte order from " + how + ")");
        checkImageSize(fileName, h.nx, h.ny);

        PixelType type = PixelType::Float32;
        bool half = false;
        switch (h.mode) {
        case 0:
            // MRC2014 says signed; IMOD marks unsigned bytes with flag bit 0.
            type = (h.imodStamp == kImodStamp && (h.imodFlags & 1)) ? PixelType::UInt8 : PixelType::Int8;
            break;
        case 1:
            type = PixelType::Int16;
            break;
        case 2:
            type = PixelType::Float32;
            break;
        case 4:
            type = PixelType::Complex64;
            break;
        case 6:
            type = PixelType::UInt16;
            break;
        case 12:
            half = true;
            break;
        case 16:
            type = PixelType::RGB8;
            break;
        case 3:
            in.fail("MRC mode 3 (complex int16) is not supported");
        case 101:
            in.fail("MRC mode 101 (4-bit packed) is not supported");
        default:
            in.fail("unsupported MRC mode " + std::to_string(h.mode));
        }
        const std::uint64_t itemBytes = half ? 2 : pixelTypeSize(type);
        const std::uint64_t sectionBytes = std::uint64_t(h.nx) * std::uint64_t(h.ny) * itemBytes;
        if (h.nsymbt < 0)
            in.fail("negative extended header size " + std::to_string(h.nsymbt));
        const std::uint64_t dataOffset = kHeaderBytes + std::uint64_t(h.nsymbt);
        if (dataOffset > bytes.size())
            in.fail("extended header of " + std::to_string(h.nsymbt) +
                    " bytes runs past the end of the file");
        // The whole stack must be present; a short file is truncated even if the first section fits.
        const std::uint64_t remain = bytes.size() - dataOffset;
        if (std::uint64_t(h.nz) > remain / sectionBytes)
            in.fail("truncated image data: " + std::to_string(h.nz) + " sections of " +
                    std::to_string(sectionBytes) + " bytes at offset " + std::to_string(dataOffset) + ", " +
                    std::to_string(remain) + " remain");

        Micrograph m;
        m.width = h.nx;
        m.height = h.ny;
        m.frames = h.nz;
        m.format = "MRC";
        m.dtype = half ? "float16" : pixelTypeName(type);
        m.pixels.resize(m.pixelCount());
        in.seek(dataOffset);
        const std::uint8_t* data = in.take(sectionBytes, "image data");
        if (half)
            convertHalves(data, order == ByteOrder::Little, m.pixelCount(), m.pixels.data());
        else
            convertPixels(data, type, order, m.pixelCount(), m.pixels.data());

        // Pixel size in Å: cell length over the number of samples along the axis.
        const double sizeX = h.mx > 0 ? double(h.cellX) / h.mx : 0.0;
        const double sizeY = h.my > 0 ? double(h.cellY) / h.my : 0.0;
        if (std::isfinite(sizeX) && sizeX > 0.0) {
            m.calibration.pixelSizeX = sizeX;
            m.calibration.pixelSizeY = std::isfinite(sizeY) && sizeY > 0.0 ? sizeY : sizeX;
            m.calibration.unit = "Å";
        }
        m.metadata["MRC.ByteOrder"] = order == ByteOrder::Little ? "little-endian" : "big-endian";
        addMetadata(in, h, m);
        return m;
    } catch (const IoError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw IoError(fileName, "not enough memory to decode the image");
    } catch (const std::exception& e) {
        throw IoError(fileName, std::string("cannot read MRC: ") + e.what());
    }
}

} // namespace motifscope
