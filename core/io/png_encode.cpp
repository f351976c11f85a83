#include "core/io/png_encode.h"

#include <tbb/parallel_for.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace motifscope {

namespace {

constexpr int kStripRows = 64;        ///< rows deflated together (a strip's matches stay within it)
constexpr std::uint8_t kSubFilter = 1; ///< each byte minus the byte one pixel to its left

void appendBigEndian(std::vector<std::uint8_t>& out, std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(std::uint8_t(v >> shift));
}

/** A PNG chunk: length, type, data, CRC of type and data. */
void appendChunk(std::vector<std::uint8_t>& out, const char* type, const std::uint8_t* data, std::size_t size)
{
    appendBigEndian(out, std::uint32_t(size));
    const std::size_t typeAt = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data, data + size);
    const uLong crc = crc32(0L, out.data() + typeAt, uInt(4 + size));
    appendBigEndian(out, std::uint32_t(crc));
}

/**
 * Rows [first, last) as PNG scanlines: the filter byte, then each sample minus the same sample of
 * the pixel to the left (grey; or red, green, blue from OpenCV's blue-green-red order).
 */
std::vector<std::uint8_t> filteredRows(const cv::Mat& image, int first, int last)
{
    const int channels = image.channels();
    const std::size_t rowBytes = std::size_t(image.cols) * std::size_t(channels);
    std::vector<std::uint8_t> out(std::size_t(last - first) * (rowBytes + 1));
    std::uint8_t* o = out.data();
    for (int y = first; y < last; ++y) {
        const std::uint8_t* p = image.ptr<std::uint8_t>(y);
        *o++ = kSubFilter;
        if (channels == 1) {
            std::uint8_t left = 0;
            for (int x = 0; x < image.cols; ++x) {
                *o++ = std::uint8_t(p[x] - left);
                left = p[x];
            }
            continue;
        }
        std::array<std::uint8_t, 3> left{0, 0, 0}; // r, g, b of the pixel to the left
        for (int x = 0; x < image.cols; ++x, p += 3) {
            const std::array<std::uint8_t, 3> rgb{p[2], p[1], p[0]};
            for (int c = 0; c < 3; ++c)
                *o++ = std::uint8_t(rgb[std::size_t(c)] - left[std::size_t(c)]);
            left = rgb;
        }
    }
    return out;
}

/** Raw deflate of one strip: ends byte-aligned (sync flush), or with the final block for the last. */
std::vector<std::uint8_t> deflateStrip(const std::vector<std::uint8_t>& in, bool last)
{
    z_stream z{};
    if (deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_RLE) != Z_OK)
        throw std::runtime_error("PNG: deflate could not start");
    std::vector<std::uint8_t> out(deflateBound(&z, uLong(in.size())) + 16);
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = uInt(in.size());
    z.next_out = out.data();
    z.avail_out = uInt(out.size());
    const int status = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
    const bool ok = last ? status == Z_STREAM_END : status == Z_OK && z.avail_in == 0;
    out.resize(z.total_out);
    deflateEnd(&z);
    if (!ok)
        throw std::runtime_error("PNG: deflate failed");
    return out;
}

} // namespace

std::vector<std::uint8_t> encodePng(const cv::Mat& bgr)
{
    if ((bgr.type() != CV_8UC3 && bgr.type() != CV_8UC1) || bgr.empty())
        throw std::invalid_argument("encodePng: an 8-bit grey or colour picture is needed");
    const int strips = (bgr.rows + kStripRows - 1) / kStripRows;
    std::vector<std::vector<std::uint8_t>> compressed(static_cast<std::size_t>(strips));
    std::vector<uLong> adler(static_cast<std::size_t>(strips));
    std::vector<std::size_t> rawBytes(static_cast<std::size_t>(strips));
    tbb::parallel_for(0, strips, [&](int s) {
        const int first = s * kStripRows, last = std::min(bgr.rows, first + kStripRows);
        const std::vector<std::uint8_t> rows = filteredRows(bgr, first, last);
        adler[std::size_t(s)] = adler32(1L, rows.data(), uInt(rows.size()));
        rawBytes[std::size_t(s)] = rows.size();
        compressed[std::size_t(s)] = deflateStrip(rows, s + 1 == strips);
    });

    std::vector<std::uint8_t> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    std::vector<std::uint8_t> header;
    appendBigEndian(header, std::uint32_t(bgr.cols));
    appendBigEndian(header, std::uint32_t(bgr.rows));
    const std::uint8_t colourType = bgr.channels() == 1 ? 0 : 2; // grey or RGB
    header.insert(header.end(), {8, colourType, 0, 0, 0}); // 8 bits, deflate, adaptive filters, no interlace
    appendChunk(png, "IHDR", header.data(), header.size());
    // The zlib stream (header 78 01: deflate, 32 KiB window, fastest) over one IDAT chunk per strip.
    uLong check = adler[0];
    for (std::size_t s = 1; s < adler.size(); ++s)
        check = adler32_combine(check, adler[s], z_off_t(rawBytes[s]));
    std::size_t total = 0;
    for (const auto& c : compressed)
        total += c.size() + 12;
    png.reserve(png.size() + total + 64);
    for (std::size_t s = 0; s < compressed.size(); ++s) {
        std::vector<std::uint8_t>& data = compressed[s];
        if (s == 0)
            data.insert(data.begin(), {0x78, 0x01});
        if (s + 1 == compressed.size())
            appendBigEndian(data, std::uint32_t(check));
        appendChunk(png, "IDAT", data.data(), data.size());
    }
    appendChunk(png, "IEND", nullptr, 0);
    return png;
}

} // namespace motifscope
