#pragma once
/** Test-side TIFF writer (libtiff) with known sample values, for the TIFF reader tests. */

#include "core/io/readers.h"
#include "test_support.h"

#include <tiffio.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace motifscope::test {

using ByteVector = std::vector<std::uint8_t>;

/** How the test TIFF is laid out. */
struct TiffSpec
{
    int width = 37, height = 21;
    int bits = 8, format = SAMPLEFORMAT_UINT, samples = 1;
    int photometric = PHOTOMETRIC_MINISBLACK;
    int compression = COMPRESSION_NONE, predictor = 0;
    int rowsPerStrip = 4;
    int tile = 0; ///< tile side; 0 = strips
    int planar = PLANARCONFIG_CONTIG;
    int pages = 1;
    bool bigEndian = false, bigTiff = false;
    std::vector<std::uint16_t> extraSamples;
    std::string description;
    float xres = 0, yres = 0;
    int resolutionUnit = 0;
};

inline std::size_t rowBytes(const TiffSpec& s)
{
    return (std::size_t(s.width) * s.samples * s.bits + 7) / 8;
}

/** Writes pages (interleaved, rows of rowBytes) with libtiff and returns the file's bytes. */
inline ByteVector makeTiff(const TiffSpec& s, const std::function<ByteVector(int page)>& pageBytes)
{
    test::TempDir dir;
    const std::string path = dir.file("test.tif");
    const std::string mode = std::string("w") + (s.bigEndian ? "b" : "l") + (s.bigTiff ? "8" : "");
    TIFF* t = TIFFOpen(path.c_str(), mode.c_str());
    if (!t)
        return {};
    const std::size_t sampleBytes = std::size_t(s.bits) / 8;
    for (int page = 0; page < s.pages; ++page) {
        const ByteVector data = pageBytes(page);
        TIFFSetField(t, TIFFTAG_IMAGEWIDTH, s.width);
        TIFFSetField(t, TIFFTAG_IMAGELENGTH, s.height);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, s.bits);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, s.samples);
        TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, s.format);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, s.photometric);
        TIFFSetField(t, TIFFTAG_PLANARCONFIG, s.planar);
        TIFFSetField(t, TIFFTAG_COMPRESSION, s.compression);
        if (s.compression == COMPRESSION_JPEG)
            TIFFSetField(t, TIFFTAG_JPEGQUALITY, 95);
        if (s.compression == COMPRESSION_JPEG && s.photometric == PHOTOMETRIC_YCBCR)
            TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB); // we hand libtiff RGB
        if (s.predictor)
            TIFFSetField(t, TIFFTAG_PREDICTOR, s.predictor);
        if (!s.extraSamples.empty())
            TIFFSetField(t, TIFFTAG_EXTRASAMPLES, std::uint16_t(s.extraSamples.size()),
                         s.extraSamples.data());
        if (!s.description.empty())
            TIFFSetField(t, TIFFTAG_IMAGEDESCRIPTION, s.description.c_str());
        if (s.xres > 0) {
            TIFFSetField(t, TIFFTAG_XRESOLUTION, s.xres);
            TIFFSetField(t, TIFFTAG_YRESOLUTION, s.yres);
            TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, s.resolutionUnit);
        }
        if (s.photometric == PHOTOMETRIC_PALETTE) {
            std::vector<std::uint16_t> r(256), g(256), b(256);
            for (int i = 0; i < 256; ++i) {
                r[std::size_t(i)] = std::uint16_t(257 * (255 - i)); // a LUT that is not the identity
                g[std::size_t(i)] = std::uint16_t(257 * i);
                b[std::size_t(i)] = 0;
            }
            TIFFSetField(t, TIFFTAG_COLORMAP, r.data(), g.data(), b.data());
        }
        if (s.tile > 0) {
            TIFFSetField(t, TIFFTAG_TILEWIDTH, s.tile);
            TIFFSetField(t, TIFFTAG_TILELENGTH, s.tile);
            const std::size_t pixelBytes = sampleBytes * std::size_t(s.samples);
            for (int y0 = 0; y0 < s.height; y0 += s.tile)
                for (int x0 = 0; x0 < s.width; x0 += s.tile) {
                    ByteVector tile(std::size_t(s.tile) * s.tile * pixelBytes, 0);
                    for (int r = 0; r < s.tile && y0 + r < s.height; ++r) {
                        const std::size_t n = std::size_t(std::min(s.tile, s.width - x0)) * pixelBytes;
                        std::memcpy(tile.data() + std::size_t(r) * s.tile * pixelBytes,
                                    data.data() + std::size_t(y0 + r) * rowBytes(s) +
                                        std::size_t(x0) * pixelBytes,
                                    n);
                    }
                    TIFFWriteEncodedTile(t, TIFFComputeTile(t, std::uint32_t(x0), std::uint32_t(y0), 0, 0),
                                         tile.data(), tmsize_t(tile.size()));
                }
        } else {
            TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, s.rowsPerStrip);
            const int planes = s.planar == PLANARCONFIG_SEPARATE ? s.samples : 1;
            const std::size_t planeRow =
                s.planar == PLANARCONFIG_SEPARATE ? std::size_t(s.width) * sampleBytes : rowBytes(s);
            const int stripsPerPlane = (s.height + s.rowsPerStrip - 1) / s.rowsPerStrip;
            for (int p = 0; p < planes; ++p)
                for (int i = 0; i < stripsPerPlane; ++i) {
                    const int rows = std::min(s.rowsPerStrip, s.height - i * s.rowsPerStrip);
                    ByteVector strip(std::size_t(rows) * planeRow);
                    for (std::size_t k = 0; k < strip.size(); ++k) {
                        const std::size_t row = std::size_t(i * s.rowsPerStrip) + k / planeRow;
                        if (planes == 1) {
                            strip[k] = data[row * rowBytes(s) + k % planeRow];
                        } else {
                            const std::size_t x = (k % planeRow) / sampleBytes;
                            strip[k] = data[row * rowBytes(s) +
                                            (x * std::size_t(s.samples) + std::size_t(p)) * sampleBytes +
                                            k % sampleBytes];
                        }
                    }
                    // libtiff swaps the buffer in place for big-endian files: it is a copy.
                    TIFFWriteEncodedStrip(t, std::uint32_t(p * stripsPerPlane + i), strip.data(),
                                          tmsize_t(strip.size()));
                }
        }
        TIFFWriteDirectory(t);
    }
    TIFFClose(t);
    return readFileBytes(path);
}

