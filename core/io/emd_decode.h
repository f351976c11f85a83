#pragma once
/**
 * EMD decoding in the calling process, without the child process readEmd runs it in. For the
 * in-process fuzz target only, so libFuzzer sees the HDF5 reading code's coverage; users always go
 * through readEmd (HDF5 1.10 can crash on damaged files).
 */

#include "core/io/readers.h"

namespace motifscope {

Micrograph decodeEmdInProcess(Bytes bytes, const std::string& fileName);

} // namespace motifscope
