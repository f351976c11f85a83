/** The 2-D classification (core/learn/classification2d.h) on synthetic micrographs with planted truth. */

#include "core/features/patches.h"
#include "core/features/zernike_features.h"
#include "core/image/finite_image.h"
#include "core/learn/class_valley.h"
#include "core/learn/classification2d.h"
#include "core/learn/metrics.h"
#include "core/learn/motifs.h"
#include "core/pipeline/analysis.h"
#include "core/pipeline/motif_learning.h"
#include "core/synth/synth.h"
#include "synth_options.h"

#include "synth_truth_match.h"
#include "test_support.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <map>
#include <numbers>
#include <random>

using namespace motifscope;

namespace {

synth::SynthResult mixedLattice(int size, std::uint64_t seed, double dose, bool noise)
{
    synth::SynthOptions o = test::synthOptions("mixed-lattice", size, seed, dose);
    o.noise = noise;
    return synth::synthesize(o);
}

FloatImage floatImage(const Micrograph& m)
{
    return withFiniteValues(m.pixels.data(), m.width, m.height);
}

/** Pearson correlation of two patches. */
double correlation(const std::vector<float>& a, const std::vector<float>& b)
{
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        ma += a[i], mb += b[i];
    ma /= double(a.size()), mb /= double(b.size());
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        ab += (a[i] - ma) * (b[i] - mb), aa += (a[i] - ma) * (a[i] - ma), bb += (b[i] - mb) * (b[i] - mb);
    return ab / std::sqrt(aa * bb);
}

/**
 * Fourier ring correlation of two size x size patches (means removed), averaged over the rings
 * 1 .. size/2 (cycles per patch): one number for how well `a` reproduces `b` from coarse to fine detail.
 */
double meanFourierRingCorrelation(const std::vector<float>& a, const std::vector<float>& b, int size)
{
    const auto spectrum = [size](const std::vector<float>& p) {
        double mean = 0;
        for (float v : p)
            mean += v;
        mean /= double(p.size());
        std::vector<std::complex<double>> f(p.size());
        for (int ky = 0; ky < size; ++ky)
            for (int kx = 0; kx < size; ++kx) {
                std::complex<double> s = 0;
                for (int y = 0; y < size; ++y)
                    for (int x = 0; x < size; ++x)
                        s += (p[std::size_t(y * size + x)] - mean) *
                             std::polar(1.0, -2.0 * std::numbers::pi * double(kx * x + ky * y) / size);
                f[std::size_t(ky * size + kx)] = s;
            }
        return f;
    };
    const auto fa = spectrum(a), fb = spectrum(b);
    const int rings = size / 2;
    std::vector<std::complex<double>> cross(std::size_t(rings + 1), 0.0);
    std::vector<double> na(std::size_t(rings + 1), 0.0), nb(std::size_t(rings + 1), 0.0);
    for (int ky = 0; ky < size; ++ky)
        for (int kx = 0; kx < size; ++kx) {
            const int fx = kx <= size / 2 ? kx : kx - size, fy = ky <= size / 2 ? ky : ky - size;
            const int ring = int(std::lround(std::hypot(fx, fy)));
            if (ring < 1 || ring > rings)
                continue;
            const std::size_t i = std::size_t(ky * size + kx);
            cross[std::size_t(ring)] += fa[i] * std::conj(fb[i]);
            na[std::size_t(ring)] += std::norm(fa[i]), nb[std::size_t(ring)] += std::norm(fb[i]);
        }
    double sum = 0;
    for (int r = 1; r <= rings; ++r)
        sum += cross[std::size_t(r)].real() / std::sqrt(na[std::size_t(r)] * nb[std::size_t(r)]);
    return sum / rings;
}

/**
 * The noise-free site in the frame of `average`: the mean of the `examples`' patches in the
 * noise-free image, each sampled turned (1-degree steps, either mirror) as the averages' members
 * are, at the turn that matches `average` best (highest correlation). Sampled once from the image
 * like the average itself, so neither side is interpolated twice.
 */
std::vector<float> noiseFreeSiteLike(const std::vector<float>& average, const FloatImage& clean,
                                     const std::vector<synth::TruthColumn>& examples, int size)
{
    std::vector<float> best, mean(average.size()), patch(average.size());
    double bestCorrelation = -2.0;
    for (int mirror = 0; mirror < 2; ++mirror)
        for (int degree = 0; degree < 360; ++degree) {
            std::fill(mean.begin(), mean.end(), 0.0f);
            for (const synth::TruthColumn& t : examples) {
                sampleRotatedPatch(clean, t.x, t.y, size, degree * std::numbers::pi / 180.0, patch.data(), mirror == 1);
                for (std::size_t p = 0; p < patch.size(); ++p)
                    mean[p] += patch[p] / float(examples.size());
            }
            const double c = correlation(mean, average);
            if (c > bestCorrelation)
                bestCorrelation = c, best = mean;
        }
    return best;
}

/** The motif (of `motif`) most of the matched columns of planted site `site` have. */
int motifOfSite(const std::vector<int>& motif, const std::vector<int>& match, const std::vector<synth::TruthColumn>& truth,
                int site)
{
    std::map<int, int> votes;
    for (std::size_t i = 0; i < motif.size(); ++i)
        if (match[i] >= 0 && truth[std::size_t(match[i])].motif == site && !truth[std::size_t(match[i])].nearBoundary)
            ++votes[motif[i]];
    int best = -1, most = 0;
    for (const auto& [m, v] : votes)
        if (v > most)
            most = v, best = m;
    return best;
}

} // namespace

