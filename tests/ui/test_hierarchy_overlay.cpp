// The hierarchy on the image: occurrences of lattice-cell motifs (cells and defect clusters),
// and the motif layer filling every counted ring or cell in its level-1 motif's colour.
#include "core/hierarchy/hierarchy.h"
#include "ui/hierarchy/hierarchyoccurrences.h"
#include "ui/hierarchy/motifdrawing.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "ui/views/hierarchyoverlay.h"

#include <QAction>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QtTest>

#include <cmath>
#include <random>
#include <set>

using namespace motifscope;
using namespace motifscope::ui;

namespace {

/** A square lattice (spacing 10) with planted vacancies: single ones and adjacent pairs. */
struct Crystal
{
    std::vector<Point2> points;
    std::vector<Point2> singles;              ///< where a lone column is missing
    std::vector<std::pair<Point2, Point2>> pairs; ///< two neighbouring missing columns
};

Crystal squareCrystal()
{
    Crystal c;
    std::mt19937 rng(3);
    std::normal_distribution<double> noise(0.0, 0.2);
    std::set<std::pair<int, int>> missing;
    for (const auto& [i, j] : {std::pair{6, 6}, std::pair{20, 9}, std::pair{12, 22}, std::pair{25, 25}}) {
        missing.insert({i, j});
        c.singles.push_back({10.0 * i, 10.0 * j});
    }
    for (const auto& [i, j] : {std::pair{8, 15}, std::pair{22, 17}}) {
        missing.insert({i, j});
        missing.insert({i + 1, j});
        c.pairs.push_back({{10.0 * i, 10.0 * j}, {10.0 * (i + 1), 10.0 * j}});
    }
    for (int j = 0; j < 32; ++j)
        for (int i = 0; i < 32; ++i)
            if (!missing.count({i, j}))
                c.points.push_back({10.0 * i + noise(rng), 10.0 * j + noise(rng)});
    return c;
}

AtomColumns columnsOf(const std::vector<Point2>& points)
{
    AtomColumns columns;
    for (const Point2& p : points) {
        AtomColumn c;
        c.x = p.x;
        c.y = p.y;
        columns.push_back(c);
    }
    return columns;
}

double area(const QPolygonF& p)
{
    double a = 0.0;
    for (qsizetype k = 0; k + 1 < p.size(); ++k)
        a += p[k].x() * p[k + 1].y() - p[k + 1].x() * p[k].y();
    return std::fabs(a) / 2.0;
}

const MotifNode* motifWithCanonical(const HierarchyLevel& level, const std::string& canonical)
{
    for (const MotifNode& m : level.motifs)
        if (m.canonical == canonical)
            return &m;
    return nullptr;
}

/** Paints the overlay onto a white image of the given size at zoom 1 (image = widget coordinates). */
QImage paintOverlay(HierarchyOverlay& overlay, QSize size)
{
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    OverlayContext context;
    context.zoom = 1.0;
    context.visibleImage = QRectF(QPointF(-0.5, -0.5), QSizeF(size));
    overlay.paint(painter, context);
    return image;
}

} // namespace

class TestHierarchyOverlay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cellsAndDefectClustersAreOutlined();
    void motifShapesAreWhatLevelOneCounts();
    void motifLayerPaintsAndToggles();
};

void TestHierarchyOverlay::cellsAndDefectClustersAreOutlined()
{
    const Crystal c = squareCrystal();
    const HierarchyResult r = buildCellHierarchy(c.points, nullptr, {});
    const AtomColumns columns = columnsOf(c.points);
    QCOMPARE(QString::fromStdString(r.cells.symmetry), QStringLiteral("square"));
    QCOMPARE(QString::fromStdString(r.cells.pristine), QStringLiteral("[0]"));
    QCOMPARE(r.levels.size(), std::size_t(2));

    // Level 1: one parallelogram of one cell's area per counted cell of that type.
    for (std::size_t k = 0; k < r.levels[0].motifs.size(); ++k) {
        const MotifNode& m = r.levels[0].motifs[k];
        const QVector<QPolygonF> cells = hierarchyOccurrences(r, columns, QString::fromStdString(m.id));
        QCOMPARE(cells.size(), qsizetype(m.count));
        for (const QPolygonF& cell : cells)
            QVERIFY(std::fabs(area(cell) - 100.0) < 3.0);
    }
    // The empty cells are where the columns were taken out (none of them is at the border).
    const MotifNode* empty = motifWithCanonical(r.levels[0], "[]");
    QVERIFY(empty);
    QCOMPARE(empty->count, 8LL);
    const QVector<QPolygonF> holes = hierarchyOccurrences(r, columns, QString::fromStdString(empty->id));
    for (const Point2& p : c.singles) {
        int inside = 0;
        for (const QPolygonF& h : holes)
            inside += h.containsPoint(QPointF(p.x, p.y), Qt::OddEvenFill);
        QCOMPARE(inside, 1);
    }

    // Level 2: one outline per cluster, the union of its cells: the four single vacancies, the two pairs.
    QCOMPARE(r.levels[1].motifs.size(), std::size_t(2));
    for (const MotifNode& m : r.levels[1].motifs) {
        const QVector<QPolygonF> clusters = hierarchyOccurrences(r, columns, QString::fromStdString(m.id));
        QCOMPARE(clusters.size(), qsizetype(m.count));
        const bool pair = m.count == 2;
        QCOMPARE(m.count, pair ? 2LL : 4LL);
        for (const QPolygonF& cluster : clusters)
            QVERIFY2(std::fabs(area(cluster) - (pair ? 200.0 : 100.0)) < 5.0, qPrintable(QString::number(area(cluster))));
        if (pair)
            for (const auto& [a, b] : c.pairs) {
                int holding = 0;
                for (const QPolygonF& cluster : clusters)
                    holding += cluster.containsPoint(QPointF(a.x, a.y), Qt::OddEvenFill) &&
                               cluster.containsPoint(QPointF(b.x, b.y), Qt::OddEvenFill);
                QCOMPARE(holding, 1);
            }
    }
    // Every cluster's cells carry a level-1 type other than the pristine one.
    for (const LatticeCell& cell : r.cells.counted)
        QCOMPARE(cell.group >= 0, cell.motif != 0);
    // The tree's cards draw one cell of each type and the first cluster of each form.
    const QHash<QString, MotifDrawing> drawings = representativeDrawings(r, c.points);
    for (const HierarchyLevel& level : r.levels)
        for (const MotifNode& m : level.motifs) {
            const MotifDrawing d = drawings.value(QString::fromStdString(m.id));
            QVERIFY2(!d.isEmpty(), m.id.c_str());
            const qsizetype cells = level.level == 1 ? 1 : m.name[0] - '0';
            QCOMPARE(d.rings.size(), cells);
            QCOMPARE(d.columns.size(), m.canonical == "[0]" ? qsizetype(1) : qsizetype(0)); // vacancies hold none
        }
    QVERIFY(hierarchyOccurrences(r, columns, QStringLiteral("L3-0")).isEmpty());
    QVERIFY(hierarchyOccurrences(r, columns, QStringLiteral("L2-9")).isEmpty());
}

