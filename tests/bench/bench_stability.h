#pragma once
/**
 * `motifscope-bench --stability`: how far the learned motifs move when the lattice period that
 * detection is given moves by a few tenths of a percent (what a slightly different period estimate,
 * a tiny change of any earlier step, or another magnification calibration does). The whole
 * analysis runs once per relative change; each run prints its motif count, motif sizes and, for
 * presets with planted sites, the adjusted Rand index against them and against the unchanged run.
 * A robust learner gives the same motifs throughout. It measures, never asserts. `confusion`: each
 * run also prints, per map class and per final motif, its columns by planted site type (columns
 * within 1.5 periods of a grain boundary counted apart), to see where a flip happens.
 */

#include <cstdint>
#include <string>

/** Prints one JSON line per period change and a summary line; returns the process exit status. */
int runStabilityBench(const std::string& preset, int size, std::uint64_t seed, bool confusion = false);
