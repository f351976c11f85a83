/**
 * The finite copy of a micrograph (core/image): what it holds, and that one analysis makes it once.
 * Detection, analysis, learning and classification take it as a FloatImage; their Micrograph
 * entries convert once and give the same result.
 */

#include "core/detect/column_detector.h"
#include "core/dictionary/class_model.h"
#include "core/dictionary/dictionary_learn.h"
#include "core/dictionary/frame_classify.h"
#include "core/image/finite_image.h"
#include "core/pipeline/full_analysis.h"
#include "core/synth/synth.h"

#include "synth_options.h"
#include "test_support.h"

#include <cmath>
#include <limits>

using namespace motifscope;

namespace {

/** A few dead pixels (NaN, inf) scattered over the image, away from nothing in particular. */
void plantNonFinite(Micrograph& image)
{
    const float bad[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                         -std::numeric_limits<float>::infinity()};
    for (int k = 0; k < 30; ++k)
        image.pixels[(std::size_t(k) * 7919u * 104729u) % image.pixels.size()] = bad[k % 3];
}

/** The columns are the same to the last bit. */
void compareColumns(const AtomColumns& a, const AtomColumns& b)
{
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].x, b[i].x);
        QCOMPARE(a[i].y, b[i].y);
        QCOMPARE(a[i].intensity, b[i].intensity);
    }
}

} // namespace

class TestFiniteImage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nonFinitePixelsTakeTheMedian();
    void takingTheCopyReleasesTheFilesPixels();
    void periodOnTheFiniteCopyMatchesTheMicrograph();
    void analysisMakesOneCopyAndMatchesTheMicrographEntry();
    void dictionaryLearnAndClassifyMakeOneCopyPerFrame();
};

void TestFiniteImage::nonFinitePixelsTakeTheMedian()
{
    Micrograph m;
    m.width = 3;
    m.height = 2;
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    m.pixels = {1.0f, nan, 5.0f, inf, 3.0f, -inf};
    const std::uint64_t before = finiteCopiesMade();
    const FloatImage f = withFiniteValues(m);
    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(1));
    QCOMPARE(f.width, 3);
    QCOMPARE(f.height, 2);
    const std::vector<float> expected = {1.0f, 3.0f, 5.0f, 3.0f, 3.0f, 3.0f}; // median of 1, 5, 3
    QCOMPARE(std::vector<float>(f.data.begin(), f.data.end()), expected);
}

/** The CLI holds one copy of a large image: the finite copy, the micrograph keeping only its description. */
void TestFiniteImage::takingTheCopyReleasesTheFilesPixels()
{
    Micrograph m = test::mixedLattice(128, 2).image;
    plantNonFinite(m);
    m.calibration = {0.02, 0.02, "nm"};
    const FloatImage copied = withFiniteValues(m);
    const FloatImage taken = takeFiniteValues(m);
    QVERIFY(copied.data == taken.data);
    QCOMPARE(taken.width, 128);
    QVERIFY(m.pixels.empty());
    QCOMPARE(m.pixels.capacity(), std::size_t(0)); // the memory is given back, not just cleared
    QCOMPARE(m.width, 128);
    QCOMPARE(m.height, 128);
    QCOMPARE(m.calibration.unit, std::string("nm"));
}

void TestFiniteImage::periodOnTheFiniteCopyMatchesTheMicrograph()
{
    // Larger than the 1024-pixel crop the period is measured on: the FloatImage entry crops the
    // finite copy, the Micrograph entry the pixels (then makes the crop finite).
    const synth::SynthResult scene = test::mixedLattice(1100, 3);
    const FloatImage raw = withFiniteValues(scene.image);
    const std::uint64_t before = finiteCopiesMade();
    const double fromCopy = estimateLatticePeriod(raw);
    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(0));
    QCOMPARE(fromCopy, estimateLatticePeriod(scene.image));
    QVERIFY(std::abs(fromCopy - scene.latticePeriod) < 0.1 * scene.latticePeriod);
}

void TestFiniteImage::analysisMakesOneCopyAndMatchesTheMicrographEntry()
{
    synth::SynthResult scene = test::mixedLattice(384, 2);
    plantNonFinite(scene.image);

    // Detection, refinement, features, learning and the motif averages all read one copy.
    std::uint64_t before = finiteCopiesMade();
    const FullAnalysis fromMicrograph = runFullAnalysis(scene.image, FullAnalysisParams{});
    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(1));
    QVERIFY(fromMicrograph.base.detection.columns.size() > 100);
    QVERIFY(!fromMicrograph.motifs.empty());

    const FloatImage raw = withFiniteValues(scene.image);
    before = finiteCopiesMade();
    const FullAnalysis fromCopy = runFullAnalysis(raw, FullAnalysisParams{});
    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(0));

    compareColumns(fromCopy.base.detection.columns, fromMicrograph.base.detection.columns);
    QCOMPARE(fromCopy.base.detection.used.period, fromMicrograph.base.detection.used.period);
    QCOMPARE(fromCopy.labels.motif, fromMicrograph.labels.motif);
    QCOMPARE(fromCopy.labels.confidence, fromMicrograph.labels.confidence);
    QCOMPARE(fromCopy.motifs.size(), fromMicrograph.motifs.size());
    for (std::size_t m = 0; m < fromCopy.motifs.size(); ++m)
        QCOMPARE(fromCopy.motifs[m].averagePatch, fromMicrograph.motifs[m].averagePatch);

    // The same holds for the analysis without learning.
    before = finiteCopiesMade();
    const AnalysisResult detected = analyzeMicrograph(scene.image, AnalysisParams{});
    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(1));
    compareColumns(detected.detection.columns, fromMicrograph.base.detection.columns);
}

void TestFiniteImage::dictionaryLearnAndClassifyMakeOneCopyPerFrame()
{
    const synth::SynthResult first = test::mixedLattice(512, 1);
    const synth::SynthResult second = test::mixedLattice(384, 5);
    std::uint64_t before = finiteCopiesMade();
    const MotifDictionary d =
        learnMotifDictionary({{&first.image, "a"}, {&second.image, "b"}}, DictionaryLearnParams{});
    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(2));
    QVERIFY(!d.motifs.empty());

    const ClassModel model(d);
    before = finiteCopiesMade();
    const FrameClassification f = classifyFrame(d, model, second.image, ClassifyParams{});
    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(1));
    QVERIFY(f.base.detection.columns.size() > 100);
}

QTEST_GUILESS_MAIN(TestFiniteImage)
#include "test_finite_image.moc"
