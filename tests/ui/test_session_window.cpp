// Sessions in the real main window: open a micrograph, detect, learn, relabel, undo / redo, save,
// reopen in a fresh window and compare field by field; the modified flag and the unsaved-changes
// choice; autosave and recovery; a damaged session is one error and changes nothing; cancelling a
// running job leaves the document as it was.
#include "test_support.h"
#include "ui_test_support.h"

#include "detect/detectionpanel.h"
#include "dialogs/exportfiguredialog.h"
#include "export/documentexport.h"
#include "document/micrographdocument.h"
#include "io/readers.h"
#include "io/writers.h"
#include "learn/featurespanel.h"
#include "learn/learnpanel.h"
#include "session/sessionconvert.h"
#include "synth/synth.h"
#include "views/imageview.h"
#include "window/appsettings.h"
#include "window/mainactions.h"
#include "window/mainwindow.h"
#include "window/recentfiles.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QGuiApplication>
#include <QImage>
#include <QLineEdit>
#include <QMimeData>
#include <QStatusBar>
#include <QUrl>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QFileInfo>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>

#include <memory>

using motifscope::test::runAndWait;
using motifscope::ui::ColumnSet;
using motifscope::ui::MainWindow;
using motifscope::ui::MicrographDocument;

namespace {

std::unique_ptr<MainWindow> newWindow()
{
    auto window = std::make_unique<MainWindow>();
    window->setInteractive(false);
    window->resize(1000, 700);
    window->show();
    return window;
}

/** Column by column, every quantity the document keeps (QCOMPARE: call, then check currentTestFailed). */
void compareColumns(const ColumnSet& a, const ColumnSet& b)
{
    QCOMPARE(b.size(), a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(b.columns[i].x, a.columns[i].x);
        QCOMPARE(b.columns[i].y, a.columns[i].y);
        QCOMPARE(b.columns[i].intensity, a.columns[i].intensity);
        QCOMPARE(b.columns[i].width, a.columns[i].width);
        QCOMPARE(b.columns[i].background, a.columns[i].background);
        QCOMPARE(b.columns[i].residual, a.columns[i].residual);
        QCOMPARE(int(b.columns[i].refinement), int(a.columns[i].refinement));
        QCOMPARE(b.classOf(i), a.classOf(i));
        QCOMPARE(b.confidenceOf(i), a.confidenceOf(i));
        QCOMPARE(b.mapOf(i).learned(), a.mapOf(i).learned());
        if (a.mapOf(i).learned()) {
            QCOMPARE(b.mapOf(i).x, a.mapOf(i).x);
            QCOMPARE(b.mapOf(i).y, a.mapOf(i).y);
        }
        QCOMPARE(b.orientation.empty() ? 0.0f : b.orientation[i], a.orientation.empty() ? 0.0f : a.orientation[i]);
        QCOMPARE(int(b.editsOf(i)), int(a.editsOf(i)));
    }
}

void compareDocuments(const MicrographDocument& a, const MicrographDocument& b)
{
    QCOMPARE(QFileInfo(b.filePath()).canonicalFilePath(), QFileInfo(a.filePath()).canonicalFilePath());
    QCOMPARE(b.micrograph().width, a.micrograph().width);
    QCOMPARE(b.micrograph().height, a.micrograph().height);
    QVERIFY(b.micrograph().pixels == a.micrograph().pixels);
    compareColumns(a.columnSet(), b.columnSet());
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(b.motifTable().size(), a.motifTable().size());
    QCOMPARE(b.motifTable().patchSize, a.motifTable().patchSize);
    for (int id = 0; id < a.motifTable().size(); ++id) {
        const auto& ma = a.motifTable().motifs[std::size_t(id)];
        const auto& mb = b.motifTable().motifs[std::size_t(id)];
        QCOMPARE(mb.name, ma.name);
        QCOMPARE(mb.colour.rgba(), ma.colour.rgba());
        QVERIFY(mb.averagePatch == ma.averagePatch);
    }
    QCOMPARE(bool(b.hierarchy()), bool(a.hierarchy()));
    if (a.hierarchy()) {
        const auto& ha = *a.hierarchy();
        const auto& hb = *b.hierarchy();
        QCOMPARE(hb.route, ha.route);
        QCOMPARE(hb.bondCutoff, ha.bondCutoff);
        QVERIFY(hb.columnMotif == ha.columnMotif);
        QCOMPARE(hb.levels.size(), ha.levels.size());
        for (std::size_t l = 0; l < ha.levels.size(); ++l) {
            QCOMPARE(hb.levels[l].motifs.size(), ha.levels[l].motifs.size());
            for (std::size_t m = 0; m < ha.levels[l].motifs.size(); ++m) {
                QCOMPARE(hb.levels[l].motifs[m].id, ha.levels[l].motifs[m].id);
                QCOMPARE(hb.levels[l].motifs[m].name, ha.levels[l].motifs[m].name);
                QCOMPARE(hb.levels[l].motifs[m].count, ha.levels[l].motifs[m].count);
            }
        }
        QCOMPARE(hb.rings.size(), ha.rings.size()); // rebuilt from the columns: the same rings
    }
    QVERIFY(b.displaySettings() == a.displaySettings());
}

} // namespace

class TestSessionWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void saveAndReopenRestoresEverything();
    void modifiedFollowsUndo();
    void unsavedChangesChoice();
    void autosaveAndRecovery();
    void damagedSessionIsOneErrorAndChangesNothing();
    void cancelledJobsLeaveDocumentUnchanged();
    void exportsFiguresDataAndView();
    void exportDialogFollowsExtension();
    void dropOpensSessionAndImageProblemsAreReported();
    void largeSessionRoundTrip();
    void autosaveIntervalAndRecentSessionsFromSettings();

private:
    /** Opens the synthetic micrograph file in `window`, detects and learns; false when a step did not finish. */
    bool openDetectLearn(MainWindow& window);

    QTemporaryDir mDir;
    QString mImagePath;
};

void TestSessionWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
    QVERIFY(mDir.isValid());
    motifscope::synth::SynthOptions options;
    options.preset = "mixed-lattice";
    options.size = 320;
    options.seed = 5;
    mImagePath = mDir.filePath(QStringLiteral("mixed lattice.tif")); // a space: paths are quoted nowhere
    motifscope::writeTiffFloat32(motifscope::synth::synthesize(options).image, mImagePath.toStdString());
}

void TestSessionWindow::init()
{
    QFile::remove(MainWindow::recoveryFilePath());
}

bool TestSessionWindow::openDetectLearn(MainWindow& window)
{
    if (!runAndWait(&window, [&] { window.openFile(mImagePath); }) || !window.document()->hasMicrograph())
        return false;
    if (!runAndWait(&window, [&] { window.actions()->detectColumns->trigger(); }) || window.document()->columns().empty())
        return false;
    return runAndWait(&window, [&] { window.actions()->learnMotifs->trigger(); })
           && !window.document()->motifTable().empty();
}

