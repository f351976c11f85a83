// Motif learning in the main window: detect then learn on a synthetic micrograph, one undo step,
// live previews, linked brushing between the map and the image, gallery edits with undo, cancel,
// the Analyze pipeline and the features of the column under the cursor.
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/detect/detectionpanel.h"
#include "ui/document/micrographdocument.h"
#include "ui/jobs/learnjob.h"
#include "ui/learn/embeddingplot.h"
#include "ui/learn/featurespanel.h"
#include "ui/learn/learnpanel.h"
#include "ui/learn/learnviews.h"
#include "ui/learn/motifgallery.h"
#include "ui/learn/motifgallerymodel.h"
#include "core/io/readers.h"
#include "core/pipeline/full_analysis.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "ui/views/columnoverlay.h"
#include "ui/window/appsettings.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QCheckBox>
#include <QApplication>
#include <QLabel>
#include <QListView>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QUndoStack>

#include <algorithm>
#include <memory>
#include <set>

using motifscope::test::mixedLattice;
using motifscope::test::runAndWait;
using motifscope::ui::ColumnSet;
using motifscope::ui::EmbeddingPlot;
using motifscope::ui::LearnPanel;
using motifscope::ui::MainWindow;
using motifscope::ui::MicrographDocument;

namespace {

constexpr int kTimeoutMs = 180000;

std::set<int> distinctClasses(const ColumnSet& set)
{
    std::set<int> out;
    for (int c : set.classes)
        if (c >= 0)
            out.insert(c);
    return out;
}

bool noClasses(const ColumnSet& set)
{
    return std::all_of(set.classes.begin(), set.classes.end(), [](int c) { return c < 0; });
}

void sendMouse(QWidget* widget, QEvent::Type type, const QPoint& pos, Qt::MouseButton button, Qt::MouseButtons buttons)
{
    QMouseEvent event(type, QPointF(pos), QPointF(widget->mapToGlobal(pos)), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(widget, &event);
}

} // namespace

class TestLearnWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void learnsMotifsAsOneUndoStep();
    void mapSelectionSelectsColumns();
    void mergeThenUndo();
    void splitAndAssign();
    void renameAndRecolour();
    void cancelLeavesDocumentUnchanged();
    void analyzeDetectsThenLearns();
    void featuresFollowTheCursor();
    void shadeByConfidence();
    void windowAndCommandLineAgree_data();
    void windowAndCommandLineAgree();

private:
    /** Opens a synthetic mixed lattice, detects and learns; false when either did not finish. */
    bool detectAndLearn(int size = 384);

    std::unique_ptr<MainWindow> mWindow;
};

void TestLearnWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
}

void TestLearnWindow::init()
{
    mWindow = std::make_unique<MainWindow>();
    mWindow->setInteractive(false);
    mWindow->show();
    QVERIFY(QTest::qWaitForWindowExposed(mWindow.get()));
}

void TestLearnWindow::cleanup()
{
    mWindow.reset();
}

bool TestLearnWindow::detectAndLearn(int size)
{
    mWindow->document()->setMicrograph(mixedLattice(size).image, QStringLiteral("synthetic.tif"));
    if (mWindow->actions()->learnMotifs->isEnabled())
        return false; // no columns yet: learning must not be offered
    if (!runAndWait(mWindow.get(), [&] { mWindow->actions()->detectColumns->trigger(); }))
        return false;
    if (mWindow->document()->columns().empty() || !mWindow->actions()->learnMotifs->isEnabled())
        return false;
    return runAndWait(mWindow.get(), [&] { mWindow->actions()->learnMotifs->trigger(); });
}

