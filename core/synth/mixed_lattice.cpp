// "mixed-lattice": Voronoi grains, each one of three lattice kinds at a random rotation and offset.
//
// Kinds (all with nearest-neighbour spacing = period p, so one patch size fits all):
//   0 hexagonal: a 2H-like honeycomb (MoSe2 seen from the top), heavy and light columns alternating;
//   1 square: one heavy species;
//   2 centred rectangular: a 1.2p x 1.6p cell with a column at its corners and centre, one
//     medium-Z species (every column has four neighbours at p, two at 1.2p, two at 1.6p).
// So the three lattices hold four site types (motifs): hexagonal heavy, hexagonal light, square,
// centred rectangular.
//
// Grains come from seeds on a jittered grid (about 16 periods apart). Kinds are dealt out so that
// the three kinds get nearly equal areas. A column closer than 0.6 p to an already kept column of
// another grain is dropped, so grain boundaries never hold overlapping columns.
#include "core/synth/presets.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace motifscope::synth {

namespace {

constexpr double kGrainPeriods = 16.0;   ///< seed spacing in periods
constexpr double kDropDistance = 0.6;    ///< periods
constexpr double kBoundaryDistance = 1.5;
constexpr double kAmplitudeSpread = 0.03; ///< relative column-to-column brightness scatter

/** A point or vector in pixels. */
struct Vec
{
    double x = 0.0;
    double y = 0.0;
};

LatticeKind mixedLatticeKind(int kind)
{
    const double r3 = std::sqrt(3.0);
    switch (kind) {
    case 0:
        return {{r3, 0.0}, {r3 / 2.0, 1.5}, {{0.0, 0.0, 0, 0}, {1.0 / 3.0, 1.0 / 3.0, 1, 1}}};
    case 1:
        return {{1.0, 0.0}, {0.0, 1.0}, {{0.0, 0.0, 0, 2}}};
    default:
        return {{1.2, 0.0}, {0.0, 1.6}, {{0.0, 0.0, 2, 3}, {0.5, 0.5, 2, 3}}};
    }
}

/** Points bucketed in square cells, for neighbour queries. */
class PointGrid
{
public:
    PointGrid(double extent, double cell) : mCell(cell), mSide(std::max(1, static_cast<int>(extent / cell) + 3)) {}

    void insert(int index, Vec p) { mCells[key(p)].push_back(index); }

    /** Calls visit(index) for every inserted point in the cells overlapping the disc (p, radius). */
    template <typename Visit> void near(Vec p, double radius, Visit&& visit) const
    {
        const int cx0 = clampCell(std::floor((p.x - radius) / mCell) + 1);
        const int cx1 = clampCell(std::floor((p.x + radius) / mCell) + 1);
        const int cy0 = clampCell(std::floor((p.y - radius) / mCell) + 1);
        const int cy1 = clampCell(std::floor((p.y + radius) / mCell) + 1);
        for (int cy = cy0; cy <= cy1; ++cy)
            for (int cx = cx0; cx <= cx1; ++cx)
                for (int index : mCells[static_cast<std::size_t>(cy) * mSide + cx])
                    visit(index);
    }

private:
    int clampCell(double c) const { return std::clamp(static_cast<int>(c), 0, mSide - 1); }
    std::size_t key(Vec p) const
    {
        return static_cast<std::size_t>(clampCell(std::floor(p.y / mCell) + 1)) * mSide
            + clampCell(std::floor(p.x / mCell) + 1);
    }

    double mCell;
    int mSide;
    std::vector<std::vector<int>> mCells = std::vector<std::vector<int>>(static_cast<std::size_t>(mSide) * mSide);
};

/** Grain seeds on a jittered n x n grid; nearest-seed queries search outward ring by ring. */
class GrainSeeds
{
public:
    GrainSeeds(int size, int perSide, Random& random) : mPerSide(perSide), mCell(double(size) / perSide)
    {
        for (int gy = 0; gy < perSide; ++gy)
            for (int gx = 0; gx < perSide; ++gx)
                mSeeds.push_back({(gx + random.uniform(0.15, 0.85)) * mCell, (gy + random.uniform(0.15, 0.85)) * mCell});
    }

    int count() const { return static_cast<int>(mSeeds.size()); }
    Vec seed(int i) const { return mSeeds[static_cast<std::size_t>(i)]; }

