#include "core/synth/synth.h"

#include "core/synth/presets.h"
#include "core/synth/render.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace motifscope::synth {

namespace {

constexpr std::uint64_t kGeometryStream = 0x6E0;
constexpr std::uint64_t kBackgroundStream = 0xB6;
constexpr std::uint64_t kRenderStream = 0x4E4D;
constexpr double kBackgroundMean = 0.04;      ///< of a bright column peak
constexpr double kBackgroundVariation = 0.4;  ///< relative, +-

void validate(const SynthOptions& options)
{
    if (options.size < 16 || options.size > 32768)
        throw std::invalid_argument("size must be 16 .. 32768 pixels, got " + std::to_string(options.size));
    if (!std::isfinite(options.dose) || options.dose <= 0.0 || options.dose > 1e12)
        throw std::invalid_argument("dose must be a positive number");
    if (!std::isfinite(options.jitter) || options.jitter < 0.0 || options.jitter > 100.0)
        throw std::invalid_argument("jitter must be 0 .. 100 pixels");
    if (!(options.defects >= 0.0 && options.defects <= 0.1))
        throw std::invalid_argument("defects must be a share of 0 .. 0.1 of the site-0 columns");
    if (!(options.displacement >= 0.0 && options.displacement <= 0.5))
        throw std::invalid_argument("displacement must be 0 .. 0.5 periods");
    if (!(options.vacancies >= 0.0 && options.vacancies <= 0.9))
        throw std::invalid_argument("vacancies must be a share of 0 .. 0.9 of the columns");
    if (!(options.amorphous >= 0.0 && options.amorphous <= 1.0))
        throw std::invalid_argument("amorphous must be a share of 0 .. 1 of the width");
    if ((options.vacancies > 0.0 || options.amorphous > 0.0) && options.preset == "pentagon-network")
        throw std::invalid_argument("vacancies and amorphous do not apply to pentagon-network (its rings would lose members)");
    if (!(options.astigmatism >= 1.0 && options.astigmatism <= 3.0))
        throw std::invalid_argument("astigmatism must be a long / short axis ratio of 1 .. 3");
    if (!std::isfinite(options.blur) || options.blur < 0.0 || options.blur > 100.0)
        throw std::invalid_argument("blur must be 0 .. 100 pixels");
    if (!std::isfinite(options.period) || (options.period != 0.0 && (options.period < 4.0 || options.period > 1000.0)))
        throw std::invalid_argument("period must be 0 (default) or 4 .. 1000 pixels");
    if (!std::isfinite(options.ratio) || (options.ratio != 0.0 && (options.ratio < 0.05 || options.ratio > 1.0)))
        throw std::invalid_argument("ratio must be 0 (default) or 0.05 .. 1");
    if (options.ratio != 0.0 && options.preset != "weak-sublattice")
        throw std::invalid_argument("ratio applies to the weak-sublattice preset only");
    if (!std::isfinite(options.pairSigma)
        || (options.pairSigma != 0.0 && (options.pairSigma < 1.0 || options.pairSigma > 4.0)))
        throw std::invalid_argument("pair sigma must be 0 (default) or 1 .. 4 column sigmas");
    if (options.pairSigma != 0.0 && options.preset != "dumbbells")
        throw std::invalid_argument("pair sigma applies to the dumbbells preset only");
    if (!std::isfinite(options.strain) || (options.strain != 0.0 && (options.strain < 0.01 || options.strain > 0.5)))
        throw std::invalid_argument("strain must be 0 (default) or 0.01 .. 0.5");
    if (!(options.strainRamp >= 0.0 && options.strainRamp <= 1.0))
        throw std::invalid_argument("strain ramp must be a share of 0 .. 1 of the width");
    if ((options.strain != 0.0 || options.strainRamp != 1.0) && options.preset != "strain-gradient")
        throw std::invalid_argument("strain and strain ramp apply to the strain-gradient preset only");
}

using PlantFunction = Planted (*)(const SynthOptions&, double, Random&);

/** The builder of a preset, or null for an unknown name. */
PlantFunction planterFor(const std::string& preset)
{
    if (preset == "mixed-lattice")
        return plantMixedLattice;
    if (preset == "pentagon-network")
        return plantPentagonNetwork;
    if (preset == "weak-sublattice")
        return plantWeakSublattice;
    if (preset == "nanoparticle")
        return plantNanoparticle;
    if (preset == "isolated-atoms")
        return plantIsolatedAtoms;
    if (preset == "dumbbells")
        return plantDumbbells;
    if (preset == "graphene")
        return plantGraphene;
    if (preset == "strain-gradient")
        return plantStrainGradient;
    return nullptr;
}

} // namespace

