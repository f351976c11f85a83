#pragma once
/** Internal: the preset builders behind synthesize(), and what they share. */

#include "synth/random.h"
#include "synth/synth.h"

#include <string>
#include <utility>
#include <vector>

namespace motifscope::synth {

/** Default nearest-neighbour column spacing in pixels (4096^2 mixed-lattice: ~110,000 columns). */
constexpr double kDefaultPeriod = 12.0;
/** Column Gaussian sigma as a fraction of the period. */
constexpr double kSigmaPerPeriod = 0.13;

/** Column peak heights by atomic number, HAADF Z-contrast ~ Z^1.7, relative to Z = 42 (Mo). */
double zContrast(double atomicNumber);

/** What a preset plants: the truth (without image) plus each column's peak height and the calibration. */
struct Planted
{
    SynthResult result;             ///< truth, names, rings, latticePeriod filled in; image left empty
    std::vector<double> amplitudes; ///< one per truth column
    double nmPerPixel = 0.02;       ///< physical pixel size
    std::vector<std::pair<std::string, std::string>> metadata; ///< extra "Synth.*" entries
};

/** Plants grains of three lattice kinds (see mixed_lattice.cpp). `random` is the geometry stream. */
Planted plantMixedLattice(const SynthOptions& options, double period, Random& random);

/** Plants a disordered Cairo pentagon network, some rings filled (see pentagon_network.cpp). */
Planted plantPentagonNetwork(const SynthOptions& options, double period, Random& random);

} // namespace motifscope::synth
