// HierarchyTreeView on a hierarchy computed by core from a synthetic pentagon network: one card per
// motif per level with its drawing, clicks report ids, SVG and PNG export.
#include "test_support.h"
#include "ui_test_support.h"

#include "core/hierarchy/hierarchy.h"
#include "ui/hierarchy/hierarchynodeitem.h"
#include "ui/hierarchy/hierarchytreeview.h"
#include "ui/hierarchy/motifdrawing.h"
#include "core/synth/synth.h"
#include "synth_options.h"

#include <QApplication>
#include <QFile>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QScrollBar>
#include <QSignalSpy>
#include <QWheelEvent>
#include <QXmlStreamReader>

#include <QSet>

#include <map>
#include <set>

using namespace motifscope;
using namespace motifscope::ui;

namespace {

struct Network
{
    std::vector<Point2> points;
    HierarchyResult result;
};

/** The planted columns of a small noiseless pentagon network and core's polygon hierarchy of them. */
const Network& pentagonNetwork()
{
    static const Network network = [] {
        synth::SynthOptions options = test::synthOptions("pentagon-network", 200, 5);
        options.noise = false;
        const synth::SynthResult synth = synth::synthesize(options);
        Network n;
        for (const synth::TruthColumn& c : synth.truth)
            n.points.push_back({c.x, c.y});
        n.result = buildPolygonHierarchy(n.points, nullptr, HierarchyParams{});
        return n;
    }();
    return network;
}

int motifCount(const HierarchyResult& r)
{
    int total = 0;
    for (const HierarchyLevel& level : r.levels)
        total += int(level.motifs.size());
    return total;
}

} // namespace

class TestHierarchyView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void networkHasThreeLevels();
    void oneCardPerMotifPerLevel();
    void cardsDrawTheirMotifs();
    void edgesJoinChildrenToParents();
    void clickEmitsNodeId();
    void glyphsWithoutGeometry();
    void cardNamesWrapBeforeTheyElide();
    void longLevelsAreCapped();
    void bigTreeStaysReadableInADock();
    void svgExportIsParseableAndHasCounts();
    void pngExportIsNonBlank();
};

void TestHierarchyView::networkHasThreeLevels()
{
    const Network& n = pentagonNetwork();
    QCOMPARE(int(n.result.levels.size()), 3);
    for (const HierarchyLevel& level : n.result.levels)
        QVERIFY2(!level.motifs.empty(), qPrintable(QString::number(level.level)));
    qInfo("pentagon network: %d columns, %d rings, motifs per level %d / %d / %d", int(n.points.size()),
          int(n.result.rings.size()), int(n.result.levels[0].motifs.size()), int(n.result.levels[1].motifs.size()),
          int(n.result.levels[2].motifs.size()));
}

void TestHierarchyView::oneCardPerMotifPerLevel()
{
    const Network& n = pentagonNetwork();
    HierarchyTreeView view;
    view.setMaxNodesPerLevel(1000);
    view.setHierarchy(n.result, n.points);
    QCOMPARE(view.nodeIds().size(), motifCount(n.result));
    QStringList expected;
    for (const HierarchyLevel& level : n.result.levels)
        for (const MotifNode& m : level.motifs)
            expected.append(QString::fromStdString(m.id));
    QCOMPARE(view.nodeIds(), expected);
    // Rows: the cards of level k fill rows of at most cardsPerRow() (wrapped to the view's
    // width), every row of level k below every row of level k - 1.
    double previousY = -1e9;
    for (const HierarchyLevel& level : n.result.levels) {
        std::map<double, int> rows; // y -> cards on that row
        for (const MotifNode& m : level.motifs) {
            HierarchyNodeItem* item = view.nodeItem(QString::fromStdString(m.id));
            QVERIFY(item);
            QCOMPARE(item->countText(), HierarchyNodeItem::countText(m.count, m.fraction));
            ++rows[item->pos().y()];
        }
        for (const auto& [y, cards] : rows)
            QVERIFY(cards <= view.cardsPerRow());
        QCOMPARE(int(rows.size()), (int(level.motifs.size()) + view.cardsPerRow() - 1) / view.cardsPerRow());
        QVERIFY(rows.begin()->first > previousY);
        previousY = rows.rbegin()->first;
    }
}