void TestHierarchyOverlay::motifShapesAreWhatLevelOneCounts()
{
    const Crystal c = squareCrystal();
    const HierarchyResult cells = buildCellHierarchy(c.points, nullptr, {});
    const MotifShapes cellShapes = hierarchyMotifShapes(cells, columnsOf(c.points));
    QCOMPARE(cellShapes.shapes.size(), qsizetype(cells.levels[0].total()));
    QCOMPARE(cellShapes.motif.size(), cellShapes.shapes.size());

    const synth::SynthResult s = synth::synthesize(test::synthOptions("pentagon-network", 256, 1));
    std::vector<Point2> points;
    for (const auto& t : s.truth)
        points.push_back({t.x, t.y});
    const HierarchyResult rings = buildPolygonHierarchy(points, nullptr, {});
    const MotifShapes ringShapes = hierarchyMotifShapes(rings, columnsOf(points));
    QCOMPARE(ringShapes.shapes.size(), qsizetype(rings.levels[0].total()));
    std::vector<long long> perMotif(rings.levels[0].motifs.size(), 0);
    for (int m : ringShapes.motif)
        ++perMotif[std::size_t(m)];
    for (std::size_t k = 0; k < perMotif.size(); ++k)
        QCOMPARE(perMotif[k], rings.levels[0].motifs[k].count);
    for (const QPolygonF& ring : ringShapes.shapes)
        QVERIFY(ring.size() == 6 && ring.isClosed()); // five members, closed
}

void TestHierarchyOverlay::motifLayerPaintsAndToggles()
{
    HierarchyOverlay overlay;
    QVERIFY(!overlay.isMotifLayerVisible());
    QAction* toggle = overlay.motifLayerAction();
    QVERIFY(toggle && toggle->isCheckable() && !toggle->isChecked());
    const QPolygonF square(QRectF(10, 10, 30, 30));
    const QPolygonF triangle(QVector<QPointF>{{60, 10}, {90, 10}, {75, 40}, {60, 10}});
    overlay.setMotifShapes({square, triangle}, {QColor(200, 0, 0), QColor(0, 0, 200)});
    QCOMPARE(overlay.motifShapes().size(), qsizetype(2));
    QCOMPARE(paintOverlay(overlay, QSize(100, 50)).pixelColor(25, 25), QColor(Qt::white)); // hidden

    QSignalSpy changed(&overlay, &ImageOverlay::changed);
    toggle->trigger();
    QVERIFY(overlay.isMotifLayerVisible());
    QCOMPARE(changed.count(), 1);
    QImage shown = paintOverlay(overlay, QSize(100, 50));
    QCOMPARE(shown.pixelColor(25, 25), QColor(200, 0, 0));
    QCOMPARE(shown.pixelColor(75, 20), QColor(0, 0, 200));
    QCOMPARE(shown.pixelColor(50, 45), QColor(Qt::white)); // outside both
    // The occurrence outlines draw over the layer.
    overlay.setOccurrences(QStringLiteral("L1-0"), {square});
    shown = paintOverlay(overlay, QSize(100, 50));
    QVERIFY(shown.pixelColor(25, 25) != QColor(200, 0, 0));

    overlay.setMotifLayerVisible(false);
    QVERIFY(!toggle->isChecked());
    overlay.clear();
    QCOMPARE(paintOverlay(overlay, QSize(100, 50)).pixelColor(25, 25), QColor(Qt::white));
    // Mismatched colours: nothing rather than a wrong colour.
    overlay.setMotifShapes({square}, {});
    QVERIFY(overlay.motifShapes().isEmpty());
}

QTEST_MAIN(TestHierarchyOverlay)
#include "test_hierarchy_overlay.moc"
