// Motif learning widgets: embedding plot selection (rectangle, lasso, linked brushing, 110k points),
// motif gallery (rename, keyboard, merge/split, thumbnails) and the Zernike features panel.
#include "test_support.h"
#include "ui_test_support.h"

#include "core/features/zernike_basis.h"
#include "ui/learn/embeddingplot.h"
#include "ui/learn/featurespanel.h"
#include "ui/learn/motifgallery.h"
#include "ui/learn/motifgallerymodel.h"
#include "core/learn/motifs.h"
#include "ui/learn/pointselection.h"

#include <QElapsedTimer>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace motifscope;
using namespace motifscope::ui;

namespace {

constexpr double kPi = 3.14159265358979323846;

/** 600 points on a jittered 30 x 20 grid over [0, 30] x [0, 20]; labels by quadrant, every 7th unassigned. */
void syntheticEmbedding(Eigen::MatrixX2f& points, std::vector<int>& labels)
{
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> jitter(-0.3f, 0.3f);
    points.resize(600, 2);
    labels.assign(600, -1);
    for (int i = 0; i < 600; ++i) {
        const float x = float(i % 30) + 0.5f + jitter(rng), y = float(i / 30) + 0.5f + jitter(rng);
        points(i, 0) = x;
        points(i, 1) = y;
        labels[std::size_t(i)] = i % 7 == 0 ? -1 : (x > 15 ? 1 : 0) + (y > 10 ? 2 : 0);
    }
}

void sendMouse(QWidget* widget, QEvent::Type type, const QPoint& pos, Qt::MouseButton button,
               Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QMouseEvent event(type, QPointF(pos), QPointF(widget->mapToGlobal(pos)), button, buttons, modifiers);
    QApplication::sendEvent(widget, &event);
}

/** Presses at path[0], moves through the rest and releases at the last point. */
void dragAlong(QWidget* widget, const QPolygon& path, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    sendMouse(widget, QEvent::MouseButtonPress, path.first(), Qt::LeftButton, Qt::LeftButton, modifiers);
    for (int i = 1; i < path.size(); ++i)
        sendMouse(widget, QEvent::MouseMove, path[i], Qt::NoButton, Qt::LeftButton, modifiers);
    sendMouse(widget, QEvent::MouseButtonRelease, path.last(), Qt::LeftButton, Qt::NoButton, modifiers);
}

/** Truth: the points whose canvas position lies inside the pixel polygon (Qt's even-odd test). */
QVector<int> insideOnCanvas(const EmbeddingPlot& plot, const QPolygonF& canvasPolygon)
{
    QVector<int> inside;
    for (int i = 0; i < plot.pointCount(); ++i) {
        const QPointF p = plot.mapToCanvas(QPointF(plot.embedding()(i, 0), plot.embedding()(i, 1)));
        if (canvasPolygon.containsPoint(p, Qt::OddEvenFill))
            inside.append(i);
    }
    return inside;
}

MotifSummary summary(int id, const QString& name, long long count, double fraction, int size)
{
    MotifSummary s;
    s.id = id;
    s.name = name;
    s.colour = QColor(QString::fromStdString(motifColour(id)));
    s.count = count;
    s.fraction = fraction;
    s.patchSize = size;
    s.averagePatch.resize(std::size_t(size) * size);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            const double r2 = (x - size / 2.0 + 0.5) * (x - size / 2.0 + 0.5) + (y - size / 2.0 + 0.5) * (y - size / 2.0 + 0.5);
            s.averagePatch[std::size_t(y * size + x)] = float(std::exp(-r2 / (2.0 + id)) + 0.02 * x);
        }
    return s;
}

QVector<MotifSummary> fourMotifs()
{
    return {summary(3, QStringLiteral("Hexagon"), 5210, 0.521, 15), summary(0, QStringLiteral("Motif 0"), 2500, 0.25, 15),
            summary(7, QStringLiteral("Vacancy"), 1290, 0.129, 15), summary(1, QStringLiteral("Edge"), 1000, 0.1, 21)};
}