void TestSessionWindow::saveAndReopenRestoresEverything()
{
    auto a = newWindow();
    a->learnPanel()->seedBox()->setValue(7);
    a->featuresPanel()->setNMax(8);
    QVERIFY(openDetectLearn(*a));
    MicrographDocument* doc = a->document();
    QVERIFY(doc->motifTable().size() >= 2);

    // Relabel three columns to another motif; undo and redo the step.
    const int from = doc->columnSet().classOf(0);
    const int to = from == 0 ? 1 : 0;
    const ColumnSet learned = doc->columnSet();
    doc->assignColumnsToMotif({0, 1, 2}, to);
    QCOMPARE(doc->columnSet().classOf(0), to);
    QCOMPARE(int(doc->columnSet().editsOf(0)), int(motifscope::ui::kColumnLabelledByHand));
    doc->undoStack()->undo();
    QCOMPARE(doc->columnSet().classOf(0), learned.classOf(0));
    QCOMPARE(int(doc->columnSet().editsOf(0)), 0);
    doc->undoStack()->redo();
    QCOMPARE(doc->columnSet().classOf(2), to);
    // More hand edits: a moved column, an added one, a renamed and a recoloured motif.
    doc->moveColumns({5}, 0.25, -0.5);
    doc->addColumn(motifscope::AtomColumn{40.5, 41.25});
    doc->renameMotif(0, QStringLiteral("Mo site ✓"));
    doc->recolourMotif(1, QColor(QStringLiteral("#123456")));
    QVERIFY(runAndWait(a.get(), [&] { a->buildHierarchy(); }));
    QVERIFY(doc->hierarchy());
    doc->setContrastPercentiles(2.0, 97.0);
    a->imageView()->setView(2.0, QPointF(150.0, 120.0));
    a->actions()->showColumns->setChecked(false);
    QVERIFY(doc->isModified());

    const QString path = mDir.filePath(QStringLiteral("work.motifscope"));
    QSignalSpy saved(a.get(), &MainWindow::sessionSaved);
    QVERIFY(runAndWait(a.get(), [&] { QVERIFY(a->saveSessionAs(path)); }));
    QCOMPARE(saved.count(), 1);
    QVERIFY2(saved.at(0).at(1).toBool(), qPrintable(saved.at(0).at(2).toString()));
    QVERIFY(!doc->isModified());
    QVERIFY(!a->isWindowModified());
    QCOMPARE(doc->sessionPath(), path);
    QVERIFY(a->windowTitle().startsWith(QStringLiteral("work.motifscope")));
    // The file itself (what other tools read) holds the edits.
    const motifscope::Session file = motifscope::loadSession(path.toStdString());
    QCOMPARE(QFileInfo(QString::fromStdString(file.image.path)).fileName(), QStringLiteral("mixed lattice.tif"));
    QCOMPARE(file.columns.size(), doc->columns().size());
    QCOMPARE(file.columns[0].motif, to);
    QCOMPARE(int(file.columns[0].edits), int(motifscope::ui::kColumnLabelledByHand));
    QCOMPARE(file.motifs[0].name, std::string("Mo site ✓"));
    QCOMPARE(file.motifs[1].colour, std::string("#123456"));
    QCOMPARE(file.learning.seed, std::uint64_t(7));
    QCOMPARE(file.featureParams.nMax, 8);
    QVERIFY(file.hierarchy.present);
    QVERIFY(!file.hierarchy.levels.empty());
    QCOMPARE(file.embedding.size(), 2 * doc->columns().size());
    // ... and `motifscope-cli render` reads it: micrograph found, every column, the motif names.
    const motifscope::FigureContent figure = motifscope::loadSessionFigure(path.toStdString());
    QVERIFY2(figure.warning.empty(), figure.warning.c_str());
    QCOMPARE(figure.width, doc->micrograph().width);
    QCOMPARE(figure.columns.size(), doc->columns().size());
    QCOMPARE(figure.motifs.at(0).name, std::string("Mo site ✓"));
    QVERIFY(!figure.hierarchy.empty());

    // A fresh window with other settings: opening the session must bring back A's.
    auto b = newWindow();
    b->learnPanel()->seedBox()->setValue(99);
    b->featuresPanel()->setNMax(12);
    b->detectionPanel()->autoPeriodBox()->setChecked(false);
    b->detectionPanel()->periodBox()->setValue(33.0);
    QSignalSpy opened(b.get(), &MainWindow::sessionOpened);
    QVERIFY(runAndWait(b.get(), [&] { b->openFile(path); })); // the Open path, as drag and drop takes
    QCOMPARE(opened.count(), 1);
    QVERIFY2(opened.at(0).at(1).toBool(), qPrintable(opened.at(0).at(2).toString()));
    compareDocuments(*doc, *b->document());
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(b->document()->sessionPath(), path);
    QVERIFY(!b->document()->hierarchy()->rings.empty());
    QVERIFY(!b->document()->isModified());
    QCOMPARE(b->document()->undoStack()->count(), 0);
    QCOMPARE(b->learnPanel()->request().params.seed, a->learnPanel()->request().params.seed);
    QCOMPARE(b->learnPanel()->request().nMax, 8);
    QCOMPARE(b->learnPanel()->request().params.method, a->learnPanel()->request().params.method);
    QCOMPARE(b->detectionPanel()->request().params.period, a->detectionPanel()->request().params.period);
    QCOMPARE(int(b->detectionPanel()->request().refine), int(a->detectionPanel()->request().refine));
    QCOMPARE(b->imageView()->zoom(), a->imageView()->zoom());
    const QPointF centreA = a->imageView()->visibleImageRect().center();
    const QPointF centreB = b->imageView()->visibleImageRect().center();
    QVERIFY(std::abs(centreA.x() - centreB.x()) < 1.0 && std::abs(centreA.y() - centreB.y()) < 1.0);
    QVERIFY(!b->actions()->showColumns->isChecked());
    // The Detection panel tells of the session's columns (it said "No columns yet").
    const QString detected = b->detectionPanel()->resultLabel()->text();
    QVERIFY2(detected.contains(QString::number(b->document()->columns().size())), qPrintable(detected));
    // Hand edits carried over: the moved and the added column.
    QCOMPARE(int(b->document()->columnSet().editsOf(5)) & motifscope::ui::kColumnMovedByHand,
             int(motifscope::ui::kColumnMovedByHand));
    QCOMPARE(int(b->document()->columnSet().editsOf(b->document()->columns().size() - 1)),
             int(motifscope::ui::kColumnAddedByHand));
}

