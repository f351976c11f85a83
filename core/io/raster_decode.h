#pragma once
/**
 * Decoders for PNG (libpng), JPEG (libjpeg) and BMP (here) from memory, without OpenCV's image
 * codecs (whose GDAL, poppler and ~120 other libraries cost every start of the programs about
 * 0.1 s). Each returns interleaved samples, grey or R G B (alpha dropped), 8 or 16 bits, or throws
 * IoError naming the file and the problem. The image size has been checked from the header first.
 */

#include "core/io/readers.h"

#include <cstdint>
#include <string>
#include <vector>

namespace motifscope {

struct DecodedRaster
{
    int width = 0;
    int height = 0;
    int channels = 0;       ///< samples per pixel stored: 1 (grey) or 3 (R, G, B)
    int fileChannels = 0;   ///< channels in the file, alpha included (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA)
    int bits = 8;           ///< 8 or 16 bits per sample
    std::vector<std::uint8_t> bytes;   ///< 8-bit samples, row-major, interleaved
    std::vector<std::uint16_t> words;  ///< 16-bit samples (native order), when bits == 16
};

DecodedRaster decodePng(Bytes bytes, const std::string& fileName);
DecodedRaster decodeJpeg(Bytes bytes, const std::string& fileName);
DecodedRaster decodeBmp(Bytes bytes, const std::string& fileName);

} // namespace motifscope