void TestLearnWindow::learnsMotifsAsOneUndoStep()
{
    MicrographDocument* doc = mWindow->document();
    int previews = 0, previewsWithColours = 0;
    connect(mWindow->learnPanel(), &LearnPanel::previewChanged, this, [&](const motifscope::ui::LearnPreview& p) {
        ++previews;
        // The window's views were connected first: they have taken this preview already.
        previewsWithColours += mWindow->columnOverlay()->hasPreview() && p.embedding.rows() > 0;
    });
    QVERIFY(detectAndLearn());

    // Several motifs, in the document, the gallery, the map and the column colours.
    const ColumnSet& set = doc->columnSet();
    const int motifs = doc->motifTable().size();
    QVERIFY2(motifs >= 3, qPrintable(QStringLiteral("%1 motifs").arg(motifs)));
    QCOMPARE(int(distinctClasses(set).size()), motifs);
    QCOMPARE(mWindow->motifGallery()->motifs().size(), motifs);
    long long galleryTotal = 0;
    for (const auto& m : mWindow->motifGallery()->motifs()) {
        QVERIFY(m.count > 0);
        QCOMPARE(int(m.averagePatch.size()), doc->motifTable().patchSize * doc->motifTable().patchSize);
        galleryTotal += m.count;
    }
    // Every column has a motif (those whose patch leaves the image from its visible part); the map
    // holds the learned ones, whose patch lies wholly inside.
    const auto learned = std::count_if(set.map.begin(), set.map.end(), [](const auto& p) { return p.learned(); });
    QCOMPARE(galleryTotal, (long long)set.size());
    QVERIFY(std::all_of(set.classes.begin(), set.classes.end(), [](int c) { return c >= 0; }));
    QVERIFY(learned > 0.6 * double(set.size()) && learned < (long long)set.size());
    QCOMPARE(mWindow->embeddingPlot()->pointCount(), int(learned));
    QCOMPARE(mWindow->embeddingPlot()->legendEntries().size(), motifs); // final labels, not a provisional snapshot
    QVERIFY(!mWindow->columnOverlay()->hasPreview());
    for (std::size_t i = 0; i < set.size(); i += 7)
        if (set.classOf(i) >= 0)
            QCOMPARE(mWindow->columnOverlay()->colourOf(int(i)), doc->motifTable().motifs[std::size_t(set.classOf(i))].colour);
    QVERIFY(previews >= 1);
    QVERIFY(previewsWithColours >= 1); // the columns took live colours while learning
    QVERIFY(mWindow->learnPanel()->resultLabel()->text().contains(QStringLiteral("%1 motifs").arg(motifs)));

    // One undo step: undo restores no classes, redo brings them back.
    QUndoStack* stack = doc->undoStack();
    QCOMPARE(stack->count(), 2);
    QCOMPARE(mWindow->actions()->undo->text(), QStringLiteral("&Undo Learn Motifs"));
    const std::vector<int> classes = set.classes;
    mWindow->actions()->undo->trigger();
    QVERIFY(noClasses(doc->columnSet()));
    QVERIFY(doc->motifTable().empty());
    QCOMPARE(mWindow->motifGallery()->motifs().size(), 0);
    QCOMPARE(mWindow->embeddingPlot()->pointCount(), 0);
    mWindow->actions()->redo->trigger();
    QCOMPARE(doc->columnSet().classes, classes);
    QCOMPARE(mWindow->motifGallery()->motifs().size(), motifs);
    QCOMPARE(mWindow->embeddingPlot()->pointCount(), int(learned));
}

void TestLearnWindow::mapSelectionSelectsColumns()
{
    QVERIFY(detectAndLearn());
    MicrographDocument* doc = mWindow->document();
    EmbeddingPlot* plot = mWindow->embeddingPlot();
    plot->resize(480, 400);
    plot->replotNow();
    plot->setTool(EmbeddingPlot::Tool::Rectangle);

    // A rectangle over the middle of the map: the columns of the points inside become the selection.
    const QSize canvas = plot->canvas()->size();
    const QPoint a(canvas.width() / 5, canvas.height() / 5), b(4 * canvas.width() / 5, 4 * canvas.height() / 5);
    std::vector<int> expected;
    const QRectF rect = QRectF(a, b).normalized();
    for (int r = 0; r < plot->pointCount(); ++r)
        if (rect.contains(plot->mapToCanvas(QPointF(plot->embedding()(r, 0), plot->embedding()(r, 1)))))
            expected.push_back(mWindow->learnViews()->plotColumns()[std::size_t(r)]);
    std::sort(expected.begin(), expected.end());
    QVERIFY(expected.size() > 5 && int(expected.size()) < plot->pointCount());
    sendMouse(plot->canvas(), QEvent::MouseButtonPress, a, Qt::LeftButton, Qt::LeftButton);
    sendMouse(plot->canvas(), QEvent::MouseMove, (a + b) / 2, Qt::NoButton, Qt::LeftButton);
    sendMouse(plot->canvas(), QEvent::MouseMove, b, Qt::NoButton, Qt::LeftButton);
    sendMouse(plot->canvas(), QEvent::MouseButtonRelease, b, Qt::LeftButton, Qt::NoButton);
    QCOMPARE(doc->selection(), expected);

    // Columns selected on the image light up in the map.
    const std::vector<int>& rows = mWindow->learnViews()->plotColumns();
    doc->setSelection({rows[0], rows[3]});
    QCOMPARE(plot->selection(), (QVector<int>{0, 3}));
    doc->clearSelection();
    QVERIFY(plot->selection().isEmpty());
}

