#pragma once
/** Synthetic HAADF-STEM micrographs with known truth, for tests, benchmarks and demos. */

#include "io/micrograph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace motifscope::synth {

/** One planted atom column: its true sub-pixel position and what it belongs to. */
struct TruthColumn
{
    double x = 0.0; ///< pixels, origin at the top-left pixel's centre
    double y = 0.0;
    int label = 0;  ///< preset-specific class (lattice kind, or motif type); see labelNames
};

struct SynthOptions
{
    std::string preset = "mixed-lattice";
    int size = 512;          ///< image is size x size pixels
    std::uint64_t seed = 1;
    double dose = 200.0;     ///< expected electron counts at a bright column peak (Poisson noise)
};

struct SynthResult
{
    Micrograph image;
    std::vector<TruthColumn> truth;
    std::vector<std::string> labelNames; ///< labelNames[label] describes each label
    double latticePeriod = 0.0;          ///< typical column spacing in pixels
};

/** Names of the presets `synthesize` knows. */
std::vector<std::string> presetNames();

/** Makes a micrograph. Same options, same bytes. Throws std::invalid_argument on a bad option. */
SynthResult synthesize(const SynthOptions& options);

} // namespace motifscope::synth
