#include "core/io/frame_source.h"

#include <filesystem>
#include <fstream>

namespace motifscope {

namespace {

/** The first `count` bytes of a file (fewer when it is shorter). */
std::vector<std::uint8_t> readFileStart(const std::string& path, std::size_t count)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path, "cannot open for reading");
    std::vector<std::uint8_t> bytes(count);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(count));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

/** TIA writes NAME.emi beside NAME_1.ser, NAME_2.ser, ...: the companion's bytes, or none. */
std::vector<std::uint8_t> serCompanionBytes(const std::string& path)
{
    namespace fs = std::filesystem;
    const fs::path ser(path);
    const std::string stem = ser.stem().string();
    const auto underscore = stem.rfind('_');
    for (const std::string& candidate : {stem, underscore == std::string::npos ? stem : stem.substr(0, underscore)}) {
        const fs::path p = ser.parent_path() / (candidate + ".emi");
        std::error_code ec;
        if (fs::exists(p, ec))
            return readFileBytes(p.string());
    }
    return {};
}

} // namespace

FrameSource::FrameSource(std::string path) : mPath(std::move(path))
{
    if (readableFileSize(mPath) == 0)
        throw IoError(mPath, "file is empty");
    // Enough to tell every format apart (the MRC mark sits at byte 208).
    mFormat = sniffFormat(readFileStart(mPath, 512), mPath);
    if (mFormat == FileFormat::Tiff)
        return; // decoded as read, page by page: no second copy of a big image
    auto bytes = std::make_shared<std::vector<std::uint8_t>>(readFileBytes(mPath));
    if (bytes->empty())
        throw IoError(mPath, "file is empty");
    mBytes = std::move(bytes);
    mEmi = std::make_shared<const std::vector<std::uint8_t>>(mFormat == FileFormat::Ser ? serCompanionBytes(mPath)
                                                                                        : std::vector<std::uint8_t>{});
}

Micrograph FrameSource::frame(int index) const
{
    if (index < 0)
        throw IoError(mPath, "frame " + std::to_string(index) + " does not exist");
    if (mFormat == FileFormat::Tiff)
        return readTiffFile(mPath, index);
    const Bytes bytes(*mBytes);
    switch (mFormat) {
    case FileFormat::Ser: return readSer(bytes, mPath, *mEmi, index);
    case FileFormat::Dm: return readDm(bytes, mPath, index);
    case FileFormat::Emd: return readEmd(bytes, mPath, index);
    default:
        if (index > 0)
            throw IoError(mPath, "frame " + std::to_string(index) + " does not exist (the file holds one image)");
        return decodeMicrograph(bytes, mPath);
    }
}

std::size_t FrameSource::heldBytes() const
{
    return (mBytes ? mBytes->size() : 0) + (mEmi ? mEmi->size() : 0);
}

} // namespace motifscope