std::string formatNumber(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

double imageColumnSigma(const SynthOptions& options, double period)
{
    const double columnSigma = kSigmaPerPeriod * period;
    return std::sqrt(columnSigma * columnSigma + options.blur * options.blur);
}

double zContrast(double atomicNumber) { return std::pow(atomicNumber / 42.0, 1.7); }

std::vector<std::string> presetNames()
{
    return {"mixed-lattice", "pentagon-network", "weak-sublattice", "nanoparticle", "isolated-atoms", "dumbbells", "graphene",
            "strain-gradient"};
}

SynthResult synthesize(const SynthOptions& options)
{
    const PlantFunction plant = planterFor(options.preset);
    if (!plant)
        throw std::invalid_argument("unknown preset '" + options.preset + "'");
    validate(options);

    const double period = options.period > 0.0 ? options.period : kDefaultPeriod;
    Random geometry(deriveSeed(options.seed, kGeometryStream));
    Planted planted = plant(options, period, geometry);
    plantPointDefects(planted, options, period);
    plantStructuralDisorder(planted, options, period);
    SynthResult& result = planted.result;

    std::vector<RenderColumn> columns(result.truth.size());
    for (std::size_t i = 0; i < columns.size(); ++i)
        columns[i] = {result.truth[i].x, result.truth[i].y, planted.amplitudes[i]};
    columns.insert(columns.end(), planted.untracked.begin(), planted.untracked.end());

    Random backgroundRandom(deriveSeed(options.seed, kBackgroundStream));
    const BackgroundField background = planted.ownBackground
        ? planted.background
        : BackgroundField::random(backgroundRandom, options.size, options.size, kBackgroundMean, kBackgroundVariation);
    RenderSettings settings;
    settings.width = options.size;
    settings.height = options.size;
    const double ownSigma = planted.sigmaPerPeriod * period;
    settings.sigma = std::sqrt(ownSigma * ownSigma + options.blur * options.blur);
    settings.dose = options.dose;
    settings.noise = options.noise;
    settings.jitter = options.jitter;
    settings.astigmatism = options.astigmatism;
    settings.seed = deriveSeed(options.seed, kRenderStream);

    Micrograph& image = result.image;
    image.width = options.size;
    image.height = options.size;
    image.pixels = renderColumns(columns, background, settings);
    image.dtype = "float32";
    image.format = "synthetic";
    image.frames = 1;
    image.calibration.pixelSizeX = planted.nmPerPixel;
    image.calibration.pixelSizeY = planted.nmPerPixel;
    image.calibration.unit = "nm";
    image.metadata["Synth.Preset"] = options.preset;
    image.metadata["Synth.Seed"] = std::to_string(options.seed);
    image.metadata["Synth.Dose"] = formatNumber(options.dose);
    image.metadata["Synth.Noise"] = options.noise ? "true" : "false";
    image.metadata["Synth.Jitter"] = formatNumber(options.jitter);
    if (options.astigmatism > 1.0)
        image.metadata["Synth.Astigmatism"] = formatNumber(options.astigmatism);
    image.metadata["Synth.Period"] = formatNumber(period);
    image.metadata["Synth.ColumnSigma"] = formatNumber(settings.sigma);
    image.metadata["Synth.Columns"] = std::to_string(result.truth.size());
    image.metadata["Synth.Units"] = "counts";
    for (const auto& [key, value] : planted.metadata)
        image.metadata[key] = value;

    result.latticePeriod = period;
    result.columnSigma = settings.sigma;
    return std::move(result);
}

} // namespace motifscope::synth
