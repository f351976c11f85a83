// "weak-sublattice": a perovskite ABO3 seen along [001] (SrTiO3-like). The heavy A columns form a
// square lattice of side a; the B(-O) columns sit at the cell centres, ratio x as bright (option
// `ratio`, default 0.2); the pure oxygen columns are too weak to draw. The nearest-neighbour
// spacing (A to B) is the period p, so a = sqrt(2) p. One grain at a random in-plane rotation and
// offset; column peaks scatter by 3% as real columns do (thickness, defocus, strain).
#include "core/synth/presets.h"

#include <cmath>
#include <numbers>

namespace motifscope::synth {

namespace {

constexpr double kDefaultRatio = 0.2;
constexpr double kAmplitudeSpread = 0.03;
constexpr double kNanometresPerPeriod = 0.3905 / std::numbers::sqrt2; ///< SrTiO3: a = 0.3905 nm

} // namespace

Planted plantWeakSublattice(const SynthOptions& options, double period, Random& random)
{
    const int size = options.size;
    const double last = size - 1.0;
    const double ratio = options.ratio > 0.0 ? options.ratio : kDefaultRatio;
    const double a = std::numbers::sqrt2 * period;
    const double angle = random.uniform(0.0, 0.5 * std::numbers::pi); // the square looks the same every 90 degrees
    const double a1x = a * std::cos(angle), a1y = a * std::sin(angle);
    const double a2x = -a1y, a2y = a1x;
    const double originX = 0.5 * last + random.uniform() * a1x + random.uniform() * a2x;
    const double originY = 0.5 * last + random.uniform() * a1y + random.uniform() * a2y;

    Planted planted;
    SynthResult& result = planted.result;
    for (const CellIndex& cell : cellsCovering(originX, originY, a1x, a1y, a2x, a2y, 0.0, 0.0, last, last)) {
        for (int site = 0; site < 2; ++site) { // 0 = A at the cell corner, 1 = B at the cell centre
            const double f1 = cell.n1 + 0.5 * site, f2 = cell.n2 + 0.5 * site;
            TruthColumn column;
            column.x = originX + f1 * a1x + f2 * a2x;
            column.y = originY + f1 * a1y + f2 * a2y;
            if (column.x < 0.0 || column.y < 0.0 || column.x > last || column.y > last)
                continue;
            column.label = column.species = column.motif = site;
            result.truth.push_back(column);
        }
    }
    planted.amplitudes.reserve(result.truth.size());
    for (const TruthColumn& column : result.truth)
        planted.amplitudes.push_back((column.label == 0 ? 1.0 : ratio) * (1.0 + kAmplitudeSpread * random.normal()));

    result.labelNames = {"A site (bright)", "B site (weak)"};
    result.speciesNames = {"A column (heavy, Sr-like)", "B column (light, Ti-O-like, ratio x A)"};
    result.motifNames = {"A site", "B site"};
    result.latticePeriod = period;
    planted.nmPerPixel = kNanometresPerPeriod / period;
    planted.metadata.push_back({"Synth.Ratio", formatNumber(ratio)});
    planted.metadata.push_back({"Synth.RotationDegrees", formatNumber(angle * 180.0 / std::numbers::pi)});
    return planted;
}

} // namespace motifscope::synth
