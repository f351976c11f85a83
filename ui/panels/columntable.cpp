#include "ui/panels/columntable.h"

#include "ui/document/micrographdocument.h"
#include "ui/text/hint.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace motifscope::ui {

ColumnTableModel::ColumnTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ColumnTableModel::setDocument(MicrographDocument* document)
{
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    if (mDocument) {
        connect(mDocument, &MicrographDocument::columnsChanged, this, &ColumnTableModel::reset);
        connect(mDocument, &MicrographDocument::motifsChanged, this, &ColumnTableModel::reset);
        connect(mDocument, &MicrographDocument::calibrationChanged, this, &ColumnTableModel::reset);
    }
    reset();
}

void ColumnTableModel::reset()
{
    beginResetModel();
    mRows = mDocument ? int(mDocument->columns().size()) : 0;
    mMotifNameRank.clear();
    if (mDocument) {
        const auto& motifs = mDocument->motifTable().motifs;
        std::vector<int> byName(motifs.size());
        for (std::size_t id = 0; id < byName.size(); ++id)
            byName[id] = int(id);
        std::stable_sort(byName.begin(), byName.end(), [&](int a, int b) {
            return motifs[std::size_t(a)].name < motifs[std::size_t(b)].name;
        });
        mMotifNameRank.assign(motifs.size(), 0);
        for (std::size_t k = 0; k < byName.size(); ++k)
            mMotifNameRank[std::size_t(byName[k])] = int(k);
        // Equal names share the first one's rank (they compared equal as text).
        for (std::size_t k = 1; k < byName.size(); ++k)
            if (motifs[std::size_t(byName[k])].name == motifs[std::size_t(byName[k - 1])].name)
                mMotifNameRank[std::size_t(byName[k])] = mMotifNameRank[std::size_t(byName[k - 1])];
    }
    endResetModel();
}

double ColumnTableModel::sortKey(int row, int column) const
{
    if (!mDocument || row < 0 || row >= mRows)
        return 0.0;
    const ColumnSet& set = mDocument->columnSet();
    const std::size_t i = std::size_t(row);
    const AtomColumn& c = set.columns[i];
    const Calibration& cal = mDocument->micrograph().calibration;
    switch (column) {
    case Number: return row;
    case X: return c.x * (cal.isCalibrated() ? cal.pixelSizeX : 1.0);
    case Y: return c.y * (cal.isCalibrated() ? cal.pixelSizeY : 1.0);
    case Motif: {
        const int id = set.classOf(i);
        return mDocument->motifTable().contains(id) && std::size_t(id) < mMotifNameRank.size()
                   ? mMotifNameRank[std::size_t(id)]
                   : std::numeric_limits<double>::max();
    }
    case Confidence: return set.confidence.size() != set.size() ? -1.0 : double(set.confidenceOf(i));
    case Intensity: return c.intensity;
    case Width: return c.width;
    case PositionSigma: return c.positionSigma;
    default: return 0.0;
    }
}

namespace {

/** Sorts by ColumnTableModel::sortKey: plain numbers, no QVariant per comparison. */
class ColumnSortProxy : public QSortFilterProxyModel
{
public:
    ColumnSortProxy(ColumnTableModel* model, QObject* parent) : QSortFilterProxyModel(parent), mModel(model)
    {
        setSourceModel(model);
    }

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override
    {
        return mModel->sortKey(left.row(), left.column()) < mModel->sortKey(right.row(), right.column());
    }

private:
    ColumnTableModel* mModel;
};

} // namespace

int ColumnTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : mRows;
}

int ColumnTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ColumnTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    const bool calibrated = mDocument && mDocument->hasMicrograph() && mDocument->micrograph().calibration.isCalibrated();
    const QString unit = calibrated ? QString::fromStdString(mDocument->micrograph().calibration.unit) : QStringLiteral("px");
    switch (section) {
    case Number: return tr("#");
    case X: return tr("x (%1)").arg(unit);
    case Y: return tr("y (%1)").arg(unit);
    case Motif: return tr("Motif");
    case Confidence: return tr("Confidence");
    case Intensity: return tr("Intensity");
    case Width: return tr("Width (px)");
    case PositionSigma: return tr("σ position (px)");
    default: return {};
    }
}

