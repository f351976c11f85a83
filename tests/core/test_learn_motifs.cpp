/** Motifs learned from Zernike features of rendered lattices, and the motif summaries. */

#include "core/features/zernike_features.h"
#include "core/learn/learner.h"
#include "core/learn/metrics.h"
#include "core/learn/motifs.h"
#include "core/synth/render.h"

#include "test_support.h"

#include <random>
#include <set>

using namespace motifscope;

namespace {

/** A micrograph of Voronoi grains of three lattices and the truth for every column. */
struct GrainImage
{
    FloatImage image;
    AtomColumns columns;
    std::vector<int> motif;          ///< 0 square, 1 hexagonal, 2 honeycomb bright site, 3 honeycomb dim site
    std::vector<double> boundaryGap; ///< distance to the nearest grain boundary, pixels
};

GrainImage renderGrains(int size, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    struct Grain
    {
        double x, y, angle;
        int kind;
    };
    std::vector<Grain> grains;
    for (int t = 0; t < 6; ++t)
        grains.push_back({size * (0.15 + 0.7 * u(rng)), size * (0.15 + 0.7 * u(rng)), 6.2831853 * u(rng), t % 3});
    auto nearest = [&](double x, double y, double& gap) {
        int best = 0;
        double bestD = 1e300;
        for (std::size_t g = 0; g < grains.size(); ++g) {
            const double d = std::hypot(x - grains[g].x, y - grains[g].y);
            if (d < bestD) {
                bestD = d;
                best = int(g);
            }
        }
        gap = 1e300;
        for (std::size_t g = 0; g < grains.size(); ++g) {
            if (int(g) == best)
                continue;
            const double sx = grains[g].x - grains[std::size_t(best)].x, sy = grains[g].y - grains[std::size_t(best)].y;
            const double len = std::hypot(sx, sy);
            const double p2 = std::pow(x - grains[g].x, 2) + std::pow(y - grains[g].y, 2);
            const double p1 = std::pow(x - grains[std::size_t(best)].x, 2) + std::pow(y - grains[std::size_t(best)].y, 2);
            gap = std::min(gap, (p2 - p1) / (2 * len));
        }
        return best;
    };
    GrainImage out;
    std::vector<synth::RenderColumn> render;
    for (std::size_t g = 0; g < grains.size(); ++g) {
        const Grain& grain = grains[g];
        // Lattice vectors and basis (offset, amplitude, motif) of each kind.
        double a1x, a1y, a2x, a2y;
        std::vector<std::tuple<double, double, double, int>> basis;
        if (grain.kind == 0) {
            a1x = 12, a1y = 0, a2x = 0, a2y = 12;
            basis = {{0, 0, 1.0, 0}};
        } else if (grain.kind == 1) {
            a1x = 13, a1y = 0, a2x = 6.5, a2y = 13 * 0.8660254;
            basis = {{0, 0, 1.0, 1}};
        } else {
            a1x = 18, a1y = 0, a2x = 9, a2y = 18 * 0.8660254;
            basis = {{0, 0, 1.0, 2}, {(a1x + a2x) / 3, (a1y + a2y) / 3, 0.45, 3}};
        }
        const double c = std::cos(grain.angle), s = std::sin(grain.angle);
        const int reach = size / 6 + 4;
        for (int i = -reach; i <= reach; ++i)
            for (int j = -reach; j <= reach; ++j)
                for (const auto& [bx, by, amplitude, motif] : basis) {
                    const double lx = i * a1x + j * a2x + bx, ly = i * a1y + j * a2y + by;
                    const double x = grain.x + c * lx - s * ly, y = grain.y + s * lx + c * ly;
                    if (x < 0 || y < 0 || x > size - 1 || y > size - 1)
                        continue;
                    double gap;
                    if (nearest(x, y, gap) != int(g))
                        continue;
                    render.push_back({x, y, amplitude});
                    out.columns.push_back(AtomColumn{x, y});
                    out.motif.push_back(motif);
                    out.boundaryGap.push_back(gap);
                }
    }
    synth::RenderSettings settings;
    settings.width = settings.height = size;
    settings.sigma = 1.8;
    settings.dose = 60.0;
    settings.seed = seed;
    out.image = FloatImage(size, size);
    const std::vector<float> pixels = synth::renderColumns(render, synth::BackgroundField::flat(0.05), settings);
    out.image.data.assign(pixels.begin(), pixels.end());
    return out;
}

} // namespace

