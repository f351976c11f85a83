#pragma once
/**
 * Micrograph readers. Each decodes a whole file held in memory, so the same code serves files on
 * disk, tests and fuzzing. `fileName` is only used to name the file in errors and for sniffing.
 * Every reader throws IoError (one line: file and problem) on anything it cannot read.
 */

#include "core/io/micrograph.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace motifscope {

using Bytes = std::span<const std::uint8_t>;

Micrograph readTiff(Bytes bytes, const std::string& fileName);
/**
 * A TIFF read from disk as it decodes (peak memory: the float image and one row, not the file too);
 * `frame` > 0 reads that page of a multi-page TIFF (IoError when there is none).
 */
Micrograph readTiffFile(const std::string& path, int frame = 0);
Micrograph readRasterImage(Bytes bytes, const std::string& fileName); ///< PNG, JPEG, BMP via OpenCV
/** Gatan DM3 and DM4; `frame` picks a frame of 3-D data (IoError when there is none). */
Micrograph readDm(Bytes bytes, const std::string& fileName, int frame = 0);
/**
 * Every HDF5 layout: Velox and Berkeley EMD, HyperSpy (.hspy / .hdf5); decoded in a child process.
 * `frame` picks a frame of an image stack.
 */
Micrograph readEmd(Bytes bytes, const std::string& fileName, int frame = 0);
/**
 * FEI/TIA SER; `emiBytes` is the companion EMI file when present (may be empty). `frame` picks an
 * element of the series; its time tag, when the file has one, becomes metadata "Frame.DateTime".
 */
Micrograph readSer(Bytes bytes, const std::string& fileName, Bytes emiBytes = {}, int frame = 0);
Micrograph readMrc(Bytes bytes, const std::string& fileName);  ///< MRC / CCP4 modes 0, 1, 2, 6, 12
Micrograph readNpy(Bytes bytes, const std::string& fileName);  ///< NumPy .npy v1-v3

/** Formats MotifScope recognises. */
enum class FileFormat
{
    Unknown,
    Tiff,
    Raster,
    Dm,
    Emd,
    Ser,
    Mrc,
    Npy
};

/** Guesses the format from magic bytes first, then from the file name's extension. */
FileFormat sniffFormat(Bytes bytes, const std::string& fileName);

/** Decodes bytes of any supported format (SER without its EMI companion). */
Micrograph decodeMicrograph(Bytes bytes, const std::string& fileName);

/** Reads a file from disk (and a SER file's .emi companion when it exists). */
Micrograph readMicrograph(const std::string& path);

/**
 * Reads frame `index` of a file (FrameSource(path).frame(index); classify a stack's frames through
 * one FrameSource, which reads the file once): the first frame as readMicrograph does, later ones from the pages
 * of a multi-page TIFF, the third dimension of DM3/DM4 data, EMD (Velox, Berkeley) and HyperSpy
 * image stacks, or the elements of a SER series. IoError for a frame the file does not have (or a
 * later frame of a format that holds one image: PNG, JPEG, MRC, NPY).
 */
Micrograph readMicrographFrame(const std::string& path, int index);

/** A file's size; IoError naming it when it is missing, a folder, unreadable or absurdly large (> 16 GiB). */
std::uint64_t readableFileSize(const std::string& path);

/** Reads a whole file into memory, refusing unreadable or absurdly large files. */
std::vector<std::uint8_t> readFileBytes(const std::string& path);

/** File-name filter for open dialogs: "*.tif *.tiff *.dm3 ...". */
const char* supportedExtensionsPattern();

} // namespace motifscope