void TestLearnWindow::mergeThenUndo()
{
    QVERIFY(detectAndLearn());
    MicrographDocument* doc = mWindow->document();
    const ColumnSet before = doc->columnSet();
    const int motifs = doc->motifTable().size();
    const long long first = motifscope::membersOf(before, 0), second = motifscope::membersOf(before, 1);
    const QString lastName = doc->motifTable().motifs.back().name;

    // Select motifs 0 and 1 in the gallery and merge them.
    motifscope::ui::MotifGallery* gallery = mWindow->motifGallery();
    QListView* view = gallery->view();
    view->selectionModel()->select(gallery->model()->index(gallery->model()->rowOf(0)), QItemSelectionModel::Select);
    view->selectionModel()->select(gallery->model()->index(gallery->model()->rowOf(1)), QItemSelectionModel::Select);
    QCOMPARE(gallery->selectedMotifs(), (QVector<int>{0, 1}));
    gallery->mergeSelected();

    QCOMPARE(doc->motifTable().size(), motifs - 1);
    QCOMPARE(motifscope::membersOf(doc->columnSet(), 0), first + second);
    QCOMPARE(doc->motifTable().motifs.back().name, lastName); // the others moved down
    QCOMPARE(gallery->motifs().size(), motifs - 1);
    QCOMPARE(gallery->motifs().front().count, first + second);
    QCOMPARE(mWindow->embeddingPlot()->legendEntries().size(), motifs - 1);
    QCOMPARE(mWindow->actions()->undo->text(), QStringLiteral("&Undo Merge Motifs"));

    mWindow->actions()->undo->trigger();
    QCOMPARE(doc->columnSet().classes, before.classes);
    QCOMPARE(doc->motifTable().size(), motifs);
    QCOMPARE(gallery->motifs().size(), motifs);
}

void TestLearnWindow::splitAndAssign()
{
    QVERIFY(detectAndLearn());
    MicrographDocument* doc = mWindow->document();
    const ColumnSet before = doc->columnSet();
    const int motifs = doc->motifTable().size();
    const long long members = motifscope::membersOf(before, 0);

    Q_EMIT mWindow->motifGallery()->splitRequested(0);
    QCOMPARE(doc->motifTable().size(), motifs + 1);
    const long long kept = motifscope::membersOf(doc->columnSet(), 0), moved = motifscope::membersOf(doc->columnSet(), motifs);
    QVERIFY(kept > 0 && moved > 0 && moved <= kept);
    QCOMPARE(kept + moved, members);
    QCOMPARE(int(doc->motifTable().motifs.back().averagePatch.size()),
             doc->motifTable().patchSize * doc->motifTable().patchSize);
    QCOMPARE(mWindow->motifGallery()->motifs().size(), motifs + 1);

    // Assign two selected columns of other motifs to motif 0.
    std::vector<int> picked;
    for (std::size_t i = 0; i < before.size() && picked.size() < 2; ++i)
        if (doc->columnSet().classOf(i) > 0)
            picked.push_back(int(i));
    QCOMPARE(int(picked.size()), 2);
    doc->setSelection(picked);
    mWindow->motifGallery()->setCurrentMotif(0);
    mWindow->motifGallery()->assignToCurrent();
    QCOMPARE(doc->columnSet().classOf(std::size_t(picked[0])), 0);
    QCOMPARE(doc->columnSet().classOf(std::size_t(picked[1])), 0);
    QCOMPARE(doc->columnSet().confidenceOf(std::size_t(picked[0])), 1.0f);

    doc->undoStack()->undo();
    doc->undoStack()->undo();
    QCOMPARE(doc->columnSet().classes, before.classes);
    QCOMPARE(doc->motifTable().size(), motifs);
}