class TestClassification2d : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void posesRegisterPatches();
    void lowDoseClassesAndAverages_data();
    void lowDoseClassesAndAverages();
    void valleyBetweenModes();
    void siteCutInTwoBecomesOne();
};

/**
 * One site type of the noise-free mixed lattice (the honeycomb's light site: three-fold, so a
 * wrong mirror or turning sense would show), in grains at different angles: laid on each other by
 * the classification's poses (sampleRotatedPatch with its angle and mirror), the columns' patches
 * agree (correlation with their mean > 0.98), far better than unturned and at least as well as
 * turned by their Zernike orientation.
 */
void TestClassification2d::posesRegisterPatches()
{
    const synth::SynthResult scene = mixedLattice(768, 3, 200.0, false);
    const FloatImage image = floatImage(scene.image);
    AtomColumns columns;
    for (const synth::TruthColumn& t : scene.truth)
        if (t.motif == 1 && !t.nearBoundary) { // the honeycomb's light sites (3-fold, not 2-fold)
            AtomColumn c;
            c.x = t.x, c.y = t.y;
            if (patchInside(image, c.x, c.y, 25))
                columns.push_back(c);
        }
    QVERIFY(columns.size() > 100);
    FeatureParams fp;
    const FeatureSet features = computeFeatures(image, columns, 25, fp);
    const std::vector<int> labels(columns.size(), 0);
    const Classification2D c = classify2d(*features.basis, features.moments, labels);
    QCOMPARE(c.classes, 1);
    const auto meanAgreement = [&](int posed) { // 0 unturned, 1 the classification's pose, 2 the orientation
        std::vector<std::vector<float>> patches(columns.size(), std::vector<float>(25 * 25));
        std::vector<float> mean(25 * 25, 0.0f);
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const double angle = posed == 1 ? c.angle[i] : posed == 2 ? features.orientation[i] : 0.0;
            sampleRotatedPatch(image, columns[i].x, columns[i].y, 25, angle, patches[i].data(), posed == 1 && c.mirrored[i]);
            for (std::size_t p = 0; p < mean.size(); ++p)
                mean[p] += patches[i][p] / float(columns.size());
        }
        double sum = 0;
        for (const auto& p : patches)
            sum += correlation(p, mean);
        return sum / double(columns.size());
    };
    const double posed = meanAgreement(1), unturned = meanAgreement(0), oriented = meanAgreement(2);
    qInfo("%zu columns: correlation with their mean %.4f posed, %.4f unturned, %.4f turned by their orientation",
          columns.size(), posed, unturned, oriented);
    QVERIFY2(posed > 0.98, qPrintable(QString::number(posed)));
    QVERIFY(posed > unturned + 0.1);
    QVERIFY(posed >= oriented);
    for (float p : c.posterior)
        QCOMPARE(p, 1.0f);
}

