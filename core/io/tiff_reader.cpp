// TIFF reader: libtiff decodes through TIFFClientOpenExt from a byte span, or from the file itself
// (pread, row by row straight into the float image: no copy of the file in memory), with a per-handle
// error collector, so libtiff's own complaint ends up in the IoError. The first directory is read;
// `frames` counts the directories. Greyscale samples of any integer/float type, packed 1/2/4-bit,
// 8/16-bit RGB(A) as luminance, strips or tiles, every compression libtiff was built with; other
// photometric interpretations (YCbCr, CMYK, Lab, ...) go through libtiff's RGBA interface.
#include "core/io/half_float.h"
#include "core/io/pixel_types.h"
#include "core/io/readers.h"
#include "core/io/tiff_calibration.h"
#include "core/io/tiff_common.h"

#include <tiffio.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <memory>
#include <new>

namespace motifscope {

namespace {

using tiffsupport::MessageCollector;

/**
 * What libtiff reads through the client callbacks below: a byte span in memory (tests, fuzzing), or
 * a file on disk read piece by piece with pread, so a big image never has a second copy in memory.
 */
struct TiffSource
{
    const std::uint8_t* data = nullptr; ///< the span, or null for a file
    int fd = -1;                        ///< the file when `data` is null
    std::uint64_t size = 0;
    std::uint64_t position = 0;
};

tmsize_t readSource(thandle_t handle, void* buffer, tmsize_t count)
{
    auto* source = static_cast<TiffSource*>(handle);
    if (count <= 0 || source->position >= source->size)
        return 0;
    const std::uint64_t n = std::min<std::uint64_t>(std::uint64_t(count), source->size - source->position);
    if (source->data) {
        std::memcpy(buffer, source->data + source->position, std::size_t(n));
        source->position += n;
        return tmsize_t(n);
    }
    std::uint64_t done = 0;
    while (done < n) {
        const ssize_t got = ::pread(source->fd, static_cast<std::uint8_t*>(buffer) + done, std::size_t(n - done),
                                    off_t(source->position + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break; // libtiff reports the short read as truncated data
        done += std::uint64_t(got);
    }
    source->position += done;
    return tmsize_t(done);
}

tmsize_t writeSource(thandle_t, void*, tmsize_t)
{
    return -1; // read only
}

toff_t seekSource(thandle_t handle, toff_t offset, int whence)
{
    auto* source = static_cast<TiffSource*>(handle);
    std::uint64_t base = 0;
    if (whence == SEEK_CUR)
        base = source->position;
    else if (whence == SEEK_END)
        base = source->size;
    source->position = base + offset; // past the end is allowed; reads there return nothing
    return source->position;
}

int closeSource(thandle_t)
{
    return 0;
}

toff_t sizeOfSource(thandle_t handle)
{
    return static_cast<TiffSource*>(handle)->size;
}

int mapSource(thandle_t handle, void** base, toff_t* size)
{
    auto* source = static_cast<TiffSource*>(handle);
    if (!source->data)
        return 0; // a file is read, not mapped
    *base = const_cast<std::uint8_t*>(source->data); // libtiff only reads a mapping opened with "r"
    *size = source->size;
    return 1;
}

void unmapSource(thandle_t, void*, toff_t) {}

/** How the samples of one pixel are stored and turned into one float. */
struct SampleLayout
{
    PixelType type = PixelType::UInt8; ///< type of one sample (for RGB: of one channel)
    int bits = 8;                      ///< bits per sample
    int samples = 1;                   ///< samples per pixel as laid out in the decoded buffer
    bool packed = false;               ///< 1, 2 or 4 bits per sample, MSB first
    bool half = false;                 ///< 16-bit IEEE float
    bool rgb = false;                  ///< luminance of the first three samples
    bool invert = false;               ///< MinIsWhite unsigned data: maxValue - value
    std::string dtype;

    std::size_t pixelBytes() const { return std::size_t(samples) * std::size_t(bits / 8); }
};

/** Converts one decoded row of `count` pixels into floats. */
void convertRow(const std::uint8_t* src, const SampleLayout& layout, std::size_t count, float* dst)
{
    const ByteOrder host = hostByteOrder(); // libtiff has already swapped samples to host order
    if (layout.packed) {
        const unsigned mask = (1u << layout.bits) - 1u;
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t bit = i * std::size_t(layout.bits);
            const unsigned shift = 8u - unsigned(layout.bits) - unsigned(bit % 8);
            dst[i] = float((src[bit / 8] >> shift) & mask);
        }
    } else if (layout.rgb && layout.bits == 16) {
        for (std::size_t i = 0; i < count; ++i) {
            std::uint16_t c[3];
            std::memcpy(c, src + i * layout.pixelBytes(), sizeof c);
            dst[i] = float(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
        }
    } else if (layout.rgb) {
        const PixelType type = layout.samples == 4 ? PixelType::RGBA8 : PixelType::RGB8;
        if (layout.samples == 3 || layout.samples == 4) {
            convertPixels(src, type, host, count, dst);
        } else {
            for (std::size_t i = 0; i < count; ++i)
                convertPixels(src + i * layout.pixelBytes(), PixelType::RGB8, host, 1, dst + i);
        }
    } else if (layout.samples == 1) {
        if (layout.half)
            convertHalves(src, host == ByteOrder::Little, count, dst);
        else
            convertPixels(src, layout.type, host, count, dst);
    } else {
        // Grey plus extra samples (alpha, ...): the first sample is the image.
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint8_t* p = src + i * layout.pixelBytes();
            if (layout.half)
                convertHalves(p, host == ByteOrder::Little, 1, dst + i);
            else
                convertPixels(p, layout.type, host, 1, dst + i);
        }
    }
    if (layout.invert) {
        const double maxValue = double((std::uint64_t(1) << std::min(layout.bits, 32)) - 1);
        for (std::size_t i = 0; i < count; ++i)
            dst[i] = float(maxValue - dst[i]);
    }
}

/** Reads the image tags of the current directory; the geometry around them. */
class TiffImage
{
public:
    TiffImage(TIFF* tif, const std::string& fileName, MessageCollector& messages)
        : mTif(tif), mFile(fileName), mMessages(messages)
    {
    }

    [[noreturn]] void fail(const std::string& problem) const
    {
        std::string text = problem;
        if (!mMessages.firstError.empty())
            text += " (libtiff: " + mMessages.firstError + ")";
        throw IoError(mFile, text);
    }

    template <typename T> T tag(ttag_t tag, T fallback)
    {
        T value = fallback;
        if (!TIFFGetFieldDefaulted(mTif, tag, &value))
            return fallback;
        return value;
    }

    void decode(Micrograph& m)
    {
        std::uint32_t width = 0;
        std::uint32_t height = 0;
        if (!TIFFGetField(mTif, TIFFTAG_IMAGEWIDTH, &width) ||
            !TIFFGetField(mTif, TIFFTAG_IMAGELENGTH, &height))
            fail("missing image width or length tag");
        checkImageSize(mFile, width, height);
        m.width = int(width);
        m.height = int(height);

        const int bits = tag<std::uint16_t>(TIFFTAG_BITSPERSAMPLE, 1);
        const int samples = tag<std::uint16_t>(TIFFTAG_SAMPLESPERPIXEL, 1);
        const int format = tag<std::uint16_t>(TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
        const int planar = tag<std::uint16_t>(TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        const int compression = tag<std::uint16_t>(TIFFTAG_COMPRESSION, COMPRESSION_NONE);
        std::uint16_t photometric = samples >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
        TIFFGetField(mTif, TIFFTAG_PHOTOMETRIC, &photometric);
        m.metadata["TIFF.BitsPerSample"] = std::to_string(bits);
        m.metadata["TIFF.SamplesPerPixel"] = std::to_string(samples);
        m.metadata["TIFF.Compression"] = std::to_string(compression);
        m.metadata["TIFF.Photometric"] = std::to_string(photometric);
        if (samples < 1 || samples > 64)
            fail("unsupported samples per pixel: " + std::to_string(samples));

        if (photometric == PHOTOMETRIC_YCBCR && compression == COMPRESSION_JPEG) {
            // libjpeg converts to RGB for us, and libtiff then reports 3 samples of 8 bits.
            TIFFSetField(mTif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
            photometric = PHOTOMETRIC_RGB;
        }
        const bool grey = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE ||
                          photometric == PHOTOMETRIC_PALETTE || photometric == PHOTOMETRIC_MASK;
        const bool rgb = photometric == PHOTOMETRIC_RGB && samples >= 3 && (bits == 8 || bits == 16) &&
                         format != SAMPLEFORMAT_IEEEFP && (planar == PLANARCONFIG_CONTIG);
        if (!grey && !rgb) {
            decodeViaRgba(m, bits);
            return;
        }

        SampleLayout layout;
        layout.bits = bits;
        // Separate planes: the first plane alone is a one-sample image.
        layout.samples = planar == PLANARCONFIG_SEPARATE ? 1 : samples;
        if (rgb) {
            layout.rgb = true;
            const bool alpha = samples >= 4;
            layout.dtype = std::string(alpha ? "rgba" : "rgb") + std::to_string(bits);
        } else {
            chooseGreyType(layout, format);
            // Palette images keep their indices: in scientific files (ImageJ LUTs) they are the data.
            layout.invert = photometric == PHOTOMETRIC_MINISWHITE && format != SAMPLEFORMAT_INT &&
                            format != SAMPLEFORMAT_IEEEFP;
        }
        m.dtype = layout.dtype;
        if (TIFFIsTiled(mTif))
            readTiles(m, layout, compression);
        else
            readStrips(m, layout, compression);
    }

private:
    void chooseGreyType(SampleLayout& layout, int format)
    {
        const int bits = layout.bits;
        const bool isInt = format == SAMPLEFORMAT_INT;
        const bool isUInt = format == SAMPLEFORMAT_UINT || format == SAMPLEFORMAT_VOID;
        if (isUInt && (bits == 1 || bits == 2 || bits == 4)) {
            layout.packed = true;
            if (layout.samples != 1)
                fail("packed " + std::to_string(bits) +
                     "-bit samples with several samples per pixel are not supported");
            layout.dtype = bits == 1 ? "bool" : "uint8";
            return;
        }
        struct Choice
        {
            bool ok;
            PixelType type;
        };
        Choice c{false, PixelType::UInt8};
        if (isUInt && bits == 8)
            c = {true, PixelType::UInt8};
        else if (isUInt && bits == 16)
            c = {true, PixelType::UInt16};
        else if (isUInt && bits == 32)
            c = {true, PixelType::UInt32};
        else if (isUInt && bits == 64)
            c = {true, PixelType::UInt64};
        else if (isInt && bits == 8)
            c = {true, PixelType::Int8};
        else if (isInt && bits == 16)
            c = {true, PixelType::Int16};
        else if (isInt && bits == 32)
            c = {true, PixelType::Int32};
        else if (isInt && bits == 64)
            c = {true, PixelType::Int64};
        else if (format == SAMPLEFORMAT_IEEEFP && bits == 32)
            c = {true, PixelType::Float32};
        else if (format == SAMPLEFORMAT_IEEEFP && bits == 64)
            c = {true, PixelType::Float64};
        else if (format == SAMPLEFORMAT_COMPLEXIEEEFP && bits == 64)
            c = {true, PixelType::Complex64};
        else if (format == SAMPLEFORMAT_COMPLEXIEEEFP && bits == 128)
            c = {true, PixelType::Complex128};
        if (format == SAMPLEFORMAT_IEEEFP && bits == 16) {
            layout.half = true;
            layout.dtype = "float16";
            return;
        }
        if (!c.ok)
            fail("unsupported sample type: " + std::to_string(bits) + "-bit sample format " +
                 std::to_string(format));
        layout.type = c.type;
        layout.dtype = pixelTypeName(c.type);
    }

    /** Uncompressed data must fit in the file: refuse before allocating for a damaged size tag. */
    void checkUncompressedFits(int compression, std::uint64_t needed)
    {
        if (compression != COMPRESSION_NONE)
            return;
        const std::uint64_t available = static_cast<const TiffSource*>(TIFFClientdata(mTif))->size;
        if (needed > available)
            fail("truncated image data: needs " + std::to_string(needed) + " bytes but the file has only " +
                 std::to_string(available));
    }

    /**
     * Reserves the whole float image up front (address space only: pages count once rows are decoded
     * into them), so rows land in place without the copies of a growing vector. A compressed image
     * declaring more than 256 floats per byte of its file is left to grow as it decodes, so a damaged
     * file costs no more memory than what it decoded.
     */
    void reservePixels(Micrograph& m, int compression)
    {
        const std::uint64_t available = static_cast<const TiffSource*>(TIFFClientdata(mTif))->size;
        if (compression == COMPRESSION_NONE || m.pixelCount() * sizeof(float) <= available * 256)
            m.pixels.reserve(m.pixelCount());
    }

    std::vector<std::uint8_t> buffer(std::uint64_t bytes, const char* what)
    {
        if (bytes == 0 || bytes > (std::uint64_t(1) << 31))
            fail(std::string("implausible ") + what + " size of " + std::to_string(bytes) + " bytes");
        return std::vector<std::uint8_t>(std::size_t(bytes));
    }

    void readStrips(Micrograph& m, const SampleLayout& layout, int compression)
    {
        const std::uint64_t rowBytes = TIFFScanlineSize64(mTif);
        const std::uint64_t expected = (std::uint64_t(m.width) * layout.samples * layout.bits + 7) / 8;
        if (rowBytes < expected)
            fail("inconsistent scanline size " + std::to_string(rowBytes) + " (expected " +
                 std::to_string(expected) + ")");
        checkUncompressedFits(compression, rowBytes * std::uint64_t(m.height));
        std::vector<std::uint8_t> row = buffer(rowBytes, "scanline");
        reservePixels(m, compression);
        const std::size_t w = std::size_t(m.width);
        for (std::uint32_t y = 0; y < std::uint32_t(m.height); ++y) {
            if (TIFFReadScanline(mTif, row.data(), y, 0) < 0)
                fail("cannot decode row " + std::to_string(y) + " (corrupt or truncated image data)");
            // Grow row by row, so a damaged file never costs more memory than what it decoded.
            m.pixels.resize((std::size_t(y) + 1) * w);
            convertRow(row.data(), layout, w, m.pixels.data() + std::size_t(y) * w);
        }
    }

    void readTiles(Micrograph& m, const SampleLayout& layout, int compression)
    {
        std::uint32_t tileWidth = 0;
        std::uint32_t tileHeight = 0;
        if (!TIFFGetField(mTif, TIFFTAG_TILEWIDTH, &tileWidth) ||
            !TIFFGetField(mTif, TIFFTAG_TILELENGTH, &tileHeight) || tileWidth == 0 || tileHeight == 0 ||
            tileWidth > kMaxSide || tileHeight > kMaxSide)
            fail("invalid tile size " + std::to_string(tileWidth) + " x " + std::to_string(tileHeight));
        const std::uint64_t tileBytes = TIFFTileSize64(mTif);
        const std::uint64_t tileRowBytes = TIFFTileRowSize64(mTif);
        const std::uint64_t expectedRow = (std::uint64_t(tileWidth) * layout.samples * layout.bits + 7) / 8;
        if (tileRowBytes < expectedRow || tileBytes < tileRowBytes * tileHeight)
            fail("inconsistent tile size " + std::to_string(tileBytes) + " bytes");
        const std::uint64_t across = (std::uint64_t(m.width) + tileWidth - 1) / tileWidth;
        const std::uint64_t down = (std::uint64_t(m.height) + tileHeight - 1) / tileHeight;
        checkUncompressedFits(compression, across * down * tileBytes);
        std::vector<std::uint8_t> tile = buffer(tileBytes, "tile");
        reservePixels(m, compression);
        const std::size_t w = std::size_t(m.width);
        for (std::uint32_t y0 = 0; y0 < std::uint32_t(m.height); y0 += tileHeight) {
            const std::uint32_t rows = std::min<std::uint32_t>(tileHeight, std::uint32_t(m.height) - y0);
            m.pixels.resize((std::size_t(y0) + rows) * w);
            for (std::uint32_t x0 = 0; x0 < std::uint32_t(m.width); x0 += tileWidth) {
                const ttile_t index = TIFFComputeTile(mTif, x0, y0, 0, 0);
                if (TIFFReadEncodedTile(mTif, index, tile.data(), tmsize_t(tileBytes)) < 0)
                    fail("cannot decode tile " + std::to_string(index) +
                         " (corrupt or truncated image data)");
                const std::size_t count = std::min<std::size_t>(tileWidth, w - x0);
                for (std::uint32_t r = 0; r < rows; ++r)
                    convertRow(tile.data() + r * tileRowBytes, layout, count,
                               m.pixels.data() + (std::size_t(y0) + r) * w + x0);
            }
        }
    }

    /** YCbCr, CMYK, Lab and other colour models: libtiff's RGBA interface, then luminance. */
    void decodeViaRgba(Micrograph& m, int bits)
    {
        char reason[1024] = {0};
        if (!TIFFRGBAImageOK(mTif, reason))
            fail(std::string("unsupported image layout: ") + reason);
        checkUncompressedFits(tag<std::uint16_t>(TIFFTAG_COMPRESSION, COMPRESSION_NONE),
                              m.pixelCount() * std::max(bits, 1) / 8);
        std::vector<std::uint32_t> raster(m.pixelCount());
        if (!TIFFReadRGBAImageOriented(mTif, std::uint32_t(m.width), std::uint32_t(m.height), raster.data(),
                                       ORIENTATION_TOPLEFT, 0))
            fail("cannot decode colour image data (corrupt or truncated)");
        m.pixels.resize(m.pixelCount());
        for (std::size_t i = 0; i < raster.size(); ++i) {
            const std::uint32_t p = raster[i];
            m.pixels[i] = float(0.299 * TIFFGetR(p) + 0.587 * TIFFGetG(p) + 0.114 * TIFFGetB(p));
        }
        if (bits == 16) // back to the 16-bit scale (the RGBA interface keeps the top 8 bits only)
            for (float& v : m.pixels)
                v *= 257.0f;
        m.dtype = bits == 16 ? "rgb16" : "rgb8"; // what was stored, though decoded through 8 bits
    }

    TIFF* mTif;
    const std::string& mFile;
    MessageCollector& mMessages;
};

std::string asciiTag(TIFF* tif, ttag_t tag)
{
    char* text = nullptr;
    if (!TIFFGetField(tif, tag, &text) || !text)
        return {};
    return std::string(text);
}

/** Float values of a private (anonymous) tag such as DigitalMicrograph's 65009. */
double numericPrivateTag(TIFF* tif, ttag_t tag)
{
    const TIFFField* field = TIFFFindField(tif, tag, TIFF_ANY);
    if (!field || !TIFFFieldPassCount(field) || TIFFFieldReadCount(field) != TIFF_VARIABLE2)
        return 0.0;
    std::uint32_t count = 0;
    void* data = nullptr;
    if (!TIFFGetField(tif, tag, &count, &data) || !data || count == 0)
        return 0.0;
    switch (TIFFFieldDataType(field)) {
    case TIFF_DOUBLE:
        return *static_cast<const double*>(data);
    case TIFF_FLOAT:
        return *static_cast<const float*>(data);
    default:
        return 0.0;
    }
}

std::string asciiPrivateTag(TIFF* tif, ttag_t tag)
{
    const TIFFField* field = TIFFFindField(tif, tag, TIFF_ANY);
    if (!field || TIFFFieldDataType(field) != TIFF_ASCII || !TIFFFieldPassCount(field) ||
        TIFFFieldReadCount(field) != TIFF_VARIABLE2)
        return {};
    std::uint32_t count = 0;
    void* data = nullptr;
    if (!TIFFGetField(tif, tag, &count, &data) || !data)
        return {};
    const char* text = static_cast<const char*>(data);
    return std::string(text, strnlen(text, count));
}

/** Calibration and metadata from the description, DigitalMicrograph's private tags and resolution tags. */
void readCalibration(TIFF* tif, Micrograph& m, int& imagejImages)
{
    TiffTags tags;
    tags.description = asciiTag(tif, TIFFTAG_IMAGEDESCRIPTION);
    float xres = 0.0f;
    float yres = 0.0f;
    TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres);
    TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yres);
    tags.xResolution = xres;
    tags.yResolution = yres;
    std::uint16_t resolutionUnit = RESUNIT_INCH;
    TIFFGetField(tif, TIFFTAG_RESOLUTIONUNIT, &resolutionUnit);
    tags.resolutionUnit = resolutionUnit;
    tags.dmUnitX = asciiPrivateTag(tif, 65003);
    if (tags.dmUnitX.empty())
        tags.dmUnitX = asciiPrivateTag(tif, 65012);
    tags.dmUnitY = asciiPrivateTag(tif, 65004);
    if (tags.dmUnitY.empty())
        tags.dmUnitY = asciiPrivateTag(tif, 65013);
    tags.dmScaleX = numericPrivateTag(tif, 65009);
    tags.dmScaleY = numericPrivateTag(tif, 65010);
    imagejImages = applyTiffCalibration(tags, m);

    const std::pair<ttag_t, const char*> strings[] = {{TIFFTAG_SOFTWARE, "TIFF.Software"},
                                                      {TIFFTAG_DATETIME, "TIFF.DateTime"},
                                                      {TIFFTAG_MAKE, "TIFF.Make"},
                                                      {TIFFTAG_MODEL, "TIFF.Model"},
                                                      {TIFFTAG_ARTIST, "TIFF.Artist"}};
    for (const auto& [id, key] : strings) {
        const std::string value = asciiTag(tif, id);
        if (!value.empty())
            m.metadata[key] = latin1ToUtf8(value.substr(0, 256));
    }
}

/**
 * Decodes directory `frame` (0 = the first) of the TIFF `source` holds (`fileName` names it in
 * errors). Calibration and metadata come from the first directory (where ImageJ and DigitalMicrograph
 * keep them), the time stamp from the frame's own directory when it has one.
 */
Micrograph decodeTiff(TiffSource& source, const std::string& fileName, int frame = 0)
{
    MessageCollector messages;
    try {
        tiffsupport::OpenOptions options(messages);
        std::unique_ptr<TIFF, tiffsupport::TiffCloser> tif(
            TIFFClientOpenExt(fileName.c_str(), "r", &source, readSource, writeSource, seekSource, closeSource,
                              sizeOfSource, mapSource, unmapSource, options.get()));
        if (!tif)
            throw IoError(fileName,
                          "not a readable TIFF file" +
                              (messages.firstError.empty() ? "" : " (libtiff: " + messages.firstError + ")"));
        Micrograph m;
        m.format = "TIFF";
        int imagejImages = 0;
        if (frame > 0) {
            readCalibration(tif.get(), m, imagejImages);
            const std::uint64_t count = TIFFNumberOfDirectories(tif.get());
            if (std::uint64_t(frame) >= count || !TIFFSetDirectory(tif.get(), tdir_t(frame)))
                throw IoError(fileName, "has no frame " + std::to_string(frame) + " (" + std::to_string(count) +
                                            " TIFF pages" +
                                            (imagejImages > int(count) ? "; ImageJ raw stacks are not split" : "") + ")");
            TiffImage image(tif.get(), fileName, messages);
            image.decode(m);
            const std::string stamp = asciiTag(tif.get(), TIFFTAG_DATETIME);
            if (!stamp.empty())
                m.metadata["TIFF.DateTime"] = latin1ToUtf8(stamp.substr(0, 256));
            m.frames = int(std::min<std::uint64_t>(std::max<std::uint64_t>(count, std::uint64_t(imagejImages)), INT_MAX));
            return m;
        }
        TiffImage image(tif.get(), fileName, messages);
        image.decode(m);
        readCalibration(tif.get(), m, imagejImages);
        // Count pages last: walking the directory chain does not disturb the decoded image.
        const std::uint64_t directories = TIFFNumberOfDirectories(tif.get());
        const std::uint64_t frames =
            std::max<std::uint64_t>({1, directories, std::uint64_t(std::max(imagejImages, 0))});
        m.frames = int(std::min<std::uint64_t>(frames, INT_MAX));
        return m;
    } catch (const IoError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw IoError(fileName, "not enough memory to decode the image");
    } catch (const std::exception& e) {
        throw IoError(fileName, std::string("cannot read TIFF: ") + e.what());
    }
}

void requireTiffSize(std::uint64_t size, const std::string& fileName)
{
    if (size < 8)
        throw IoError(fileName, "file is too short to be a TIFF (" + std::to_string(size) + " bytes)");
}

} // namespace

Micrograph readTiff(Bytes bytes, const std::string& fileName)
{
    requireTiffSize(bytes.size(), fileName);
    TiffSource source{bytes.data(), -1, bytes.size(), 0};
    return decodeTiff(source, fileName);
}

Micrograph readTiffFile(const std::string& path, int frame)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw IoError(path, "cannot open for reading");
    struct stat st{};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        throw IoError(path, "cannot read: " + std::string(std::strerror(errno)));
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    TiffSource source{nullptr, fd, std::uint64_t(st.st_size), 0};
    try {
        requireTiffSize(source.size, path);
        Micrograph m = decodeTiff(source, path, frame);
        ::close(fd);
        return m;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

} // namespace motifscope