void TestSessionWindow::modifiedFollowsUndo()
{
    auto w = newWindow();
    QVERIFY(runAndWait(w.get(), [&] { w->openFile(mImagePath); }));
    MicrographDocument* doc = w->document();
    QVERIFY(!doc->isModified());
    QVERIFY(w->windowTitle().contains(QStringLiteral("[*]")));
    QVERIFY(!w->isWindowModified());
    QVERIFY(runAndWait(w.get(), [&] { w->actions()->detectColumns->trigger(); }));
    QVERIFY(doc->isModified());
    QVERIFY(w->isWindowModified());
    doc->undoStack()->undo();
    QVERIFY(!doc->isModified());
    QVERIFY(!w->isWindowModified());
    doc->undoStack()->redo();
    QVERIFY(w->isWindowModified());

    const QString path = mDir.filePath(QStringLiteral("modified.motifscope"));
    QVERIFY(runAndWait(w.get(), [&] { w->saveSessionAs(path); }));
    QVERIFY(!w->isWindowModified());
    doc->undoStack()->undo(); // before the saved state
    QVERIFY(w->isWindowModified());
    doc->undoStack()->redo(); // back at it
    QVERIFY(!w->isWindowModified());
    // Save (Ctrl+S) goes to the same file without asking.
    doc->deleteColumns({0});
    QVERIFY(w->isWindowModified());
    QVERIFY(runAndWait(w.get(), [&] { w->actions()->saveSession->trigger(); }));
    QVERIFY(!w->isWindowModified());
    QCOMPARE(motifscope::loadSession(path.toStdString()).columns.size(), doc->columns().size());
}

void TestSessionWindow::unsavedChangesChoice()
{
    auto w = newWindow();
    QVERIFY(runAndWait(w.get(), [&] { w->openFile(mImagePath); }));
    QVERIFY(runAndWait(w.get(), [&] { w->actions()->detectColumns->trigger(); }));
    MicrographDocument* doc = w->document();
    const std::size_t columns = doc->columns().size();
    QVERIFY(doc->isModified());

    // Cancel: the window stays, another file does not replace the work.
    w->setUnsavedChangesChoice(QMessageBox::Cancel);
    QVERIFY(!w->close());
    QVERIFY(w->isVisible());
    QVERIFY(!w->isBusy()); // nothing was started
    w->openFile(mImagePath);
    QVERIFY(!w->isBusy());
    QCOMPARE(doc->columns().size(), columns);

    // Save without a session file cannot save: the window stays open.
    w->setUnsavedChangesChoice(QMessageBox::Save);
    QVERIFY(!w->close());
    QVERIFY(w->isVisible());

    // Save with a file: saved first, closed once written.
    const QString path = mDir.filePath(QStringLiteral("on close.motifscope"));
    QVERIFY(runAndWait(w.get(), [&] { w->saveSessionAs(path); }));
    doc->deleteColumns({0, 1});
    QVERIFY(doc->isModified());
    QSignalSpy saved(w.get(), &MainWindow::sessionSaved);
    QVERIFY(!w->close()); // not yet: the save runs off the GUI thread
    QVERIFY(saved.wait(30000));
    QTRY_VERIFY(!w->isVisible());
    QCOMPARE(motifscope::loadSession(path.toStdString()).columns.size(), columns - 2);

    // Discard closes at once.
    auto d = newWindow();
    QVERIFY(runAndWait(d.get(), [&] { d->openFile(mImagePath); }));
    QVERIFY(runAndWait(d.get(), [&] { d->actions()->detectColumns->trigger(); }));
    d->setUnsavedChangesChoice(QMessageBox::Discard);
    QVERIFY(d->close());
}

