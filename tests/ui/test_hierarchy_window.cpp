// The motif hierarchy in the main window: detect on a synthetic pentagon network, build the
// hierarchy off the GUI thread, the dock's tree matches the core result, a click outlines the
// node's occurrences on the image, the tree exports as SVG and PNG, new columns clear it; on the
// cells route (the bundled MoSe2 region) a click outlines unit cells and defect clusters.
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/document/micrographdocument.h"
#include "ui/hierarchy/hierarchynodeitem.h"
#include "ui/hierarchy/hierarchytreeview.h"
#include "ui/jobs/hierarchyjob.h"
#include "core/pipeline/full_analysis.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "ui/views/hierarchyoverlay.h"
#include "ui/window/appsettings.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QDockWidget>
#include <QFileInfo>
#include <QImage>
#include <QMenu>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>

using motifscope::ui::HierarchyNodeItem;
using motifscope::ui::MainWindow;

namespace {

using motifscope::test::runAndWait;

} // namespace

class TestHierarchyWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
    }
    void buildsShowsOutlinesAndExports();
    void analyzeEndsWithTheHierarchy();
    void cellsRouteOutlinesDefectClusters();
};

void TestHierarchyWindow::analyzeEndsWithTheHierarchy()
{
    MainWindow window;
    window.setInteractive(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.document()->setMicrograph(motifscope::synth::synthesize(motifscope::test::synthOptions("pentagon-network", 384, 4)).image,
                                     QStringLiteral("pentagons.tif"));
    // Idle only once detection, learning and the hierarchy are all done.
    QVERIFY(runAndWait(&window, [&] { window.requestAnalysis(); }));
    QVERIFY(!window.document()->motifTable().empty());
    QVERIFY(window.document()->hierarchy());
    QVERIFY(!window.hierarchyView()->nodeIds().isEmpty());
}

void TestHierarchyWindow::buildsShowsOutlinesAndExports()
{
    MainWindow window;
    window.setInteractive(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("hierarchyDock")));

    window.document()->setMicrograph(motifscope::synth::synthesize(motifscope::test::synthOptions("pentagon-network", 384, 3)).image,
                                     QStringLiteral("pentagons.tif"));
    QVERIFY(!window.actions()->buildHierarchy->isEnabled());
    QVERIFY(runAndWait(&window, [&] { window.actions()->detectColumns->trigger(); }));
    QVERIFY(window.document()->columns().size() > 100);
    QVERIFY(window.actions()->buildHierarchy->isEnabled());
    QVERIFY(!window.document()->hierarchy());

    QVERIFY(runAndWait(&window, [&] { window.actions()->buildHierarchy->trigger(); }));
    const auto h = window.document()->hierarchy();
    QVERIFY(h);

    // The same computation on the GUI thread: the dock shows exactly its levels and counts.
    std::vector<motifscope::Point2> points;
    for (const auto& c : window.document()->columns())
        points.push_back(motifscope::Point2{c.x, c.y});
    const motifscope::HierarchyResult core = motifscope::buildHierarchy(
        points, nullptr, motifscope::HierarchyParams{}, motifscope::HierarchyRoute::Automatic);
    QCOMPARE(h->route, core.route);
    QVERIFY(core.levels.size() >= 2);
    QCOMPARE(h->levels.size(), core.levels.size());
    const QStringList ids = window.hierarchyView()->nodeIds();
    int levelsShown = 0;
    for (const auto& level : core.levels) {
        bool shown = false;
        for (const auto& m : level.motifs) {
            HierarchyNodeItem* item = window.hierarchyView()->nodeItem(QString::fromStdString(m.id));
            if (!item)
                continue; // beyond the row's limit
            shown = true;
            QCOMPARE(item->countText(), HierarchyNodeItem::countText(m.count, m.fraction));
        }
        levelsShown += shown ? 1 : 0;
    }
    QVERIFY(levelsShown >= 2);

    // A click on the first card of level 1 outlines its occurrences; one of level 2 too.
    auto* overlay = window.hierarchyOverlay();
    QVERIFY(overlay->occurrences().isEmpty());
    auto* view = window.hierarchyView();
    for (const QString& id : {QStringLiteral("L1-0"), QStringLiteral("L2-0")}) {
        QVERIFY2(ids.contains(id), qPrintable(id));
        view->centerOn(view->nodeItem(id));
        const QPoint at = view->mapFromScene(view->nodeItem(id)->scenePos() + QPointF(10, -20));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(overlay->node(), id);
        QVERIFY(!overlay->occurrences().isEmpty());
    }
    const std::size_t firstCount = std::size_t(core.levels[0].motifs[0].count);
    window.showHierarchyNode(QStringLiteral("L1-0"));
    QCOMPARE(std::size_t(overlay->occurrences().size()), firstCount);

    // The motif layer: every counted ring in its level-1 colour, toggled from the View menu.
    QAction* layer = overlay->motifLayerAction();
    QVERIFY(!overlay->isMotifLayerVisible());
    QCOMPARE(qsizetype(overlay->motifShapes().size()), qsizetype(core.levels[0].total()));
    bool inViewMenu = false;
    for (QObject* owner : layer->associatedObjects())
        if (auto* menu = qobject_cast<QMenu*>(owner))
            inViewMenu = inViewMenu || menu->actions().contains(window.actions()->showColumns);
    QVERIFY(inViewMenu);
    const QImage before = window.grab().toImage();
    layer->trigger();
    QVERIFY(overlay->isMotifLayerVisible());
    QVERIFY(window.grab().toImage() != before);
    QVERIFY(window.grab().save(QStringLiteral("/tmp/gui-hierarchy-motif-layer.png")));

    QTemporaryDir dir;
    const QString svg = dir.filePath(QStringLiteral("tree.svg"));
    const QString png = dir.filePath(QStringLiteral("tree.png"));
    QVERIFY(window.exportHierarchyTo(svg));
    QVERIFY(window.exportHierarchyTo(png));
    QVERIFY(QFileInfo(svg).size() > 1000);
    QVERIFY(!QImage(png).isNull());
    QVERIFY(window.grab().save(QStringLiteral("/tmp/gui-hierarchy-window.png")));

    // New columns make the hierarchy stale: it goes, with the tree and the outlines.
    QVERIFY(runAndWait(&window, [&] { window.actions()->detectColumns->trigger(); }));
    QVERIFY(!window.document()->hierarchy());
    QVERIFY(window.hierarchyView()->nodeIds().isEmpty());
    QVERIFY(overlay->occurrences().isEmpty());
    QVERIFY(overlay->motifShapes().isEmpty());
}

