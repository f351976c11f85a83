#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/io/file_util.h"
#include "core/io/writers.h"
#include "core/synth/synth.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace motifscope::cli {

namespace {

/** The truth; `strain` (the column's local strain) adds a last field for strain-gradient. */
void writeTruthCsv(const synth::SynthResult& result, const std::string& path, bool strain)
{
    std::string text = strain ? "x,y,label,species,motif,grain,near_boundary,strain\n"
                              : "x,y,label,species,motif,grain,near_boundary\n";
    char line[160];
    for (const auto& c : result.truth) {
        int n = std::snprintf(line, sizeof line, "%.4f,%.4f,%d,%d,%d,%d,%d", c.x, c.y, c.label, c.species, c.motif,
                              c.grain, c.nearBoundary ? 1 : 0);
        if (strain)
            n += std::snprintf(line + n, sizeof line - std::size_t(n), ",%.5f", c.strain);
        text.append(line, std::size_t(std::max(0, n)));
        text += '\n';
    }
    writeFileAtomically(path, text);
}

void writeRingsJson(const synth::SynthResult& result, const std::string& path)
{
    nlohmann::ordered_json rings = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < result.rings.size(); ++i)
        rings.push_back({{"members", result.rings[i]}, {"filled", result.ringFilled[i] != 0},
                         {"centre", result.ringCentre[i]}});
    const nlohmann::ordered_json doc = {{"preset", "pentagon-network"},
                                        {"note", "members and centre are 0-based row indices into the truth CSV"},
                                        {"rings", rings}};
    writeFileAtomically(path, doc.dump(1) + "\n");
}

} // namespace