void TestSessionWindow::autosaveAndRecovery()
{
    QCOMPARE(newWindow()->autosaveTimer()->interval(), 3 * 60 * 1000); // default: every 3 minutes
    QVERIFY(newWindow()->autosaveTimer()->isActive());
    const QString recovery = MainWindow::recoveryFilePath();
    QVERIFY(recovery.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));

    auto a = newWindow();
    QVERIFY(openDetectLearn(*a));
    QVERIFY(!QFileInfo::exists(recovery));
    const QString sessionPath = mDir.filePath(QStringLiteral("recovered.motifscope"));
    QVERIFY(runAndWait(a.get(), [&] { a->saveSessionAs(sessionPath); }));
    QVERIFY(!a->autosaveNow()); // nothing unsaved: nothing to write
    a->document()->assignColumnsToMotif({3, 4}, a->document()->columnSet().classOf(3) == 0 ? 1 : 0);
    a->document()->renameMotif(1, QStringLiteral("edge"));
    QSignalSpy autosaved(a.get(), &MainWindow::autosaved);
    QVERIFY(a->autosaveNow());
    QVERIFY(autosaved.wait(30000));
    QVERIFY2(autosaved.at(0).at(1).toBool(), qPrintable(autosaved.at(0).at(2).toString()));
    QVERIFY(QFileInfo::exists(recovery));

    // "After a crash": a new window recovers the autosaved work, unsaved, belonging to the session.
    auto b = newWindow();
    QVERIFY(runAndWait(b.get(), [&] { QVERIFY(b->recoverAutosave()); }));
    compareDocuments(*a->document(), *b->document());
    if (QTest::currentTestFailed())
        return;
    QVERIFY(b->document()->isModified());
    QVERIFY(b->isWindowModified());
    QCOMPARE(b->document()->sessionPath(), sessionPath);
    // A clean save removes the recovery file.
    QVERIFY(runAndWait(b.get(), [&] { b->actions()->saveSession->trigger(); }));
    QVERIFY(!b->document()->isModified());
    QVERIFY(!QFileInfo::exists(recovery));
    QVERIFY(!b->recoverAutosave());
}

void TestSessionWindow::damagedSessionIsOneErrorAndChangesNothing()
{
    auto w = newWindow();
    QVERIFY(runAndWait(w.get(), [&] { w->openFile(mImagePath); }));
    const QString path = mDir.filePath(QStringLiteral("damaged.motifscope"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"format\": \"motifscope-session\", \"version\": 1, \"image\": ");
    file.close();
    QSignalSpy opened(w.get(), &MainWindow::sessionOpened);
    QSignalSpy loads(w.get(), &MainWindow::loadFinished); // what --screenshot reports errors from
    QVERIFY(runAndWait(w.get(), [&] { w->openFile(path); }));
    QCOMPARE(opened.count(), 1);
    QVERIFY(!opened.at(0).at(1).toBool());
    QCOMPARE(loads.count(), 1);
    QVERIFY(!loads.at(0).at(1).toBool());
    QCOMPARE(loads.at(0).at(2).toString(), opened.at(0).at(2).toString());
    const QString message = opened.at(0).at(2).toString();
    QVERIFY2(message.contains(QStringLiteral("damaged.motifscope")) && !message.contains(QLatin1Char('\n')),
             qPrintable(message));
    QCOMPARE(w->document()->filePath(), mImagePath);
    QVERIFY(w->document()->sessionPath().isEmpty());
}

void TestSessionWindow::cancelledJobsLeaveDocumentUnchanged()
{
    auto w = newWindow();
    QVERIFY(openDetectLearn(*w));
    MicrographDocument* doc = w->document();
    const ColumnSet before = doc->columnSet();
    const auto tableBefore = doc->motifTable();
    const int undoSteps = doc->undoStack()->count();
    const bool modified = doc->isModified();
    // A detection run on top of the learned motifs, cancelled while it runs (Cancel button).
    QVERIFY(runAndWait(w.get(), [&] {
        w->actions()->detectColumns->trigger();
        QVERIFY(w->isBusy());
        QVERIFY(w->detectionPanel()->cancelButton()->isEnabled());
        QTest::mouseClick(w->detectionPanel()->cancelButton(), Qt::LeftButton);
    }));
    QVERIFY(!w->isBusy());
    // And a learning run, cancelled the same way.
    QVERIFY(runAndWait(w.get(), [&] {
        w->learnPanel()->seedBox()->setValue(11);
        w->actions()->learnMotifs->trigger();
        QVERIFY(w->isBusy());
        QTest::mouseClick(w->learnPanel()->cancelButton(), Qt::LeftButton);
    }));
    compareColumns(before, doc->columnSet());
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(doc->motifTable().size(), tableBefore.size());
    for (int id = 0; id < tableBefore.size(); ++id)
        QCOMPARE(doc->motifTable().motifs[std::size_t(id)].name, tableBefore.motifs[std::size_t(id)].name);
    QCOMPARE(doc->undoStack()->count(), undoSteps);
    QCOMPARE(doc->isModified(), modified);
}

namespace {

/** Pixels whose colour is clearly not grey (motif markers on a grey micrograph). */
long long colouredPixels(const QImage& image)
{
    long long n = 0;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); ++y)
        for (int x = 0; x < rgb.width(); ++x)
            if (QColor(rgb.pixel(x, y)).hsvSaturation() > 120)
                ++n;
    return n;
}