/** a * Z(n1, m1) + b * Z(n2, m2) as the basis samples them. */
std::vector<float> twoZernikes(int size, int nMax)
{
    const auto basis = ZernikeBasis::cached(size, nMax);
    std::vector<float> patch(std::size_t(size) * size, 0.0f);
    const int j1 = basis->indexOf(2, 0), j2 = basis->indexOf(4, -2);
    for (std::size_t p = 0; p < basis->diskPixels().size(); ++p)
        patch[std::size_t(basis->diskPixels()[p])] =
            float(1.5 * basis->matrix()(Eigen::Index(p), j1) - 0.8 * basis->matrix()(Eigen::Index(p), j2));
    return patch;
}

} // namespace

class TestLearnWidgets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pointSelectionHelpers();
    void rectangleSelectsExactlyTheInside();
    void lassoSelectsExactlyTheInside();
    void modifiersAddAndSubtract();
    void navigationDragDoesNotSelect();
    void setSelectionHighlights();
    void legendListsMotifs();
    void largeEmbeddingRepeatedly();
    void galleryRenameThroughModel();
    void galleryKeyboardNavigation();
    void galleryMergeAndSplit();
    void galleryThumbnailsShowThePatch();
    void featuresSettings();
    void featuresReconstructTwoZernikes();
    void featuresBarChart();
};

void TestLearnWidgets::pointSelectionHelpers()
{
    Eigen::MatrixX2f p(5, 2);
    p << 0, 0, 1, 1, 2, 2, 3, 0, 0.5, 1.5;
    QCOMPARE(pointsInRect(p, QRectF(QPointF(2.5, 2.5), QPointF(0.5, 0.5))), (QVector<int>{1, 2, 4})); // edges count
    // A concave "L": (0,0)-(3,0)-(3,0.8)-(0.8,0.8)-(0.8,3)-(0,3).
    const QPolygonF l({{-0.1, -0.1}, {3.1, -0.1}, {3.1, 0.8}, {0.8, 0.8}, {0.8, 3.1}, {-0.1, 3.1}});
    QCOMPARE(pointsInPolygon(p, l), (QVector<int>{0, 3, 4}));
    QCOMPARE(pointsInPolygon(p, QPolygonF({{0, 0}, {1, 1}})), QVector<int>());
    QCOMPARE(combineSelections({5, 1, 3}, {3, 4}, SelectionOperation::Add), (QVector<int>{1, 3, 4, 5}));
    QCOMPARE(combineSelections({1, 3, 5}, {3, 4}, SelectionOperation::Subtract), (QVector<int>{1, 5}));
    QCOMPARE(combineSelections({1, 3, 5}, {4, 3, 4}, SelectionOperation::Replace), (QVector<int>{3, 4}));
}

void TestLearnWidgets::rectangleSelectsExactlyTheInside()
{
    EmbeddingPlot plot;
    plot.resize(640, 480);
    Eigen::MatrixX2f points;
    std::vector<int> labels;
    syntheticEmbedding(points, labels);
    plot.setEmbedding(points, labels);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.replotNow();
    plot.setTool(EmbeddingPlot::Tool::Rectangle);
    QSignalSpy spy(&plot, &EmbeddingPlot::selectionChanged);

    const QPoint a(153, 97), b(361, 263);
    dragAlong(plot.canvas(), QPolygon({a, QPoint(200, 150), b}));
    QCOMPARE(spy.count(), 1);
    const QVector<int> got = spy.at(0).at(0).value<QVector<int>>();
    const QVector<int> truth = insideOnCanvas(plot, QPolygonF(QRectF(a, b)));
    QVERIFY(truth.size() > 40 && truth.size() < 400);
    QCOMPARE(got, truth);
    QCOMPARE(plot.selection(), truth);
}

