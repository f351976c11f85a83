// Structural disorder on any preset, for series of frames growing more disordered (docs/synth.md):
//  - `displacement`: every column moved by a Gaussian of this rms (periods, per axis): frozen
//    positional disorder, in the truth as well (unlike scan jitter, which moves the image only);
//    a column moved past the image's edge stays on it;
//  - `vacancies`: this share of the columns removed;
//  - `amorphous`: this share of the width, from the left edge, is amorphous: its columns are
//    replaced by as many columns placed at random (no two closer than kAmorphousGap periods), of
//    the replaced columns' brightnesses, labelled "amorphous".
// Each option has its own random stream, so an option left at 0 changes no bytes. Vacancies and
// amorphous columns would break pentagon-network's ring lists: synthesize() refuses them there.
#include "core/synth/presets.h"

#include <algorithm>
#include <cmath>

namespace motifscope::synth {

namespace {

constexpr std::uint64_t kDisplacementStream = 0xD15;
constexpr std::uint64_t kVacancyStream = 0x7AC;
constexpr std::uint64_t kAmorphousStream = 0xA40;
constexpr double kAmorphousGap = 0.8; ///< periods: the closest two amorphous columns come
constexpr int kTriesPerColumn = 60;

/** Keeps the columns (and amplitudes) whose keep flag is set. */
void keepColumns(Planted& planted, const std::vector<char>& keep)
{
    std::vector<TruthColumn>& truth = planted.result.truth;
    std::size_t out = 0;
    for (std::size_t i = 0; i < truth.size(); ++i)
        if (keep[i]) {
            truth[out] = truth[i];
            planted.amplitudes[out] = planted.amplitudes[i];
            ++out;
        }
    truth.resize(out);
    planted.amplitudes.resize(out);
}

void makeAmorphous(Planted& planted, const SynthOptions& options, double period)
{
    SynthResult& result = planted.result;
    const double last = options.size - 1.0;
    const double edge = options.amorphous * options.size; // columns left of this are replaced
    std::vector<char> keep(result.truth.size(), 1);
    std::vector<double> brightness;
    for (std::size_t i = 0; i < result.truth.size(); ++i)
        if (result.truth[i].x < edge) {
            keep[i] = 0;
            brightness.push_back(planted.amplitudes[i]);
        }
    keepColumns(planted, keep);

    // Random sequential addition inside [0, edge) x [0, last], as many columns as were there.
    Random random(deriveSeed(options.seed, kAmorphousStream));
    const double gap = kAmorphousGap * period;
    const int gw = std::max(1, int(std::ceil(edge / gap))), gh = std::max(1, int(std::ceil((last + 1.0) / gap)));
    std::vector<std::vector<std::pair<double, double>>> grid(std::size_t(gw) * std::size_t(gh));
    const int label = int(result.labelNames.size());
    const int motif = int(result.motifNames.size());
    result.labelNames.push_back("amorphous");
    result.motifNames.push_back("amorphous");
    int placed = 0;
    for (double amplitude : brightness) {
        for (int attempt = 0; attempt < kTriesPerColumn; ++attempt) {
            const double x = random.uniform(0.0, edge), y = random.uniform(0.0, last);
            const int cx = std::min(gw - 1, int(x / gap)), cy = std::min(gh - 1, int(y / gap));
            bool free = true;
            for (int gy = std::max(0, cy - 1); free && gy <= std::min(gh - 1, cy + 1); ++gy)
                for (int gx = std::max(0, cx - 1); free && gx <= std::min(gw - 1, cx + 1); ++gx)
                    for (const auto& [px, py] : grid[std::size_t(gy) * std::size_t(gw) + std::size_t(gx)])
                        free = free && std::hypot(px - x, py - y) >= gap;
            if (!free)
                continue;
            grid[std::size_t(cy) * std::size_t(gw) + std::size_t(cx)].push_back({x, y});
            TruthColumn column;
            column.x = x;
            column.y = y;
            column.label = label;
            column.motif = motif;
            column.species = 0;
            result.truth.push_back(column);
            planted.amplitudes.push_back(amplitude);
            ++placed;
            break;
        }
    }
    planted.metadata.push_back({"Synth.Amorphous", formatNumber(options.amorphous)});
    planted.metadata.push_back({"Synth.AmorphousColumns", std::to_string(placed)});
}

} // namespace

void plantStructuralDisorder(Planted& planted, const SynthOptions& options, double period)
{
    SynthResult& result = planted.result;
    const double last = options.size - 1.0;
    if (options.displacement > 0.0) {
        Random random(deriveSeed(options.seed, kDisplacementStream));
        for (TruthColumn& c : result.truth) { // the truth stays inside the image: clamped at its edge
            c.x = std::clamp(c.x + options.displacement * period * random.normal(), 0.0, last);
            c.y = std::clamp(c.y + options.displacement * period * random.normal(), 0.0, last);
        }
        planted.metadata.push_back({"Synth.Displacement", formatNumber(options.displacement)});
    }
    if (options.vacancies > 0.0) {
        Random random(deriveSeed(options.seed, kVacancyStream));
        std::vector<char> keep(result.truth.size(), 1);
        for (char& k : keep)
            k = random.uniform() >= options.vacancies;
        keepColumns(planted, keep);
        planted.metadata.push_back({"Synth.Vacancies", formatNumber(options.vacancies)});
    }
    if (options.amorphous > 0.0)
        makeAmorphous(planted, options, period);
}

} // namespace motifscope::synth
