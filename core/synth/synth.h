#pragma once
/** Synthetic HAADF-STEM micrographs with known truth, for tests, benchmarks and demos. */

#include "core/io/micrograph.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace motifscope::synth {

/**
 * One planted atom column: its true sub-pixel position and what it belongs to.
 * Positions are the ideal (unjittered) centres: scan-row jitter moves the image, never the truth.
 */
struct TruthColumn
{
    double x = 0.0;            ///< pixels, origin at the top-left pixel's centre (pixel (0,0) is x=0,y=0)
    double y = 0.0;            ///< pixels, y down
    int label = 0;             ///< preset-specific class (lattice kind, or column role); see labelNames
    int species = 0;           ///< which atom column type (brightness class); see speciesNames
    int motif = 0;             ///< site type: distinct (label, species) environment; see motifNames
    int grain = 0;             ///< grain (domain) index; 0 for single-domain presets
    bool nearBoundary = false; ///< within 1.5 periods of a column of another grain
    double strain = 0.0;       ///< strain-gradient only: the local uniaxial strain at the column (0 elsewhere)
};

/** What to synthesize. Every option changes the bytes deterministically; nothing else does. */
struct SynthOptions
{
    std::string preset = "mixed-lattice";
    int size = 512;          ///< image is size x size pixels (16 .. 32768)
    std::uint64_t seed = 1;
    double dose = 200.0;     ///< expected electron counts at a bright column peak (Poisson noise)
    bool noise = true;       ///< false: the expected counts (no shot noise); geometry, jitter unchanged
    double jitter = 0.3;     ///< rms horizontal scan-row shift in pixels (correlated between rows); 0 = none
    double blur = 0.0;       ///< extra Gaussian probe blur sigma in pixels (added in quadrature)
    double astigmatism = 1.0; ///< probe astigmatism: long / short axis of every column, 1 .. 3 (1 = round)
    /// Point defects: this share (0 .. 0.1) of the columns of site motif 0 dimmed to half (a partial
    /// vacancy), at least 3 periods apart; they and their nearest neighbours get motifs of their own.
    double defects = 0.0;
    /// Structural disorder on any preset (structural_disorder.cpp), for series growing more disordered:
    double displacement = 0.0; ///< rms random shift of every column, periods per axis (0 .. 0.5), truth too
    double vacancies = 0.0;    ///< share of the columns removed (0 .. 0.9; not pentagon-network)
    double amorphous = 0.0;    ///< share of the width, from the left, made amorphous (0 .. 1; not pentagon-network)
    double period = 0.0;     ///< nearest-neighbour column spacing in pixels; 0 = preset default (12)
                             ///< (dumbbells: spacing of the pair centres; isolated-atoms: length scale)
    double ratio = 0.0;      ///< weak-sublattice only: B / A peak height, 0.05 .. 1; 0 = default (0.2)
    double pairSigma = 0.0;  ///< dumbbells only: pair separation in column sigmas, 1 .. 4; 0 = default (1.5)
    double strain = 0.0;     ///< strain-gradient only: the largest uniaxial strain, 0.01 .. 0.5; 0 = default (0.3)
    /// strain-gradient only: the centred share of the width over which the strain rises (0 .. 1;
    /// 1 = the whole width, a continuum; 0 = a sharp step between an unstrained and a strained domain).
    double strainRamp = 1.0;
};

/**
 * The micrograph and its truth.
 *
 * Image values are detector counts: Poisson(dose * clean) where `clean` is the background
 * (a smooth field of about 4% of a bright peak; nanoparticle and isolated-atoms have their own,
 * plus the atoms of their amorphous film, which are not in the truth) plus every column's
 * Gaussian, with a bright column's peak = 1. So a bright column peaks at about `dose` counts; values are non-negative
 * whole numbers stored as float32. With noise off the image holds dose * clean exactly.
 */
struct SynthResult
{
    Micrograph image;
    std::vector<TruthColumn> truth;
    std::vector<std::string> labelNames;   ///< labelNames[label] describes each label
    std::vector<std::string> speciesNames; ///< speciesNames[species]
    std::vector<std::string> motifNames;   ///< motifNames[motif]
    double latticePeriod = 0.0;            ///< typical nearest-neighbour column spacing in pixels
    double columnSigma = 0.0;              ///< Gaussian sigma of a column in the image, pixels

    /**
     * pentagon-network only: the planted five-membered rings, each the indices into `truth` of its
     * five vertex columns in angular order (counter-clockwise on screen is not promised, only a
     * consistent cyclic order). Only rings whose five columns all lie in the image are listed.
     * Two rings are adjacent (a level-2 pair) when they share two cyclically consecutive members.
     */
    std::vector<std::vector<int>> rings;
    /** ringFilled[i]: 0 = hollow ring, 1 = filled (a centre column, label 1, sits inside it). */
    std::vector<int> ringFilled;
    /** ringCentre[i]: index into truth of the filled ring's centre column, -1 for a hollow ring. */
    std::vector<int> ringCentre;
    /**
     * The planted level-2 pairs: indices (i < j) into `rings` of two rings sharing an edge (two
     * cyclically consecutive members), each pair once, sorted. Their kinds (hollow/filled) give the
     * planted level-2 motifs 5H+5H, 5F+5H and 5F+5F.
     */
    std::vector<std::pair<int, int>> ringPairs;
};

/**
 * Names of the presets `synthesize` knows:
 *  - mixed-lattice: grains of three lattice kinds (four site types);
 *  - pentagon-network: a disordered Cairo pentagon tiling, some rings filled (see `rings`);
 *  - weak-sublattice: perovskite [001], label 0 = A column (bright), 1 = B column (`ratio` x A);
 *  - nanoparticle: a faceted fcc [110] particle on an amorphous film with a vacuum corner;
 *    label 0 = interior column, 1 = surface column; the film atoms are not in the truth;
 *  - isolated-atoms: single heavy atoms (label 0) on a thick film whose signal rises 4-5x across the image;
 *  - dumbbells: column pairs `pairSigma` sigmas apart on a lattice; label 0 / 1 = bright / weak member;
 *  - strain-gradient: a two-species honeycomb stretched along x by a strain rising from 0 to `strain`
 *    over a share `strainRamp` of the width; label 0 / 1 = heavy / light site, TruthColumn::strain.
 */
std::vector<std::string> presetNames();

/**
 * Makes a micrograph. Same options, same bytes. Throws std::invalid_argument on a bad option,
 * including `ratio`, `pairSigma`, `strain` or `strainRamp` given (not the default) to a preset that does not use it.
 */
SynthResult synthesize(const SynthOptions& options);

} // namespace motifscope::synth