int runSynth(const Args& argv)
{
    std::string presets;
    for (const auto& p : synth::presetNames())
        presets += (presets.empty() ? "" : ", ") + p;
    const CommandSpec spec{
        "synth",
        "usage: motifscope-cli synth --preset NAME --size N --seed S --out STEM [--dose D]\n"
        "                            [--ratio R] [--pair-sigma S] [--astigmatism A]\n"
        "                            [--defects F] [--strain E] [--strain-ramp F]\n"
        "                            [--displacement D] [--vacancies V] [--amorphous A]\n\n"
        "Writes STEM.tif (32-bit float) and STEM_truth.csv (x,y,label, then species,\n"
        "motif, grain, near_boundary): a synthetic HAADF-STEM micrograph and the true\n"
        "column positions and classes. pentagon-network also writes STEM_rings.json\n"
        "(the planted five-membered rings, hollow or filled).\n"
        "Presets (--preset NAME):\n"
        "  mixed-lattice     grains of three lattices; label = lattice kind 0..2\n"
        "  pentagon-network  disordered pentagon tiling; label 1 = ring centre column\n"
        "  weak-sublattice   perovskite [001]; label 0 = A (bright), 1 = B (--ratio x A)\n"
        "  nanoparticle      faceted particle on an amorphous film, vacuum in one corner;\n"
        "                    label 0 = interior, 1 = surface column (film not in truth)\n"
        "  isolated-atoms    single heavy atoms on a thick film rising 4-5x across the\n"
        "                    image; label 0 = atom\n"
        "  dumbbells         column pairs on a lattice; label 0 = bright, 1 = weak member\n"
        "  graphene          carbon honeycomb grains, wide probe (atoms overlap); label\n"
        "                    1 = atom at a grain boundary; try --dose 3 .. 10\n"
        "  strain-gradient   two-species honeycomb stretched along x by a strain rising\n"
        "                    from 0 to --strain; label 0 = heavy, 1 = light; the truth's\n"
        "                    last field 'strain' is each column's local strain\n"
        "--dose D    mean electron count at a bright column peak (default 200; any value\n"
        "            > 0). Low-dose images: --dose 1 .. 10 counts at a peak (0.5 allowed).\n"
        "--ratio R   weak-sublattice only: B / A peak height, 0.05 .. 1 (default 0.2).\n"
        "--pair-sigma S  dumbbells only: pair separation in column sigmas, 1 .. 4\n"
        "            (default 1.5; below 2 a pair shows as one elongated spot).\n"
        "--strain E  strain-gradient only: the largest uniaxial strain, 0.01 .. 0.5\n"
        "            (default 0.3).\n"
        "--strain-ramp F  strain-gradient only: the centred share of the width over\n"
        "            which the strain rises, 0 .. 1 (default 1 = all of it, a continuum;\n"
        "            0 = a sharp step between an unstrained and a strained domain).\n"
        "--ratio, --pair-sigma, --strain or --strain-ramp given to another preset is a\n"
        "usage error.\n"
        "--astigmatism A  every column elliptical, long / short axis A, 1 .. 3 (default 1,\n"
        "            round), the long axis 34 degrees from the scan rows: an astigmatic probe.\n"
        "--defects F  point defects: a share F (0 .. 0.1) of the site-0 columns (motif 0 in\n"
        "            the truth) dimmed to half, 3 periods apart at least; truth motifs gain\n"
        "            'dim <site>' and '<site> next to a dim <site>' for their neighbours.\n"
        "Structural disorder, on any preset (a series growing more disordered):\n"
        "--displacement D  every column shifted by a random Gaussian of rms D periods per\n"
        "            axis (0 .. 0.5), the truth too.\n"
        "--vacancies V  a share V (0 .. 0.9) of the columns removed.\n"
        "--amorphous A  a share A (0 .. 1) of the width, from the left edge, amorphous:\n"
        "            its columns placed at random instead (truth label 'amorphous').\n"
        "            --vacancies and --amorphous do not apply to pentagon-network.\n",
        {"--preset", "--size", "--seed", "--out", "--dose", "--ratio", "--pair-sigma", "--astigmatism", "--defects", "--strain",
         "--strain-ramp", "--displacement", "--vacancies", "--amorphous", "--threads"},
        {"--progress"},
        0,
        0};
    const ParsedArgs args = parseArgs(spec, argv);
    if (args.has("--help")) {
        std::fputs(spec.usage.c_str(), stdout);
        return ExitOk;
    }
    synth::SynthOptions options;
    options.preset = args.required("--preset");
    options.size = static_cast<int>(args.integer("--size", 512, 32, 16384));
    options.seed = static_cast<std::uint64_t>(args.integer("--seed", 1, 0, (1LL << 62)));
    if (args.has("--dose")) {
        try {
            options.dose = std::stod(args.value("--dose"));
        } catch (const std::exception&) {
            throw UsageError("--dose: expected a number, got '" + args.value("--dose") + "'");
        }
        if (!(options.dose > 0.0) || options.dose > 1e9)
            throw UsageError("--dose: must be a positive number");
    }
    // Number options: flag, where it goes, its range (and the words for it), the one preset it is for ("" = any).
    struct NumberOption
    {
        const char* flag;
        double* value;
        double lo, hi;
        const char* range;
        const char* preset;
    };
    const NumberOption numbers[] = {
        {"--ratio", &options.ratio, 0.05, 1.0, "0.05 .. 1", "weak-sublattice"},
        {"--pair-sigma", &options.pairSigma, 1.0, 4.0, "1 .. 4 column sigmas", "dumbbells"},
        {"--strain", &options.strain, 0.01, 0.5, "0.01 .. 0.5", "strain-gradient"},
        {"--strain-ramp", &options.strainRamp, 0.0, 1.0, "a share of 0 .. 1", "strain-gradient"},
        {"--astigmatism", &options.astigmatism, 1.0, 3.0, "a long / short axis ratio of 1 .. 3", ""},
        {"--defects", &options.defects, 0.0, 0.1, "a share of 0 .. 0.1", ""},
        {"--displacement", &options.displacement, 0.0, 0.5, "0 .. 0.5 periods", ""},
        {"--vacancies", &options.vacancies, 0.0, 0.9, "a share of 0 .. 0.9", ""},
        {"--amorphous", &options.amorphous, 0.0, 1.0, "a share of 0 .. 1", ""},
    };
    for (const NumberOption& o : numbers) {
        if (!args.has(o.flag))
            continue;
        *o.value = args.number(o.flag, *o.value);
        if (*o.preset && options.preset != o.preset)
            throw UsageError(std::string(o.flag) + ": applies to --preset " + o.preset + " only");
        if (!(*o.value >= o.lo && *o.value <= o.hi))
            throw UsageError(std::string(o.flag) + ": must be " + o.range + ", got " + args.value(o.flag));
    }
    if ((options.vacancies > 0.0 || options.amorphous > 0.0) && options.preset == "pentagon-network")
        throw UsageError("--vacancies, --amorphous: do not apply to --preset pentagon-network (its rings would lose members)");
    const std::string stem = args.required("--out");
    synth::SynthResult result;
    try {
        result = synth::synthesize(options);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--preset: ") + e.what() + " (known: " + presets + ")");
    }
    writeTiffFloat32(result.image, stem + ".tif");
    writeTruthCsv(result, stem + "_truth.csv", options.preset == "strain-gradient");
    if (!result.rings.empty())
        writeRingsJson(result, stem + "_rings.json");
    return ExitOk;
}

} // namespace motifscope::cli
