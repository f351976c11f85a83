// "pentagon-network": a disordered Cairo pentagonal tiling with columns at its vertices; a fraction
// of the pentagons is filled with a centre column.
//
// Construction (equilateral Cairo tiling, bond length b = period): four-valent vertices sit on a
// square grid of spacing d; every grid square ("plaquette") (i, j) holds a bonded pair of
// three-valent vertices, horizontal when i + j is even and vertical otherwise, at +-t from the
// square's centre. With t = d (sqrt 7 - 1) / 6 all five edges of every pentagon have length 2t = b.
// Every grid edge is crossed by exactly one pentagon: its two grid corners, the pair vertex nearest
// the edge of the plaquette whose pair is perpendicular to it, and both pair vertices of the other
// plaquette. Disorder: a mild random global strain, a smooth long-wavelength warp, and independent
// displacements of 3% b per axis at every vertex; then a random rotation.
#include "core/synth/presets.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace motifscope::synth {

namespace {

constexpr double kDisplacement = 0.03;   ///< per-axis vertex scatter, in bond lengths
constexpr double kWarpAmplitude = 0.10;  ///< per warp mode, in bond lengths
constexpr double kFilledMin = 0.30;      ///< planted fraction of filled rings is drawn in this range
constexpr double kFilledMax = 0.40;

/** A point or vector in pixels. */
struct Vec
{
    double x = 0.0;
    double y = 0.0;
};

/** A smooth displacement: a few plane waves of long wavelength, each along its own direction. */
struct Warp
{
    /** One plane wave: wave vector, phase, displacement amplitude. */
    struct Mode
    {
        double kx, ky, phase, dx, dy;
    };
    std::array<Mode, 3> modes{};

    Vec at(Vec p) const
    {
        Vec w;
        for (const Mode& m : modes) {
            const double c = std::cos(m.kx * p.x + m.ky * p.y + m.phase);
            w.x += m.dx * c;
            w.y += m.dy * c;
        }
        return w;
    }
};

/** Pairs (i < j) of rings sharing an edge: every ring edge keyed by its two columns, then sorted. */
std::vector<std::pair<int, int>> edgeSharingPairs(const std::vector<std::vector<int>>& rings)
{
    struct Edge
    {
        int a, b, ring;
    };
    std::vector<Edge> edges;
    edges.reserve(rings.size() * 5);
    for (std::size_t r = 0; r < rings.size(); ++r) {
        const std::vector<int>& ring = rings[r];
        for (std::size_t k = 0; k < ring.size(); ++k) {
            const int u = ring[k], v = ring[(k + 1) % ring.size()];
            edges.push_back({std::min(u, v), std::max(u, v), static_cast<int>(r)});
        }
    }
    std::sort(edges.begin(), edges.end(), [](const Edge& p, const Edge& q) {
        return p.a != q.a ? p.a < q.a : p.b != q.b ? p.b < q.b : p.ring < q.ring;
    });
    std::vector<std::pair<int, int>> pairs;
    for (std::size_t e = 0; e + 1 < edges.size(); ++e)
        if (edges[e].a == edges[e + 1].a && edges[e].b == edges[e + 1].b)
            pairs.emplace_back(edges[e].ring, edges[e + 1].ring); // a tiling edge bounds at most two rings
    std::sort(pairs.begin(), pairs.end());
    return pairs;
}

} // namespace