void TestLearnWidgets::lassoSelectsExactlyTheInside()
{
    EmbeddingPlot plot;
    plot.resize(640, 480);
    Eigen::MatrixX2f points;
    std::vector<int> labels;
    syntheticEmbedding(points, labels);
    plot.setEmbedding(points, labels);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.replotNow();
    plot.setTool(EmbeddingPlot::Tool::Lasso);
    QSignalSpy spy(&plot, &EmbeddingPlot::selectionChanged);

    // A concave five-pointed star around the middle of the plot, drawn vertex by vertex.
    const QPointF centre = plot.mapToCanvas(QPointF(15, 10));
    QPolygon star;
    for (int k = 0; k < 10; ++k) {
        const double r = k % 2 ? 70.0 : 170.0, angle = -kPi / 2 + k * kPi / 5 + 0.05;
        star << QPoint(int(std::lround(centre.x() + r * std::cos(angle))), int(std::lround(centre.y() + r * std::sin(angle))));
    }
    dragAlong(plot.canvas(), star);
    QCOMPARE(spy.count(), 1);
    const QVector<int> truth = insideOnCanvas(plot, QPolygonF(star));
    QVERIFY(truth.size() > 40);
    QCOMPARE(spy.at(0).at(0).value<QVector<int>>(), truth);
    // The star's concave notches leave out points its bounding box would take.
    QVERIFY(insideOnCanvas(plot, QPolygonF(QRectF(star.boundingRect()))).size() > truth.size() + 20);
}

void TestLearnWidgets::modifiersAddAndSubtract()
{
    EmbeddingPlot plot;
    plot.resize(640, 480);
    Eigen::MatrixX2f points;
    std::vector<int> labels;
    syntheticEmbedding(points, labels);
    plot.setEmbedding(points, labels);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.replotNow();
    plot.setTool(EmbeddingPlot::Tool::Rectangle);
    const QRect first(QPoint(120, 80), QPoint(260, 200)), second(QPoint(220, 150), QPoint(400, 300));
    dragAlong(plot.canvas(), QPolygon({first.topLeft(), first.bottomRight()}));
    const QVector<int> a = insideOnCanvas(plot, QPolygonF(QRectF(first.topLeft(), first.bottomRight())));
    const QVector<int> b = insideOnCanvas(plot, QPolygonF(QRectF(second.topLeft(), second.bottomRight())));
    QCOMPARE(plot.selection(), a);
    dragAlong(plot.canvas(), QPolygon({second.topLeft(), second.bottomRight()}), Qt::ShiftModifier);
    QCOMPARE(plot.selection(), combineSelections(a, b, SelectionOperation::Add));
    dragAlong(plot.canvas(), QPolygon({second.topLeft(), second.bottomRight()}), Qt::ControlModifier);
    QCOMPARE(plot.selection(), combineSelections(a, b, SelectionOperation::Subtract));
    // A click (no drag) without modifiers clears the selection.
    dragAlong(plot.canvas(), QPolygon({QPoint(300, 300)}));
    QVERIFY(plot.selection().isEmpty());
}

void TestLearnWidgets::navigationDragDoesNotSelect()
{
    EmbeddingPlot plot;
    plot.resize(640, 480);
    Eigen::MatrixX2f points;
    std::vector<int> labels;
    syntheticEmbedding(points, labels);
    plot.setEmbedding(points, labels);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.replotNow();
    QCOMPARE(plot.tool(), EmbeddingPlot::Tool::Navigate);
    QSignalSpy spy(&plot, &EmbeddingPlot::selectionChanged);
    const QPointF before = plot.mapFromCanvas(QPointF(300, 200));
    dragAlong(plot.canvas(), QPolygon({QPoint(300, 200), QPoint(340, 220), QPoint(380, 240)}));
    plot.replotNow();
    QCOMPARE(spy.count(), 0);
    // The view panned: the data point that was under (300, 200) moved by the drag.
    const QPointF moved = plot.mapToCanvas(before);
    QVERIFY2(std::abs(moved.x() - 380) < 2 && std::abs(moved.y() - 240) < 2,
             qPrintable(QStringLiteral("%1 %2").arg(moved.x()).arg(moved.y())));
    // New data no longer refits the panned view ...
    plot.setEmbedding(points, labels);
    plot.replotNow();
    QVERIFY(std::abs(plot.mapToCanvas(before).x() - 380) < 2);
    // ... until Fit.
    plot.fitToData();
    plot.replotNow();
    QVERIFY(std::abs(plot.mapToCanvas(before).x() - 300) < 2);
}

