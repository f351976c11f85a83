// What Fiji and napari users reach for first (issue 16 point 11), through the window: a histogram
// in the Display panel and lookup tables (grey, inverted, fire); the line tool with a calibrated
// length and the intensity profile along the line; the Results table of the columns, sortable and
// linked to the selection both ways.
#include "test_support.h"
#include "ui_test_support.h"

#include "ui/document/micrographdocument.h"
#include "core/io/writers.h"
#include "ui/panels/columntable.h"
#include "ui/panels/contrastpanel.h"
#include "ui/panels/histogramwidget.h"
#include "ui/panels/profilepanel.h"
#include "ui/session/sessionconvert.h"
#include "ui/tools/linetool.h"
#include "ui/views/imageview.h"
#include "ui/window/appsettings.h"
#include "ui/window/mainactions.h"
#include "ui/window/mainwindow.h"

#include <QComboBox>
#include <QDockWidget>
#include <QItemSelectionModel>
#include <QLabel>
#include <QStandardPaths>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>

#include <memory>

using motifscope::ui::ColumnSet;
using motifscope::ui::ColumnTableModel;
using motifscope::ui::MainWindow;

class TestFijiTools : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void histogramAndLookupTables();
    void lineToolMeasuresAndProfiles();
    void resultsTableSortsAndFollowsTheSelection();

private:
    std::unique_ptr<MainWindow> mWindow;
};

void TestFijiTools::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(motifscope::ui::settingsOrganisation(), motifscope::ui::settingsApplication()).clear();
}

void TestFijiTools::init()
{
    mWindow = std::make_unique<MainWindow>();
    mWindow->setInteractive(false);
    mWindow->resize(1600, 1000);
    mWindow->show();
    QVERIFY(QTest::qWaitForWindowExposed(mWindow.get()));
}

void TestFijiTools::cleanup()
{
    mWindow.reset();
}

/**
 * A ramp 0 .. 4095 fills the 256 bins evenly (16 pixels each); the lookup tables turn the view's
 * grey g into 255 - g (inverted) and into colours (fire), and a session keeps the choice.
 */
void TestFijiTools::histogramAndLookupTables()
{
    auto* doc = mWindow->document();
    doc->setMicrograph(motifscope::test::rampMicrograph(64, 64), QStringLiteral("ramp.tif"));
    const auto* histogram = mWindow->contrastPanel()->histogram();
    QVERIFY(histogram && histogram->isVisible());
    QCOMPARE(histogram->bins().size(), motifscope::ui::HistogramWidget::kBins);
    for (qint64 n : histogram->bins())
        QCOMPARE(n, qint64(16));
    QCOMPARE(histogram->minimum(), 0.0);
    QCOMPARE(histogram->maximum(), 4095.0);
    // The black and white points are drawn where the clip values are.
    QVERIFY(histogram->xOf(doc->displayLow()) < histogram->xOf(doc->displayHigh()));

    doc->setMicrograph(motifscope::test::syntheticMicrograph(), QStringLiteral("atoms.tif"));
    auto* view = mWindow->imageView();
    mWindow->actions()->showScaleBar->setChecked(false);
    const QImage grey = view->grab().toImage();
    QComboBox* lut = mWindow->contrastPanel()->lookupTableBox();
    QVERIFY(lut);
    lut->setCurrentIndex(lut->findText(QStringLiteral("Inverted")));
    QCOMPARE(doc->displaySettings().lut, motifscope::ui::LookupTable::Inverted);
    const QImage inverted = view->grab().toImage();
    lut->setCurrentIndex(lut->findText(QStringLiteral("Fire")));
    const QImage fire = view->grab().toImage();
    const QPoint atom = view->mapFromImage(QPointF(8 + 16 * 5, 8 + 16 * 4)).toPoint();
    const QPoint between = view->mapFromImage(QPointF(16 * 5, 16 * 4)).toPoint();
    for (const QPoint& p : {atom, between}) {
        const int g = qGray(grey.pixel(p));
        QVERIFY2(std::abs(qGray(inverted.pixel(p)) - (255 - g)) <= 2, qPrintable(QString::number(g)));
    }
    QVERIFY(qGray(grey.pixel(atom)) > 150);
    const QColor hot = fire.pixelColor(atom), cold = fire.pixelColor(between);
    QVERIFY2(hot.red() > hot.blue() + 40 || hot.value() > 240, qPrintable(hot.name())); // warm, or white at the top
    QVERIFY2(cold != QColor(qGray(grey.pixel(between)), qGray(grey.pixel(between)), qGray(grey.pixel(between))),
             qPrintable(cold.name()));
    // A session keeps the lookup table.
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("atoms.tif")), session = dir.filePath(QStringLiteral("s.motifscope"));
    motifscope::writeTiffFloat32(doc->micrograph(), image.toStdString());
    motifscope::ui::SessionContent content;
    content.micrograph = std::make_shared<const motifscope::Micrograph>(doc->micrograph());
    content.imagePath = image;
    content.view.display = doc->displaySettings();
    motifscope::ui::writeSessionFile(content, session);
    QCOMPARE(motifscope::ui::readSessionFile(session).view.display.lut, motifscope::ui::LookupTable::Fire);
    // Reset goes back to grey.
    mWindow->contrastPanel()->resetButton()->click();
    QCOMPARE(lut->currentText(), QStringLiteral("Grey"));
    QCOMPARE(view->grab().toImage().pixel(atom), grey.pixel(atom));
}

/**
 * Image > Line Profile, a drag along a row of atoms (16 px apart, 0.02 nm pixels): the line's
 * length in nm and px, and a profile with one peak per atom passed.
 */
