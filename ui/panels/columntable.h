#pragma once
/** The Results dock: one row per column (as Fiji's results table), sortable, linked to the selection. */

#include <QAbstractTableModel>
#include <QPointer>
#include <QWidget>

#include <vector>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace motifscope::ui {

class MicrographDocument;

/** The document's columns as a table: number, position (px and calibrated), motif, fit results. */
class ColumnTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Number,
        X,
        Y,
        Motif,
        Confidence,
        Intensity,
        Width,
        PositionSigma,
        ColumnCount,
    };
    /** The value sorted by (numbers as numbers; the motif by its name). */
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ColumnTableModel(QObject* parent = nullptr);
    void setDocument(MicrographDocument* document);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    /**
     * The value a row sorts by in `column`, as a number: what SortRole gives, with the motif as
     * the rank of its name (no motif last). Sorting 10^5 rows compares these, not QVariants.
     */
    double sortKey(int row, int column) const;

private:
    void reset();
    QPointer<MicrographDocument> mDocument;
    int mRows = 0;
    std::vector<int> mMotifNameRank; ///< per motif id: its name's place in sorted order
};

/**
 * The table in a dock: click a header to sort; selecting rows selects those columns on the image
 * (and in the map), selecting on the image selects and shows the rows.
 */
class ColumnTablePanel : public QWidget
{
    Q_OBJECT
public:
    explicit ColumnTablePanel(QWidget* parent = nullptr);
    void setDocument(MicrographDocument* document);

    QTableView* table() const { return mTable; }
    ColumnTableModel* model() const { return mModel; }
    /** The column index (into the document) shown in table row `row` as sorted now. */
    int columnAtRow(int row) const;

private:
    void pushSelectionToDocument();
    void showDocumentSelection();

    QPointer<MicrographDocument> mDocument;
    ColumnTableModel* mModel = nullptr;
    QSortFilterProxyModel* mSorted = nullptr;
    QTableView* mTable = nullptr;
    QLabel* mSummary = nullptr;
    bool mSyncing = false;
};

} // namespace motifscope::ui