/** The lowest row with a dark pixel in the figure's left half (where the micrograph panel is). */
int lowestDarkRow(const QImage& figure)
{
    const QImage rgb = figure.convertToFormat(QImage::Format_RGB32);
    for (int y = rgb.height() - 1; y >= 0; --y)
        for (int x = 0; x < rgb.width() / 2; ++x)
            if (qGray(rgb.pixel(x, y)) < 40)
                return y;
    return -1;
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

void TestSessionWindow::exportsFiguresDataAndView()
{
    auto w = newWindow();
    QVERIFY(openDetectLearn(*w));
    QVERIFY(runAndWait(w.get(), [&] { w->buildHierarchy(); }));
    QSignalSpy exported(w.get(), &MainWindow::figureExported);

    motifscope::ui::FigureExportRequest request;
    request.path = mDir.filePath(QStringLiteral("whole.png"));
    request.options.dpi = 150;
    request.options.widthMm = 100.0;
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportFigureTo(request)); }));
    QCOMPARE(exported.count(), 1);
    QVERIFY2(exported.at(0).at(1).toBool(), qPrintable(exported.at(0).at(2).toString()));
    const QImage whole(request.path);
    QVERIFY(!whole.isNull());
    QVERIFY2(std::abs(whole.width() - 100.0 / 25.4 * 150.0) <= 2.0, qPrintable(QString::number(whole.width())));
    QVERIFY(motifscope::test::greyVariance(whole) > 100.0); // not blank
    QVERIFY(colouredPixels(whole) > 200);                    // motif-coloured markers

    // The current view only: a crop of the image (another aspect), fewer columns.
    w->imageView()->setView(4.0, QPointF(160.0, 160.0));
    const QRect region = w->imageView()->visibleImageRect().toAlignedRect();
    const motifscope::FigureContent part = motifscope::ui::figureContentOf(w->sessionContent(), region);
    QVERIFY(part.columns.size() < w->document()->columns().size());
    QVERIFY(!part.columns.empty());
    QCOMPARE(part.width, region.intersected(QRect(0, 0, 320, 320)).width());
    request.path = mDir.filePath(QStringLiteral("view.png"));
    request.currentViewOnly = true;
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportFigureTo(request)); }));
    const QImage view(request.path);
    QVERIFY(!view.isNull());
    QCOMPARE(view.width(), whole.width());
    // The micrograph panel (left) takes the crop's aspect; the figure's height may be the side
    // panel's (legend, averages, hierarchy) in both.
    const int wholePanel = lowestDarkRow(whole), viewPanel = lowestDarkRow(view);
    QVERIFY2(std::abs(viewPanel - wholePanel) > view.width() / 5,
             qPrintable(QStringLiteral("micrograph panels end at rows %1 and %2").arg(viewPanel).arg(wholePanel)));
    QVERIFY(motifscope::test::greyVariance(view) > 100.0);

    // Vector formats.
    request.currentViewOnly = false;
    request.path = mDir.filePath(QStringLiteral("figure.svg"));
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportFigureTo(request)); }));
    const QByteArray svg = fileBytes(request.path);
    QVERIFY(svg.contains("<svg"));
    QVERIFY(svg.contains(w->document()->motifTable().motifs[0].colour.name().toLatin1()));
    request.path = mDir.filePath(QStringLiteral("figure.pdf"));
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportFigureTo(request)); }));
    const QByteArray pdf = fileBytes(request.path);
    QVERIFY(pdf.startsWith("%PDF") && pdf.size() > 1000);
    request.path = mDir.filePath(QStringLiteral("figure.txt"));
    QVERIFY(!w->exportFigureTo(request));
    QVERIFY(!QFileInfo::exists(request.path));

    // Data: every table the document has, in the analysis-folder formats.
    const QString folder = mDir.filePath(QStringLiteral("data"));
    QSignalSpy data(w.get(), &MainWindow::dataExported);
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportDataTo(folder)); }));
    QCOMPARE(data.count(), 1);
    QVERIFY2(data.at(0).at(1).toBool(), qPrintable(data.at(0).at(2).toString()));
    const QList<QByteArray> lines = fileBytes(QDir(folder).filePath(QStringLiteral("columns.csv"))).trimmed().split('\n');
    QCOMPARE(qsizetype(lines.size()), qsizetype(w->document()->columns().size() + 1));
    QVERIFY(lines[0].startsWith("x,y,intensity,motif,confidence"));
    for (const char* name : {"features.csv", "embedding.csv", "motifs.json", "hierarchy.json"})
        QVERIFY2(fileBytes(QDir(folder).filePath(QString::fromLatin1(name))).size() > 10, name);

    // Copy View: the view as shown.
    QGuiApplication::clipboard()->clear();
    w->actions()->copyView->trigger();
    const QImage copied = QGuiApplication::clipboard()->image();
    QVERIFY(!copied.isNull());
    QCOMPARE(copied.size() / copied.devicePixelRatio(), w->imageView()->size());
}