class TestLearnMotifs : public QObject
{
    Q_OBJECT

private slots:
    void palette()
    {
        std::set<std::string> colours;
        for (int i = 0; i < 16; ++i) {
            const std::string c = motifColour(i);
            QCOMPARE(c.size(), std::size_t(7));
            QCOMPARE(c[0], '#');
            colours.insert(c);
        }
        QCOMPARE(colours.size(), std::size_t(16));
        QCOMPARE(motifColour(0), std::string("#e69f00"));
    }

    void learnsLatticesFromRenderedGrains()
    {
        const int period = 14;
        const GrainImage g = renderGrains(1024, 21);
        const int patch = 2 * period + 1;
        const FeatureSet features = computeFeatures(g.image, g.columns, patch, FeatureParams{});
        QCOMPARE(int(features.invariants.cols()), 36);
        LearnParams p; // automatic class count, segmentation
        const LearnResult r = learnMotifs(features.invariants, p);
        std::vector<int> found, truth;
        for (std::size_t i = 0; i < g.columns.size(); ++i)
            if (features.inside[i] && g.boundaryGap[i] >= 1.5 * period) {
                found.push_back(r.labels[i]);
                truth.push_back(g.motif[i]);
            }
        QVERIFY(truth.size() > 2000);
        const double ari = adjustedRandIndex(found, truth);
        qInfo("%zu columns, %zu scored, %d classes, ARI %.4f", g.columns.size(), truth.size(), r.classes, ari);
        QVERIFY2(ari >= 0.95, qPrintable(QString::number(ari)));

        // Motif summaries of the result: counts add up, registered averages have the bright centre.
        const std::vector<Motif> motifs = summariseMotifs(g.image, g.columns, features.orientation, r.labels, patch);
        QCOMPARE(int(motifs.size()), r.classes);
        long long total = 0;
        double fractions = 0;
        for (const Motif& m : motifs) {
            total += m.count;
            fractions += m.fraction;
            QCOMPARE(int(m.averagePatch.size()), patch * patch);
            const float centre = m.averagePatch[std::size_t(patch * patch / 2)];
            QVERIFY(centre > m.averagePatch[0]); // a column at the centre, background at the corner
        }
        QCOMPARE(total, (long long)g.columns.size());
        QVERIFY(std::abs(fractions - 1.0) < 1e-9);
    }

    void averagePatchOfKnownImage()
    {
        // Columns on a flat image with one bright pixel right of each: registered average is exact.
        FloatImage image(64, 64, 0.0f);
        AtomColumns columns;
        for (int y = 10; y < 60; y += 20)
            for (int x = 10; x < 60; x += 20) {
                image.at(x, y) = 4.0f;
                image.at(x + 2, y) = 2.0f;
                columns.push_back(AtomColumn{double(x), double(y)});
            }
        const std::vector<int> labels = {0, 0, 0, 1, 1, 1, 0, 0, -1};
        const std::vector<Motif> motifs = summariseMotifs(image, columns, std::vector<float>{}, labels, 7);
        QCOMPARE(int(motifs.size()), 2);
        QCOMPARE(motifs[0].count, 5LL);
        QCOMPARE(motifs[1].count, 3LL);
        QVERIFY(std::abs(motifs[0].fraction - 5.0 / 8.0) < 1e-12);
        QCOMPARE(motifs[0].averagePatch[3 * 7 + 3], 4.0f);
        QCOMPARE(motifs[0].averagePatch[3 * 7 + 5], 2.0f);
        QCOMPARE(motifs[1].colour, motifColour(1));
        // Rotated by 90 degrees the side pixel moves from the right to the top or bottom.
        const std::vector<float> quarter(columns.size(), float(M_PI / 2));
        const std::vector<Motif> turned = summariseMotifs(image, columns, quarter, labels, 7);
        QVERIFY(std::abs(turned[0].averagePatch[3 * 7 + 5]) < 1e-4f);
        QVERIFY(std::abs(turned[0].averagePatch[1 * 7 + 3] + turned[0].averagePatch[5 * 7 + 3] - 2.0f) < 1e-4f);
    }
};

QTEST_GUILESS_MAIN(TestLearnMotifs)
#include "test_learn_motifs.moc"