void TestHierarchyWindow::cellsRouteOutlinesDefectClusters()
{
    // The bundled MoSe2 region with its learned motifs: a crystal with defects, so the cells route;
    // a click on a level-1 node outlines its cells, on a level-2 node each of its defect clusters.
    MainWindow window;
    window.setInteractive(false);
    window.resize(1280, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString path = QString::fromStdString(motifscope::test::sourcePath("resources/MoSe2_80K_small_region.tif"));
    QVERIFY(runAndWait(&window, [&] { window.openFile(path); }));
    QVERIFY(runAndWait(&window, [&] { window.requestAnalysis(); })); // detect, learn, hierarchy
    const auto h = window.document()->hierarchy();
    QVERIFY(h);
    QCOMPARE(QString::fromStdString(h->route), QStringLiteral("cells"));
    QVERIFY(h->levels.size() == 2 && !h->levels[1].motifs.empty());
    auto* overlay = window.hierarchyOverlay();
    auto* view = window.hierarchyView();
    for (const auto& level : h->levels) {
        const auto& m = level.motifs.front();
        const QString id = QString::fromStdString(m.id);
        view->centerOn(view->nodeItem(id));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->mapFromScene(view->nodeItem(id)->scenePos() + QPointF(10, -20)));
        QCOMPARE(overlay->node(), id);
        QCOMPARE(overlay->occurrences().size(), qsizetype(m.count)); // cells, then clusters
        QVERIFY(view->nodeItem(id)->hasDrawing()); // a cell or a cluster with its columns, not a glyph
    }
    QCOMPARE(qsizetype(overlay->motifShapes().size()), qsizetype(h->levels[0].total()));
    overlay->setMotifLayerVisible(true);
    QVERIFY(window.grab().save(QStringLiteral("/tmp/gui-hierarchy-cells.png")));
}

QTEST_MAIN(TestHierarchyWindow)
#include "test_hierarchy_window.moc"
