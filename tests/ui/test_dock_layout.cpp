// Docks laid out for a 1600 x 1000 window (issue 16 point 8), after Analyze of the bundled sample:
// the Motifs gallery shows at least three cards per row; the Hierarchy wraps each level's cards to
// the dock's width (no sideways scrolling) and shows at least four whole cards; the Features panel
// scrolls only down and cuts no text. Set MOTIFSCOPE_TEST_SHOTS=DIR to save the docks as PNGs.
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/document/micrographdocument.h"
#include "ui/hierarchy/hierarchynodeitem.h"
#include "ui/hierarchy/hierarchytreeview.h"
#include "ui/learn/featurespanel.h"
#include "ui/learn/motifgallery.h"
#include "ui/window/appsettings.h"
#include "ui/window/mainwindow.h"

#include <QDockWidget>
#include <QLabel>
#include <QListView>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardPaths>

#include <memory>

using motifscope::test::runAndWait;
using motifscope::ui::MainWindow;

namespace {

/** Saves `widget` as NAME.png under $MOTIFSCOPE_TEST_SHOTS (when set): for looking at the layout. */
void shoot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("MOTIFSCOPE_TEST_SHOTS");
    if (!dir.isEmpty())
        widget->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

QDockWidget* raised(MainWindow& window, const QString& name)
{
    auto* dock = window.findChild<QDockWidget*>(name);
    if (dock) {
        dock->raise();
        QCoreApplication::processEvents();
    }
    return dock;
}

} // namespace

class TestDockLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void docksFitA1600x1000Window();
};

void TestDockLayout::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
}

void TestDockLayout::docksFitA1600x1000Window()
{
    MainWindow window;
    window.setInteractive(false);
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString sample = QString::fromStdString(motifscope::test::sourcePath("resources/MoSe2_80K_small_region.tif"));
    QVERIFY(runAndWait(&window, [&] { window.openFile(sample); }));
    QVERIFY(runAndWait(&window, [&] { window.requestAnalysis(); }, 180000));
    QVERIFY(window.document()->motifTable().size() >= 3);
    QVERIFY(window.document()->hierarchy());
    shoot(&window, QStringLiteral("window"));

    // Motifs: three or more cards side by side.
    QVERIFY(raised(window, QStringLiteral("galleryDock")));
    QListView* gallery = window.motifGallery()->view();
    const int first = gallery->visualRect(gallery->model()->index(0, 0)).top();
    int onFirstRow = 0;
    for (int r = 0; r < gallery->model()->rowCount(); ++r)
        onFirstRow += gallery->visualRect(gallery->model()->index(r, 0)).top() == first;
    shoot(window.findChild<QDockWidget*>(QStringLiteral("galleryDock")), QStringLiteral("gallery"));
    QVERIFY2(onFirstRow >= std::min(3, gallery->model()->rowCount()), qPrintable(QString::number(onFirstRow)));

    // Hierarchy: no sideways scrolling, four whole cards in view at a legible scale.
    QVERIFY(raised(window, QStringLiteral("hierarchyDock")));
    auto* tree = window.hierarchyView();
    tree->fitAll();
    shoot(window.findChild<QDockWidget*>(QStringLiteral("hierarchyDock")), QStringLiteral("hierarchy"));
    QCOMPARE(tree->horizontalScrollBar()->maximum(), 0);
    QVERIFY(tree->zoom() >= motifscope::ui::HierarchyTreeView::kMinReadableScale);
    int whole = 0;
    for (const QString& id : tree->nodeIds()) {
        const QRect r = tree->mapFromScene(tree->nodeItem(id)->sceneBoundingRect()).boundingRect();
        whole += tree->viewport()->rect().contains(r);
    }
    QVERIFY2(whole >= std::min<qsizetype>(4, tree->nodeIds().size()), qPrintable(QString::number(whole)));

    // Features of a selected column: scrolls only down, every label whole.
    window.document()->setSelection({0});
    QVERIFY(raised(window, QStringLiteral("featuresDock")));
    auto* scroll = qobject_cast<QScrollArea*>(window.findChild<QDockWidget*>(QStringLiteral("featuresDock"))->widget());
    QVERIFY(scroll);
    QCoreApplication::processEvents();
    shoot(window.findChild<QDockWidget*>(QStringLiteral("featuresDock")), QStringLiteral("features"));
    QVERIFY(!scroll->horizontalScrollBar()->isVisible());
    QVERIFY(window.featuresPanel()->width() <= scroll->viewport()->width());
    for (QLabel* label : window.featuresPanel()->findChildren<QLabel*>()) {
        if (!label->isVisible() || label->text().isEmpty() || label->wordWrap())
            continue;
        QVERIFY2(label->width() >= label->sizeHint().width(), qPrintable(label->text()));
    }
}

QTEST_MAIN(TestDockLayout)
#include "test_dock_layout.moc"
