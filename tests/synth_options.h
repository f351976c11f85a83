#pragma once
/** Builders of synth::SynthOptions for the tests: preset, size and seed, the rest synth.h's defaults unless named. */

#include "core/synth/synth.h"

#include <cstdint>
#include <string>

namespace motifscope::test {

/** `preset` at size x size px from `seed`; dose, noise, jitter and the rest as synth.h sets them. */
inline synth::SynthOptions synthOptions(const std::string& preset, int size, std::uint64_t seed)
{
    synth::SynthOptions o;
    o.preset = preset;
    o.size = size;
    o.seed = seed;
    return o;
}

/** The same at `dose` counts at a bright column peak. */
inline synth::SynthOptions synthOptions(const std::string& preset, int size, std::uint64_t seed, double dose)
{
    synth::SynthOptions o = synthOptions(preset, size, seed);
    o.dose = dose;
    return o;
}

/** Noise-free and without scan jitter: the image is dose x (background + film + columns) exactly. */
inline synth::SynthOptions cleanSynthOptions(const std::string& preset, int size, std::uint64_t seed)
{
    synth::SynthOptions o = synthOptions(preset, size, seed);
    o.noise = false;
    o.jitter = 0.0;
    return o;
}

/** The mixed-lattice preset synthesized at size x size px (seed 5, the window tests' usual lattice, unless given). */
inline synth::SynthResult mixedLattice(int size, std::uint64_t seed = 5)
{
    return synth::synthesize(synthOptions("mixed-lattice", size, seed));
}

} // namespace motifscope::test