void TestLearnWindow::renameAndRecolour()
{
    QVERIFY(detectAndLearn());
    MicrographDocument* doc = mWindow->document();
    motifscope::ui::MotifGallery* gallery = mWindow->motifGallery();
    const QString oldName = doc->motifTable().motifs[1].name;

    // Renaming in place (the model's edit role) renames the motif everywhere, as one undo step.
    const QModelIndex row = gallery->model()->index(gallery->model()->rowOf(1));
    QVERIFY(gallery->model()->setData(row, QStringLiteral("Se2 site"), Qt::EditRole));
    QCOMPARE(doc->motifTable().motifs[1].name, QStringLiteral("Se2 site"));
    QCOMPARE(gallery->model()->index(gallery->model()->rowOf(1)).data(Qt::DisplayRole).toString(), QStringLiteral("Se2 site"));
    QVERIFY(mWindow->embeddingPlot()->legendEntries().join(QLatin1Char('|')).contains(QStringLiteral("Se2 site")));
    QCOMPARE(mWindow->actions()->undo->text(), QStringLiteral("&Undo Rename Motif"));

    // A new colour reaches the columns on the image.
    Q_EMIT gallery->recolourRequested(1, QColor(200, 30, 200));
    int member = -1;
    for (std::size_t i = 0; i < doc->columns().size() && member < 0; ++i)
        if (doc->columnSet().classOf(i) == 1)
            member = int(i);
    QVERIFY(member >= 0);
    QCOMPARE(mWindow->columnOverlay()->colourOf(member), QColor(200, 30, 200));

    doc->undoStack()->undo();
    QVERIFY(mWindow->columnOverlay()->colourOf(member) != QColor(200, 30, 200));
    doc->undoStack()->undo();
    QCOMPARE(doc->motifTable().motifs[1].name, oldName);
    QCOMPARE(gallery->motifs().at(gallery->model()->rowOf(1)).name, oldName);
}

void TestLearnWindow::cancelLeavesDocumentUnchanged()
{
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(mixedLattice(768, 3).image);
    QVERIFY(runAndWait(mWindow.get(), [&] { mWindow->detectColumns(); }));
    QVERIFY(doc->columns().size() > 500);
    const ColumnSet before = doc->columnSet();
    const int steps = doc->undoStack()->count();

    LearnPanel* panel = mWindow->learnPanel();
    QSignalSpy progressed(panel->job(), &motifscope::ui::LearnJob::progressed);
    QSignalSpy cancelled(panel->job(), &motifscope::ui::LearnJob::cancelled);
    QSignalSpy finished(panel->job(), &motifscope::ui::LearnJob::finished);
    mWindow->learnMotifs();
    QVERIFY(mWindow->isBusy());
    QVERIFY(panel->cancelButton()->isEnabled());
    QVERIFY(progressed.wait(kTimeoutMs));
    QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(!mWindow->isBusy());
    QTest::qWait(300); // a late result or snapshot must not land
    QCOMPARE(finished.count(), 0);
    QCOMPARE(doc->undoStack()->count(), steps);
    QCOMPARE(doc->columnSet().classes, before.classes);
    QVERIFY(doc->motifTable().empty());
    QVERIFY(!mWindow->columnOverlay()->hasPreview());
    QVERIFY(!mWindow->learnViews()->isPreviewing());
}

void TestLearnWindow::analyzeDetectsThenLearns()
{
    MicrographDocument* doc = mWindow->document();
    doc->setMicrograph(mixedLattice(384).image);
    QSignalSpy busy(mWindow.get(), &MainWindow::busyChanged);
    QVERIFY(runAndWait(mWindow.get(), [&] { mWindow->requestAnalysis(); }));
    QCOMPARE(busy.count(), 2); // one busy stretch from detection to the end of learning: --screenshot waits for both
    QVERIFY(!doc->columns().empty());
    QVERIFY(doc->motifTable().size() >= 2);
    QCOMPARE(doc->undoStack()->count(), 2);
}

void TestLearnWindow::featuresFollowTheCursor()
{
    QVERIFY(detectAndLearn());
    MicrographDocument* doc = mWindow->document();
    const auto& c = doc->columns()[doc->columns().size() / 2];
    mWindow->learnViews()->showFeaturesNear(QPointF(c.x + 0.5, c.y - 0.5));
    QCOMPARE(mWindow->learnViews()->featuredColumn(), int(doc->columns().size() / 2));
    QVERIFY(mWindow->featuresPanel()->hasPatch());
    QVERIFY(mWindow->featuresPanel()->barCount() > 10);
    // Far from every column: the panel keeps what it showed.
    mWindow->learnViews()->showFeaturesNear(QPointF(-1000, -1000));
    QCOMPARE(mWindow->learnViews()->featuredColumn(), int(doc->columns().size() / 2));
    doc->setSelection({3});
    QCOMPARE(mWindow->learnViews()->featuredColumn(), 3);
}

/**
 * "Shade by confidence" in the Learn panel fades a column's motif colour towards grey by how
 * unsure the learner is: border columns (classified from part of their patch) come out greyer.
 */
