#pragma once
/**
 * The frames of one file, opened once. A multi-frame file that is not a TIFF (DM3/DM4 3-D data,
 * EMD, HyperSpy, SER) is read from disk once and its bytes kept (with a SER file's .emi companion),
 * so frame k decodes from memory instead of the whole file being read again per frame; no decoded
 * frame is kept. A TIFF keeps nothing: libtiff reads only the page asked for from disk.
 * readMicrographFrame(path, k) is FrameSource(path).frame(k). Copies share the bytes; frame() may be
 * called from several threads at once.
 */

#include "core/io/readers.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace motifscope {

class FrameSource
{
public:
    /** Opens `path`: IoError naming it when it is missing, a folder, empty, too large or unreadable. */
    explicit FrameSource(std::string path);

    /**
     * Frame `index` (0 = the first), the same pixels, calibration and metadata as
     * readMicrographFrame(path, index); the same IoError for a frame the file does not have.
     */
    Micrograph frame(int index) const;

    const std::string& path() const { return mPath; }
    FileFormat format() const { return mFormat; }
    /** Bytes held in memory (0 for a TIFF). */
    std::size_t heldBytes() const;

private:
    using Buffer = std::shared_ptr<const std::vector<std::uint8_t>>;
    std::string mPath;
    FileFormat mFormat = FileFormat::Unknown;
    Buffer mBytes; ///< the whole file; null for a TIFF
    Buffer mEmi;   ///< a SER file's companion .emi (empty when there is none)
};

} // namespace motifscope
