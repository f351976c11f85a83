#pragma once
/** A small RAII layer over the HDF5 C library for reading files held in memory. */

#include "core/io/micrograph.h"
#include "core/io/pixel_types.h"

#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace motifscope::hdf5 {

/** The HDF5 library here is not built thread-safe: every call happens under this lock. */
std::mutex& libraryMutex();

/** Owns one HDF5 identifier and closes it with the right function (no closer: not owned). */
class Handle
{
public:
    using Closer = herr_t (*)(hid_t);
    Handle() = default;
    Handle(hid_t id, Closer closer) : mId(id), mCloser(closer) {}
    Handle(Handle&& o) noexcept : mId(o.mId), mCloser(o.mCloser) { o.mId = -1; }
    Handle& operator=(Handle&& o) noexcept
    {
        std::swap(mId, o.mId);
        std::swap(mCloser, o.mCloser);
        return *this;
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle()
    {
        if (mId >= 0 && mCloser)
            mCloser(mId);
    }
    hid_t id() const { return mId; }
    bool valid() const { return mId >= 0; }

private:
    hid_t mId = -1;
    Closer mCloser = nullptr;
};

/** An HDF5 file opened read-only from bytes in memory (the bytes are copied by HDF5). */
class MemoryFile
{
public:
    MemoryFile(std::span<const std::uint8_t> bytes, const std::string& fileName);
    hid_t id() const { return mFile.id(); }
    const std::string& name() const { return mName; }
    /** Size of the file in bytes. */
    std::size_t size() const { return mBytes.size(); }

    /** True when every link on the absolute path exists; external links count as missing. */
    bool exists(const std::string& path) const;
    /** Names of the members of a group, in name order (at most `limit`). */
    std::vector<std::string> members(const std::string& group, std::size_t limit = 4096) const;
    Handle openDataset(const std::string& path) const;
    /**
     * A scalar string, integer, float or 8-bit enum (h5py's bool: "0" / "1") attribute of an
     * object as text ("" when absent or unreadable, or a variable-length string in a file whose
     * global heap is unsound).
     */
    std::string attributeText(const std::string& object, const std::string& attribute) const;

    [[noreturn]] void fail(const std::string& problem) const { throw IoError(mName, problem); }

private:
    std::span<const std::uint8_t> mBytes;
    std::string mName;
    Handle mFile;
};

/**
 * HDF5 1.10 trusts the global heap when it reads variable-length strings: a damaged heap object
 * index or size makes it read out of bounds or loop forever. True when every global heap
 * collection in the file is well formed and every attribute message named `attribute` refers to
 * an existing heap object no larger than its string; otherwise such attributes are not read.
 */
bool variableLengthAttributeIsSafe(std::span<const std::uint8_t> bytes, const std::string& attribute);

/** Dimensions of a dataset. */
std::vector<hsize_t> datasetShape(const MemoryFile& file, hid_t dataset);

/**
 * The PixelType of a dataset's numeric type and the memory type to read it with; a compound of
 * two equal floats (real, imaginary) is complex, an IEEE 16-bit float is Float16. Refuses (IoError) anything else.
 */
PixelType datasetPixelType(const MemoryFile& file, hid_t dataset, Handle& memoryType);

/**
 * Reads the hyperslab start/count (rank = shape size) of a numeric dataset and converts it to
 * float32, in row-major order of the selection.
 */
std::vector<float> readHyperslab(const MemoryFile& file, hid_t dataset, const std::vector<hsize_t>& start,
                                 const std::vector<hsize_t>& count, PixelType& storedType);

/** The first `maxCount` values of a 1-D numeric dataset as double ({} when not readable so). */
std::vector<double> readDoubles(hid_t dataset, std::size_t maxCount);

/** Reads a 1-D or 2-D uint8 / char dataset (first column for 2-D) as bytes, at most `limit`. */
std::string readTextBlob(const MemoryFile& file, hid_t dataset, std::size_t limit);

} // namespace motifscope::hdf5