void TestFijiTools::lineToolMeasuresAndProfiles()
{
    auto* doc = mWindow->document();
    doc->setMicrograph(motifscope::test::syntheticMicrograph(256, 192, 0.02, "nm"), QStringLiteral("atoms.tif"));
    auto* view = mWindow->imageView();
    view->setView(3.0, QPointF(90, 56));
    mWindow->actions()->measureLine->setChecked(true);
    QVERIFY(view->tool() == mWindow->lineTool());
    const QPoint from = view->mapFromImage(QPointF(8, 56)).toPoint(), to = view->mapFromImage(QPointF(168, 56)).toPoint();
    QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, from);
    for (int i = 1; i <= 10; ++i)
        QTest::mouseMove(view, from + (to - from) * i / 10);
    QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, to);
    const auto* tool = mWindow->lineTool();
    QVERIFY(tool->hasLine());
    QVERIFY2(std::abs(tool->lengthPixels() - 160.0) < 1.0, qPrintable(QString::number(tool->lengthPixels())));
    QVERIFY(std::abs(tool->lengthCalibrated() - 0.02 * tool->lengthPixels()) < 1e-9);
    auto* panel = mWindow->findChild<motifscope::ui::ProfilePanel*>(QStringLiteral("profilePanel"));
    QVERIFY(panel);
    const QString text = panel->lengthLabel()->text();
    QVERIFY2(text.contains(QStringLiteral(" nm")) && text.contains(QString::number(tool->lengthCalibrated(), 'g', 4)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("%1 px").arg(tool->lengthPixels(), 0, 'f', 1)), qPrintable(text));
    const std::vector<float>& profile = panel->plot()->values();
    QCOMPARE(profile.size(), std::size_t(std::floor(tool->lengthPixels())) + 1);
    int peaks = 0;
    for (std::size_t k = 1; k + 1 < profile.size(); ++k)
        peaks += profile[k] > profile[k - 1] && profile[k] >= profile[k + 1] && profile[k] > 0.8f;
    QVERIFY2(peaks >= 9 && peaks <= 11, qPrintable(QString::number(peaks))); // atoms at x = 8, 24, ..., 168
    // Edit Columns takes the mouse back; the line tool's action goes off.
    mWindow->actions()->editColumns->setChecked(true);
    QVERIFY(!mWindow->actions()->measureLine->isChecked());
    QVERIFY(view->tool() != mWindow->lineTool());
}

/** Sorting by intensity puts the brightest column first; selecting rows selects columns and back. */
void TestFijiTools::resultsTableSortsAndFollowsTheSelection()
{
    auto* doc = mWindow->document();
    doc->setMicrograph(motifscope::test::syntheticMicrograph(), QStringLiteral("atoms.tif"));
    ColumnSet set;
    for (int k = 0; k < 40; ++k) {
        motifscope::AtomColumn c;
        c.x = 8 + 16 * (k % 10);
        c.y = 8 + 16 * (k / 10);
        c.intensity = float((k * 17) % 40); // a permutation of 0 .. 39
        set.columns.push_back(c);
    }
    doc->replaceColumns(std::move(set), QStringLiteral("test columns"));
    auto* panel = mWindow->findChild<motifscope::ui::ColumnTablePanel*>(QStringLiteral("columnTable"));
    QVERIFY(panel);
    QTableView* table = panel->table();
    QCOMPARE(table->model()->rowCount(), 40);
    QVERIFY(table->model()->headerData(ColumnTableModel::X, Qt::Horizontal).toString().contains(QStringLiteral("nm")));
    table->sortByColumn(ColumnTableModel::Intensity, Qt::DescendingOrder);
    const int brightest = panel->columnAtRow(0);
    QCOMPARE(doc->columns()[std::size_t(brightest)].intensity, 39.0f);
    QCOMPARE(doc->columns()[std::size_t(panel->columnAtRow(39))].intensity, 0.0f);
    // Every column sorts as its SortRole values compare (the proxy compares ColumnTableModel::sortKey).
    ColumnTableModel* source = panel->model();
    for (int column = 0; column < ColumnTableModel::ColumnCount; ++column)
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            table->sortByColumn(column, order);
            for (int row = 0; row + 1 < 40; ++row) {
                const int a = panel->columnAtRow(row), b = panel->columnAtRow(row + 1);
                const QVariant va = source->data(source->index(a, column), ColumnTableModel::SortRole);
                const QVariant vb = source->data(source->index(b, column), ColumnTableModel::SortRole);
                const auto cmp = QVariant::compare(va, vb);
                const bool inOrder = order == Qt::AscendingOrder ? cmp != QPartialOrdering::Greater : cmp != QPartialOrdering::Less;
                QVERIFY2(inOrder, qPrintable(QStringLiteral("column %1 row %2").arg(column).arg(row)));
            }
        }
    table->sortByColumn(ColumnTableModel::Intensity, Qt::DescendingOrder);
    // Rows -> selection.
    table->selectionModel()->select(QItemSelection(table->model()->index(0, 0), table->model()->index(2, 0)),
                                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    std::vector<int> expected{panel->columnAtRow(0), panel->columnAtRow(1), panel->columnAtRow(2)};
    std::sort(expected.begin(), expected.end());
    QCOMPARE(doc->selection(), expected);
    // Selection -> rows.
    doc->setSelection({7});
    const QModelIndexList rows = table->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(panel->columnAtRow(rows.front().row()), 7);
    // Deleting columns updates the table.
    doc->deleteSelectedColumns();
    QCOMPARE(table->model()->rowCount(), 39);
}

QTEST_MAIN(TestFijiTools)
#include "test_fiji_tools.moc"