void TestHierarchyView::cardsDrawTheirMotifs()
{
    const Network& n = pentagonNetwork();
    const QHash<QString, MotifDrawing> drawings = representativeDrawings(n.result, n.points);
    for (const HierarchyLevel& level : n.result.levels)
        for (const MotifNode& m : level.motifs) {
            const QString id = QString::fromStdString(m.id);
            QVERIFY2(drawings.contains(id), qPrintable(id + QStringLiteral(" ") + QString::fromStdString(m.canonical)));
            const MotifDrawing& d = drawings[id];
            // Ring columns (centres of filled rings excluded) as many as the motif's members (levels 1, 2:
            // always the same; level 3 reports the most common count).
            QSet<QPair<double, double>> onRings;
            for (const QPolygonF& ring : d.rings)
                for (const QPointF& p : ring)
                    onRings.insert({p.x(), p.y()});
            if (level.level <= 2)
                QCOMPARE(int(onRings.size()), m.members);
            QCOMPARE(d.columnMotif.size(), d.columns.size());
            if (level.level == 1)
                QCOMPARE(int(d.rings.size()), 1);
            if (level.level == 2)
                QCOMPARE(int(d.rings.size()), 2);
            if (level.level == 3)
                QCOMPARE(int(d.rings.size()), 1 + int(d.rings.first().size()));
            for (const auto& [a, b] : d.bonds)
                QVERIFY(a >= 0 && b >= 0 && a < d.columns.size() && b < d.columns.size() && a != b);
        }
    HierarchyTreeView view;
    view.setMaxNodesPerLevel(1000);
    view.setHierarchy(n.result, n.points);
    for (const QString& id : view.nodeIds())
        QVERIFY(view.nodeItem(id)->hasDrawing());
}

void TestHierarchyView::edgesJoinChildrenToParents()
{
    const Network& n = pentagonNetwork();
    HierarchyTreeView view;
    view.setMaxNodesPerLevel(1000);
    view.setHierarchy(n.result, n.points);
    int links = 0;
    for (const HierarchyLevel& level : n.result.levels)
        for (const MotifNode& m : level.motifs)
            links += int(m.children.size());
    int paths = 0;
    for (QGraphicsItem* item : view.scene()->items())
        if (dynamic_cast<QGraphicsPathItem*>(item))
            ++paths;
    QVERIFY(links > 0);
    QCOMPARE(paths, links);
}

void TestHierarchyView::clickEmitsNodeId()
{
    const Network& n = pentagonNetwork();
    HierarchyTreeView view;
    view.resize(900, 600);
    view.setMaxNodesPerLevel(6);
    view.setHierarchy(n.result, n.points);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &HierarchyTreeView::nodeActivated);
    for (const QString& id : {view.nodeIds().first(), view.nodeIds().last()}) {
        HierarchyNodeItem* item = view.nodeItem(id);
        const QPoint at = view.mapFromScene(item->scenePos() + QPointF(10, -20));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(spy.last().at(0).toString(), id);
        QCOMPARE(view.currentNode(), id);
        QVERIFY(item->isCurrent());
    }
    QCOMPARE(spy.count(), 2);
    // A click between the rows hits no card.
    const QPoint gap = view.mapFromScene(view.nodeItem(view.nodeIds().first())->scenePos() +
                                         QPointF(0, HierarchyNodeItem::kHeight / 2 + 30));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, gap);
    QCOMPARE(spy.count(), 2);
    QVERIFY(view.grab().save(QStringLiteral("/tmp/gui-learn-hierarchy.png")));
}

