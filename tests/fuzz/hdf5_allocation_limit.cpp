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
// What this does not bound (libhdf5 calls malloc directly there; the runner's -malloc_limit_mb
// and ASan's max_allocation_size_mb catch them): variable-length strings and sequences read into
// memory (H5T vlen conversion; the reader reads them only after variableLengthAttributeIsSafe
// checked their lengths), and fixed-size bookkeeping (API contexts H5CX_*, error stacks, thread ids).
#include "hdf5_allocation_limit.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace {

std::size_t gLimit = static_cast<std::size_t>(-1);

/** Refused requests, reported when the fuzzer exits normally (run_fuzzers.sh prints the line). */
struct Refusals
{
    std::size_t count = 0;
    std::size_t largest = 0;
    ~Refusals()
    {
        std::fprintf(stderr, "hdf5_allocation_limit: %zu libhdf5 allocations refused, largest %zu bytes\n", count,
                     largest);
    }
} gRefusals;

bool refused(std::size_t size)
{
    if (size <= gLimit)
        return false;
    ++gRefusals.count;
    gRefusals.largest = std::max(gRefusals.largest, size);
    return true;
}

} // namespace

namespace motifscope::fuzz {

Hdf5AllocationLimit::Hdf5AllocationLimit(std::size_t inputSize)
{
    // Every metadata block of a sound file lies inside it, and the core driver's copy of the image
    // is the input's size. Raw data chunks may decompress to more: one larger than 64 x the input
    // fails in libhdf5 as a clean error here (the reader itself allows up to 1100 x, see
    // hdf5_file.cpp checkStorageHolds), which costs the fuzzer nothing but those few inputs.
    gLimit = kFloor + kPerInputByte * inputSize;
}

Hdf5AllocationLimit::~Hdf5AllocationLimit()
{
    gLimit = static_cast<std::size_t>(-1);
}

} // namespace motifscope::fuzz

// Same contracts as libhdf5 1.10's own (H5MM.c): size 0 gives null; realloc(null, 0) is null,
// realloc(p, 0) frees p.
extern "C" void* H5MM_malloc(std::size_t size)
{
    if (size == 0 || refused(size))
        return nullptr;
    return std::malloc(size);
}

extern "C" void* H5MM_calloc(std::size_t size)
{
    if (size == 0 || refused(size))
        return nullptr;
    return std::calloc(1, size);
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
    return std::realloc(mem, size);
}
