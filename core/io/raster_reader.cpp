// PNG, JPEG and BMP from memory (raster_decode.h). The declared size is read from the file header
// first and checked, so a tiny file claiming a gigantic image is refused before the decoder
// allocates for it. Colour becomes Rec. 601 luminance; alpha is ignored.
#include "core/io/byte_reader.h"
#include "core/io/readers.h"

#include "core/io/raster_decode.h"

#include <cstring>
#include <new>

namespace motifscope {

namespace {

enum class RasterKind
{
    Png,
    Jpeg,
    Bmp
};

const char* kindName(RasterKind kind)
{
    switch (kind) {
    case RasterKind::Png:
        return "PNG";
    case RasterKind::Jpeg:
        return "JPEG";
    case RasterKind::Bmp:
        return "BMP";
    }
    return "?";
}

RasterKind detectKind(Bytes bytes, const std::string& fileName)
{
    auto starts = [&](const char* magic, std::size_t n) {
        return bytes.size() >= n && std::memcmp(bytes.data(), magic, n) == 0;
    };
    if (starts("\x89PNG\r\n\x1a\n", 8))
        return RasterKind::Png;
    if (starts("\xff\xd8\xff", 3))
        return RasterKind::Jpeg;
    if (starts("BM", 2))
        return RasterKind::Bmp;
    throw IoError(fileName, "not a PNG, JPEG or BMP file (unrecognised signature)");
}

/** PNG: the first chunk must be IHDR with big-endian width and height. */
void checkPngHeader(ByteReader& in)
{
    in.seek(8);
    const auto length = in.read<std::uint32_t>(ByteOrder::Big, "PNG IHDR chunk");
    if (in.readString(4, "PNG IHDR chunk") != "IHDR" || length < 13)
        in.fail("PNG does not start with an IHDR chunk");
    const auto width = in.read<std::uint32_t>(ByteOrder::Big, "PNG IHDR chunk");
    const auto height = in.read<std::uint32_t>(ByteOrder::Big, "PNG IHDR chunk");
    checkImageSize(in.fileName(), width, height);
}

/** JPEG: walk the marker segments up to the first start-of-frame and read its size. */
void checkJpegHeader(ByteReader& in)
{
    in.seek(2);
    for (int segment = 0; segment < 100000; ++segment) {
        std::uint8_t marker = 0xff;
        while (marker == 0xff) // fill bytes before a marker code
            marker = in.read<std::uint8_t>(ByteOrder::Big, "JPEG marker");
        if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
            continue; // stand-alone markers
        if (marker == 0xd9 || marker == 0xda)
            in.fail("JPEG has no frame header before its image data");
        const auto length = in.read<std::uint16_t>(ByteOrder::Big, "JPEG segment length");
        if (length < 2)
            in.fail("invalid JPEG segment length " + std::to_string(length));
        const bool startOfFrame =
            marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
        if (startOfFrame) {
            in.skip(1); // sample precision
            const auto height = in.read<std::uint16_t>(ByteOrder::Big, "JPEG frame header");
            const auto width = in.read<std::uint16_t>(ByteOrder::Big, "JPEG frame header");
            checkImageSize(in.fileName(), width, height);
            return;
        }
        in.skip(length - 2u);
        // Like libjpeg, skip stray bytes up to the next marker (the reader throws at the end of the file).
        while (in.read<std::uint8_t>(ByteOrder::Big, "JPEG marker") != 0xff) {
        }
    }
    in.fail("JPEG has too many segments before its frame header");
}

/** BMP: BITMAPCOREHEADER (16-bit sizes) or BITMAPINFOHEADER and later (32-bit, negative height = top-down).
 */
void checkBmpHeader(ByteReader& in)
{
    in.seek(14);
    const auto headerSize = in.read<std::uint32_t>(ByteOrder::Little, "BMP header");
    long long width = 0;
    long long height = 0;
    if (headerSize == 12) {
        width = in.read<std::uint16_t>(ByteOrder::Little, "BMP header");
        height = in.read<std::uint16_t>(ByteOrder::Little, "BMP header");
    } else if (headerSize >= 40 && headerSize <= 1024) {
        width = in.read<std::int32_t>(ByteOrder::Little, "BMP header");
        height = in.read<std::int32_t>(ByteOrder::Little, "BMP header");
        if (height < 0)
            height = -height;
    } else {
        in.fail("unsupported BMP header size " + std::to_string(headerSize));
    }
    checkImageSize(in.fileName(), width, height);
    if (headerSize < 40)
        return;
    // The pixels must be in the file before the decoder allocates them (a 69-byte file claiming
    // 32768 x 23540 pixels made OpenCV reserve 2.3 GB): uncompressed rows take their stride;
    // run-length or embedded data at most kMaxBmpPixelsPerByte pixels per stored byte.
    in.seek(28);
    const auto bitsPerPixel = in.read<std::uint16_t>(ByteOrder::Little, "BMP header");
    const auto compression = in.read<std::uint32_t>(ByteOrder::Little, "BMP header");
    constexpr unsigned long long kMaxBmpPixelsPerByte = 1024;
    const auto fileBytes = static_cast<unsigned long long>(in.size());
    const auto pixels = static_cast<unsigned long long>(width) * static_cast<unsigned long long>(height);
    if (compression == 0 || compression == 3 || compression == 6) {
        const unsigned long long rowBytes = (static_cast<unsigned long long>(width) * bitsPerPixel + 31) / 32 * 4;
        if (bitsPerPixel == 0 || rowBytes * static_cast<unsigned long long>(height) > fileBytes)
            in.fail("BMP header claims " + std::to_string(width) + " x " + std::to_string(height) + " pixels at " +
                    std::to_string(bitsPerPixel) + " bits, more than the file's " + std::to_string(fileBytes) +
                    " bytes hold (truncated or corrupt)");
    } else if (pixels > kMaxBmpPixelsPerByte * fileBytes) {
        in.fail("BMP header claims " + std::to_string(width) + " x " + std::to_string(height) +
                " compressed pixels, far more than the file's " + std::to_string(fileBytes) + " bytes can hold");
    }
}

/** Grey samples as they are; R, G, B as Rec. 601 luminance. */
template <typename T> void toLuminance(const T* samples, int channels, Micrograph& m)
{
    const std::size_t n = m.pixelCount();
    if (channels == 1) {
        for (std::size_t i = 0; i < n; ++i)
            m.pixels[i] = float(samples[i]);
        return;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const T* p = samples + i * 3;
        m.pixels[i] = float(0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]);
    }
}

Micrograph fromDecoded(const DecodedRaster& d, RasterKind kind, const std::string& fileName)
{
    checkImageSize(fileName, d.width, d.height);
    Micrograph m;
    m.width = d.width;
    m.height = d.height;
    m.format = kindName(kind);
    m.pixels.resize(m.pixelCount());
    const std::string bits = d.bits == 8 ? "8" : "16";
    if (d.channels == 1)
        m.dtype = d.bits == 8 ? "uint8" : "uint16"; // grey (plus alpha): the grey channel is the image
    else
        m.dtype = (d.fileChannels == 4 ? "rgba" : "rgb") + bits;
    if (d.bits == 8)
        toLuminance(d.bytes.data(), d.channels, m);
    else
        toLuminance(d.words.data(), d.channels, m);
    m.metadata[std::string(kindName(kind)) + ".Channels"] = std::to_string(d.fileChannels);
    m.metadata[std::string(kindName(kind)) + ".BitsPerSample"] = bits;
    return m;
}

} // namespace

Micrograph readRasterImage(Bytes bytes, const std::string& fileName)
{
    const RasterKind kind = detectKind(bytes, fileName);
    ByteReader in(bytes, fileName);
    switch (kind) {
    case RasterKind::Png:
        checkPngHeader(in);
        break;
    case RasterKind::Jpeg:
        checkJpegHeader(in);
        break;
    case RasterKind::Bmp:
        checkBmpHeader(in);
        break;
    }
    try {
        switch (kind) {
        case RasterKind::Png:
            return fromDecoded(decodePng(bytes, fileName), kind, fileName);
        case RasterKind::Jpeg:
            return fromDecoded(decodeJpeg(bytes, fileName), kind, fileName);
        case RasterKind::Bmp:
            break;
        }
        return fromDecoded(decodeBmp(bytes, fileName), kind, fileName);
    } catch (const std::bad_alloc&) {
        throw IoError(fileName, "not enough memory to decode the image");
    }
}

} // namespace motifscope
