#include "ui/learn/learnviews.h"

#include "core/detect/column_detector.h"
#include "ui/document/micrographdocument.h"
#include "core/features/patches.h"
#include "ui/jobs/learnjob.h"
#include "ui/learn/embeddingplot.h"
#include "ui/learn/featurespanel.h"
#include "ui/learn/motifcolours.h"
#include "ui/learn/motifgallery.h"
#include "ui/views/columnoverlay.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace motifscope::ui {

namespace {

/** The overlay palette has at least this many entries (live labels may outnumber the motifs). */
constexpr int kMinPaletteSize = 16;

/** Columns per motif id on the whole image (ids below 2^16: a damaged session's wild ids count as none). */
QVector<long long> columnsPerMotif(const ColumnSet& set)
{
    QVector<long long> count;
    for (int c : set.classes)
        if (c >= 0 && c < (1 << 16)) {
            if (c >= count.size())
                count.resize(c + 1, 0);
            ++count[c];
        }
    return count;
}

} // namespace

LearnViews::LearnViews(MicrographDocument* document, EmbeddingPlot* plot, MotifGallery* gallery,
                       FeaturesPanel* features, ColumnOverlay* overlay, QObject* parent)
    : QObject(parent), mDocument(document), mPlot(plot), mGallery(gallery), mFeatures(features), mOverlay(overlay),
      mColumnColour(overlay ? overlay->defaultColour() : QColor())
{
    connect(document, &MicrographDocument::columnsChanged, this, &LearnViews::onColumnsChanged);
    connect(document, &MicrographDocument::motifsChanged, this, &LearnViews::onMotifsChanged);
    connect(document, &MicrographDocument::selectionChanged, this, &LearnViews::onDocumentSelectionChanged);
    connect(document, &MicrographDocument::micrographChanged, this, [this] { showColumnFeatures(-1); });
    connect(plot, &EmbeddingPlot::selectionChanged, this, &LearnViews::onPlotSelection);

    connect(gallery, &MotifGallery::renameRequested, document, &MicrographDocument::renameMotif);
    connect(gallery, &MotifGallery::recolourRequested, document, &MicrographDocument::recolourMotif);
    connect(gallery, &MotifGallery::mergeRequested, document,
            [this](const QVector<int>& ids) { mDocument->mergeMotifs(std::vector<int>(ids.begin(), ids.end())); });
    connect(gallery, &MotifGallery::splitRequested, document, &MicrographDocument::splitMotif);
    connect(gallery, &MotifGallery::assignRequested, document,
            [this](int id) { mDocument->assignColumnsToMotif(mDocument->selection(), id); });
    connect(features, &FeaturesPanel::settingsChanged, this, [this] { showColumnFeatures(mFeatured); });
    onMotifsChanged();
    onColumnsChanged();
}

LearnViews::~LearnViews() = default;

// --- document -> views ---------------------------------------------------------------------------

void LearnViews::onColumnsChanged()
{
    if (!mPreviewing)
        rebuildPlot();
    updateGallery();
    if (mFeatured >= int(mDocument->columns().size()))
        showColumnFeatures(-1);
}

void LearnViews::onMotifsChanged()
{
    updatePalette();
    if (mPlot) {
        const MotifTable& table = mDocument->motifTable();
        for (int id = 0; id < table.size(); ++id)
            mPlot->setMotifStyle(id, table.motifs[std::size_t(id)].name, table.motifs[std::size_t(id)].colour);
        // Ids beyond the table (after a merge) fall back to the palette.
        for (int id = table.size(); id < table.size() + 4; ++id)
            mPlot->setMotifStyle(id, QString(), QColor());
    }
    updateGallery();
    if (mFeatured < 0 && !mDocument->motifTable().empty())
        showColumnFeatures(centralLearnedColumn());
}

int LearnViews::centralLearnedColumn() const
{
    const ColumnSet& set = mDocument->columnSet();
    const Micrograph& m = mDocument->micrograph();
    const double cx = 0.5 * (m.width - 1), cy = 0.5 * (m.height - 1);
    int best = -1;
    double bestD2 = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < set.size(); ++i) {
        const double dx = set.columns[i].x - cx, dy = set.columns[i].y - cy;
        if (set.mapOf(i).learned() && dx * dx + dy * dy < bestD2) {
            bestD2 = dx * dx + dy * dy;
            best = int(i);
        }
    }
    return best;
}

