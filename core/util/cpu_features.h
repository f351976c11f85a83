#pragma once
/**
 * What the running CPU can do, for kernels that have a faster path on newer instruction sets
 * (chosen at run time: the binaries themselves target plain x86-64).
 */

namespace motifscope {

/** True when the CPU executes AVX2 (checked once). False off x86-64 or without GCC/Clang builtins. */
bool cpuHasAvx2();

} // namespace motifscope
