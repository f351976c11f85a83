#pragma once
/**
 * HyperSpy's HDF5 layout (.hspy, .hdf5; also written by Atomap and TEMUL): one group per signal
 * under /Experiments holding `data`, one `axis-N` group per array axis N (scale, offset, units,
 * name, navigate) and a `metadata` tree. Read inside the EMD reader's isolated HDF5 decode.
 */

#include "core/io/hdf5_file.h"

namespace motifscope {

/** True when the file says it is HyperSpy's (root `file_format`) or holds an /Experiments group. */
bool isHyperSpyFile(const hdf5::MemoryFile& file);

/**
 * The first signal under /Experiments: a 2-D image, or frame `frame` of an image stack (one
 * navigation axis = frames). Spectra, 4-D data and other non-image signals are refused.
 */
Micrograph readHyperSpy(const hdf5::MemoryFile& file, int frame = 0);

} // namespace motifscope
