#pragma once
/**
 * Runs a decoder in a child process, for third-party libraries that can crash or hang on damaged
 * files (HDF5 1.10 reads freed memory and segfaults on some bit-flipped EMD files). The child
 * decodes and sends the Micrograph back through a pipe; a crash, a hang past the time limit or a
 * garbled reply becomes an IoError naming the file, and the calling program carries on.
 */

#include "core/io/micrograph.h"

#include <chrono>
#include <functional>
#include <string>

namespace motifscope {

/** Decodes with `decode` in a forked child; `fileName` names the file in errors. */
Micrograph decodeInChildProcess(const std::function<Micrograph()>& decode, const std::string& fileName,
                                std::chrono::milliseconds timeLimit = std::chrono::seconds(60));

} // namespace motifscope
