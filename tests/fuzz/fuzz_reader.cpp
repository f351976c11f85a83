// libFuzzer entry point for one reader, chosen at compile time (MOTIFSCOPE_FUZZ_FORMAT_<name>).
// A reader may accept the input or throw IoError; anything else (crash, sanitizer report, other
// exception, timeout) is a finding. fuzz_hdf5 decodes HDF5 files (EMD, HyperSpy) in this process
// (readEmd forks, which hides the HDF5 reading code's coverage from libFuzzer).
#include "io/emd_decode.h"
#include "io/readers.h"

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
        motifscope::readEmd(bytes, "fuzz.emd");
#elif defined(MOTIFSCOPE_FUZZ_FORMAT_hdf5)
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

#if defined(MOTIFSCOPE_FUZZ_FORMAT_hdf5)
/**
 * libhdf5 sizes some allocations from the file's own fields. A request no input of at most
 * -max_len bytes can justify (over 256 MiB) returns null, which libhdf5 reports as an error,
 * instead of ending the run as libFuzzer's out-of-memory; the reader's own guards are file-size
 * aware (no image larger than 4096 x its stored bytes).
 */
extern "C" const char* __asan_default_options()
{
    return "allocator_may_return_null=1:max_allocation_size_mb=256";
}
#endif
