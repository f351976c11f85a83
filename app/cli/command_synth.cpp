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

void writeTruthCsv(const synth::SynthResult& result, const std::string& path)
{
    std::string text = "x,y,label,species,motif,grain,near_boundary\n";
    char line[160];
    for (const auto& c : result.truth) {
        const int n = std::snprintf(line, sizeof line, "%.4f,%.4f,%d,%d,%d,%d,%d\n", c.x, c.y, c.label, c.species,
                                    c.motif, c.grain, c.nearBoundary ? 1 : 0);
        text.append(line, std::size_t(std::max(0, n)));
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
        "                            [--defects F]\n\n"
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
        "--dose D    mean electron count at a bright column peak (default 200; any value\n"
        "            > 0). Low-dose images: --dose 1 .. 10 counts at a peak (0.5 allowed).\n"
        "--ratio R   weak-sublattice only: B / A peak height, 0.05 .. 1 (default 0.2).\n"
        "--pair-sigma S  dumbbells only: pair separation in column sigmas, 1 .. 4\n"
        "            (default 1.5; below 2 a pair shows as one elongated spot).\n"
        "--ratio or --pair-sigma given to another preset is a usage error.\n"
        "--astigmatism A  every column elliptical, long / short axis A, 1 .. 3 (default 1,\n"
        "            round), the long axis 34 degrees from the scan rows: an astigmatic probe.\n"
        "--defects F  point defects: a share F (0 .. 0.1) of the site-0 columns (motif 0 in\n"
        "            the truth) dimmed to half, 3 periods apart at least; truth motifs gain\n"
        "            'dim <site>' and '<site> next to a dim <site>' for their neighbours.\n",
        {"--preset", "--size", "--seed", "--out", "--dose", "--ratio", "--pair-sigma", "--astigmatism", "--defects", "--threads"},
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
    if (args.has("--ratio")) {
        options.ratio = args.number("--ratio", 0.0);
        if (options.preset != "weak-sublattice")
            throw UsageError("--ratio: applies to --preset weak-sublattice only");
        if (!(options.ratio >= 0.05 && options.ratio <= 1.0))
            throw UsageError("--ratio: must be 0.05 .. 1, got " + args.value("--ratio"));
    }
    if (args.has("--pair-sigma")) {
        options.pairSigma = args.number("--pair-sigma", 0.0);
        if (options.preset != "dumbbells")
            throw UsageError("--pair-sigma: applies to --preset dumbbells only");
        if (!(options.pairSigma >= 1.0 && options.pairSigma <= 4.0))
            throw UsageError("--pair-sigma: must be 1 .. 4 column sigmas, got " + args.value("--pair-sigma"));
    }
    if (args.has("--astigmatism")) {
        options.astigmatism = args.number("--astigmatism", 1.0);
        if (!(options.astigmatism >= 1.0 && options.astigmatism <= 3.0))
            throw UsageError("--astigmatism: must be a long / short axis ratio of 1 .. 3, got " + args.value("--astigmatism"));
    }
    if (args.has("--defects")) {
        options.defects = args.number("--defects", 0.0);
        if (!(options.defects >= 0.0 && options.defects <= 0.1))
            throw UsageError("--defects: must be a share of 0 .. 0.1, got " + args.value("--defects"));
    }
    const std::string stem = args.required("--out");
    synth::SynthResult result;
    try {
        result = synth::synthesize(options);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--preset: ") + e.what() + " (known: " + presets + ")");
    }
    writeTiffFloat32(result.image, stem + ".tif");
    writeTruthCsv(result, stem + "_truth.csv");
    if (!result.rings.empty())
        writeRingsJson(result, stem + "_rings.json");
    return ExitOk;
}

} // namespace motifscope::cli
