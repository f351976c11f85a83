// Sessions in the real main window: open a micrograph, detect, learn, relabel, undo / redo, save,
// reopen in a fresh window and compare field by field (also after hand edits and Analyze: the map
// shows the same region, the hierarchy cards the same names); a dropped session opens, a changed or missing
// image is reported; a damaged session is one error and changes nothing; 10^5 columns round trip.
// Unsaved work (modified flag, autosave, cancelled jobs): test_session_unsaved.cpp; exports:
// test_session_exports.cpp.
#include "session_window_test_support.h"
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/detect/detectionpanel.h"
#include "ui/document/micrographdocument.h"
#include "ui/export/documentexport.h"
#include "ui/hierarchy/hierarchynodeitem.h"
#include "ui/hierarchy/hierarchytreeview.h"
#include "core/io/readers.h"
#include "ui/learn/embeddingplot.h"
#include "ui/learn/featurespanel.h"
#include "ui/learn/learnpanel.h"
#include "ui/session/sessionconvert.h"
#include "ui/views/imageview.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QUrl>

#include <memory>

using namespace motifscope::test;
using motifscope::ui::ColumnSet;
using motifscope::ui::MainWindow;
using motifscope::ui::MicrographDocument;

class TestSessionWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpSessionTests(mDir, mImagePath)); }
    void init() { QFile::remove(MainWindow::recoveryFilePath()); } // no recovery file from an earlier test
    void saveAndReopenRestoresEverything();
    void handEditsAndAnalyzeReopenIdentically();
    void damagedSessionIsOneErrorAndChangesNothing();
    void dropOpensSessionAndImageProblemsAreReported();
    void largeSessionRoundTrip();

private:
    QTemporaryDir mDir;
    QString mImagePath;
};

void TestSessionWindow::saveAndReopenRestoresEverything()
{
    auto a = newWindow();
    a->learnPanel()->seedBox()->setValue(7);
    a->featuresPanel()->setNMax(8);
    QVERIFY(openDetectLearn(*a, mImagePath));
    MicrographDocument* doc = a->document();
    QVERIFY(doc->motifTable().size() >= 2);

    // Relabel three columns to another motif; undo and redo the step.
    const int from = doc->columnSet().classOf(0);
    const int to = from == 0 ? 1 : 0;
    const ColumnSet learned = doc->columnSet();
    doc->assignColumnsToMotif({0, 1, 2}, to);
    QCOMPARE(doc->columnSet().classOf(0), to);
    QCOMPARE(int(doc->columnSet().editsOf(0)), int(motifscope::kColumnLabelledByHand));
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
    QCOMPARE(file.columns.classOf(0), to);
    QCOMPARE(int(file.columns.editsOf(0)), int(motifscope::kColumnLabelledByHand));
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
    QCOMPARE(int(b->document()->columnSet().editsOf(5)) & motifscope::kColumnMovedByHand,
             int(motifscope::kColumnMovedByHand));
    QCOMPARE(int(b->document()->columnSet().editsOf(b->document()->columns().size() - 1)),
             int(motifscope::kColumnAddedByHand));
}

/**
 * The daily loop, then save and reopen (issue 16): detect, add a column and rename a motif by hand,
 * Analyze (which learns on those columns and keeps the name), save; a fresh window of the same
 * size shows the same document, the same map axes (embedding points at the same canvas pixels),
 * the same legend and the same hierarchy cards under the same names.
 */
void TestSessionWindow::handEditsAndAnalyzeReopenIdentically()
{
    auto a = newWindow();
    QVERIFY(openDetectLearn(*a, mImagePath));
    MicrographDocument* doc = a->document();
    doc->renameMotif(1, QStringLiteral("Se2 site"));
    const auto& c0 = doc->columns()[0];
    const auto& c1 = doc->columns()[1];
    doc->addColumn(motifscope::AtomColumn{0.5 * (c0.x + c1.x) + 0.25, 0.5 * (c0.y + c1.y) - 0.25});
    QVERIFY(runAndWait(a.get(), [&] { a->requestAnalysis(); }, 180000));
    QVERIFY(doc->hierarchy());
    QVERIFY(a->document()->motifTable().size() >= 2);
    QVERIFY2(a->embeddingPlot()->legendEntries().join(QStringLiteral(" ")).contains(QStringLiteral("Se2 site")),
             qPrintable(a->embeddingPlot()->legendEntries().join(QStringLiteral(" | "))));
    const QString path = mDir.filePath(QStringLiteral("daily.motifscope"));
    QVERIFY(runAndWait(a.get(), [&] { QVERIFY(a->saveSessionAs(path)); }));

    auto b = newWindow();
    QVERIFY(QTest::qWaitForWindowExposed(b.get()));
    QVERIFY(runAndWait(b.get(), [&] { b->openFile(path); }));
    compareDocuments(*doc, *b->document());
    if (QTest::currentTestFailed())
        return;
    // The map: same points, same axes, same legend (in windows of one size, the same docks in front).
    for (auto* w : {a.get(), b.get()}) {
        w->resize(1600, 1000);
        for (const char* dock : {"hierarchyDock", "learnDock"})
            w->findChild<QDockWidget*>(QLatin1String(dock))->raise();
    }
    QTest::qWait(50);
    auto* mapA = a->embeddingPlot();
    auto* mapB = b->embeddingPlot();
    mapA->replotNow();
    mapB->replotNow();
    QCOMPARE(mapB->pointCount(), mapA->pointCount());
    QVERIFY(mapB->embedding() == mapA->embedding());
    // The axes show the same region of the map (the docks may share the height a pixel differently).
    auto shown = [](motifscope::ui::EmbeddingPlot* m) {
        const QRect r = m->canvasAxisRect();
        return QRectF(m->mapFromCanvas(r.topLeft()), m->mapFromCanvas(r.bottomRight()));
    };
    const QRectF shownA = shown(mapA), shownB = shown(mapB);
    const double tolerance = 0.02 * std::max(std::abs(shownA.width()), std::abs(shownA.height()));
    for (const auto& [u, v] : {std::pair{shownA.left(), shownB.left()}, {shownA.right(), shownB.right()},
                               {shownA.top(), shownB.top()}, {shownA.bottom(), shownB.bottom()}})
        QVERIFY2(std::abs(u - v) < tolerance,
                 qPrintable(QStringLiteral("map shows x %1..%2, y %3..%4 before; x %5..%6, y %7..%8 reopened")
                                .arg(shownA.left()).arg(shownA.right()).arg(shownA.bottom()).arg(shownA.top())
                                .arg(shownB.left()).arg(shownB.right()).arg(shownB.bottom()).arg(shownB.top())));
    QCOMPARE(mapB->legendEntries(), mapA->legendEntries());
    // The hierarchy cards: the same nodes under the same (the user's) names.
    const QStringList ids = a->hierarchyView()->nodeIds();
    QVERIFY(!ids.isEmpty());
    QCOMPARE(b->hierarchyView()->nodeIds(), ids);
    bool named = false;
    for (const QString& id : ids) {
        QCOMPARE(b->hierarchyView()->nodeItem(id)->name(), a->hierarchyView()->nodeItem(id)->name());
        named = named || a->hierarchyView()->nodeItem(id)->name().contains(QStringLiteral("Se2 site"));
    }
    QVERIFY2(named, "no card names the renamed motif");
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
        set.map.push_back(i % 10 == 0 ? motifscope::MapPoint{} : motifscope::MapPoint{float(i) * 1e-3f, -float(i % 13)});
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

QTEST_MAIN(TestSessionWindow)
#include "test_session_window.moc"
