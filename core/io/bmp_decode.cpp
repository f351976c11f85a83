// BMP: uncompressed Windows and OS/2 bitmaps (1, 4, 8-bit palettes; 16, 24, 32-bit with or without
// bit fields), bottom-up or top-down. Run-length and embedded JPEG/PNG bitmaps are refused.
#include "core/io/byte_reader.h"
#include "core/io/raster_decode.h"

#include <array>
#include <bit>

namespace motifscope {

namespace {

constexpr std::uint32_t kUncompressed = 0, kBitFields = 3, kAlphaBitFields = 6;

/** One colour channel of a packed pixel: its bits under `mask`, scaled to 0..255. */
struct Field
{
    std::uint32_t mask = 0;
    int shift = 0;
    std::uint32_t top = 0; ///< mask >> shift: the largest value
    explicit Field(std::uint32_t m = 0) : mask(m), shift(m ? std::countr_zero(m) : 0), top(m ? m >> shift : 0) {}
    std::uint8_t of(std::uint32_t pixel) const
    {
        return top == 0 ? 0 : std::uint8_t(((pixel & mask) >> shift) * 255u / top);
    }
};

} // namespace

DecodedRaster decodeBmp(Bytes bytes, const std::string& fileName)
{
    ByteReader in(bytes, fileName);
    in.seek(10);
    const auto pixelOffset = in.read<std::uint32_t>(ByteOrder::Little, "BMP header");
    const auto headerSize = in.read<std::uint32_t>(ByteOrder::Little, "BMP header");
    long long width = 0, height = 0;
    int bitsPerPixel = 0;
    std::uint32_t compression = kUncompressed, coloursUsed = 0;
    std::array<std::uint32_t, 4> masks{};
    const bool core = headerSize == 12;
    if (core) {
        width = in.read<std::uint16_t>(ByteOrder::Little, "BMP header");
        height = in.read<std::uint16_t>(ByteOrder::Little, "BMP header");
        in.skip(2);
        bitsPerPixel = in.read<std::uint16_t>(ByteOrder::Little, "BMP header");
    } else {
        width = in.read<std::int32_t>(ByteOrder::Little, "BMP header");
        height = in.read<std::int32_t>(ByteOrder::Little, "BMP header");
        in.skip(2);
        bitsPerPixel = in.read<std::uint16_t>(ByteOrder::Little, "BMP header");
        compression = in.read<std::uint32_t>(ByteOrder::Little, "BMP header");
        in.seek(46);
        coloursUsed = in.read<std::uint32_t>(ByteOrder::Little, "BMP header");
        if (compression == kBitFields || compression == kAlphaBitFields) {
            in.seek(54); // inside a V2+ header, or right after a 40-byte one
            const int count = compression == kAlphaBitFields || headerSize >= 56 ? 4 : 3;
            for (int c = 0; c < count; ++c)
                masks[std::size_t(c)] = in.read<std::uint32_t>(ByteOrder::Little, "BMP bit fields");
        }
    }
    if (compression != kUncompressed && compression != kBitFields && compression != kAlphaBitFields)
        in.fail("run-length or embedded JPEG/PNG BMP (compression " + std::to_string(compression) +
                ") is not supported; save it uncompressed");
    const bool topDown = height < 0;
    height = topDown ? -height : height;
    if (width <= 0 || height <= 0)
        in.fail("BMP has no pixels (" + std::to_string(width) + " x " + std::to_string(height) + ")");
    if (bitsPerPixel != 1 && bitsPerPixel != 4 && bitsPerPixel != 8 && bitsPerPixel != 16 && bitsPerPixel != 24 &&
        bitsPerPixel != 32)
        in.fail("unsupported BMP bit depth " + std::to_string(bitsPerPixel));

    // Palette (up to 8 bits per pixel): B, G, R (and a pad byte except in OS/2 headers).
    std::vector<std::array<std::uint8_t, 3>> palette;
    bool greyPalette = true;
    if (bitsPerPixel <= 8) {
        const std::size_t entries = coloursUsed > 0 && coloursUsed <= (1u << bitsPerPixel) ? coloursUsed : (1u << bitsPerPixel);
        const std::size_t entrySize = core ? 3 : 4;
        std::uint64_t start = 14ull + headerSize;
        if (!core && headerSize == 40 && compression == kBitFields)
            start += 12;
        in.seek(start);
        const std::uint8_t* p = in.take(entries * entrySize, "BMP palette");
        palette.resize(entries);
        for (std::size_t e = 0; e < entries; ++e) {
            palette[e] = {p[e * entrySize + 2], p[e * entrySize + 1], p[e * entrySize]};
            greyPalette = greyPalette && palette[e][0] == palette[e][1] && palette[e][1] == palette[e][2];
        }
    }
    if (compression == kUncompressed && bitsPerPixel == 16)
        masks = {0x7c00, 0x03e0, 0x001f, 0};
    if (compression == kUncompressed && bitsPerPixel == 32)
        masks = {0x00ff0000, 0x0000ff00, 0x000000ff, 0};
    const Field red(masks[0]), green(masks[1]), blue(masks[2]);

    DecodedRaster out;
    out.width = int(width);
    out.height = int(height);
    out.bits = 8;
    out.channels = bitsPerPixel <= 8 && greyPalette ? 1 : 3;
    out.fileChannels = bitsPerPixel == 32 && masks[3] != 0 ? 4 : out.channels;
    const std::size_t stride = (std::size_t(width) * std::size_t(bitsPerPixel) + 31) / 32 * 4;
    in.seek(pixelOffset);
    const std::uint8_t* pixels = in.take(stride * std::size_t(height), "BMP pixel rows");
    out.bytes.resize(std::size_t(width) * std::size_t(height) * std::size_t(out.channels));
    for (long long y = 0; y < height; ++y) {
        const std::uint8_t* row = pixels + std::size_t(topDown ? y : height - 1 - y) * stride;
        std::uint8_t* dst = out.bytes.data() + std::size_t(y) * std::size_t(width) * std::size_t(out.channels);
        for (long long x = 0; x < width; ++x) {
            std::array<std::uint8_t, 3> rgb{};
            if (bitsPerPixel <= 8) {
                const std::size_t bit = std::size_t(x) * std::size_t(bitsPerPixel);
                const unsigned index = (row[bit / 8] >> (8 - bitsPerPixel - int(bit % 8))) & ((1u << bitsPerPixel) - 1u);
                if (index >= palette.size())
                    in.fail("BMP pixel refers to palette entry " + std::to_string(index) + " of " +
                            std::to_string(palette.size()));
                rgb = palette[index];
            } else if (bitsPerPixel == 24) {
                const std::uint8_t* p = row + std::size_t(x) * 3;
                rgb = {p[2], p[1], p[0]};
            } else {
                const std::uint8_t* p = row + std::size_t(x) * std::size_t(bitsPerPixel / 8);
                const std::uint32_t v = bitsPerPixel == 16 ? std::uint32_t(p[0] | p[1] << 8)
                                                           : std::uint32_t(p[0] | p[1] << 8 | p[2] << 16) | std::uint32_t(p[3]) << 24;
                rgb = {red.of(v), green.of(v), blue.of(v)};
            }
            if (out.channels == 1)
                dst[x] = rgb[0];
            else
                std::copy(rgb.begin(), rgb.end(), dst + std::size_t(x) * 3);
        }
    }
    return out;
}

} // namespace motifscope