/** Known value of sample (x, y, page) for a numpy dtype name; exactly storable in that type. */
inline double sampleValue(const std::string& dtype, int x, int y, int page)
{
    const double i = x + 37.0 * y;
    if (dtype == "uint8")
        return std::fmod(x * 7 + y * 31 + page * 50, 256);
    if (dtype == "int8")
        return std::fmod(x * 7 + y * 31 + page * 50, 256) - 128;
    if (dtype == "uint16")
        return std::fmod(i * 97 + page * 3, 65536);
    if (dtype == "int16")
        return std::fmod(i * 97 + page * 3, 65536) - 32768;
    if (dtype == "uint32")
        return 3.0e9 + i * 100003 + page;
    if (dtype == "int32")
        return -2.0e9 + i * 100003 + page;
    if (dtype == "uint64")
        return 1.0e18 + i * 1024;
    if (dtype == "int64")
        return -1.0e18 + i * 1024;
    if (dtype == "float32")
        return double(float((x - 3.5) * 0.1 + y * 1.0e5 + page));
    return x * 1.0e-3 + y * 1.0e10 - page; // float64
}

template <typename T> void store(std::uint8_t* p, double v, float& expected)
{
    const T value = static_cast<T>(v);
    std::memcpy(p, &value, sizeof(T));
    expected = static_cast<float>(value);
}

inline void storeSample(const std::string& dtype, std::uint8_t* p, double v, float& expected)
{
    if (dtype == "uint8")
        store<std::uint8_t>(p, v, expected);
    else if (dtype == "int8")
        store<std::int8_t>(p, v, expected);
    else if (dtype == "uint16")
        store<std::uint16_t>(p, v, expected);
    else if (dtype == "int16")
        store<std::int16_t>(p, v, expected);
    else if (dtype == "uint32")
        store<std::uint32_t>(p, v, expected);
    else if (dtype == "int32")
        store<std::int32_t>(p, v, expected);
    else if (dtype == "uint64")
        store<std::uint64_t>(p, v, expected);
    else if (dtype == "int64")
        store<std::int64_t>(p, v, expected);
    else if (dtype == "float32")
        store<float>(p, v, expected);
    else
        store<double>(p, v, expected);
}

/** Grey page of `dtype` samples; `expected` receives the floats the reader must return for page 0. */
inline ByteVector greyPage(const TiffSpec& s, const std::string& dtype, int page,
                           std::vector<float>* expected)
{
    const std::size_t sampleBytes = std::size_t(s.bits) / 8;
    ByteVector data(rowBytes(s) * std::size_t(s.height));
    if (expected)
        expected->assign(std::size_t(s.width) * s.height, 0.0f);
    for (int y = 0; y < s.height; ++y)
        for (int x = 0; x < s.width; ++x)
            for (int k = 0; k < s.samples; ++k) {
                float e = 0;
                std::uint8_t* p = data.data() + std::size_t(y) * rowBytes(s) +
                                  (std::size_t(x) * s.samples + k) * sampleBytes;
                storeSample(dtype, p, sampleValue(dtype, x + 5 * k, y, page), e);
                if (expected && k == 0)
                    (*expected)[std::size_t(y) * s.width + x] = e;
            }
    return data;
}

} // namespace motifscope::test