    /** Index of the nearest seed (lowest index on an exact tie). */
    int nearest(Vec p) const
    {
        const int cx = std::clamp(static_cast<int>(std::floor(p.x / mCell)), 0, mPerSide - 1);
        const int cy = std::clamp(static_cast<int>(std::floor(p.y / mCell)), 0, mPerSide - 1);
        int best = -1;
        double bestD2 = 0.0;
        for (int ring = 0; ring < mPerSide; ++ring) {
            for (int gy = cy - ring; gy <= cy + ring; ++gy) {
                for (int gx = cx - ring; gx <= cx + ring; ++gx) {
                    if (std::max(std::abs(gx - cx), std::abs(gy - cy)) != ring)
                        continue;
                    if (gx < 0 || gy < 0 || gx >= mPerSide || gy >= mPerSide)
                        continue;
                    const int i = gy * mPerSide + gx;
                    const double dx = p.x - mSeeds[i].x, dy = p.y - mSeeds[i].y;
                    const double d2 = dx * dx + dy * dy;
                    if (best < 0 || d2 < bestD2 || (d2 == bestD2 && i < best)) {
                        best = i;
                        bestD2 = d2;
                    }
                }
            }
            // Seeds beyond this ring are at least ring cells away (p may sit at its cell's edge).
            const double reach = ring * mCell;
            if (best >= 0 && bestD2 < reach * reach)
                break;
        }
        return best;
    }

private:
    int mPerSide;
    double mCell;
    std::vector<Vec> mSeeds;
};

/** An axis-aligned bounding box that grows as points are added. */
struct Box
{
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    void add(double x, double y, double margin)
    {
        x0 = std::min(x0, x - margin);
        y0 = std::min(y0, y - margin);
        x1 = std::max(x1, x + margin);
        y1 = std::max(y1, y + margin);
    }
};

} // namespace