void TestLearnWidgets::setSelectionHighlights()
{
    EmbeddingPlot plot;
    plot.resize(640, 480);
    Eigen::MatrixX2f points(3, 2);
    points << 10, 0, 0, 10, 5, 2; // clear of the legend in the top-right corner
    plot.setEmbedding(points, {0, 1, 2});
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.replotNow();
    const auto centreOf = [&](int i) { return plot.mapToCanvas(QPointF(points(i, 0), points(i, 1))); };
    const auto pixelAt = [&](const QImage& shot, int i) { return QColor(shot.pixel(centreOf(i).toPoint())); };
    // Darkest pixel 4..5 px from a point's centre: where a selected point's rim is.
    const auto darkestAround = [&](const QImage& shot, int i) {
        const QPointF c = centreOf(i);
        int darkest = 255;
        for (int y = int(c.y()) - 6; y <= int(c.y()) + 6; ++y)
            for (int x = int(c.x()) - 6; x <= int(c.x()) + 6; ++x) {
                const double d = std::hypot(x + 0.5 - c.x(), y + 0.5 - c.y());
                if (d >= 4.0 && d <= 5.0)
                    darkest = std::min(darkest, QColor(shot.pixel(x, y)).lightness());
            }
        return darkest;
    };
    const QImage before = plot.canvas()->grab().toImage();
    QCOMPARE(pixelAt(before, 1), QColor(QString::fromStdString(motifColour(1))));
    QVERIFY(darkestAround(before, 2) > 200);

    QSignalSpy spy(&plot, &EmbeddingPlot::selectionChanged);
    plot.setSelection({2, 99, -1});
    QCOMPARE(plot.selection(), QVector<int>{2});
    QCOMPARE(spy.count(), 0); // linked brushing does not echo
    plot.replotNow();
    const QImage after = plot.canvas()->grab().toImage();
    // Selected: full colour in the middle, a dark rim around it; unselected: faded towards white.
    QCOMPARE(pixelAt(after, 2), QColor(QString::fromStdString(motifColour(2))));
    QVERIFY(darkestAround(after, 2) < 80);
    QVERIFY(pixelAt(after, 1).lightness() > pixelAt(before, 1).lightness() + 30);
    plot.clearSelection();
    plot.replotNow();
    QCOMPARE(pixelAt(plot.canvas()->grab().toImage(), 1), pixelAt(before, 1));
}

void TestLearnWidgets::legendListsMotifs()
{
    EmbeddingPlot plot;
    Eigen::MatrixX2f points;
    std::vector<int> labels;
    syntheticEmbedding(points, labels);
    plot.setEmbedding(points, labels);
    QStringList legend = plot.legendEntries();
    QCOMPARE(legend.size(), 5); // four motifs and "Unassigned"
    QVERIFY(legend.first().startsWith(QStringLiteral("Motif 0")));
    QVERIFY(legend.last().startsWith(QStringLiteral("Unassigned")));
    QVERIFY(legend.last().contains(QStringLiteral("(86)"))); // indices 0, 7, ..., 595
    plot.setMotifStyle(2, QStringLiteral("Pentagon"), Qt::red);
    QVERIFY(plot.legendEntries().at(2).startsWith(QStringLiteral("Pentagon")));
    // Motif 1 has 20 more columns on the image than on the map (border columns): "N of N + 20".
    const long long onMap = std::count(labels.begin(), labels.end(), 1);
    plot.setMotifTotals({std::count(labels.begin(), labels.end(), 0), onMap + 20});
    QVERIFY2(plot.legendEntries().at(1).endsWith(QStringLiteral("(%1 of %2)").arg(onMap).arg(onMap + 20)),
             qPrintable(plot.legendEntries().at(1)));
    QVERIFY(!plot.legendEntries().at(0).contains(QStringLiteral(" of "))); // as many on the map as on the image
    plot.setMotifTotals({});

    plot.resize(640, 480);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.setTool(EmbeddingPlot::Tool::Lasso);
    plot.replotNow();
    plot.setSelection({31, 32, 33, 61, 62, 63, 91, 92, 93});
    plot.replotNow();
    QVERIFY(plot.grab().save(QStringLiteral("/tmp/gui-learn-embedding.png")));

    // Labels out of any sane range (a damaged session once crashed here with 2^31 - 1 and took
    // gigabytes with 10^8) count as unassigned.
    std::vector<int> wild = labels;
    wild[1] = std::numeric_limits<int>::max();
    wild[2] = 100000000;
    plot.setEmbedding(points, wild);
    legend = plot.legendEntries();
    QCOMPARE(legend.size(), 5);
    QVERIFY(legend.last().contains(QStringLiteral("(88)")));
}