void TestHierarchyView::cardNamesWrapBeforeTheyElide()
{
    const QFont font = HierarchyNodeItem::nameFont(QFont());
    const double width = HierarchyNodeItem::kWidth - 12.0;
    const QFontMetricsF metrics(font);
    // Short: one line, whole.
    QCOMPARE(HierarchyNodeItem::nameLines(QStringLiteral("hexagon (hollow)"), font, width),
             QStringList{QStringLiteral("hexagon (hollow)")});
    // Longer than a line: two lines, whole, each within the card.
    const QString two = QStringLiteral("triangle: Mo site, Se2 site, Se2 site");
    const QStringList lines = HierarchyNodeItem::nameLines(two, font, width);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.join(QLatin1Char(' ')), two);
    for (const QString& line : lines)
        QVERIFY2(metrics.horizontalAdvance(line) <= width, qPrintable(line));
    // Longer than kNameLines lines: only the last line is elided.
    const QString many = two + QStringLiteral(", Mo site, Se2 site, Mo site, Se2 site, Mo site");
    const QStringList cut = HierarchyNodeItem::nameLines(many, font, width);
    QCOMPARE(cut.size(), HierarchyNodeItem::kNameLines);
    QVERIFY(many.startsWith(cut[0]));
    QVERIFY2(cut.back().endsWith(QChar(0x2026)), qPrintable(cut.back()));
    QVERIFY(metrics.horizontalAdvance(cut.back()) <= width);
}

void TestHierarchyView::glyphsWithoutGeometry()
{
    const Network& n = pentagonNetwork();
    HierarchyTreeView view;
    view.setMaxNodesPerLevel(1000);
    view.setHierarchy(n.result);
    QCOMPARE(view.nodeIds().size(), motifCount(n.result));
    for (const QString& id : view.nodeIds())
        QVERIFY(!view.nodeItem(id)->hasDrawing());
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(motifscope::test::greyVariance(view.grab().toImage()) > 10);
    view.clear();
    QVERIFY(view.nodeIds().isEmpty());
}

void TestHierarchyView::longLevelsAreCapped()
{
    const Network& n = pentagonNetwork();
    HierarchyTreeView view;
    view.setMaxNodesPerLevel(2);
    view.setHierarchy(n.result, n.points);
    int expected = 0;
    for (const HierarchyLevel& level : n.result.levels)
        expected += std::min<int>(2, int(level.motifs.size()));
    QCOMPARE(view.nodeIds().size(), expected);
}

void TestHierarchyView::bigTreeStaysReadableInADock()
{
    const Network& n = pentagonNetwork();
    HierarchyTreeView view;
    view.setMaxNodesPerLevel(1000);
    view.resize(330, 420); // about the Hierarchy dock's size
    view.setHierarchy(n.result, n.points);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // Fitting the whole tree would shrink the cards below legibility: fit stops at the readable scale.
    const QRectF scene = view.sceneRect();
    QVERIFY(std::min(330.0 / scene.width(), 420.0 / scene.height()) < HierarchyTreeView::kMinReadableScale);
    QVERIFY(view.isFitMode());
    QCOMPARE(view.zoom(), HierarchyTreeView::kMinReadableScale);
    QVERIFY(HierarchyNodeItem::kCountPixels * view.zoom() >= 10.0);
    QVERIFY(HierarchyNodeItem::kWidth * view.zoom() >= 110.0);
    // The rest scrolls down: cards wrap to the dock's width, nothing is out of sight sideways.
    QVERIFY(view.verticalScrollBar()->maximum() > 0);
    QCOMPARE(view.horizontalScrollBar()->maximum(), 0);
    QVERIFY(view.cardsPerRow() >= 2);
    // It opens on the most common motifs: the first card of level 1 is wholly in view.
    const QRect first = view.mapFromScene(view.nodeItem(QStringLiteral("L1-0"))->sceneBoundingRect()).boundingRect();
    QVERIFY2(view.viewport()->rect().contains(first), qPrintable(QStringLiteral("%1,%2 %3x%4").arg(first.x()).arg(first.y())
                                                                      .arg(first.width()).arg(first.height())));
    QVERIFY(view.grab().save(QStringLiteral("/tmp/gui-hierarchy-dock-tree.png")));

    // The wheel zooms out for an overview; a double click on the background fits again.
    const QPointF centre = QPointF(view.viewport()->rect().center());
    QWheelEvent wheel(centre, view.viewport()->mapToGlobal(centre), QPoint(), QPoint(0, -480), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.viewport(), &wheel);
    QVERIFY(view.zoom() < 0.6 * HierarchyTreeView::kMinReadableScale);
    QVERIFY(!view.isFitMode());
    const QPoint gap = view.mapFromScene(view.nodeItem(QStringLiteral("L1-0"))->scenePos() +
                                         QPointF(0, HierarchyNodeItem::kHeight / 2 + 30));
    QVERIFY(view.viewport()->rect().contains(gap));
    QTest::mouseDClick(view.viewport(), Qt::LeftButton, {}, gap);
    QVERIFY(view.isFitMode());
    QCOMPARE(view.zoom(), HierarchyTreeView::kMinReadableScale);

    // A small tree in a large view is shown whole at its design size, not blown up.
    HierarchyTreeView big;
    big.setMaxNodesPerLevel(1);
    big.resize(1400, 1000);
    big.setHierarchy(n.result, n.points);
    big.show();
    QVERIFY(QTest::qWaitForWindowExposed(&big));
    QCOMPARE(big.zoom(), 1.0);
    QVERIFY(big.viewport()->rect().contains(big.mapFromScene(big.sceneRect()).boundingRect()));
}