void TestClassification2d::lowDoseClassesAndAverages_data()
{
    QTest::addColumn<int>("seed");
    QTest::newRow("seed 1") << 1;
    QTest::newRow("seed 3") << 3;
}

/**
 * Mixed lattice at dose 5 (a bright column peaks at 5 counts), 1024^2. The map's classes alone
 * score ARI 0.976-0.983 against the planted site types here; after the 2-D classification 0.996.
 * Its class averages are closer to the noise-free sites (mean Fourier ring correlation) than plain
 * averages of the same columns registered by their Zernike orientation: square 0.81 -> 0.95-0.97,
 * centred rectangular 0.63-0.81 -> 0.98, the honeycomb's sites within 0.02 (0.97-0.99). Its
 * posterior is a confidence: columns it puts in the wrong motif have a lower mean confidence
 * (0.93) than the right ones (1.00).
 */
void TestClassification2d::lowDoseClassesAndAverages()
{
    QFETCH(int, seed);
    const synth::SynthResult scene = mixedLattice(1024, std::uint64_t(seed), 5.0, true);
    const synth::SynthResult clean = mixedLattice(1024, std::uint64_t(seed), 5.0, false);
    const AnalysisResult base = analyzeMicrograph(scene.image, AnalysisParams{});
    const AtomColumns& columns = base.detection.columns;
    const FloatImage image = floatImage(scene.image), cleanImage = floatImage(clean.image);
    MotifLearningParams params;
    params.refineClasses = false;
    const MotifLearning plain = learnColumnMotifs(image, columns, params);
    params.refineClasses = true;
    const MotifLearning refined = learnColumnMotifs(image, columns, params);

    const double radius = 0.25 * scene.latticePeriod;
    const test::MotifTruthPairs before = test::pairWithTruth(columns, plain.motif, scene.truth, radius);
    const test::MotifTruthPairs after = test::pairWithTruth(columns, refined.motif, scene.truth, radius);
    const double ariBefore = adjustedRandIndex(before.found, before.site);
    const double ariAfter = adjustedRandIndex(after.found, after.site);
    qInfo("%zu columns (%zu truth), motifs %zu -> %zu, %d learned columns changed; site ARI %.4f -> %.4f",
          columns.size(), scene.truth.size(), plain.motifs.size(), refined.motifs.size(), refined.refinedChanged,
          ariBefore, ariAfter);

    // Averages against the noise-free site (its columns' patches in the noise-free image): the
    // classification's averages and plain ones of the same columns, registered by their Zernike orientation.
    const std::vector<int> match = test::matchTruth(columns, scene.truth, radius);
    const int size = refined.patchSize;
    std::vector<int> learned(columns.size(), -1);
    for (std::size_t i = 0; i < columns.size(); ++i)
        learned[i] = refined.refined[i] ? refined.motif[i] : -1;
    const std::vector<Motif> plainAverages = summariseMotifs(image, columns, refined.features.orientation, learned, size);
    double gain = 0;
    int sites = 0;
    for (int site = 0; site < int(scene.motifNames.size()); ++site) {
        const int b = motifOfSite(refined.motif, match, scene.truth, site);
        std::size_t example = scene.truth.size();
        for (std::size_t t = 0; t < scene.truth.size() && example == scene.truth.size(); ++t)
            if (scene.truth[t].motif == site && !scene.truth[t].nearBoundary &&
                patchInside(cleanImage, scene.truth[t].x, scene.truth[t].y, size))
                example = t;
        if (b < 0 || example == scene.truth.size())
            continue;
        // Up to 20 of the site's columns in the example's grain (one orientation; their mean
        // smooths the scan-row jitter).
        std::vector<synth::TruthColumn> examples;
        for (const synth::TruthColumn& t : scene.truth)
            if (t.motif == site && t.grain == scene.truth[example].grain && !t.nearBoundary &&
                patchInside(cleanImage, t.x, t.y, size) && examples.size() < 20)
                examples.push_back(t);
        const std::vector<float>& plainAverage = plainAverages[std::size_t(b)].averagePatch;
        const std::vector<float>& refinedAverage = refined.motifs[std::size_t(b)].averagePatch;
        const double frcPlain =
            meanFourierRingCorrelation(plainAverage, noiseFreeSiteLike(plainAverage, cleanImage, examples, size), size);
        const double frcRefined =
            meanFourierRingCorrelation(refinedAverage, noiseFreeSiteLike(refinedAverage, cleanImage, examples, size), size);
        qInfo("site %d (%s): mean FRC with the noise-free site %.3f plain, %.3f refined", site,
              scene.motifNames[std::size_t(site)].c_str(), frcPlain, frcRefined);
        gain += frcRefined - frcPlain;
        ++sites;
        QVERIFY2(frcRefined > frcPlain - 0.03, qPrintable(QString::number(frcRefined - frcPlain)));
    }
    QVERIFY(sites >= 3);

    // Confidence of the columns in the right and in the wrong motif (the site's majority motif).
    std::map<int, int> siteMotif;
    for (int site = 0; site < int(scene.motifNames.size()); ++site)
        siteMotif[site] = motifOfSite(refined.motif, match, scene.truth, site);
    double right = 0, wrong = 0, expectedWrong = 0;
    int rights = 0, wrongs = 0;
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (refined.refined[i] && match[i] >= 0 && !scene.truth[std::size_t(match[i])].nearBoundary) {
            const bool ok = refined.motif[i] == siteMotif[scene.truth[std::size_t(match[i])].motif];
            (ok ? right : wrong) += refined.confidence[i];
            ++(ok ? rights : wrongs);
            expectedWrong += 1.0 - refined.confidence[i];
        }
    qInfo("confidence: %.3f on %d right columns, %.3f on %d wrong ones (%.1f wrong expected from the posteriors); "
          "mean FRC gain %.3f", right / std::max(1, rights), rights, wrong / std::max(1, wrongs), wrongs, expectedWrong,
          gain / sites);

    QVERIFY2(ariAfter >= 0.99, qPrintable(QString::number(ariAfter)));
    QVERIFY2(ariAfter > ariBefore, qPrintable(QStringLiteral("%1 -> %2").arg(ariBefore).arg(ariAfter)));
    QVERIFY2(gain / sites > 0.05, qPrintable(QString::number(gain / sites)));
    QVERIFY(wrongs > 0);
    // Only 6-8 columns are wrong here, so one of them moves their mean confidence by 0.01-0.1 (main:
    // 0.93 on 7 at seed 1; 60-epoch layout: 0.98 on 6, with the site ARI 0.996 -> 0.997): asserted is
    // that the wrong columns are the less confident ones, not by how much.
    QVERIFY2(wrong / wrongs < right / rights,
             qPrintable(QStringLiteral("%1 vs %2").arg(wrong / wrongs).arg(right / rights)));
}