void TestLearnWidgets::largeEmbeddingRepeatedly()
{
    EmbeddingPlot plot;
    plot.resize(800, 600);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    const int n = 110000;
    Eigen::MatrixX2f points(n, 2);
    std::vector<int> labels(n);
    std::mt19937 rng(3);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    QElapsedTimer timer;
    qint64 setTime = 0, plotTime = 0;
    for (int round = 0; round < 10; ++round) {
        // Eight clusters drifting apart, as a layout does while it converges.
        for (int i = 0; i < n; ++i) {
            const int c = i % 8;
            const float spread = 1.0f + 0.3f * round;
            points(i, 0) = spread * 6.0f * std::cos(c * 0.785f) + gauss(rng);
            points(i, 1) = spread * 6.0f * std::sin(c * 0.785f) + gauss(rng);
            labels[std::size_t(i)] = i % 50 == 0 ? -1 : c;
        }
        timer.start();
        plot.setEmbedding(points, labels);
        setTime += timer.nsecsElapsed();
        timer.start();
        plot.replotNow();
        plotTime += timer.nsecsElapsed();
    }
    qInfo("110,000 points x 10: setEmbedding %.1f ms, replot %.1f ms per update", setTime / 1e7, plotTime / 1e7);
    QCOMPARE(plot.pointCount(), n);
    QCOMPARE(plot.legendEntries().size(), 9);
    timer.start();
    plot.replotNow();
    qInfo("replot of unchanged points (cached raster): %.1f ms", timer.nsecsElapsed() / 1e6);
    plot.setSelection({0, 1, 2});
    timer.start();
    plot.replotNow();
    qInfo("replot with a selection: %.1f ms", timer.nsecsElapsed() / 1e6);
    QVERIFY(plot.grab().save(QStringLiteral("/tmp/gui-learn-embedding-110k.png")));
}

void TestLearnWidgets::galleryRenameThroughModel()
{
    MotifGallery gallery;
    gallery.setMotifs(fourMotifs());
    QSignalSpy spy(&gallery, &MotifGallery::renameRequested);
    MotifGalleryModel* model = gallery.model();
    QCOMPARE(model->rowCount(), 4);
    QVERIFY(model->setData(model->index(2), QStringLiteral("  Pentagon   ring "), Qt::EditRole));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 7);
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("Pentagon ring"));
    QCOMPARE(model->index(2).data(Qt::DisplayRole).toString(), QStringLiteral("Pentagon ring"));
    // Unchanged or empty names are not requests.
    QVERIFY(!model->setData(model->index(2), QStringLiteral("Pentagon ring"), Qt::EditRole));
    QVERIFY(!model->setData(model->index(1), QStringLiteral("   "), Qt::EditRole));
    QCOMPARE(spy.count(), 1);
}

