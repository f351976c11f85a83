// libFuzzer entry point for one reader, chosen at compile time (MOTIFSCOPE_FUZZ_FORMAT_<name>).
// A reader may accept the input or throw IoError; anything else (crash, sanitizer report, other
// exception, timeout) is a finding. fuzz_emd decodes HDF5 files (EMD, HyperSpy) in this process,
// not in readEmd's forked child (which hides the HDF5 reading code's coverage from libFuzzer), with
// libhdf5's allocations capped by the input's size (hdf5_allocation_limit.cpp).
#include "core/io/emd_decode.h"
#include "core/io/readers.h"
#if defined(MOTIFSCOPE_FUZZ_FORMAT_emd)
#include "hdf5_allocation_limit.h"
#endif

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const motifscope::Bytes bytes(data, size);
    try {
#if defined(MOTIFSCOPE_FUZZ_FORMAT_tiff)
        motifscope::readTiff(bytes, "fuzz.tif");
#elif defined(MOTIFSCOPE_FUZZ_FORMAT_raster)
        motifscope::readRasterImage(bytes, "fuzz.png");
#elif defined(MOTIFSCOPE_FUZZ_FORMAT_dm)
        motifscope::readDm(bytes, "fuzz.dm4");
#elif defined(MOTIFSCOPE_FUZZ_FORMAT_emd)
        const motifscope::fuzz::Hdf5AllocationLimit limit(size);
        motifscope::decodeEmdInProcess(bytes, "fuzz.emd");
#elif defined(MOTIFSCOPE_FUZZ_FORMAT_ser)
        // The first half of the input is the SER file, the rest its EMI companion.
        motifscope::readSer(bytes.first(size / 2), "fuzz.ser", bytes.subspan(size / 2));
#elif defined(MOTIFSCOPE_FUZZ_FORMAT_mrc)
        motifscope::readMrc(bytes, "fuzz.mrc");
#elif defined(MOTIFSCOPE_FUZZ_FORMAT_npy)
        motifscope::readNpy(bytes, "fuzz.npy");
#else
#error "define MOTIFSCOPE_FUZZ_FORMAT_<format>"
#endif
    } catch (const motifscope::IoError&) {
    }
    return 0;
}

#if defined(MOTIFSCOPE_FUZZ_FORMAT_emd)
/**
 * libhdf5 calls malloc directly for a few blocks the allocation limit cannot see (variable-length
 * data read into memory). A request above 1 GiB (the runner's -malloc_limit_mb) returns null there,
 * which libhdf5 reports as an error, instead of ending the run as an out-of-memory. MotifScope's own
 * allocations (operator new) still end it: the reader must refuse such sizes before allocating.
 */
extern "C" const char* __asan_default_options()
{
    return "allocator_may_return_null=1:max_allocation_size_mb=1024";
}
#endif