void TestSessionWindow::exportDialogFollowsExtension()
{
    motifscope::ui::ExportFigureDialog dialog;
    motifscope::ui::FigureExportRequest r;
    r.path = QStringLiteral("/tmp/a.png");
    r.options.dpi = 600;
    r.options.averages = false;
    r.currentViewOnly = true;
    dialog.setRequest(r);
    QCOMPARE(dialog.formatBox()->currentIndex(), 0);
    QVERIFY(dialog.dpiBox()->isEnabled());
    dialog.pathEdit()->setText(QStringLiteral("/tmp/b.svg"));
    Q_EMIT dialog.pathEdit()->textEdited(dialog.pathEdit()->text());
    QCOMPARE(dialog.formatBox()->currentIndex(), 1);
    QVERIFY(!dialog.dpiBox()->isEnabled());
    dialog.formatBox()->setCurrentIndex(2); // as a user choosing PDF

    Q_EMIT dialog.formatBox()->activated(2);
    QCOMPARE(dialog.pathEdit()->text(), QStringLiteral("/tmp/b.pdf"));
    const motifscope::ui::FigureExportRequest back = dialog.request();
    QCOMPARE(back.path, QStringLiteral("/tmp/b.pdf"));
    QCOMPARE(back.options.dpi, 600);
    QVERIFY(!back.options.averages);
    QVERIFY(back.options.legend);
    QVERIFY(back.currentViewOnly);
}

