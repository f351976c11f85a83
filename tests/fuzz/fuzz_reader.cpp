// libFuzzer entry point for one reader, chosen at compile time (MOTIFSCOPE_FUZZ_FORMAT_<name>).
// A reader may accept the input or throw IoError; anything else (crash, sanitizer report, other
// exception, timeout) is a finding.
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
