// The document's one finite copy of its micrograph (MicrographDocument::finiteImage()): made once
// per image, kept by Set Scale, and the same object that motif edits, detection and learning read;
// none of them makes another full-image copy.
#include "synth_options.h"
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/document/micrographdocument.h"
#include "ui/document/motifedits.h"
#include "core/image/finite_image.h"
#include "core/synth/synth.h"
#include "ui/window/analysiscontroller.h"

#include <QUndoStack>

#include <cmath>
#include <limits>

using namespace motifscope;
using namespace motifscope::ui;

namespace {

/** The columns of syntheticMicrograph's atom grid (every 16 px from 8), two motifs in a checkerboard. */
MotifState gridMotifs(const MicrographDocument& doc)
{
    MotifState state;
    ColumnSet& set = state.columns;
    const Micrograph& m = doc.micrograph();
    for (int y = 8; y + 8 < m.height; y += 16)
        for (int x = 8; x + 8 < m.width; x += 16) {
            AtomColumn c;
            c.x = x;
            c.y = y;
            const int motif = ((x + y) / 16) % 2;
            set.columns.push_back(c);
            set.classes.push_back(motif);
            set.confidence.push_back(1.0f);
            set.orientation.push_back(0.0f);
            // Two clusters per motif on the map, so a split has halves to find.
            set.map.push_back({float(10 * motif) + (x < m.width / 2 ? 0.0f : 3.0f), float(y % 3)});
        }
    state.table.patchSize = 9;
    for (int id = 0; id < 2; ++id)
        state.table.motifs.push_back({defaultMotifName(id), QColor(Qt::red), {}});
    updateAverages(state, *doc.finiteImage(), {0, 1});
    return state;
}

} // namespace

class TestDocumentImage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void madeOncePerImage();
    void motifEditsReadTheSameCopy();
    void jobsReadTheSameCopy();
};

void TestDocumentImage::madeOncePerImage()
{
    MicrographDocument doc;
    QVERIFY(doc.finiteImage() == nullptr);
    Micrograph m = test::syntheticMicrograph(96, 80);
    m.at(5, 5) = std::numeric_limits<float>::quiet_NaN();
    m.at(50, 40) = std::numeric_limits<float>::infinity();

    std::uint64_t before = finiteCopiesMade();
    doc.setMicrograph(m);
    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(1));
    const std::shared_ptr<const FloatImage> finite = doc.finiteImage();
    QVERIFY(finite != nullptr);
    QCOMPARE(finite->width, 96);
    QCOMPARE(finite->height, 80);
    for (std::size_t i = 0; i < m.pixels.size(); ++i) {
        QVERIFY(std::isfinite(finite->data[i]));
        if (std::isfinite(m.pixels[i]))
            QCOMPARE(finite->data[i], m.pixels[i]);
    }

    // Set Scale gives the micrograph a new calibration on a copy; the pixels, and the finite copy, stay.
    before = finiteCopiesMade();
    Calibration scale;
    scale.pixelSizeX = scale.pixelSizeY = 0.05;
    scale.unit = "nm";
    doc.setCalibration(scale);
    QCOMPARE(doc.micrograph().calibration.pixelSizeX, 0.05);
    QVERIFY(doc.finiteImage() == finite);
    doc.undoStack()->undo();
    QVERIFY(doc.finiteImage() == finite);
    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(0));

    // Another image: its own copy; the old one lives on for whoever still holds it (a running job).
    doc.setMicrograph(test::syntheticMicrograph(64, 48));
    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(1));
    QVERIFY(doc.finiteImage() != finite);
    QCOMPARE(doc.finiteImage()->width, 64);
    QCOMPARE(finite->width, 96);
}

void TestDocumentImage::motifEditsReadTheSameCopy()
{
    MicrographDocument doc;
    doc.setMicrograph(test::syntheticMicrograph(256, 192));
    const MotifState learned = gridMotifs(doc);
    ColumnSet detected;
    detected.columns = learned.columns.columns;
    doc.replaceColumns(detected, QStringLiteral("Detect Columns"));
    doc.applyLearning(learned.columns, learned.table);
    QCOMPARE(doc.motifTable().size(), 2);

    const FloatImage* image = doc.finiteImage().get();
    const float* pixels = image->data.data();
    const std::uint64_t before = finiteCopiesMade();

    doc.splitMotif(0);
    QCOMPARE(doc.motifTable().size(), 3);
    // The new motif's average was sampled from the document's copy: resampling it there agrees.
    MotifState resampled{doc.columnSet(), doc.motifTable()};
    updateAverages(resampled, *image, {2});
    const std::vector<float>& kept = doc.motifTable().motifs[2].averagePatch;
    QCOMPARE(kept.size(), std::size_t(81));
    for (std::size_t p = 0; p < kept.size(); ++p)
        QVERIFY(std::abs(kept[p] - resampled.table.motifs[2].averagePatch[p]) < 1e-5f);

    doc.assignColumnsToMotif({0, 1, 2}, 1);
    doc.mergeMotifs({1, 2});
    QCOMPARE(doc.motifTable().size(), 2);
    for (int i = 0; i < 3; ++i)
        doc.undoStack()->undo();
    for (int i = 0; i < 3; ++i)
        doc.undoStack()->redo();

    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(0));
    QCOMPARE(doc.finiteImage().get(), image);
    QCOMPARE(doc.finiteImage()->data.data(), pixels);
}

void TestDocumentImage::jobsReadTheSameCopy()
{
    MicrographDocument doc;
    doc.setMicrograph(test::mixedLattice(384, 2).image);
    const std::shared_ptr<const FloatImage> finite = doc.finiteImage();
    AnalysisController controller(&doc);

    const std::uint64_t before = finiteCopiesMade();
    QVERIFY(test::runAndWait(&controller, [&] { controller.detect(DetectionRequest{}); }));
    QVERIFY(doc.columns().size() > 100);
    // The detection keeps its candidates with the image they came from: the document's copy.
    QVERIFY(finite.use_count() > 2);
    QVERIFY(test::runAndWait(&controller, [&] { controller.learn(LearnRequest{}); }));
    QVERIFY(!doc.motifTable().empty());
    // A re-threshold refines the cached candidates against the same copy.
    DetectionRequest stricter;
    stricter.params.threshold = 1.2 * controller.detectionJob()->outcome().result.used.threshold;
    QVERIFY(test::runAndWait(&controller, [&] { controller.detect(stricter, true); }));
    QVERIFY(controller.detectionJob()->outcome().reusedCandidates);

    QCOMPARE(finiteCopiesMade() - before, std::uint64_t(0));
    QVERIFY(doc.finiteImage() == finite);
}

QTEST_MAIN(TestDocumentImage)
#include "test_document_image.moc"
