#pragma once
/**
 * `motifscope-bench --table`: the whole analysis (runFullAnalysis, as `analyze` runs it without
 * reading or writing files) on mixed-lattice images of several sizes, as one Markdown table of
 * stage times, time per column, peak memory and ARI against the planted sites. With
 * `--write-doc FILE` the table replaces the block between the markers
 * `<!-- bench-table:begin -->` and `<!-- bench-table:end -->` in FILE (docs/performance.md).
 */

#include <cstdint>
#include <string>
#include <vector>

/** Prints the table (and writes it into `docFile` unless empty); returns the process exit status. */
int runBenchTable(const std::vector<int>& sizes, std::uint64_t seed, const std::string& docFile);