QVariant ColumnTableModel::data(const QModelIndex& index, int role) const
{
    if (!mDocument || !index.isValid() || index.row() >= mRows || (role != Qt::DisplayRole && role != SortRole
                                                                    && role != Qt::TextAlignmentRole))
        return {};
    if (role == Qt::TextAlignmentRole)
        return index.column() == Motif ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const ColumnSet& set = mDocument->columnSet();
    const std::size_t i = std::size_t(index.row());
    const AtomColumn& c = set.columns[i];
    const Calibration& cal = mDocument->micrograph().calibration;
    const double scale = cal.isCalibrated() ? cal.pixelSizeX : 1.0;
    const bool sort = role == SortRole;
    auto number = [&](double v, int decimals) -> QVariant { return sort ? QVariant(v) : QVariant(QString::number(v, 'f', decimals)); };
    switch (index.column()) {
    case Number: return sort ? QVariant(index.row()) : QVariant(index.row() + 1);
    case X: return number(c.x * scale, cal.isCalibrated() ? 4 : 2);
    case Y: return number(c.y * (cal.isCalibrated() ? cal.pixelSizeY : 1.0), cal.isCalibrated() ? 4 : 2);
    case Motif: {
        const int id = set.classOf(i);
        if (!mDocument->motifTable().contains(id))
            return sort ? QVariant(QString(QChar(0xffff))) : QVariant(QStringLiteral("–"));
        return mDocument->motifTable().motifs[std::size_t(id)].name;
    }
    case Confidence:
        if (set.confidence.size() != set.size())
            return sort ? QVariant(-1.0) : QVariant(QStringLiteral("–"));
        return number(set.confidenceOf(i), 3);
    case Intensity: return number(c.intensity, 4);
    case Width: return number(c.width, 2);
    case PositionSigma: return number(c.positionSigma, 3);
    default: return {};
    }
}

ColumnTablePanel::ColumnTablePanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("columnTable"));
    mModel = new ColumnTableModel(this);
    mSorted = new ColumnSortProxy(mModel, this);
    mSorted->setSortRole(ColumnTableModel::SortRole);
    mTable = new QTableView;
    mTable->setModel(mSorted);
    mTable->setSortingEnabled(true);
    mTable->sortByColumn(ColumnTableModel::Number, Qt::AscendingOrder);
    mTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    mTable->verticalHeader()->hide();
    mTable->verticalHeader()->setDefaultSectionSize(mTable->fontMetrics().height() + 6);
    mTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    mTable->horizontalHeader()->setStretchLastSection(true);
    mTable->setAlternatingRowColors(true);
    setHint(mTable, tr("Every column: click a header to sort, select rows to select those columns on the image"));
    mSummary = new QLabel;
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(mTable, 1);
    layout->addWidget(mSummary);
    connect(mTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ColumnTablePanel::pushSelectionToDocument);
}

void ColumnTablePanel::setDocument(MicrographDocument* document)
{
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    mModel->setDocument(document);
    if (mDocument) {
        connect(mDocument, &MicrographDocument::selectionChanged, this, &ColumnTablePanel::showDocumentSelection);
        connect(mDocument, &MicrographDocument::columnsChanged, this, &ColumnTablePanel::showDocumentSelection);
    }
    showDocumentSelection();
}

int ColumnTablePanel::columnAtRow(int row) const
{
    return mSorted->mapToSource(mSorted->index(row, 0)).row();
}

void ColumnTablePanel::pushSelectionToDocument()
{
    if (mSyncing || !mDocument)
        return;
    std::vector<int> indices;
    for (const QModelIndex& row : mTable->selectionModel()->selectedRows())
        indices.push_back(mSorted->mapToSource(row).row());
    std::sort(indices.begin(), indices.end());
    mSyncing = true;
    mDocument->setSelection(std::move(indices));
    mSyncing = false;
}

void ColumnTablePanel::showDocumentSelection()
{
    const int n = mModel->rowCount();
    const std::size_t selected = mDocument ? mDocument->selection().size() : 0;
    mSummary->setText(tr("%1 columns, %2 selected").arg(n).arg(selected));
    if (mSyncing || !mDocument)
        return;
    // Contiguous runs of selected columns become one range each.
    QItemSelection source;
    const std::vector<int>& s = mDocument->selection();
    for (std::size_t k = 0; k < s.size();) {
        std::size_t e = k;
        while (e + 1 < s.size() && s[e + 1] == s[e] + 1)
            ++e;
        if (s[e] < n)
            source.select(mModel->index(s[k], 0), mModel->index(s[e], ColumnTableModel::ColumnCount - 1));
        k = e + 1;
    }
    mSyncing = true;
    mTable->selectionModel()->select(mSorted->mapSelectionFromSource(source), QItemSelectionModel::ClearAndSelect);
    if (!s.empty() && s.front() < n)
        mTable->scrollTo(mSorted->mapFromSource(mModel->index(s.front(), 0)));
    mSyncing = false;
}

} // namespace motifscope::ui