Planted plantPentagonNetwork(const SynthOptions& options, double period, Random& random)
{
    const int size = options.size;
    const double last = size - 1.0;
    const double bond = period;
    const double d = 3.0 * bond / (std::sqrt(7.0) - 1.0); // grid spacing of the four-valent vertices
    const double t = bond / 2.0;

    // Global map: tiling coordinates -> image, p = centre + R(angle) (1 + strain) u.
    const double angle = random.uniform(0.0, 2.0 * std::numbers::pi);
    const double exx = random.uniform(-0.02, 0.02), eyy = random.uniform(-0.02, 0.02);
    const double exy = random.uniform(-0.01, 0.01);
    const double ca = std::cos(angle), sa = std::sin(angle);
    const double m00 = ca * (1 + exx) - sa * exy, m01 = ca * exy - sa * (1 + eyy);
    const double m10 = sa * (1 + exx) + ca * exy, m11 = sa * exy + ca * (1 + eyy);
    const Vec centre{last / 2.0, last / 2.0};
    Warp warp;
    for (auto& mode : warp.modes) {
        const double wavelength = random.uniform(10.0, 20.0) * d;
        const double direction = random.uniform(0.0, 2.0 * std::numbers::pi);
        const double polarisation = random.uniform(0.0, 2.0 * std::numbers::pi);
        const double k = 2.0 * std::numbers::pi / wavelength;
        mode = {k * std::cos(direction), k * std::sin(direction), random.uniform(0.0, 2.0 * std::numbers::pi),
                kWarpAmplitude * bond * std::cos(polarisation), kWarpAmplitude * bond * std::sin(polarisation)};
    }

    // Plaquette range covering the image (the map is nearly a rotation; pad generously).
    const double reach = (last / std::sqrt(2.0)) * 1.05 + 3.0 * bond;
    const int half = static_cast<int>(std::ceil(reach / d)) + 2;
    const int iMin = -half, jMin = -half, n = 2 * half + 1;
    auto vertexSlot = [&](int i, int j, int kind) { // kind 0 corner, 1 first pair vertex, 2 second
        return (static_cast<std::size_t>(j - jMin) * n + (i - iMin)) * 3 + kind;
    };

    // Place every vertex; keep the ones inside the image as truth columns.
    Planted planted;
    SynthResult& result = planted.result;
    std::vector<int> truthIndex(static_cast<std::size_t>(n) * n * 3, -1);
    for (int j = jMin; j < jMin + n; ++j) {
        for (int i = iMin; i < iMin + n; ++i) {
            const bool horizontal = ((i + j) % 2 + 2) % 2 == 0;
            const Vec mid{(i + 0.5) * d, (j + 0.5) * d};
            const Vec local[3] = {{i * d, j * d},
                                  horizontal ? Vec{mid.x - t, mid.y} : Vec{mid.x, mid.y - t},
                                  horizontal ? Vec{mid.x + t, mid.y} : Vec{mid.x, mid.y + t}};
            for (int kind = 0; kind < 3; ++kind) {
                const Vec u = local[kind];
                Vec p{centre.x + m00 * u.x + m01 * u.y, centre.y + m10 * u.x + m11 * u.y};
                const Vec w = warp.at(p);
                p.x += w.x + kDisplacement * bond * random.normal();
                p.y += w.y + kDisplacement * bond * random.normal();
                if (p.x < 0.0 || p.y < 0.0 || p.x > last || p.y > last)
                    continue;
                truthIndex[vertexSlot(i, j, kind)] = static_cast<int>(result.truth.size());
                TruthColumn column;
                column.x = p.x;
                column.y = p.y;
                result.truth.push_back(column);
            }
        }
    }

    // Pentagons: one per grid edge (bottom and left edge of every plaquette).
    auto addRing = [&](std::array<std::size_t, 5> slots) {
        std::vector<int> ring;
        for (std::size_t slot : slots) {
            if (truthIndex[slot] < 0)
                return; // not wholly inside the image
            ring.push_back(truthIndex[slot]);
        }
        double cx = 0.0, cy = 0.0;
        for (int v : ring) {
            cx += result.truth[static_cast<std::size_t>(v)].x / 5.0;
            cy += result.truth[static_cast<std::size_t>(v)].y / 5.0;
        }
        std::vector<std::pair<double, int>> byAngle;
        for (int v : ring) {
            const TruthColumn& c = result.truth[static_cast<std::size_t>(v)];
            byAngle.push_back({std::atan2(c.y - cy, c.x - cx), v});
        }
        std::sort(byAngle.begin(), byAngle.end());
        for (int k = 0; k < 5; ++k)
            ring[static_cast<std::size_t>(k)] = byAngle[static_cast<std::size_t>(k)].second;
        result.rings.push_back(ring);
    };
    for (int j = jMin + 1; j < jMin + n - 1; ++j) {
        for (int i = iMin + 1; i < iMin + n - 1; ++i) {
            const bool horizontal = ((i + j) % 2 + 2) % 2 == 0;
            const std::size_t a = vertexSlot(i, j, 0);
            if (horizontal) {
                addRing({a, vertexSlot(i + 1, j, 0), vertexSlot(i, j, 1), vertexSlot(i, j, 2), vertexSlot(i, j - 1, 2)});
                addRing({a, vertexSlot(i, j + 1, 0), vertexSlot(i, j, 1), vertexSlot(i - 1, j, 1), vertexSlot(i - 1, j, 2)});
            } else {
                addRing({a, vertexSlot(i + 1, j, 0), vertexSlot(i, j, 1), vertexSlot(i, j - 1, 1), vertexSlot(i, j - 1, 2)});
                addRing({a, vertexSlot(i, j + 1, 0), vertexSlot(i, j, 1), vertexSlot(i, j, 2), vertexSlot(i - 1, j, 2)});
            }
        }
    }

    result.ringPairs = edgeSharingPairs(result.rings);

    // Fill an exact, randomly drawn fraction of the rings with a centre column.
    const std::size_t ringCount = result.rings.size();
    const double wanted = random.uniform(kFilledMin, kFilledMax);
    const std::size_t filledCount = static_cast<std::size_t>(std::llround(wanted * ringCount));
    std::vector<std::size_t> order(ringCount);
    for (std::size_t r = 0; r < ringCount; ++r)
        order[r] = r;
    for (std::size_t k = 0; k < filledCount && k + 1 < ringCount; ++k)
        std::swap(order[k], order[k + static_cast<std::size_t>(random.uniformInt(0, static_cast<int>(ringCount - 1 - k)))]);
    result.ringFilled.assign(ringCount, 0);
    result.ringCentre.assign(ringCount, -1);
    std::vector<std::size_t> filled(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(filledCount));
    std::sort(filled.begin(), filled.end());
    for (std::size_t r : filled) {
        double cx = 0.0, cy = 0.0;
        for (int v : result.rings[r]) {
            cx += result.truth[static_cast<std::size_t>(v)].x / 5.0;
            cy += result.truth[static_cast<std::size_t>(v)].y / 5.0;
        }
        TruthColumn column;
        column.x = std::clamp(cx + kDisplacement * bond * random.normal(), 0.0, last);
        column.y = std::clamp(cy + kDisplacement * bond * random.normal(), 0.0, last);
        column.label = 1;
        column.species = 1;
        column.motif = 1;
        result.ringFilled[r] = 1;
        result.ringCentre[r] = static_cast<int>(result.truth.size());
        result.truth.push_back(column);
    }

    planted.amplitudes.resize(result.truth.size());
    for (std::size_t i = 0; i < result.truth.size(); ++i)
        planted.amplitudes[i] = zContrast(result.truth[i].species == 0 ? 42.0 : 34.0) * (1.0 + 0.03 * random.normal());

    result.labelNames = {"ring vertex", "filled-pentagon centre"};
    result.speciesNames = {"vertex column (Z 42)", "centre column (Z 34)"};
    result.motifNames = result.labelNames;
    result.latticePeriod = period;
    planted.nmPerPixel = 0.25 / period; // a 0.25 nm bond
    planted.metadata.push_back({"Synth.Rings", std::to_string(ringCount)});
    planted.metadata.push_back({"Synth.FilledRings", std::to_string(filledCount)});
    return planted;
}

} // namespace motifscope::synth
