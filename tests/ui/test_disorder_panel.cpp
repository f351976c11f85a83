/**
 * The Disorder dock against known answers: a planted motif mix gives its binary entropy, a pentagon
 * network its one ring size, and edits while a computation runs end in the report of the last state.
 */
#include "ui_test_support.h"

#include "ui/document/micrographdocument.h"
#include "core/hierarchy/hierarchy.h"
#include "ui/learn/qcustomplotinclude.h"
#include "ui/panels/disorderpanel.h"
#include "core/synth/synth.h"
#include "synth_options.h"

#include <QTableWidget>
#include <QTest>

#include <cmath>
#include <memory>

using namespace motifscope;
using namespace motifscope::ui;

namespace {

/** n columns on a grid, the first `ones` of them motif 1, the rest motif 0. */
ColumnSet gridColumns(int n, int ones)
{
    ColumnSet set;
    for (int i = 0; i < n; ++i) {
        AtomColumn c;
        c.x = 8.0 + 12.0 * (i % 20);
        c.y = 8.0 + 12.0 * (i / 20);
        set.columns.push_back(c);
        set.classes.push_back(i < ones ? 1 : 0);
    }
    return set;
}

/** The table's value text in the row named `name` ("" when there is no such row). */
QString valueOf(const QTableWidget* table, const QString& name, int column = 1)
{
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == name)
            return table->item(r, column)->text();
    return {};
}

} // namespace

class TestDisorderPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void motifEntropyOfAPlantedMix();
    void ringSizesOfAPentagonNetwork();
    void editsDuringAComputationEndInTheLastState();
};

void TestDisorderPanel::motifEntropyOfAPlantedMix()
{
    MicrographDocument document;
    document.setMicrograph(test::syntheticMicrograph(256, 256));
    document.replaceColumns(gridColumns(400, 100), QStringLiteral("columns"));
    DisorderPanel panel(&document);
    QTRY_VERIFY_WITH_TIMEOUT(panel.report().has_value(), 10000);
    const double planted = -(0.25 * std::log2(0.25) + 0.75 * std::log2(0.75)); // 0.811 bits
    QCOMPARE(panel.report()->assignedColumns, 400LL);
    QCOMPARE(panel.report()->motifs, 2);
    QVERIFY(std::fabs(panel.report()->motifEntropy.value - planted) < 1e-9);
    QCOMPARE(valueOf(panel.table(), QStringLiteral("Motif entropy (bits)")), QString::number(planted, 'f', 3));
    // The interval is shown and holds the value.
    const disorder::Interval ci = panel.report()->motifEntropy.ci;
    QVERIFY(ci.lo < planted && planted < ci.hi);
    QVERIFY(valueOf(panel.table(), QStringLiteral("Motif entropy (bits)"), 2).contains(QString::number(ci.lo, 'f', 3)));
    QVERIFY(!panel.ringPlot()->isVisible());
}

void TestDisorderPanel::ringSizesOfAPentagonNetwork()
{
    const synth::SynthResult net = synth::synthesize(test::synthOptions("pentagon-network", 512, 5));
    ColumnSet set;
    std::vector<Point2> points;
    for (const synth::TruthColumn& t : net.truth) {
        AtomColumn c;
        c.x = t.x;
        c.y = t.y;
        set.columns.push_back(c);
        points.push_back({t.x, t.y});
    }
    MicrographDocument document;
    document.setMicrograph(net.image);
    document.replaceColumns(set, QStringLiteral("columns"));
    auto hierarchy = std::make_shared<const HierarchyResult>(buildPolygonHierarchy(points, nullptr, {}));
    document.setHierarchy(hierarchy, document.columnsRevision());
    QVERIFY(document.hierarchy());

    DisorderPanel panel(&document);
    panel.show();
    QTRY_VERIFY_WITH_TIMEOUT(panel.report().has_value() && panel.report()->hasRings, 10000);
    const disorder::DisorderReport& r = *panel.report();
    // Every ring of the network is a pentagon: one bar, at 5, holding all rings.
    QCOMPARE(r.rings.sizes, std::vector<int>{5});
    QCOMPARE(r.rings.fractions.front().value, 1.0);
    QCOMPARE(valueOf(panel.table(), QStringLiteral("Ring size, mean")), QStringLiteral("5.000"));
    QVERIFY(panel.ringPlot()->isVisible());
    auto* bars = qobject_cast<QCPBars*>(panel.ringPlot()->plottable(0));
    QVERIFY(bars);
    QCOMPARE(bars->data()->size(), 1);
    QCOMPARE(bars->data()->begin()->key, 5.0);
    QCOMPARE(bars->data()->begin()->value, 1.0);
    // Level 1 (hollow and filled pentagons): the entropy of the planted kinds' shares.
    double filled = 0;
    for (bool f : net.ringFilled)
        filled += f ? 1 : 0;
    const double p = filled / double(net.ringFilled.size());
    const double planted = -(p * std::log2(p) + (1 - p) * std::log2(1 - p));
    QVERIFY2(std::fabs(r.levelEntropy.front().value - planted) < 0.02,
             qPrintable(QStringLiteral("%1 vs %2").arg(r.levelEntropy.front().value).arg(planted)));
    QVERIFY(!valueOf(panel.table(), QStringLiteral("Level 1 entropy (bits)")).isEmpty());
}

void TestDisorderPanel::editsDuringAComputationEndInTheLastState()
{
    MicrographDocument document;
    document.setMicrograph(test::syntheticMicrograph(256, 256));
    document.replaceColumns(gridColumns(400, 0), QStringLiteral("one motif"));
    DisorderPanel panel(&document);
    QTRY_VERIFY_WITH_TIMEOUT(panel.report().has_value(), 10000);
    QCOMPARE(panel.report()->motifEntropy.value, 0.0);
    // A burst of edits: the panel ends showing the last one (half and half: 1 bit).
    for (int ones = 20; ones <= 200; ones += 20)
        document.replaceColumns(gridColumns(400, ones), QStringLiteral("relabel"));
    QTRY_VERIFY_WITH_TIMEOUT(std::fabs(panel.report()->motifEntropy.value - 1.0) < 1e-9, 10000);
    QTest::qWait(600); // nothing newer follows
    QVERIFY(std::fabs(panel.report()->motifEntropy.value - 1.0) < 1e-9);
    // No columns: the panel clears.
    document.replaceColumns(ColumnSet{}, QStringLiteral("clear"));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.report().has_value(), 10000);
    QCOMPARE(panel.table()->rowCount(), 0);
}

QTEST_MAIN(TestDisorderPanel)
#include "test_disorder_panel.moc"
