// "strain-gradient": one lattice whose cell is continuously deformed across the image, so the local
// structure takes a continuous range of shapes (docs/disorder.md, motif_continuity). The lattice is
// mixed-lattice's 2H honeycomb (heavy and light columns alternating, nearest-neighbour spacing = the
// period p) at a random rotation and offset. It is stretched along the image x axis by a local
// engineering strain eps(x) that rises linearly from 0 to `strain` (default 0.3) over a centred
// share `strainRamp` of the width (default 1: the whole width) and is flat on either side: with a
// ramp of 1 every strain in between is equally common, with a ramp of 0 the image is two domains
// (unstrained | strained) meeting at a sharp interface. The cell's length along x at x is
// (1 + eps(x)) times its unstrained length, so no column overlaps or goes missing. Truth: label 0 =
// heavy site, 1 = light site, and each column's local strain eps(x) (TruthColumn::strain).
#include "core/synth/presets.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace motifscope::synth {

namespace {

constexpr double kDefaultStrain = 0.3;
constexpr double kAmplitudeSpread = 0.03;
constexpr double kStep = 0.25;                    ///< pixels, the tabulation of the reference coordinate
constexpr double kNanometresPerPeriod = 0.19;     ///< a 2H TMD's projected metal-chalcogen spacing

/** eps(x): 0 before the ramp, `strain` after it, linear in between (a step at the centre for a ramp of 0). */
double strainAt(double x, double last, double strain, double ramp)
{
    const double start = 0.5 * last * (1.0 - ramp), end = 0.5 * last * (1.0 + ramp);
    if (x >= end)
        return strain;
    if (x <= start)
        return 0.0;
    return strain * (x - start) / (end - start);
}

} // namespace

Planted plantStrainGradient(const SynthOptions& options, double period, Random& random)
{
    const int size = options.size;
    const double last = size - 1.0;
    const double strain = options.strain > 0.0 ? options.strain : kDefaultStrain;
    const double ramp = options.strainRamp;

    // X(x) = integral of dx / (1 + eps): the unstrained (reference) coordinate of image x, tabulated
    // from a margin of two periods left of the image to two right of it; x(X) by interpolation.
    const double margin = 2.0 * period;
    const int steps = int(std::ceil((last + 2.0 * margin) / kStep));
    std::vector<double> reference(std::size_t(steps) + 1, 0.0);
    for (int s = 1; s <= steps; ++s) {
        const double x0 = -margin + (s - 1) * kStep, x1 = x0 + kStep;
        const double inv = 0.5 / (1.0 + strainAt(x0, last, strain, ramp)) + 0.5 / (1.0 + strainAt(x1, last, strain, ramp));
        reference[std::size_t(s)] = reference[std::size_t(s - 1)] + kStep * inv;
    }
    auto imageX = [&](double X) { // the inverse, X measured from x = -margin
        const auto it = std::upper_bound(reference.begin(), reference.end(), X);
        if (it == reference.begin() || it == reference.end())
            return -1e300;
        const std::size_t s = std::size_t(it - reference.begin()) - 1;
        const double t = (X - reference[s]) / (reference[s + 1] - reference[s]);
        return -margin + (double(s) + t) * kStep;
    };

    // The honeycomb in reference coordinates over [0, reference width] x [0, last].
    const double r3 = std::sqrt(3.0);
    const double angle = random.uniform(0.0, std::numbers::pi / 3.0); // the lattice repeats every 60 degrees
    const double c = std::cos(angle), s = std::sin(angle);
    const double a1x = r3 * period * c, a1y = r3 * period * s;
    const double a2x = period * (0.5 * r3 * c - 1.5 * s), a2y = period * (0.5 * r3 * s + 1.5 * c);
    const double width = reference.back();
    const double originX = 0.5 * width + random.uniform() * a1x + random.uniform() * a2x;
    const double originY = 0.5 * last + random.uniform() * a1y + random.uniform() * a2y;

    Planted planted;
    SynthResult& result = planted.result;
    for (const CellIndex& cell : cellsCovering(originX, originY, a1x, a1y, a2x, a2y, 0.0, 0.0, width, last)) {
        for (int site = 0; site < 2; ++site) { // 0 = heavy at the cell origin, 1 = light at (1/3, 1/3)
            const double f1 = cell.n1 + site / 3.0, f2 = cell.n2 + site / 3.0;
            const double X = originX + f1 * a1x + f2 * a2x;
            TruthColumn column;
            column.x = imageX(X);
            column.y = originY + f1 * a1y + f2 * a2y;
            if (column.x < 0.0 || column.y < 0.0 || column.x > last || column.y > last)
                continue;
            column.label = column.species = column.motif = site;
            column.strain = strainAt(column.x, last, strain, ramp);
            result.truth.push_back(column);
        }
    }
    planted.amplitudes.reserve(result.truth.size());
    const double light = zContrast(26.0); // a bright (Z = 42) column peaks at 1
    for (const TruthColumn& column : result.truth)
        planted.amplitudes.push_back((column.label == 0 ? 1.0 : light) * (1.0 + kAmplitudeSpread * random.normal()));

    result.labelNames = {"heavy site", "light site"};
    result.speciesNames = {"heavy column (Mo-like)", "light column (Fe-like)"};
    result.motifNames = {"heavy site", "light site"};
    result.latticePeriod = period;
    planted.nmPerPixel = kNanometresPerPeriod / period;
    planted.metadata.push_back({"Synth.Strain", formatNumber(strain)});
    planted.metadata.push_back({"Synth.StrainRamp", formatNumber(ramp)});
    planted.metadata.push_back({"Synth.RotationDegrees", formatNumber(angle * 180.0 / std::numbers::pi)});
    return planted;
}

} // namespace motifscope::synth