void TestHierarchyView::svgExportIsParseableAndHasCounts()
{
    const Network& n = pentagonNetwork();
    HierarchyTreeView view;
    view.setMaxNodesPerLevel(1000);
    view.setHierarchy(n.result, n.points);
    test::TempDir dir;
    const QString path = QString::fromStdString((dir.path() / "tree.svg").string());
    QVERIFY(view.exportSvg(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    QString text;
    bool sawSvg = false;
    int textElements = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QStringLiteral("svg"))
            sawSvg = true;
        if (xml.isStartElement() && xml.name() == QStringLiteral("text"))
            ++textElements;
        if (xml.isCharacters())
            text += xml.text().toString() + QLatin1Char('\n');
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(sawSvg);
    QVERIFY(textElements >= motifCount(n.result));
    for (const HierarchyLevel& level : n.result.levels)
        for (const MotifNode& m : level.motifs)
            QVERIFY2(text.contains(HierarchyNodeItem::countText(m.count, m.fraction)),
                     qPrintable(HierarchyNodeItem::countText(m.count, m.fraction)));
    QVERIFY(text.contains(QStringLiteral("Level 1")));
    QVERIFY(!view.exportSvg(QStringLiteral("/nonexistent-dir/tree.svg")));
}

void TestHierarchyView::pngExportIsNonBlank()
{
    const Network& n = pentagonNetwork();
    HierarchyTreeView view;
    view.setHierarchy(n.result, n.points);
    test::TempDir dir;
    const QString path = QString::fromStdString((dir.path() / "tree.png").string());
    QString error;
    QVERIFY2(view.exportPng(path, 192.0, &error), qPrintable(error));
    QImage image(path);
    QVERIFY(!image.isNull());
    const QSizeF scene = view.scene()->sceneRect().size();
    QVERIFY(std::abs(image.width() - 2 * scene.width()) <= 1 && std::abs(image.height() - 2 * scene.height()) <= 1);
    QCOMPARE(image.dotsPerMeterX(), int(std::lround(192.0 / 0.0254)));
    QVERIFY(motifscope::test::greyVariance(image) > 10);
    QVERIFY(!view.exportPng(QStringLiteral("/nonexistent-dir/tree.png"), 96.0, &error));
    QVERIFY(!error.isEmpty());
}

QTEST_MAIN(TestHierarchyView)
#include "test_hierarchy_view.moc"