void TestLearnWidgets::galleryKeyboardNavigation()
{
    MotifGallery gallery;
    gallery.resize(700, 420);
    gallery.setMotifs(fourMotifs());
    gallery.show();
    QVERIFY(QTest::qWaitForWindowExposed(&gallery));
    QSignalSpy current(&gallery, &MotifGallery::currentMotifChanged);
    gallery.setCurrentMotif(3);
    QCOMPARE(gallery.currentMotif(), 3);
    QListView* view = gallery.view();
    QTest::keyClick(view, Qt::Key_Right);
    QCOMPARE(gallery.currentMotif(), 0);
    QTest::keyClick(view, Qt::Key_Right);
    QCOMPARE(gallery.currentMotif(), 7);
    QTest::keyClick(view, Qt::Key_Left);
    QCOMPARE(gallery.currentMotif(), 0);
    QTest::keyClick(view, Qt::Key_End);
    QCOMPARE(gallery.currentMotif(), 1);
    QCOMPARE(current.last().at(0).toInt(), 1);
    QVERIFY(current.count() >= 4);

    // Enter opens the in-place editor on the name; typing and Enter sends the rename.
    QSignalSpy rename(&gallery, &MotifGallery::renameRequested);
    QTest::keyClick(view, Qt::Key_Return);
    auto* editor = view->findChild<QLineEdit*>();
    QVERIFY(editor);
    QVERIFY(editor->isVisible());
    QCOMPARE(editor->text(), QStringLiteral("Edge"));
    QVERIFY(gallery.grab().save(QStringLiteral("/tmp/gui-learn-gallery-editing.png")));
    editor->setText(QStringLiteral("Grain edge"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(rename.count(), 1); // the delegate commits from a queued call
    QCOMPARE(rename.at(0).at(0).toInt(), 1);
    QCOMPARE(rename.at(0).at(1).toString(), QStringLiteral("Grain edge"));

    // New summaries keep the current motif.
    gallery.setMotifs(fourMotifs());
    QCOMPARE(gallery.currentMotif(), 1);
}

void TestLearnWidgets::galleryMergeAndSplit()
{
    MotifGallery gallery;
    gallery.setMotifs(fourMotifs());
    QSignalSpy merge(&gallery, &MotifGallery::mergeRequested);
    QSignalSpy split(&gallery, &MotifGallery::splitRequested);
    QListView* view = gallery.view();
    view->selectionModel()->select(gallery.model()->index(3), QItemSelectionModel::Select);
    gallery.mergeSelected(); // one motif: nothing to merge
    QCOMPARE(merge.count(), 0);
    view->selectionModel()->select(gallery.model()->index(0), QItemSelectionModel::Select);
    view->selectionModel()->select(gallery.model()->index(2), QItemSelectionModel::Select);
    QCOMPARE(gallery.selectedMotifs(), (QVector<int>{3, 7, 1}));
    gallery.mergeSelected();
    QCOMPARE(merge.count(), 1);
    QCOMPARE(merge.at(0).at(0).value<QVector<int>>(), (QVector<int>{3, 7, 1}));
    gallery.setCurrentMotif(7);
    gallery.splitCurrent();
    QCOMPARE(split.count(), 1);
    QCOMPARE(split.at(0).at(0).toInt(), 7);
}

void TestLearnWidgets::galleryThumbnailsShowThePatch()
{
    MotifGallery gallery;
    gallery.resize(640, 240);
    QVector<MotifSummary> motifs = fourMotifs();
    motifs.append(summary(9, QStringLiteral("No patch yet"), 12, 0.001, 0));
    gallery.setMotifs(motifs);
    const QImage thumb = gallery.model()->thumbnail(0);
    QCOMPARE(thumb.size(), QSize(MotifGalleryModel::kThumbnailSize, MotifGalleryModel::kThumbnailSize));
    QVERIFY(motifscope::test::greyVariance(thumb) > 100);
    // A bright Gaussian centre on a dark rim: nearest-neighbour enlargement keeps it in the middle.
    const int mid = thumb.width() / 2;
    QVERIFY(qGray(thumb.pixel(mid, mid)) > 200);
    QVERIFY(qGray(thumb.pixel(2, 2)) < 40);
    // Enlarged 15 px -> 96 px with nearest neighbour: blocks of equal grey.
    QCOMPARE(thumb.pixel(0, 0), thumb.pixel(5, 5));
    QVERIFY(gallery.model()->thumbnail(4).isNull());
    gallery.show();
    QVERIFY(QTest::qWaitForWindowExposed(&gallery));
    gallery.setCurrentMotif(0);
    QVERIFY(motifscope::test::greyVariance(gallery.grab().toImage()) > 100);
    QVERIFY(gallery.grab().save(QStringLiteral("/tmp/gui-learn-gallery.png")));
}

void TestLearnWidgets::featuresSettings()
{
    FeaturesPanel panel;
    QCOMPARE(panel.nMax(), 10);
    QCOMPARE(panel.patchSize(), 0);
    QSignalSpy spy(&panel, &FeaturesPanel::settingsChanged);
    panel.setNMax(25);
    QCOMPARE(panel.nMax(), 20);
    panel.setNMax(1);
    QCOMPARE(panel.nMax(), 2);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.last().at(0).toInt(), 2);
    panel.setPatchSize(20);
    QCOMPARE(panel.patchSize(), 21);
    QCOMPARE(spy.last().at(1).toInt(), 21);
    panel.setPatchSize(0);
    QCOMPARE(panel.patchSize(), 0);
    QCOMPARE(spy.last().at(1).toInt(), 0);
}

void TestLearnWidgets::featuresReconstructTwoZernikes()
{
    FeaturesPanel panel;
    QVERIFY(!panel.hasPatch());
    const int size = 25;
    panel.setColumnPatch(twoZernikes(size, 10), size);
    QVERIFY(panel.hasPatch());
    const ZernikeReconstruction& r = panel.reconstruction();
    QVERIFY2(r.relativeError() < 1e-3, qPrintable(QString::number(r.relativeError())));
    QVERIFY(motifscope::test::greyVariance(panel.reconstructionImage()) > 100);
    // The reconstruction is shown on the patch's grey scale: the two pictures nearly agree.
    const QImage a = panel.patchImage().convertToFormat(QImage::Format_Grayscale8);
    const QImage b = panel.reconstructionImage().convertToFormat(QImage::Format_Grayscale8);
    QCOMPARE(a.size(), b.size());
    double diff = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            diff += std::abs(qGray(a.pixel(x, y)) - qGray(b.pixel(x, y)));
    QVERIFY2(diff / (a.width() * a.height()) < 4.0, qPrintable(QString::number(diff / (a.width() * a.height()))));

    // The same from an Eigen matrix (row = y).
    Eigen::MatrixXf m(size, size);
    const std::vector<float> patch = twoZernikes(size, 10);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            m(y, x) = patch[std::size_t(y * size + x)];
    panel.setColumnPatch(m);
    QCOMPARE(panel.reconstruction().moments, r.moments);
    panel.clearColumnPatch();
    QVERIFY(!panel.hasPatch());
    QCOMPARE(panel.barCount(), 0);
}

void TestLearnWidgets::featuresBarChart()
{
    FeaturesPanel panel;
    panel.resize(420, 560);
    const int size = 25;
    panel.setColumnPatch(twoZernikes(size, 10), size);
    QCOMPARE(panel.barCount(), 36);
    const QVector<double> bars = panel.barValues();
    const ZernikeReconstruction& r = panel.reconstruction();
    for (int i = 0; i < 36; ++i)
        QCOMPARE(bars[i], double(r.invariants[std::size_t(i)]));
    // The two planted polynomials stand out: |A_20| = 1.5 and |A_42| = 0.8 (the bars are the feature
    // moments, which the square grid couples across m by a few per cent).
    for (std::size_t i = 0; i < r.invariantIndex.size(); ++i) {
        const ZernikeIndex z = r.invariantIndex[i];
        if (z.n == 2 && z.m == 0)
            QVERIFY(std::abs(bars[int(i)] - 1.5) < 0.1);
        else if (z.n == 4 && z.m == 2)
            QVERIFY(std::abs(bars[int(i)] - 0.8) < 0.1);
        else
            QVERIFY2(bars[int(i)] < 0.15, qPrintable(QString::number(i)));
    }
    panel.setNMax(12); // + n = 11 (m = 1, 3, ..., 11) and n = 12 (m = 0, 2, ..., 12)
    QCOMPARE(panel.barCount(), 36 + 6 + 7);
    panel.setNMax(10);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(panel.grab().save(QStringLiteral("/tmp/gui-learn-features.png")));
}

QTEST_MAIN(TestLearnWidgets)
#include "test_learn_widgets.moc"
