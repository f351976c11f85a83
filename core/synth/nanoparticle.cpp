// "nanoparticle": a faceted fcc metal particle (Au-like) seen along [110], lying on an amorphous
// carbon film, with one corner of the image beyond the film's torn edge (vacuum).
//
// Particle: the fcc [110] projection is a centred rectangular cell of 1.633 p x 1.155 p (each
// column has four neighbours at the period p and two at 1.155 p). Its outline is a Wulff-like
// polygon: {111} facets at distance R (normals at +-54.7 degrees from [001]), {001} at 1.06 R and
// {110} at 1.12 R, each moved by up to 4%, with R = 19 .. 28% of the image width (so the particle
// spans 40 .. 60% of it); then a random rotation, centre within 5% of the image centre. A column's brightness follows the particle's
// projected thickness there, that of a flattened, lens-like particle: peak = 0.1 + 0.9 (1 - g^2),
// where g is the polygon's gauge (0 at the centre, 1 on the outline); so the centre peaks at 1 and
// the outermost columns at 0.1 .. 0.3. A fifth of the outermost columns are missing (surface steps).
// Truth: the particle's columns only; label 1 = surface column (a column with fewer than its six
// neighbours), 0 = interior.
//
// Film: light atoms peaking at 5% (x 0.6 .. 1.4) of the brightest particle column, 0.15 per px^2
// at unit thickness; the thickness undulates by +-35% over 0.5 .. 1 image widths and falls to zero
// over one period at the film's wavy edge, which cuts off a random image corner (about 4% of the
// image). The film lies under the particle too. Background: a flat 1% (detector dark level).
#include "core/synth/presets.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <unordered_set>

namespace motifscope::synth {

namespace {

constexpr double kCellLong = 1.6329931618554521;  ///< sqrt(8/3): a / (nearest-neighbour spacing)
constexpr double kCellShort = 1.1547005383792515; ///< sqrt(4/3): a / sqrt(2), same units
constexpr double kEdgePeak = 0.1;
constexpr double kOuterShell = 0.94;              ///< gauge beyond which columns may be missing
constexpr double kMissingOuter = 0.2;
constexpr double kAmplitudeSpread = 0.03;
constexpr double kFilmDensity = 0.15;
constexpr double kFilmAmplitude = 0.05;
constexpr double kFilmUndulation = 0.35;
constexpr double kVacuumDepth = 0.20;             ///< film edge, image widths from the corner along the diagonal
constexpr double kBackground = 0.01;
constexpr double kNanometresPerPeriod = 0.2498;   ///< Au: 0.612 a, a = 0.408 nm

/** The particle outline: facet normals (unit, in image axes) and their distances from the centre. */
struct Outline
{
    double centreX = 0.0, centreY = 0.0;
    std::vector<std::array<double, 3>> facets; ///< nx, ny, distance

