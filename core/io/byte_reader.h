#pragma once
/** Bounds-checked reading of a file held in memory: every overread becomes an IoError. */

#include "core/io/micrograph.h"
#include "core/io/pixel_types.h"

#include <cstdint>
#include <cstring>
#include <span>
#include <string>

namespace motifscope {

class ByteReader
{
public:
    ByteReader(std::span<const std::uint8_t> bytes, std::string fileName)
        : mBytes(bytes), mFile(std::move(fileName))
    {
    }

    std::size_t size() const { return mBytes.size(); }
    std::size_t position() const { return mPos; }
    std::size_t remaining() const { return mBytes.size() - mPos; }
    const std::string& fileName() const { return mFile; }

    void seek(std::uint64_t offset)
    {
        if (offset > mBytes.size())
            fail("offset " + std::to_string(offset) + " is past the end of the file (truncated or corrupt)");
        mPos = static_cast<std::size_t>(offset);
    }
    void skip(std::uint64_t count) { seek(mPos + checkedCount(count)); }

    /** Pointer to `count` bytes at the current position, advancing past them. */
    const std::uint8_t* take(std::uint64_t count, const char* what = "data")
    {
        if (count > remaining())
            fail(std::string("file is truncated: ") + what + " needs " + std::to_string(count)
                 + " bytes at offset " + std::to_string(mPos) + " but only " + std::to_string(remaining())
                 + " remain");
        const std::uint8_t* p = mBytes.data() + mPos;
        mPos += static_cast<std::size_t>(count);
        return p;
    }

    template<typename T>
    T read(ByteOrder order, const char* what = "header")
    {
        const std::uint8_t* p = take(sizeof(T), what);
        std::uint8_t tmp[sizeof(T)];
        if (order != hostByteOrder()) {
            for (std::size_t i = 0; i < sizeof(T); ++i)
                tmp[i] = p[sizeof(T) - 1 - i];
        } else {
            std::memcpy(tmp, p, sizeof(T));
        }
        T value;
        std::memcpy(&value, tmp, sizeof(T));
        return value;
    }

    std::string readString(std::uint64_t length, const char* what = "string")
    {
        const std::uint8_t* p = take(length, what);
        return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(length));
    }

    [[noreturn]] void fail(const std::string& problem) const { throw IoError(mFile, problem); }

private:
    std::uint64_t checkedCount(std::uint64_t count) const
    {
        if (count > remaining())
            fail("file is truncated: cannot skip " + std::to_string(count) + " bytes at offset "
                 + std::to_string(mPos));
        return count;
    }

    std::span<const std::uint8_t> mBytes;
    std::string mFile;
    std::size_t mPos = 0;
};

} // namespace motifscope
