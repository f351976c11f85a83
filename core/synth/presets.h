#pragma once
/** Internal: the preset builders behind synthesize(), and what they share. */

#include "core/synth/random.h"
#include "core/synth/render.h"
#include "core/synth/synth.h"

#include <algorithm>
#include <functional>
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

/** A number as text for the image metadata ("%.10g"). */
std::string formatNumber(double value);

/** Column Gaussian sigma in the image, pixels: the column's own width and the extra probe blur in quadrature. */
double imageColumnSigma(const SynthOptions& options, double period);

/** What a preset plants: the truth (without image) plus each column's peak height and the calibration. */
struct Planted
{
    SynthResult result;             ///< truth, names, rings, latticePeriod filled in; image left empty
    std::vector<double> amplitudes; ///< one per truth column
    double nmPerPixel = 0.02;       ///< physical pixel size
    std::vector<std::pair<std::string, std::string>> metadata; ///< extra "Synth.*" entries
    /** Atoms drawn but not in the truth (an amorphous support film), after the truth columns. */
    std::vector<RenderColumn> untracked;
    /// Column Gaussian sigma as a fraction of the period (before the extra probe blur); a preset
    /// whose probe is wider than a column's own spread (a light-element lattice at low voltage) sets it.
    double sigmaPerPeriod = kSigmaPerPeriod;
    /** The preset's own background; without one, the default smooth field of about 4% of a peak. */
    bool ownBackground = false;
    BackgroundField background;
};

/** Cell indices (n1, n2) of the lattice origin + n1 a1 + n2 a2 (pixels) whose cell can reach the box. */
struct CellIndex
{
    int n1 = 0;
    int n2 = 0;
};
std::vector<CellIndex> cellsCovering(double originX, double originY, double a1x, double a1y, double a2x, double a2y,
                                     double x0, double y0, double x1, double y1);

/** A smooth random undulation: a few long-wavelength plane waves, values within about -1 .. 1. */
struct SmoothUndulation
{
    struct Wave
    {
        double kx = 0.0, ky = 0.0, phase = 0.0, weight = 0.0;
    };
    std::vector<Wave> waves;
    double at(double x, double y) const;
    /** `count` waves of wavelength `minWavelength` .. 2x that, directions and phases at random. */
    static SmoothUndulation random(Random& random, int count, double minWavelength);
};

/**
 * An amorphous film as many weak, randomly placed light atoms: on average `density` atoms per
 * pixel^2 where the thickness is 1, proportionally more or less elsewhere (0 = no film), peak
 * heights `amplitude` x uniform(0.6, 1.4). Atoms are placed over the image and `margin` pixels
 * around it. `maxThickness` must bound `thickness` over that area.
 */
std::vector<RenderColumn> amorphousFilm(int width, int height, double margin, double density, double amplitude,
                                        double maxThickness, const std::function<double(double, double)>& thickness,
                                        Random& random);

/** Dims a share of the site-0 columns and relabels them and their neighbours (see point_defects.cpp). */
void plantPointDefects(Planted& planted, const SynthOptions& options, double period);

/** Random displacements, vacancies and an amorphous band (options displacement, vacancies, amorphous). */
void plantStructuralDisorder(Planted& planted, const SynthOptions& options, double period);

/** One column of a unit cell. */
struct BasisAtom
{
    double f1, f2; ///< fractional coordinates in the cell
    int species;
    int motif;
};

/** A lattice: cell vectors (in units of the period, before rotation) and the columns in a cell. */
struct LatticeKind
{
    struct CellVector
    {
        double x, y;
    };
    CellVector a1, a2;
    std::vector<BasisAtom> atoms;
};

/** What a grained (polycrystalline) preset is made of. */
struct GrainSpec
{
    std::vector<LatticeKind> kinds;  ///< dealt out to the grains so that each kind gets about equal area
    std::vector<double> speciesPeak; ///< peak height per species (a bright column = 1)
    double grainPeriods = 16.0;      ///< grain seed spacing in periods
    double dropDistance = 0.6;       ///< periods: a column this close to a kept column of another grain is dropped
    double amplitudeSpread = 0.03;   ///< relative column-to-column brightness scatter
};

/**
 * Voronoi grains from seeds on a jittered grid, each filled with one of the spec's lattices at a
 * random rotation and offset (see mixed_lattice.cpp); columns within 1.5 periods of another grain's
 * are flagged nearBoundary. Fills truth, amplitudes and "Synth.Grains"; names are the caller's.
 */
Planted plantGrains(const SynthOptions& options, double period, Random& random, const GrainSpec& spec);

/** Plants grains of three lattice kinds (see mixed_lattice.cpp). `random` is the geometry stream. */
Planted plantMixedLattice(const SynthOptions& options, double period, Random& random);

/** Plants a disordered Cairo pentagon network, some rings filled (see pentagon_network.cpp). */
Planted plantPentagonNetwork(const SynthOptions& options, double period, Random& random);

/** Plants a perovskite-like [001] projection with a weak B sublattice (see weak_sublattice.cpp). */
Planted plantWeakSublattice(const SynthOptions& options, double period, Random& random);

/** Plants a faceted fcc [110] particle on an amorphous film with a vacuum corner (see nanoparticle.cpp). */
Planted plantNanoparticle(const SynthOptions& options, double period, Random& random);

/** Plants single heavy atoms on a thick carbon film with a strong gradient (see isolated_atoms.cpp). */
Planted plantIsolatedAtoms(const SynthOptions& options, double period, Random& random);

/** Plants polycrystalline graphene seen at low voltage: one-species honeycomb grains (graphene.cpp). */
Planted plantGraphene(const SynthOptions& options, double period, Random& random);

/** Plants a lattice of column pairs (dumbbells), see dumbbells.cpp. */
Planted plantDumbbells(const SynthOptions& options, double period, Random& random);

/** Plants a two-species honeycomb under a strain that varies across the image (see strain_gradient.cpp). */
Planted plantStrainGradient(const SynthOptions& options, double period, Random& random);

} // namespace motifscope::synth