    /** 0 at the centre, 1 on the outline, > 1 outside (the polygon's gauge function). */
    double gauge(double x, double y) const
    {
        double g = 0.0;
        for (const auto& f : facets)
            g = std::max(g, ((x - centreX) * f[0] + (y - centreY) * f[1]) / f[2]);
        return g;
    }
};

/** A site of the centred lattice in half-cell units: (2 n1 + s, 2 n2 + s), s = 1 at the cell centre. */
long long siteKey(int i, int j) { return (static_cast<long long>(i) << 32) ^ static_cast<unsigned int>(j); }

} // namespace

Planted plantNanoparticle(const SynthOptions& options, double period, Random& random)
{
    const int size = options.size;
    const double last = size - 1.0;

    // Lattice and outline, both in the crystal's frame rotated by `angle`.
    const double angle = random.uniform(0.0, 2.0 * std::numbers::pi);
    const double ux = std::cos(angle), uy = std::sin(angle); // [001]
    const double vx = -uy, vy = ux;                           // [1-10]
    const double a1x = kCellLong * period * ux, a1y = kCellLong * period * uy;
    const double a2x = kCellShort * period * vx, a2y = kCellShort * period * vy;
    Outline outline;
    outline.centreX = 0.5 * last + random.uniform(-0.05, 0.05) * size;
    outline.centreY = 0.5 * last + random.uniform(-0.05, 0.05) * size;
    const double radius = random.uniform(0.19, 0.28) * size;
    const double facet111 = std::atan(std::numbers::sqrt2); // [1-11] is 54.7 degrees from [001]
    const std::array<std::pair<double, double>, 8> facets = {{{0.0, 1.06},
                                                              {facet111, 1.0},
                                                              {0.5 * std::numbers::pi, 1.12},
                                                              {std::numbers::pi - facet111, 1.0},
                                                              {std::numbers::pi, 1.06},
                                                              {std::numbers::pi + facet111, 1.0},
                                                              {1.5 * std::numbers::pi, 1.12},
                                                              {2.0 * std::numbers::pi - facet111, 1.0}}};
    for (const auto& [normal, distance] : facets) {
        const double c = std::cos(normal), s = std::sin(normal);
        outline.facets.push_back({c * ux + s * vx, c * uy + s * vy, distance * radius * random.uniform(0.96, 1.04)});
    }
    // A lattice site sits on the particle's centre column up to a random offset.
    const double originX = outline.centreX + random.uniform() * a1x + random.uniform() * a2x;
    const double originY = outline.centreY + random.uniform() * a1y + random.uniform() * a2y;

    // Columns inside the outline (and the image); some of the outermost ones are missing.
    struct Site
    {
        int i, j;
        double x, y, gauge;
    };
    std::vector<Site> sites;
    std::unordered_set<long long> present;
    for (const CellIndex& cell : cellsCovering(originX, originY, a1x, a1y, a2x, a2y, 0.0, 0.0, last, last)) {
        for (int s = 0; s < 2; ++s) {
            const double f1 = cell.n1 + 0.5 * s, f2 = cell.n2 + 0.5 * s;
            const Site site{2 * cell.n1 + s, 2 * cell.n2 + s, originX + f1 * a1x + f2 * a2x,
                            originY + f1 * a1y + f2 * a2y, 0.0};
            if (site.x < 0.0 || site.y < 0.0 || site.x > last || site.y > last)
                continue;
            const double g = outline.gauge(site.x, site.y);
            if (g > 1.0)
                continue;
            if (g > kOuterShell && random.uniform() < kMissingOuter)
                continue;
            sites.push_back({site.i, site.j, site.x, site.y, g});
            present.insert(siteKey(site.i, site.j));
        }
    }

    Planted planted;
    SynthResult& result = planted.result;
    static const int neighbours[6][2] = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}, {0, 2}, {0, -2}};
    for (const Site& site : sites) {
        int count = 0;
        for (const auto& d : neighbours)
            count += present.count(siteKey(site.i + d[0], site.j + d[1])) ? 1 : 0;
        TruthColumn column;
        column.x = site.x;
        column.y = site.y;
        column.label = column.motif = count < 6 ? 1 : 0;
        result.truth.push_back(column);
        const double thickness = std::max(0.0, 1.0 - site.gauge * site.gauge);
        planted.amplitudes.push_back((kEdgePeak + (1.0 - kEdgePeak) * thickness)
                                     * (1.0 + kAmplitudeSpread * random.normal()));
    }

    // The film: undulating thickness, cut off beyond a wavy edge across one image corner.
    const int corner = random.uniformInt(0, 3);
    const double cornerX = (corner & 1) ? last : 0.0, cornerY = (corner & 2) ? last : 0.0;
    const double inX = (corner & 1) ? -1.0 : 1.0, inY = (corner & 2) ? -1.0 : 1.0; // towards the image
    const double edgeWave = random.uniform(0.0, 2.0 * std::numbers::pi);
    const SmoothUndulation undulation = SmoothUndulation::random(random, 4, 0.5 * size);
    auto filmThickness = [=](double x, double y) {
        const double depth = ((x - cornerX) * inX + (y - cornerY) * inY) / std::numbers::sqrt2;
        const double along = ((x - cornerX) * inX - (y - cornerY) * inY) / std::numbers::sqrt2;
        const double edge = size * (kVacuumDepth + 0.02 * std::sin(along * 12.0 / size + edgeWave));
        const double t = std::clamp((depth - edge) / period, 0.0, 1.0);
        const double cover = t * t * (3.0 - 2.0 * t); // smooth step over one period
        return cover * (1.0 + kFilmUndulation * undulation.at(x, y));
    };
    const double margin = 5.0 * imageColumnSigma(options, period);
    planted.untracked = amorphousFilm(size, size, margin, kFilmDensity, kFilmAmplitude, 1.0 + kFilmUndulation,
                                      filmThickness, random);
    planted.ownBackground = true;
    planted.background = BackgroundField::flat(kBackground);

    result.labelNames = {"particle interior column", "particle edge / surface column"};
    result.speciesNames = {"metal column (Au-like)"};
    result.motifNames = {"interior", "surface"};
    result.latticePeriod = period;
    planted.nmPerPixel = kNanometresPerPeriod / period;
    static const char* cornerNames[4] = {"top-left", "top-right", "bottom-left", "bottom-right"};
    planted.metadata.push_back({"Synth.VacuumCorner", cornerNames[corner]});
    planted.metadata.push_back({"Synth.ParticleRadius", formatNumber(radius)});
    planted.metadata.push_back({"Synth.FilmAtoms", std::to_string(planted.untracked.size())});
    return planted;
}

} // namespace motifscope::synth
