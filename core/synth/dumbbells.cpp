// "dumbbells": columns that come in close pairs, as Si or GaAs seen along [110] (or GaN along
// [11-20]). The pair centres sit on the fcc [110] projection: a centred rectangular cell of
// 1.633 p x 1.155 p (four neighbours at the period p, two at 1.155 p). Each pair lies along the
// cell's long edge ([001] in the crystal), its two columns `pairSigma` column sigmas apart (option
// `pairSigma`, default 1.5: below two sigma the pair shows as one elongated spot, above about
// three as two). Member 0 peaks at 1.0, member 1 at 0.7, all pairs with the same polarity.
// One grain at a random in-plane rotation and offset; peaks scatter by 3%.
#include "core/synth/presets.h"

#include <cmath>
#include <numbers>

namespace motifscope::synth {

namespace {

constexpr double kDefaultPairSigma = 1.5;
constexpr double kCellLong = 1.6329931618554521;  ///< sqrt(8/3): fcc [110], a / (nearest-neighbour spacing)
constexpr double kCellShort = 1.1547005383792515; ///< sqrt(4/3): a / sqrt(2) in the same units
constexpr double kWeakMember = 0.7;
constexpr double kAmplitudeSpread = 0.03;
constexpr double kNanometresPerPeriod = 0.3325; ///< Si: dumbbell centres 0.612 a apart, a = 0.5431 nm

} // namespace

Planted plantDumbbells(const SynthOptions& options, double period, Random& random)
{
    const int size = options.size;
    const double last = size - 1.0;
    const double pairSigma = options.pairSigma > 0.0 ? options.pairSigma : kDefaultPairSigma;
    const double separation = pairSigma * imageColumnSigma(options, period);
    const double angle = random.uniform(0.0, std::numbers::pi); // a pair flipped end to end differs (polarity)
    const double ux = std::cos(angle), uy = std::sin(angle);       // along the pair axis
    const double a1x = kCellLong * period * ux, a1y = kCellLong * period * uy;
    const double a2x = -kCellShort * period * uy, a2y = kCellShort * period * ux;
    const double originX = 0.5 * last + random.uniform() * a1x + random.uniform() * a2x;
    const double originY = 0.5 * last + random.uniform() * a1y + random.uniform() * a2y;

    Planted planted;
    SynthResult& result = planted.result;
    const double margin = separation; // a member may lie inside even when its pair centre does not
    for (const CellIndex& cell :
         cellsCovering(originX, originY, a1x, a1y, a2x, a2y, -margin, -margin, last + margin, last + margin)) {
        for (int site = 0; site < 2; ++site) { // cell corner and cell centre
            const double f1 = cell.n1 + 0.5 * site, f2 = cell.n2 + 0.5 * site;
            const double cx = originX + f1 * a1x + f2 * a2x, cy = originY + f1 * a1y + f2 * a2y;
            for (int member = 0; member < 2; ++member) {
                const double half = (member == 0 ? 0.5 : -0.5) * separation;
                TruthColumn column;
                column.x = cx + half * ux;
                column.y = cy + half * uy;
                if (column.x < 0.0 || column.y < 0.0 || column.x > last || column.y > last)
                    continue;
                column.label = column.species = column.motif = member;
                result.truth.push_back(column);
            }
        }
    }
    planted.amplitudes.reserve(result.truth.size());
    for (const TruthColumn& column : result.truth)
        planted.amplitudes.push_back((column.label == 0 ? 1.0 : kWeakMember) * (1.0 + kAmplitudeSpread * random.normal()));

    result.labelNames = {"pair member 0 (bright)", "pair member 1 (0.7 x as bright)"};
    result.speciesNames = {"heavier column (peak 1.0)", "lighter column (peak 0.7)"};
    result.motifNames = {"dumbbell, bright end", "dumbbell, weak end"};
    result.latticePeriod = period;
    planted.nmPerPixel = kNanometresPerPeriod / period;
    planted.metadata.push_back({"Synth.PairSigma", formatNumber(pairSigma)});
    planted.metadata.push_back({"Synth.PairSeparation", formatNumber(separation)});
    planted.metadata.push_back({"Synth.PairAxisDegrees", formatNumber(angle * 180.0 / std::numbers::pi)});
    return planted;
}

} // namespace motifscope::synth