/**
 * oddsValley on samples of known shape: two separate modes give a deep valley, one mode cut
 * anywhere gives none, a side with too few members cannot be judged, and the standard error
 * shrinks as the sample grows.
 */
void TestClassification2d::valleyBetweenModes()
{
    std::mt19937 random(7);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> twoModes, oneModeCut;
    for (int i = 0; i < 3000; ++i) {
        twoModes.push_back(normal(random) + (i % 3 == 0 ? 6.0f : -6.0f)); // 1,000 at +6, 2,000 at -6
        oneModeCut.push_back(normal(random) - 0.5f);                    // 31% of one mode beyond 0
    }
    const double separate = oddsValley(twoModes).ratio, continuous = oddsValley(oneModeCut).ratio;
    qInfo("valley: %.3f between two modes 12 sd apart, %.3f within one mode cut at +0.5 sd", separate, continuous);
    QVERIFY2(separate < 0.05, qPrintable(QString::number(separate)));
    QVERIFY2(continuous > 0.8, qPrintable(QString::number(continuous)));
    // Modes 3 sd apart (a shallow valley) lie between the two.
    std::vector<float> overlapping;
    for (int i = 0; i < 3000; ++i)
        overlapping.push_back(normal(random) + (i % 2 ? 1.5f : -1.5f));
    const double shallow = oddsValley(overlapping).ratio;
    QVERIFY2(shallow > separate && shallow < continuous, qPrintable(QString::number(shallow)));
    QCOMPARE(oddsValley({-1.0f, -2.0f, -3.0f, -4.0f, -5.0f, -6.0f, 1.0f, 2.0f}).ratio, 0.0);
    // The same cut mode from 100 columns: a ratio as uncertain as it is, within 0.3 of the truth's.
    const OddsValley few = oddsValley(std::vector<float>(oneModeCut.begin(), oneModeCut.begin() + 100));
    const OddsValley many = oddsValley(oneModeCut);
    qInfo("cut mode: ratio %.3f +- %.3f from 100 columns, %.3f +- %.3f from 3,000", few.ratio, few.standardError,
          many.ratio, many.standardError);
    QVERIFY(few.standardError > 2.0 * many.standardError);
    QVERIFY(many.standardError < 0.1);
}

