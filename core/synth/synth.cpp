#include "synth/synth.h"

#include <stdexcept>

namespace motifscope::synth {

std::vector<std::string> presetNames() { return {}; }

SynthResult synthesize(const SynthOptions& options)
{
    throw std::invalid_argument("unknown preset '" + options.preset + "'");
}

} // namespace motifscope::synth
