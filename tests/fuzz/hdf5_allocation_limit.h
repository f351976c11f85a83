#pragma once
/** fuzz_emd only: caps each of libhdf5's allocations by the size of the input being decoded. */

#include <cstddef>

namespace motifscope::fuzz {

/** While alive, libhdf5 allocations above kFloor + kPerInputByte x input size return null. */
class Hdf5AllocationLimit
{
public:
    static constexpr std::size_t kFloor = std::size_t(16) << 20;
    static constexpr std::size_t kPerInputByte = 64;

    explicit Hdf5AllocationLimit(std::size_t inputSize);
    ~Hdf5AllocationLimit();
    Hdf5AllocationLimit(const Hdf5AllocationLimit&) = delete;
    Hdf5AllocationLimit& operator=(const Hdf5AllocationLimit&) = delete;
};

} // namespace motifscope::fuzz