void TestSessionWindow::dropOpensSessionAndImageProblemsAreReported()
{
    // A session of a copy of the micrograph, so the copy can be changed and removed.
    const QString image = mDir.filePath(QStringLiteral("copy.tif"));
    QFile::remove(image);
    QVERIFY(QFile::copy(mImagePath, image));
    auto a = newWindow();
    QVERIFY(runAndWait(a.get(), [&] { a->openFile(image); }));
    QVERIFY(runAndWait(a.get(), [&] { a->actions()->detectColumns->trigger(); }));
    const QString path = mDir.filePath(QStringLiteral("dropped.motifscope"));
    QVERIFY(runAndWait(a.get(), [&] { a->saveSessionAs(path); }));

    // Dropped on a window, the session opens as through File > Open.
    auto b = newWindow();
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(300, 300), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(b.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPoint(300, 300), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QVERIFY(runAndWait(b.get(), [&] { QApplication::sendEvent(b.get(), &drop); }));
    QCOMPARE(b->document()->sessionPath(), path);
    compareColumns(a->document()->columnSet(), b->document()->columnSet());
    if (QTest::currentTestFailed())
        return;

    // The image file changed since the save: opened, with a one-line warning naming it.
    {
        QFile f(image);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(f.size() - 4));
        f.write("\x01\x02\x03\x04");
    }
    auto c = newWindow();
    QSignalSpy opened(c.get(), &MainWindow::sessionOpened);
    QVERIFY(runAndWait(c.get(), [&] { c->openSession(path); }));
    QVERIFY(opened.at(0).at(1).toBool());
    QCOMPARE(c->document()->columns().size(), a->document()->columns().size());
    const QString warning = c->statusBar()->currentMessage();
    QVERIFY2(warning.contains(QStringLiteral("copy.tif")) && warning.contains(QStringLiteral("changed")),
             qPrintable(warning));

    // The image is gone: not opened, one error naming the session and the missing file.
    QVERIFY(QFile::remove(image));
    auto d = newWindow();
    QSignalSpy failed(d.get(), &MainWindow::sessionOpened);
    QVERIFY(runAndWait(d.get(), [&] { d->openSession(path); }));
    QVERIFY(!failed.at(0).at(1).toBool());
    const QString message = failed.at(0).at(2).toString();
    QVERIFY2(message.contains(QStringLiteral("dropped.motifscope")) && message.contains(QStringLiteral("copy.tif"))
                 && message.contains(QStringLiteral("not found")),
             qPrintable(message));
    QVERIFY(!d->document()->hasMicrograph());
    QCOMPARE(d->statusBar()->currentMessage(), message);
}

void TestSessionWindow::largeSessionRoundTrip()
{
    // 10^5 columns with motifs, map, orientation and edits: what the save / open jobs run off the GUI thread.
    motifscope::ui::SessionContent content;
    content.micrograph = std::make_shared<const motifscope::Micrograph>(motifscope::readMicrograph(mImagePath.toStdString()));
    content.imagePath = mImagePath;
    ColumnSet& set = content.columns;
    const std::size_t n = 100000;
    for (std::size_t i = 0; i < n; ++i) {
        motifscope::AtomColumn c;
        c.x = double(i % 317) + 0.001 * double(i % 7);
        c.y = double(i / 317) * 0.1 + 0.25;
        c.intensity = float(i % 1000) / 1000.0f;
        set.columns.push_back(c);
        set.classes.push_back(int(i % 4) - 1);
        set.confidence.push_back(float(i % 100) / 99.0f);
        set.map.push_back(i % 10 == 0 ? motifscope::ui::MapPoint{} : motifscope::ui::MapPoint{float(i) * 1e-3f, -float(i % 13)});
        set.orientation.push_back(float(i % 628) / 100.0f);
        set.edits.push_back(std::uint8_t(i % 8));
    }
    for (int id = 0; id < 3; ++id)
        content.motifs.motifs.push_back({QStringLiteral("m%1").arg(id), QColor::fromHsv(100 * id, 200, 200), {}});
    const QString path = mDir.filePath(QStringLiteral("large.motifscope"));
    QElapsedTimer clock;
    clock.start();
    motifscope::ui::writeSessionFile(content, path);
    const motifscope::ui::SessionContent back = motifscope::ui::readSessionFile(path);
    qInfo("10^5 columns: save + open %lld ms, %lld bytes", clock.elapsed(), QFileInfo(path).size());
    compareColumns(set, back.columns);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(back.motifs.size(), 3);
    QCOMPARE(back.motifs.motifs[2].colour.rgba(), content.motifs.motifs[2].colour.rgba());
    QVERIFY(back.warning.isEmpty());
}

void TestSessionWindow::autosaveIntervalAndRecentSessionsFromSettings()
{
    {
        QSettings settings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication());
        settings.setValue(QStringLiteral("autosave/intervalMinutes"), 0.5);
        settings.setValue(QStringLiteral("recentSessions"), QStringList{QStringLiteral("/data/a.motifscope")});
        settings.setValue(QStringLiteral("recentFiles"), QStringList{QStringLiteral("/data/a.tif")});
    }
    auto w = newWindow();
    QCOMPARE(w->autosaveTimer()->interval(), 30000);
    QCOMPARE(w->recentSessions()->files(), QStringList{QStringLiteral("/data/a.motifscope")});
    QCOMPARE(w->recentFiles()->files(), QStringList{QStringLiteral("/data/a.tif")});
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
}

QTEST_MAIN(TestSessionWindow)
#include "test_session_window.moc"