/**
 * Two site types, the first started as two classes of alternate columns, as the map hands over
 * a site cut in two: the classification ends with the two sites. Without the continuum test (continuumValley 0) it keeps the arbitrary three.
 */
void TestClassification2d::siteCutInTwoBecomesOne()
{
    const synth::SynthResult scene = mixedLattice(768, 3, 200.0, true);
    const FloatImage image = floatImage(scene.image);
    const int patch = 25;
    AtomColumns columns;
    std::vector<int> site, start;
    for (const synth::TruthColumn& t : scene.truth)
        if ((t.motif == 0 || t.motif == 2) && !t.nearBoundary && patchInside(image, t.x, t.y, patch)) {
            AtomColumn c;
            c.x = t.x, c.y = t.y;
            columns.push_back(c);
            site.push_back(t.motif);
            start.push_back(t.motif == 2 ? 2 : int(columns.size() % 2));
        }
    QVERIFY(std::count(start.begin(), start.end(), 0) > 100 && std::count(start.begin(), start.end(), 1) > 100);
    const FeatureSet features = computeFeatures(image, columns, patch, FeatureParams{});
    const auto classesOf = [&](const Classification2D& c) {
        std::vector<int> used(std::size_t(c.classes), 0);
        for (int l : c.labels)
            used[std::size_t(l)] = 1;
        return std::count(used.begin(), used.end(), 1);
    };
    const Classification2D merged = classify2d(*features.basis, features.moments, start);
    Classification2DParams keepAll;
    keepAll.continuumValley = 0.0;
    const Classification2D kept = classify2d(*features.basis, features.moments, start, keepAll);
    const double ariMerged = adjustedRandIndex(merged.labels, site), ariKept = adjustedRandIndex(kept.labels, site);
    qInfo("%zu columns; with the continuum test %ld classes, ARI %.4f; without %ld classes, ARI %.4f", columns.size(),
          long(classesOf(merged)), ariMerged, long(classesOf(kept)), ariKept);
    QCOMPARE(classesOf(merged), 2);
    QVERIFY2(ariMerged > 0.99, qPrintable(QString::number(ariMerged)));
    QCOMPARE(classesOf(kept), 3);
}

QTEST_GUILESS_MAIN(TestClassification2d)
#include "test_classification2d.moc"
