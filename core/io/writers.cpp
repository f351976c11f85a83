// Writers: 32-bit float TIFF through libtiff (calibration as an ImageJ description, read back
// exactly by readTiff) and 8-bit greyscale PNG through OpenCV. Both go through writeAtomically.
#include "core/io/writers.h"
#include "core/io/png_encode.h"

#include "core/io/file_util.h"
#include "core/io/tiff_calibration.h"
#include "core/io/tiff_common.h"

#include <opencv2/core.hpp>
#include <tiffio.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <new>
#include <vector>

namespace motifscope {

namespace {

void checkWritable(const Micrograph& image, const std::string& path)
{
    if (image.width <= 0 || image.height <= 0 || image.pixels.size() != image.pixelCount())
        throw IoError(path, "cannot write an empty or inconsistent image (" + std::to_string(image.width) +
                                " x " + std::to_string(image.height) + ", " +
                                std::to_string(image.pixels.size()) + " pixels)");
}

std::string formatExact(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

/**
 * ImageJ-style description: ImageJ and tifffile read unit + XResolution (pixels per unit);
 * MotifScope's exact keys keep the pixel size bit-identical (the rational tags only hold a float).
 */
std::string describeCalibration(const Calibration& c)
{
    if (!c.isCalibrated())
        return {};
    return "ImageJ=1.11a\nunit=" + imagejUnitText(c.unit) + "\n" + kExactPixelWidthKey + "=" +
           formatExact(c.pixelSizeX) + "\n" + kExactPixelHeightKey + "=" + formatExact(c.pixelSizeY) + "\n";
}

/** One page (TIFF directory) of float pixels with the calibration tags; false when libtiff refuses. */
bool writeTiffPage(TIFF* t, const Micrograph& image)
{
    const std::uint32_t width = std::uint32_t(image.width);
    const std::uint32_t height = std::uint32_t(image.height);
    // Strips of about 256 KiB.
    const std::uint32_t rowsPerStrip =
        std::clamp<std::uint32_t>(std::uint32_t((256u << 10) / (4u * width)), 1u, height);
    bool ok = TIFFSetField(t, TIFFTAG_IMAGEWIDTH, width) && TIFFSetField(t, TIFFTAG_IMAGELENGTH, height) &&
              TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 32) && TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1) &&
              TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_IEEEFP) &&
              TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK) &&
              TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
              TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_NONE) &&
              TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, rowsPerStrip) &&
              TIFFSetField(t, TIFFTAG_SOFTWARE, "MotifScope");
    const Calibration& c = image.calibration;
    if (ok && c.isCalibrated()) {
        const std::string description = describeCalibration(c);
        ok = TIFFSetField(t, TIFFTAG_IMAGEDESCRIPTION, description.c_str());
        // Pixels per unit, as ImageJ reads them; skipped when not representable (the exact keys remain).
        const double xres = 1.0 / c.pixelSizeX;
        const double yres = 1.0 / c.pixelSizeY;
        const auto representable = [](double r) { return std::isfinite(r) && r > 1.0e-30 && r < 1.0e30; };
        if (ok && representable(xres) && representable(yres))
            ok = TIFFSetField(t, TIFFTAG_XRESOLUTION, float(xres)) &&
                 TIFFSetField(t, TIFFTAG_YRESOLUTION, float(yres)) &&
                 TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_NONE);
    }
    for (std::uint32_t y0 = 0; ok && y0 < height; y0 += rowsPerStrip) {
        const std::uint32_t rows = std::min(rowsPerStrip, height - y0);
        const float* strip = image.pixels.data() + std::size_t(y0) * width;
        ok = TIFFWriteEncodedStrip(t, y0 / rowsPerStrip, const_cast<float*>(strip), tmsize_t(rows) * width * 4) >= 0;
    }
    return ok && TIFFWriteDirectory(t);
}

void writeTiffFile(const std::vector<const Micrograph*>& pages, const std::string& tempPath, const std::string& path)
{
    tiffsupport::MessageCollector messages;
    tiffsupport::OpenOptions options(messages);
    auto fail = [&](const std::string& problem) {
        throw IoError(
            path, problem + (messages.firstError.empty() ? "" : " (libtiff: " + messages.firstError + ")"));
    };
    // Classic TIFF addresses 4 GiB; larger images need BigTIFF.
    std::size_t bytes = 0;
    for (const Micrograph* page : pages)
        bytes += page->pixelCount() * 4;
    const char* mode = bytes > 0xF0000000ull ? "w8" : "w";
    std::unique_ptr<TIFF, tiffsupport::TiffCloser> tif(TIFFOpenExt(tempPath.c_str(), mode, options.get()));
    if (!tif)
        fail("cannot create file for writing");
    for (const Micrograph* page : pages)
        if (!writeTiffPage(tif.get(), *page))
            fail("cannot write the image (TIFF tags, data or directory)");
    TIFFClose(tif.release()); // closing flushes; failures land in `messages`
    if (!messages.firstError.empty())
        fail("write failed");
}

void writeTiffPages(const std::vector<const Micrograph*>& pages, const std::string& path)
{
    for (const Micrograph* page : pages)
        checkWritable(*page, path);
    try {
        writeAtomically(path, [&](const std::string& tempPath) { writeTiffFile(pages, tempPath, path); });
    } catch (const IoError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw IoError(path, "not enough memory to write the image");
    } catch (const std::exception& e) {
        throw IoError(path, std::string("cannot write TIFF: ") + e.what());
    }
}

} // namespace

void writeTiffFloat32(const Micrograph& image, const std::string& path)
{
    writeTiffPages({&image}, path);
}

void writeTiffStackFloat32(const std::vector<Micrograph>& frames, const std::string& path)
{
    if (frames.empty())
        throw IoError(path, "cannot write a stack without frames");
    std::vector<const Micrograph*> pages;
    for (const Micrograph& f : frames)
        pages.push_back(&f);
    writeTiffPages(pages, path);
}

void writePng8(const Micrograph& image, const std::string& path, double low, double high)
{
    checkWritable(image, path);
    try {
        cv::Mat grey(image.height, image.width, CV_8UC1);
        const double range = (std::isfinite(high - low) && high > low) ? high - low : 1.0;
        const double scale = 255.0 / range;
        for (int y = 0; y < image.height; ++y) {
            auto* row = grey.ptr<std::uint8_t>(y);
            for (int x = 0; x < image.width; ++x) {
                const double v = (double(image.at(x, y)) - low) * scale;
                // NaN maps to 0; everything else is clamped into [0, 255].
                row[x] = std::isnan(v) ? 0 : std::uint8_t(std::lround(std::clamp(v, 0.0, 255.0)));
            }
        }
        const std::vector<std::uint8_t> encoded = encodePng(grey);
        writeFileAtomically(path,
                            std::string_view(reinterpret_cast<const char*>(encoded.data()), encoded.size()));
    } catch (const IoError&) {
        throw;
    } catch (const cv::Exception& e) {
        throw IoError(path, "cannot encode PNG: " + e.err);
    } catch (const std::bad_alloc&) {
        throw IoError(path, "not enough memory to write the image");
    } catch (const std::exception& e) {
        throw IoError(path, std::string("cannot write PNG: ") + e.what());
    }
}

} // namespace motifscope