void LearnViews::updatePalette(int atLeast)
{
    if (!mOverlay)
        return;
    const MotifTable& table = mDocument->motifTable();
    QList<QColor> palette;
    const int n = std::max({kMinPaletteSize, table.size(), atLeast});
    for (int id = 0; id < n; ++id)
        palette.append(table.contains(id) && table.motifs[std::size_t(id)].colour.isValid()
                           ? table.motifs[std::size_t(id)].colour
                           : motifDisplayColour(id));
    mOverlay->setPalette(palette);
    // With motifs, a column without one is grey (the usual marker colour would pass for a motif's).
    mOverlay->setDefaultColour(table.empty() ? mColumnColour : unassignedColour());
}

void LearnViews::rebuildPlot()
{
    const ColumnSet& set = mDocument->columnSet();
    mPlotColumns.clear();
    mRowOfColumn.assign(set.size(), -1);
    for (std::size_t i = 0; i < set.size(); ++i)
        if (set.mapOf(i).learned()) {
            mRowOfColumn[i] = int(mPlotColumns.size());
            mPlotColumns.push_back(int(i));
        }
    if (!mPlot)
        return;
    if (mPlotColumns.empty()) {
        mPlot->clear();
        return;
    }
    mPlot->setMotifTotals(columnsPerMotif(set)); // the map holds the learned columns only
    Eigen::MatrixX2f embedding(Eigen::Index(mPlotColumns.size()), 2);
    std::vector<int> labels(mPlotColumns.size());
    for (std::size_t r = 0; r < mPlotColumns.size(); ++r) {
        const auto i = std::size_t(mPlotColumns[r]);
        embedding(Eigen::Index(r), 0) = set.map[i].x;
        embedding(Eigen::Index(r), 1) = set.map[i].y;
        labels[r] = set.classOf(i);
    }
    mPlot->setEmbedding(embedding, labels);
    onDocumentSelectionChanged();
}

void LearnViews::updateGallery()
{
    if (!mGallery)
        return;
    const MotifTable& table = mDocument->motifTable();
    const ColumnSet& set = mDocument->columnSet();
    QVector<long long> counts = columnsPerMotif(set);
    counts.resize(table.size(), 0); // columns of ids beyond the table count for no motif
    const long long labelled = std::accumulate(counts.begin(), counts.end(), 0LL);
    QVector<MotifSummary> summaries;
    for (int id = 0; id < table.size(); ++id) {
        const MotifEntry& entry = table.motifs[std::size_t(id)];
        MotifSummary s;
        s.id = id;
        s.name = entry.name;
        s.colour = entry.colour;
        s.count = counts[id];
        s.fraction = labelled > 0 ? double(s.count) / double(labelled) : 0.0;
        s.patchSize = table.patchSize;
        s.averagePatch = entry.averagePatch;
        summaries.append(s);
    }
    mGallery->setMotifs(summaries);
}

void LearnViews::onDocumentSelectionChanged()
{
    if (!mPlot || mPushingSelection || mPreviewing)
        return;
    QVector<int> rows;
    for (int i : mDocument->selection())
        if (i >= 0 && i < int(mRowOfColumn.size()) && mRowOfColumn[std::size_t(i)] >= 0)
            rows.append(mRowOfColumn[std::size_t(i)]);
    std::sort(rows.begin(), rows.end());
    mPlot->setSelection(rows);
    if (!mDocument->selection().empty())
        showSelectedFeatures();
}

// --- views -> document ---------------------------------------------------------------------------

void LearnViews::onPlotSelection(const QVector<int>& rows)
{
    std::vector<int> columns;
    columns.reserve(std::size_t(rows.size()));
    for (int r : rows)
        if (r >= 0 && r < int(mPlotColumns.size()))
            columns.push_back(mPlotColumns[std::size_t(r)]);
    mPushingSelection = true;
    mDocument->setSelection(std::move(columns));
    mPushingSelection = false;
    showSelectedFeatures();
}

// --- live learning -------------------------------------------------------------------------------

