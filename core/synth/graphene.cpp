// "graphene": polycrystalline single-layer graphene as a 60-80 kV microscope sees it. Voronoi
// grains of one honeycomb (nearest-neighbour spacing = the period, the C-C bond, 0.142 nm) at random
// rotations meet at disordered boundaries. Every atom is carbon, so all peaks are alike and weak;
// the probe is wide against the bond (column sigma 0.28 bond lengths, against 0.13 for the heavy
// columns of the other presets), so neighbouring atoms overlap. At low dose (1-10 counts at a peak)
// this is the low-dose graphene grain boundary failure class. Atoms of two grains closer than
// 0.75 bond lengths are not both kept (a real boundary holds no shorter bonds).
#include "core/synth/presets.h"

#include <cmath>

namespace motifscope::synth {

namespace {

constexpr double kBondNanometres = 0.142;
constexpr double kSigmaPerBond = 0.28;     ///< a ~1.1 A probe (FWHM) over a 1.42 A bond
constexpr double kGrainBonds = 14.0;       ///< grain seed spacing in bond lengths
constexpr double kClosestBonds = 0.75;     ///< no two atoms closer, in bond lengths
constexpr double kAmplitudeSpread = 0.05;  ///< peak scatter (defocus, contamination)

LatticeKind honeycomb()
{
    const double r3 = std::sqrt(3.0);
    return {{r3, 0.0}, {r3 / 2.0, 1.5}, {{0.0, 0.0, 0, 0}, {1.0 / 3.0, 1.0 / 3.0, 0, 0}}};
}

} // namespace

Planted plantGraphene(const SynthOptions& options, double period, Random& random)
{
    GrainSpec spec;
    spec.kinds = {honeycomb()};
    spec.speciesPeak = {1.0};
    spec.grainPeriods = kGrainBonds;
    spec.dropDistance = kClosestBonds;
    spec.amplitudeSpread = kAmplitudeSpread;
    Planted planted = plantGrains(options, period, random, spec);
    SynthResult& result = planted.result;
    for (TruthColumn& atom : result.truth)
        atom.label = atom.motif = atom.nearBoundary ? 1 : 0;
    result.labelNames = {"atom inside a grain", "atom at a grain boundary (within 1.5 bonds of another grain)"};
    result.speciesNames = {"carbon"};
    result.motifNames = {"graphene lattice", "grain boundary"};
    result.latticePeriod = period;
    planted.sigmaPerPeriod = kSigmaPerBond;
    planted.nmPerPixel = kBondNanometres / period;
    return planted;
}

} // namespace motifscope::synth
