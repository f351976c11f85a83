#include "core/io/readers.h"

#include "core/io/file_util.h"
#include "core/io/frame_source.h"

#include <cstring>
#include <filesystem>
#include <fstream>

namespace motifscope {

namespace {

bool startsWith(Bytes bytes, const char* magic, std::size_t n)
{
    return bytes.size() >= n && std::memcmp(bytes.data(), magic, n) == 0;
}

FileFormat formatFromExtension(const std::string& ext)
{
    if (ext == "tif" || ext == "tiff")
        return FileFormat::Tiff;
    if (ext == "png" || ext == "jpg" || ext == "jpeg" || ext == "bmp")
        return FileFormat::Raster;
    if (ext == "dm3" || ext == "dm4")
        return FileFormat::Dm;
    if (ext == "emd" || ext == "h5" || ext == "hdf5" || ext == "hspy")
        return FileFormat::Emd;
    if (ext == "ser")
        return FileFormat::Ser;
    if (ext == "mrc" || ext == "map" || ext == "ccp4" || ext == "mrcs" || ext == "st" || ext == "ali")
        return FileFormat::Mrc;
    if (ext == "npy")
        return FileFormat::Npy;
    return FileFormat::Unknown;
}

constexpr std::uint64_t kMaxFileBytes = std::uint64_t(16) << 30;

} // namespace

FileFormat sniffFormat(Bytes bytes, const std::string& fileName)
{
    if (startsWith(bytes, "II*\0", 4) || startsWith(bytes, "MM\0*", 4) || startsWith(bytes, "II+\0", 4)
        || startsWith(bytes, "MM\0+", 4))
        return FileFormat::Tiff;
    if (startsWith(bytes, "\x89PNG", 4) || startsWith(bytes, "\xff\xd8\xff", 3) || startsWith(bytes, "BM", 2))
        return FileFormat::Raster;
    if (startsWith(bytes, "\x89HDF\r\n\x1a\n", 8))
        return FileFormat::Emd;
    if (startsWith(bytes, "\x93NUMPY", 6))
        return FileFormat::Npy;
    if (startsWith(bytes, "\x00\x00\x00\x03", 4) || startsWith(bytes, "\x00\x00\x00\x04", 4))
        return FileFormat::Dm;
    if (startsWith(bytes, "\x49\x49\x97\x01", 4))
        return FileFormat::Ser;
    if (bytes.size() >= 212 && std::memcmp(bytes.data() + 208, "MAP", 3) == 0)
        return FileFormat::Mrc;
    return formatFromExtension(fileExtension(fileName));
}

Micrograph decodeMicrograph(Bytes bytes, const std::string& fileName)
{
    if (bytes.empty())
        throw IoError(fileName, "file is empty");
    switch (sniffFormat(bytes, fileName)) {
    case FileFormat::Tiff: return readTiff(bytes, fileName);
    case FileFormat::Raster: return readRasterImage(bytes, fileName);
    case FileFormat::Dm: return readDm(bytes, fileName);
    case FileFormat::Emd: return readEmd(bytes, fileName);
    case FileFormat::Ser: return readSer(bytes, fileName);
    case FileFormat::Mrc: return readMrc(bytes, fileName);
    case FileFormat::Npy: return readNpy(bytes, fileName);
    case FileFormat::Unknown: break;
    }
    throw IoError(fileName, "unrecognised file format (supported: " + std::string(supportedExtensionsPattern()) + ")");
}

std::uint64_t readableFileSize(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw IoError(path, "no such file");
    if (fs::is_directory(path, ec))
        throw IoError(path, "is a directory, not a file");
    const auto size = fs::file_size(path, ec);
    if (ec)
        throw IoError(path, "cannot read: " + ec.message());
    if (size > kMaxFileBytes)
        throw IoError(path, "file is larger than MotifScope accepts (" + std::to_string(size >> 20) + " MiB)");
    return size;
}

std::vector<std::uint8_t> readFileBytes(const std::string& path)
{
    const std::uint64_t size = readableFileSize(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path, "cannot open for reading");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
        throw IoError(path, "read error");
    return bytes;
}

Micrograph readMicrograph(const std::string& path)
{
    return readMicrographFrame(path, 0);
}

Micrograph readMicrographFrame(const std::string& path, int index)
{
    if (index < 0) // refused before the file is opened
        throw IoError(path, "frame " + std::to_string(index) + " does not exist");
    return FrameSource(path).frame(index);
}

const char* supportedExtensionsPattern()
{
    return "*.tif *.tiff *.png *.jpg *.jpeg *.bmp *.dm3 *.dm4 *.emd *.h5 *.hdf5 *.hspy *.ser *.mrc *.mrcs *.map *.ccp4 *.npy";
}

} // namespace motifscope