void LearnViews::showPreview(const LearnPreview& preview)
{
    const std::size_t n = mDocument->columns().size();
    if (!mPreviewing) {
        mPreviewing = true;
        if (mPlot)
            mPlot->fitToData(); // a new run: follow its layout from the start
        if (mPlot) { // the provisional ids are not the table's motifs, nor are their counts
            for (int id = 0; id < std::max(8, mDocument->motifTable().size()); ++id)
                mPlot->setMotifStyle(id, QString(), QColor());
            mPlot->setMotifTotals({});
        }
    }
    mPlotColumns = preview.rowColumns;
    mRowOfColumn.assign(n, -1);
    std::vector<int> classes(n, -1);
    int maxLabel = 0;
    for (std::size_t r = 0; r < preview.rowColumns.size(); ++r) {
        const int i = preview.rowColumns[r];
        if (i < 0 || std::size_t(i) >= n)
            continue;
        mRowOfColumn[std::size_t(i)] = int(r);
        classes[std::size_t(i)] = r < preview.rowLabels.size() ? preview.rowLabels[r] : -1;
        maxLabel = std::max(maxLabel, classes[std::size_t(i)] + 1);
    }
    if (mPlot)
        mPlot->setEmbedding(preview.embedding, preview.rowLabels);
    if (mOverlay) {
        QList<QColor> palette;
        for (int id = 0; id < std::max(kMinPaletteSize, maxLabel); ++id)
            palette.append(motifDisplayColour(id));
        mOverlay->setPalette(palette);
        mOverlay->setDefaultColour(unassignedColour());
        mOverlay->setPreviewClasses(std::move(classes));
    }
}

void LearnViews::endPreview()
{
    if (!mPreviewing)
        return;
    mPreviewing = false;
    if (mOverlay)
        mOverlay->setPreviewClasses({});
    onMotifsChanged();
    rebuildPlot();
}

// --- features of one column ----------------------------------------------------------------------

void LearnViews::updateSpacing()
{
    if (mSpacingRevision == mDocument->columnsRevision())
        return;
    mSpacing = medianNearestNeighbourDistance(mDocument->columns());
    mSpacingRevision = mDocument->columnsRevision();
}

int LearnViews::patchSize()
{
    int size = mDocument->motifTable().patchSize;
    if (mFeatures && mFeatures->patchSize() > 0)
        size = mFeatures->patchSize();
    if (size <= 0) {
        // Only without a size of its own: the spacing of 10^5 columns is 0.2 s on the GUI thread,
        // and every learning result would pay it again (new classes are a new columns revision).
        updateSpacing();
        size = automaticPatchSize(mSpacing > 0.0 ? mSpacing : 10.0);
    }
    return size % 2 == 0 ? size + 1 : size;
}

void LearnViews::showFeaturesNear(const QPointF& imagePoint)
{
    const AtomColumns& columns = mDocument->columns();
    if (columns.empty())
        return;
    updateSpacing();
    int best = -1;
    double bestD2 = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const double dx = columns[i].x - imagePoint.x(), dy = columns[i].y - imagePoint.y();
        if (dx * dx + dy * dy < bestD2) {
            bestD2 = dx * dx + dy * dy;
            best = int(i);
        }
    }
    const double reach = mSpacing > 0.0 ? 0.5 * mSpacing : 5.0;
    if (best >= 0 && bestD2 <= reach * reach && best != mFeatured)
        showColumnFeatures(best);
}

void LearnViews::showSelectedFeatures()
{
    const std::vector<int>& selection = mDocument->selection();
    if (!selection.empty())
        showColumnFeatures(selection.front());
}

void LearnViews::showColumnFeatures(int column)
{
    if (!mFeatures)
        return;
    const AtomColumns& columns = mDocument->columns();
    if (column < 0 || column >= int(columns.size()) || !mDocument->hasMicrograph()) {
        mFeatured = -1;
        mFeatures->clearColumnPatch();
        return;
    }
    mFeatured = column;
    const int size = patchSize();
    std::vector<float> patch(std::size_t(size) * std::size_t(size));
    const AtomColumn& c = columns[std::size_t(column)];
    samplePatch(*mDocument->finiteImage(), c.x, c.y, size, patch.data()); // the document's one finite copy
    mFeatures->setColumnPatch(patch, size);
}

} // namespace motifscope::ui