Planted plantGrains(const SynthOptions& options, double period, Random& random, const GrainSpec& spec)
{
    const int size = options.size;
    const double last = size - 1.0; // columns lie in [0, size - 1] on both axes
    const int perSide = std::max(2, static_cast<int>(std::lround(size / (spec.grainPeriods * period))));
    const GrainSeeds seeds(size, perSide, random);
    const int grainCount = seeds.count();

    // A coarse map of the grains: their areas (to deal out kinds) and bounding boxes.
    const double step = period / 2.0;
    const int steps = static_cast<int>(std::ceil(size / step));
    std::vector<double> area(static_cast<std::size_t>(grainCount), 0.0);
    std::vector<Box> boxes(static_cast<std::size_t>(grainCount));
    for (int j = 0; j < steps; ++j) {
        for (int i = 0; i < steps; ++i) {
            const Vec p{(i + 0.5) * step, (j + 0.5) * step};
            const int g = seeds.nearest(p);
            area[static_cast<std::size_t>(g)] += 1.0;
            boxes[static_cast<std::size_t>(g)].add(p.x, p.y, 2.0 * step);
        }
    }

    // Deal kinds: largest grain first, each to the kind with the least area so far.
    const int kindCount = static_cast<int>(spec.kinds.size());
    std::vector<int> kindOrder(static_cast<std::size_t>(kindCount));
    for (int k = 0; k < kindCount; ++k)
        kindOrder[static_cast<std::size_t>(k)] = k;
    for (int i = kindCount - 1; i > 0; --i)
        std::swap(kindOrder[static_cast<std::size_t>(i)], kindOrder[static_cast<std::size_t>(random.uniformInt(0, i))]);
    std::vector<int> byArea(static_cast<std::size_t>(grainCount));
    for (int g = 0; g < grainCount; ++g)
        byArea[static_cast<std::size_t>(g)] = g;
    std::stable_sort(byArea.begin(), byArea.end(), [&](int a, int b) { return area[a] > area[b]; });
    std::vector<int> grainKind(static_cast<std::size_t>(grainCount), 0);
    std::vector<double> kindArea(static_cast<std::size_t>(kindCount), 0.0);
    for (int g : byArea) {
        int pick = kindOrder[0];
        for (int k : kindOrder)
            if (kindArea[k] < kindArea[pick])
                pick = k;
        grainKind[static_cast<std::size_t>(g)] = pick;
        kindArea[pick] += area[static_cast<std::size_t>(g)];
    }

    // Fill each grain with its lattice; keep a column unless one of another grain is too close.
    Planted planted;
    SynthResult& result = planted.result;
    PointGrid grid(size, period);
    const double drop2 = spec.dropDistance * period * spec.dropDistance * period;
    for (int g = 0; g < grainCount; ++g) {
        const int kind = grainKind[static_cast<std::size_t>(g)];
        const LatticeKind& lattice = spec.kinds[static_cast<std::size_t>(kind)];
        const double angle = random.uniform(0.0, 2.0 * std::numbers::pi);
        const double c = std::cos(angle) * period, s = std::sin(angle) * period;
        const Vec a1{c * lattice.a1.x - s * lattice.a1.y, s * lattice.a1.x + c * lattice.a1.y};
        const Vec a2{c * lattice.a2.x - s * lattice.a2.y, s * lattice.a2.x + c * lattice.a2.y};
        const double u1 = random.uniform(), u2 = random.uniform();
        const Vec origin{seeds.seed(g).x + u1 * a1.x + u2 * a2.x, seeds.seed(g).y + u1 * a1.y + u2 * a2.y};

        // Lattice index range covering the grain's box.
        const Box& box = boxes[static_cast<std::size_t>(g)];
        if (box.x0 > box.x1)
            continue; // no coarse sample fell in this grain: it is too small to hold columns
        const double det = a1.x * a2.y - a1.y * a2.x;
        double n1Min = 1e300, n1Max = -1e300, n2Min = 1e300, n2Max = -1e300;
        for (const Vec corner : {Vec{box.x0, box.y0}, Vec{box.x1, box.y0}, Vec{box.x0, box.y1}, Vec{box.x1, box.y1}}) {
            const double dx = corner.x - origin.x, dy = corner.y - origin.y;
            const double n1 = (dx * a2.y - dy * a2.x) / det;
            const double n2 = (a1.x * dy - a1.y * dx) / det;
            n1Min = std::min(n1Min, n1);
            n1Max = std::max(n1Max, n1);
            n2Min = std::min(n2Min, n2);
            n2Max = std::max(n2Max, n2);
        }
        for (int n2 = static_cast<int>(std::floor(n2Min)) - 1; n2 <= static_cast<int>(std::ceil(n2Max)); ++n2) {
            for (int n1 = static_cast<int>(std::floor(n1Min)) - 1; n1 <= static_cast<int>(std::ceil(n1Max)); ++n1) {
                for (const BasisAtom& atom : lattice.atoms) {
                    const double f1 = n1 + atom.f1, f2 = n2 + atom.f2;
                    const Vec p{origin.x + f1 * a1.x + f2 * a2.x, origin.y + f1 * a1.y + f2 * a2.y};
                    if (p.x < 0.0 || p.y < 0.0 || p.x > last || p.y > last)
                        continue;
                    if (p.x < box.x0 || p.x > box.x1 || p.y < box.y0 || p.y > box.y1)
                        continue;
                    if (seeds.nearest(p) != g)
                        continue;
                    bool clash = false;
                    grid.near(p, spec.dropDistance * period, [&](int other) {
                        const TruthColumn& o = result.truth[static_cast<std::size_t>(other)];
                        const double dx = o.x - p.x, dy = o.y - p.y;
                        if (o.grain != g && dx * dx + dy * dy < drop2)
                            clash = true;
                    });
                    if (clash)
                        continue;
                    TruthColumn column;
                    column.x = p.x;
                    column.y = p.y;
                    column.label = kind;
                    column.species = atom.species;
                    column.motif = atom.motif;
                    column.grain = g;
                    grid.insert(static_cast<int>(result.truth.size()), p);
                    result.truth.push_back(column);
                }
            }
        }
    }

    // Flag columns near another grain; give every column its brightness.
    const double near2 = kBoundaryDistance * period * kBoundaryDistance * period;
    planted.amplitudes.resize(result.truth.size());
    for (std::size_t i = 0; i < result.truth.size(); ++i) {
        TruthColumn& column = result.truth[i];
        grid.near({column.x, column.y}, kBoundaryDistance * period, [&](int other) {
            const TruthColumn& o = result.truth[static_cast<std::size_t>(other)];
            const double dx = o.x - column.x, dy = o.y - column.y;
            if (o.grain != column.grain && dx * dx + dy * dy <= near2)
                column.nearBoundary = true;
        });
        planted.amplitudes[i] = spec.speciesPeak[static_cast<std::size_t>(column.species)]
            * (1.0 + spec.amplitudeSpread * random.normal());
    }
    planted.metadata.push_back({"Synth.Grains", std::to_string(grainCount)});
    return planted;
}

Planted plantMixedLattice(const SynthOptions& options, double period, Random& random)
{
    GrainSpec spec;
    spec.kinds = {mixedLatticeKind(0), mixedLatticeKind(1), mixedLatticeKind(2)};
    spec.speciesPeak = {zContrast(42.0), zContrast(26.0), zContrast(34.0)};
    spec.grainPeriods = kGrainPeriods;
    spec.dropDistance = kDropDistance;
    spec.amplitudeSpread = kAmplitudeSpread;
    Planted planted = plantGrains(options, period, random, spec);
    SynthResult& result = planted.result;

    result.labelNames = {"hexagonal (2 species)", "square", "centred rectangular"};
    result.speciesNames = {"heavy (Z 42)", "light (Z 26)", "medium (Z 34)"};
    result.motifNames = {"hexagonal, heavy site", "hexagonal, light site", "square", "centred rectangular"};
    result.latticePeriod = period;
    planted.nmPerPixel = 0.32 / period; // a 0.32 nm column spacing
    return planted;
}

} // namespace motifscope::synth