void TestLearnWindow::shadeByConfidence()
{
    QVERIFY(detectAndLearn());
    const ColumnSet& set = mWindow->document()->columnSet();
    auto* overlay = mWindow->columnOverlay();
    QVERIFY(!overlay->shadeByConfidence());
    std::size_t sure = set.size(), unsure = set.size();
    for (std::size_t i = 0; i < set.size(); ++i) {
        if (set.confidenceOf(i) >= 0.99f && sure == set.size())
            sure = i;
        if (set.confidenceOf(i) <= 0.6f && unsure == set.size())
            unsure = i;
    }
    QVERIFY(sure < set.size() && unsure < set.size());
    mWindow->learnPanel()->shadeByConfidenceBox()->setChecked(true);
    QVERIFY(overlay->shadeByConfidence());
    const QColor motif = overlay->colourOf(int(unsure));
    const QColor shaded = motifscope::ui::ColumnOverlay::shadedColour(motif, set.confidenceOf(unsure));
    auto greyness = [](const QColor& c) { return std::abs(c.red() - 128) + std::abs(c.green() - 128) + std::abs(c.blue() - 128); };
    QVERIFY(greyness(shaded) < greyness(motif));
    QCOMPARE(motifscope::ui::ColumnOverlay::shadedColour(motif, 1.0), motif);
    QCOMPARE(motifscope::ui::ColumnOverlay::shadedColour(motif, 0.0), QColor(128, 128, 128));
    QVERIFY(mWindow->grab().save(QStringLiteral("/tmp/gui-shade-by-confidence.png")));
    mWindow->learnPanel()->shadeByConfidenceBox()->setChecked(false);
    QVERIFY(!overlay->shadeByConfidence());
}

/**
 * One learning stage: the window's Analyze (detect, then Learn) gives the columns and motifs that
 * `motifscope-cli analyze` (runFullAnalysis, default flags, seed 1) gives, column by column: on the
 * bundled MoSe2 sample, and on isolated atoms, whose spacing is not the blob scale the detector
 * takes for a period: the window and the CLI once took patches of different sizes there (69 and
 * 27 px), from two rules.
 */
void TestLearnWindow::windowAndCommandLineAgree_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("refineClasses");
    QTest::newRow("bundled MoSe2") << QStringLiteral("MoSe2") << true;
    QTest::newRow("bundled MoSe2, map classes only") << QStringLiteral("MoSe2") << false;
    QTest::newRow("isolated atoms") << QStringLiteral("isolated-atoms") << true;
}

void TestLearnWindow::windowAndCommandLineAgree()
{
    QFETCH(QString, source);
    QFETCH(bool, refineClasses);
    mWindow->learnPanel()->refineClassesBox()->setChecked(refineClasses);
    motifscope::Micrograph image;
    if (source == QLatin1String("MoSe2")) {
        image = motifscope::readMicrograph(motifscope::test::sourcePath("resources/MoSe2_80K_small_region.tif"));
    } else {
        image = motifscope::synth::synthesize(motifscope::test::synthOptions(source.toStdString(), 512, 1)).image;
    }
    mWindow->document()->setMicrograph(image, QStringLiteral("agree.tif"));
    QVERIFY(runAndWait(mWindow.get(), [&] { mWindow->requestAnalysis(); }));
    const ColumnSet& window = mWindow->document()->columnSet();

    motifscope::FullAnalysisParams params;
    params.refineClasses = refineClasses; // `analyze --refine-classes on|off`
    const motifscope::FullAnalysis cli = motifscope::runFullAnalysis(image, params);
    const auto& columns = cli.base.detection.columns;
    QCOMPARE(window.size(), columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i)
        QVERIFY2(std::abs(window.columns[i].x - columns[i].x) < 1e-3 && std::abs(window.columns[i].y - columns[i].y) < 1e-3,
                 qPrintable(QStringLiteral("column %1").arg(i)));
    QCOMPARE(mWindow->document()->motifTable().patchSize, cli.base.patchSize);
    QCOMPARE(int(mWindow->document()->motifTable().size()), int(cli.motifs.size()));
    QVERIFY(!cli.motifs.empty());
    QCOMPARE(window.classes, cli.labels.motif);
    // The confidence is the 2-D classification's posterior when it ran, the map's otherwise.
    QCOMPARE(window.confidence, cli.labels.confidence);
    mWindow->learnPanel()->refineClassesBox()->setChecked(true);
}

QTEST_MAIN(TestLearnWindow)
#include "test_learn_window.moc"
