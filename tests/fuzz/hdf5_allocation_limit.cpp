// A file-size-aware cap on what libhdf5 may allocate while fuzz_emd decodes one input in-process.
//
// libhdf5 sizes many blocks from the file's own fields (metadata cache entries in H5C_protect /
// H5C_load_entry, object header chunks, heaps, B-tree nodes, chunk and filter buffers). Almost all
// of its allocations go through three exported functions, H5MM_malloc, H5MM_calloc and
// H5MM_realloc, which the shared library calls through its PLT (211 + 82 + 92 call sites in
// Debian's 1.10.8). Defining them here interposes them: a request larger than the input can
// justify returns null, which libhdf5 reports as an ordinary error ("memory allocation failed"),
// and the reader turns that into IoError. This file is linked into fuzz_emd only; users' decoding
// (in the forked child) uses libhdf5's own functions.
//
// One libhdf5 1.10 defect is absorbed here rather than reported: H5O_attr_decode (H5Oattr.c) copies
// an attribute's name with strdup, trusting the file's terminating NUL, so in a damaged object header
// the copy reads past the header chunk's block (heap-buffer-overflow in strdup under
// H5Aexists_by_name, found within two minutes of every campaign; the later releases copy at most the
// declared name length). Each block handed to libhdf5 gets one zero byte beyond what it asked for,
// where such a copy stops. This also hides other overreads and overwrites of exactly that byte by
// libhdf5 (only those; MotifScope's own allocations are untouched). Users are not exposed: their
// decoding runs in the forked child (isolated_decode), where such a read is at most a clean error.
//
// What this does not bound (libhdf5 calls malloc directly there; the runner's -malloc_limit_mb
// and ASan's max_allocation_size_mb catch them): variable-length strings and sequences read into
// memory (H5T vlen conversion; the reader reads them only after variableLengthAttributeIsSafe
// checked their lengths), and fixed-size bookkeeping (API contexts H5CX_*, error stacks, thread ids).
#include "hdf5_allocation_limit.h"

#include <cstdlib>
#include <cstring>

namespace {

std::size_t gLimit = static_cast<std::size_t>(-1);
std::size_t gRefused = 0;

bool refused(std::size_t size)
{
    if (size <= gLimit)
        return false;
    ++gRefused;
    return true;
}

} // namespace

namespace motifscope::fuzz {

Hdf5AllocationLimit::Hdf5AllocationLimit(std::size_t inputSize)
{
    // Every metadata block of a sound file lies inside it, and raw data decompresses at most
    // ~1000:1 (deflate); the reader refuses images and chunks beyond that before reading. The cap
    // leaves room for the core driver's copy of the image and one decompressed chunk.
    gLimit = kFloor + kPerInputByte * inputSize;
    gRefused = 0;
}

Hdf5AllocationLimit::~Hdf5AllocationLimit()
{
    gLimit = static_cast<std::size_t>(-1);
}

std::size_t Hdf5AllocationLimit::refusedCount()
{
    return gRefused;
}

} // namespace motifscope::fuzz

// Same contracts as libhdf5 1.10's own (H5MM.c): size 0 gives null; realloc(null, 0) is null,
// realloc(p, 0) frees p. Every block has the terminating zero byte after its `size` bytes.
extern "C" void* H5MM_malloc(std::size_t size)
{
    if (size == 0 || refused(size))
        return nullptr;
    auto* block = static_cast<char*>(std::malloc(size + 1));
    if (block)
        block[size] = '\0';
    return block;
}

extern "C" void* H5MM_calloc(std::size_t size)
{
    if (size == 0 || refused(size))
        return nullptr;
    return std::calloc(1, size + 1);
}

extern "C" void* H5MM_realloc(void* mem, std::size_t size)
{
    if (mem == nullptr && size == 0)
        return nullptr;
    if (size == 0) {
        std::free(mem);
        return nullptr;
    }
    if (refused(size))
        return nullptr; // like a failed realloc: `mem` stays valid and owned by the caller
    auto* block = static_cast<char*>(std::realloc(mem, size + 1));
    if (block)
        block[size] = '\0';
    return block;
}
