// "isolated-atoms": single heavy atoms (Pt-like) scattered on a thick amorphous carbon film, with
// no lattice. One atom per 2000 px^2 (fewer if a long period leaves no room), at random positions
// at least 2.5 periods apart (random sequential placement; the period here only sets the length
// scale and the atom width).
// The film gets thicker across the image: its smooth background and its atom density both follow
// one linear ramp, 4 .. 5 x from the thinnest image corner to the thickest, in a random
// direction; the atom density also undulates mildly (+-8%) over long wavelengths. Film atoms peak at about 4% of a
// heavy atom, dense enough that their overlapping tails make a speckled, lattice-free texture.
#include "core/synth/presets.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace motifscope::synth {

namespace {

constexpr double kPixelsPerAtom = 2000.0;
constexpr double kMinSeparation = 2.5;     ///< periods
constexpr int kTriesPerAtom = 60;
constexpr double kAtomSpread = 0.05;       ///< relative peak scatter (height in the film, defocus)
constexpr double kBackgroundMean = 0.05;   ///< smooth part of the film signal at the image centre
constexpr double kFilmDensity = 0.25;      ///< film atoms per pixel^2 at the image centre
constexpr double kFilmAmplitude = 0.04;    ///< film atom peak, of a heavy atom's
constexpr double kUndulation = 0.08;       ///< relative undulation of the film atom density
constexpr double kNanometresPerPeriod = 0.25;

} // namespace

Planted plantIsolatedAtoms(const SynthOptions& options, double period, Random& random)
{
    const int size = options.size;
    const double last = size - 1.0;
    const int wanted = std::max(1, static_cast<int>(std::lround(double(size) * size / kPixelsPerAtom)));
    const double minDistance = kMinSeparation * period;

    // Random sequential placement, checked against the atoms in nearby grid cells.
    const int cells = std::max(1, static_cast<int>(std::ceil(size / minDistance)));
    std::vector<std::vector<int>> grid(static_cast<std::size_t>(cells) * cells);
    auto cellOf = [&](double v) { return std::clamp(static_cast<int>(v / minDistance), 0, cells - 1); };
    Planted planted;
    SynthResult& result = planted.result;
    for (int tries = 0; tries < kTriesPerAtom * wanted && static_cast<int>(result.truth.size()) < wanted; ++tries) {
        const double x = random.uniform(0.0, last), y = random.uniform(0.0, last);
        const int cx = cellOf(x), cy = cellOf(y);
        bool free = true;
        for (int gy = std::max(0, cy - 1); gy <= std::min(cells - 1, cy + 1) && free; ++gy)
            for (int gx = std::max(0, cx - 1); gx <= std::min(cells - 1, cx + 1) && free; ++gx)
                for (int other : grid[static_cast<std::size_t>(gy) * cells + gx]) {
                    const TruthColumn& o = result.truth[static_cast<std::size_t>(other)];
                    if (std::hypot(o.x - x, o.y - y) < minDistance) {
                        free = false;
                        break;
                    }
                }
        if (!free)
            continue;
        grid[static_cast<std::size_t>(cy) * cells + cx].push_back(static_cast<int>(result.truth.size()));
        TruthColumn atom;
        atom.x = x;
        atom.y = y;
        result.truth.push_back(atom);
    }
    planted.amplitudes.reserve(result.truth.size());
    for (std::size_t i = 0; i < result.truth.size(); ++i)
        planted.amplitudes.push_back(1.0 + kAtomSpread * random.normal());

    // The film: one ramp for the smooth background and for the density of film atoms.
    const double ratio = random.uniform(4.0, 5.0);
    const double direction = random.uniform(0.0, 2.0 * std::numbers::pi);
    planted.ownBackground = true;
    planted.background = BackgroundField::gradient(size, size, kBackgroundMean, ratio, direction);
    const BackgroundField ramp = BackgroundField::gradient(size, size, 1.0, ratio, direction);
    const SmoothUndulation undulation = SmoothUndulation::random(random, 3, 0.5 * size);
    const double margin = 5.0 * imageColumnSigma(options, period);
    double maxRamp = 0.0; // the ramp is linear: its largest value is at a corner of the film's area
    for (const double x : {-margin, last + margin})
        for (const double y : {-margin, last + margin})
            maxRamp = std::max(maxRamp, ramp.value(x, y));
    const double maxThickness = maxRamp * (1.0 + kUndulation);
    planted.untracked = amorphousFilm(
        size, size, margin, kFilmDensity, kFilmAmplitude, maxThickness,
        [&](double x, double y) { return ramp.value(x, y) * (1.0 + kUndulation * undulation.at(x, y)); }, random);

    result.labelNames = {"single heavy atom"};
    result.speciesNames = {"heavy atom (Pt-like)"};
    result.motifNames = {"isolated atom"};
    result.latticePeriod = period;
    planted.nmPerPixel = kNanometresPerPeriod / period;
    planted.metadata.push_back({"Synth.Atoms", std::to_string(result.truth.size())});
    planted.metadata.push_back({"Synth.BackgroundRatio", formatNumber(ratio)});
    planted.metadata.push_back({"Synth.FilmAtoms", std::to_string(planted.untracked.size())});
    return planted;
}

} // namespace motifscope::synth
