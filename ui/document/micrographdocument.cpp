#include "ui/document/micrographdocument.h"

#include "ui/document/columncommands.h"
#include "ui/document/motifcommands.h"
#include "ui/document/motifedits.h"
#include "ui/document/scalecommand.h"
#include "core/image/finite_image.h"
#include "core/render/contrast.h"

#include <QFileInfo>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

/** The settings made valid: percentiles in 0..100 with low < high, gamma in a usable range. */
DisplaySettings sanitised(DisplaySettings s)
{
    constexpr double kMinGap = 0.01;
    if (!std::isfinite(s.lowPercent))
        s.lowPercent = DisplaySettings::kDefaultLowPercent;
    if (!std::isfinite(s.highPercent))
        s.highPercent = DisplaySettings::kDefaultHighPercent;
    s.lowPercent = std::clamp(s.lowPercent, 0.0, 100.0 - kMinGap);
    s.highPercent = std::clamp(s.highPercent, s.lowPercent + kMinGap, 100.0);
    if (!std::isfinite(s.gamma) || s.gamma <= 0.0)
        s.gamma = 1.0;
    s.gamma = std::clamp(s.gamma, 0.05, 20.0);
    return s;
}

} // namespace

MicrographDocument::MicrographDocument(QObject* parent)
    : QObject(parent), mUndoStack(new QUndoStack(this))
{
    connect(mUndoStack, &QUndoStack::cleanChanged, this, [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
}

MicrographDocument::~MicrographDocument() = default;

const Micrograph& MicrographDocument::micrograph() const
{
    static const Micrograph empty;
    return mMicrograph ? *mMicrograph : empty;
}

QString MicrographDocument::displayName() const
{
    if (mFilePath.isEmpty())
        return hasMicrograph() ? tr("Untitled") : QString();
    return QFileInfo(mFilePath).fileName();
}

void MicrographDocument::setMicrograph(Micrograph micrograph, const QString& filePath)
{
    setMicrograph(std::make_shared<const Micrograph>(std::move(micrograph)), filePath);
}

void MicrographDocument::setMicrograph(std::shared_ptr<const Micrograph> micrograph, const QString& filePath)
{
    mMicrograph = std::move(micrograph);
    // The one finite copy of this image: jobs and edits read it, none makes another.
    mFinite = mMicrograph ? std::make_shared<const FloatImage>(withFiniteValues(*mMicrograph)) : nullptr;
    mFilePath = filePath;
    setSessionPath(QString()); // a newly opened micrograph is not any session's yet
    // Edits of the previous image cannot be undone onto a different one; its columns go too.
    mUndoStack->clear();
    const bool hadColumns = !mColumns.empty();
    const bool hadSelection = !mSelection.empty();
    const bool hadMotifs = !mMotifs.empty();
    mColumns = ColumnSet{};
    mMotifs = MotifTable{};
    mSelection.clear();
    ++mColumnsRevision;
    mDisplay = DisplaySettings{}; // one image's contrast and gamma are not the next one's (a session restores its own)
    updateDisplayLimits();
    Q_EMIT micrographChanged();
    Q_EMIT contrastChanged();
    if (hadColumns)
        Q_EMIT columnsChanged();
    if (hadSelection)
        Q_EMIT selectionChanged();
    if (hadMotifs)
        Q_EMIT motifsChanged();
    clearHierarchy();
}

void MicrographDocument::setContrastPercentiles(double lowPercent, double highPercent)
{
    DisplaySettings s = mDisplay;
    s.lowPercent = lowPercent;
    s.highPercent = highPercent;
    setDisplaySettings(s);
}

void MicrographDocument::setGamma(double gamma)
{
    DisplaySettings s = mDisplay;
    s.gamma = gamma;
    setDisplaySettings(s);
}

void MicrographDocument::setLookupTable(LookupTable lut)
{
    DisplaySettings s = mDisplay;
    s.lut = lut;
    setDisplaySettings(s);
}

void MicrographDocument::setDisplaySettings(const DisplaySettings& settings)
{
    const DisplaySettings s = sanitised(settings);
    if (s == mDisplay)
        return;
    const bool limitsMove = s.lowPercent != mDisplay.lowPercent || s.highPercent != mDisplay.highPercent;
    mDisplay = s;
    if (limitsMove)
        updateDisplayLimits();
    Q_EMIT contrastChanged();
}

void MicrographDocument::resetContrast()
{
    setDisplaySettings(DisplaySettings{});
}

void MicrographDocument::updateDisplayLimits()
{
    if (!mMicrograph || mMicrograph->empty()) {
        mDisplayLow = 0.0;
        mDisplayHigh = 1.0;
        return;
    }
    const auto [low, high] = percentileLimits(mMicrograph->pixels.data(), mMicrograph->pixelCount(),
                                              mDisplay.lowPercent, mDisplay.highPercent);
    mDisplayLow = low;
    mDisplayHigh = high;
}

void MicrographDocument::setCalibration(const Calibration& calibration)
{
    if (!mMicrograph || sameCalibration(calibration, mMicrograph->calibration))
        return;
    mUndoStack->push(new SetScaleCommand(this, calibration));
}

void MicrographDocument::applyCalibration(const Calibration& calibration)
{
    if (!mMicrograph)
        return;
    // Background jobs may hold the old snapshot: the new scale goes on a copy, never under them.
    // The pixels are the same: the finite copy stays.
    auto scaled = std::make_shared<Micrograph>(*mMicrograph);
    scaled->calibration = calibration;
    mMicrograph = std::move(scaled);
    Q_EMIT calibrationChanged();
}

// --- saved state ----------------------------------------------------------------------------------

void MicrographDocument::setSessionPath(const QString& path)
{
    if (path == mSessionPath)
        return;
    mSessionPath = path;
    Q_EMIT sessionPathChanged();
}

bool MicrographDocument::isModified() const
{
    return !mUndoStack->isClean();
}

void MicrographDocument::markSaved()
{
    mUndoStack->setClean();
}

void MicrographDocument::markUnsaved()
{
    mUndoStack->resetClean();
}

void MicrographDocument::restore(std::shared_ptr<const Micrograph> micrograph, const QString& imagePath,
                                 ColumnSet columns, MotifTable table, std::shared_ptr<const HierarchyResult> hierarchy,
                                 const DisplaySettings& display, const QString& sessionPath)
{
    setMicrograph(std::move(micrograph), imagePath);
    setDisplaySettings(display);
    columns.conform();
    mColumns = std::move(columns);
    mMotifs = std::move(table);
    ++mColumnsRevision;
    Q_EMIT columnsChanged();
    Q_EMIT motifsChanged();
    if (hierarchy)
        setHierarchy(std::move(hierarchy), mColumnsRevision);
    setSessionPath(sessionPath);
    mUndoStack->clear(); // clean at index 0
    if (!mUndoStack->isClean())
        mUndoStack->setClean();
}

// --- columns ------------------------------------------------------------------------------------

void MicrographDocument::replaceColumns(ColumnSet columns, const QString& text, bool mergeWithPrevious)
{
    mUndoStack->push(new ReplaceColumnsCommand(this, std::move(columns), text, mergeWithPrevious));
}

void MicrographDocument::addColumn(const AtomColumn& column)
{
    mUndoStack->push(new AddColumnCommand(this, column));
}

void MicrographDocument::deleteColumns(std::vector<int> indices)
{
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    std::erase_if(indices, [this](int i) { return i < 0 || i >= int(mColumns.size()); });
    if (!indices.empty())
        mUndoStack->push(new DeleteColumnsCommand(this, std::move(indices)));
}

void MicrographDocument::moveColumns(std::vector<int> indices, double dx, double dy, int dragId)
{
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    std::erase_if(indices, [this](int i) { return i < 0 || i >= int(mColumns.size()); });
    if (indices.empty() || !std::isfinite(dx) || !std::isfinite(dy) || (dx == 0.0 && dy == 0.0))
        return;
    mUndoStack->push(new MoveColumnsCommand(this, std::move(indices), dx, dy, dragId));
}

bool MicrographDocument::isSelected(int index) const
{
    return std::binary_search(mSelection.begin(), mSelection.end(), index);
}

void MicrographDocument::setSelection(std::vector<int> indices)
{
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    std::erase_if(indices, [this](int i) { return i < 0 || i >= int(mColumns.size()); });
    if (indices == mSelection)
        return;
    mSelection = std::move(indices);
    Q_EMIT selectionChanged();
}

void MicrographDocument::applyColumnSet(ColumnSet columns, std::vector<int> selection)
{
    columns.conform();
    mColumns = std::move(columns);
    columnsEdited(std::move(selection));
}

void MicrographDocument::applyPositions(const std::vector<int>& indices, const std::vector<QPointF>& positions,
                                        const std::vector<std::uint8_t>& edits)
{
    for (std::size_t k = 0; k < indices.size() && k < positions.size(); ++k) {
        if (indices[k] < 0 || indices[k] >= int(mColumns.size()))
            continue;
        AtomColumn& c = mColumns.columns[indices[k]];
        c.x = positions[k].x();
        c.y = positions[k].y();
        if (k < edits.size() && (edits[k] != 0 || !mColumns.edits.empty())) {
            mColumns.edits.resize(mColumns.size(), 0);
            mColumns.edits[std::size_t(indices[k])] = edits[k];
        }
    }
    ++mColumnsRevision;
    clearHierarchy();
    Q_EMIT columnsChanged();
}

void MicrographDocument::columnsEdited(std::vector<int> selection)
{
    ++mColumnsRevision;
    std::erase_if(selection, [this](int i) { return i < 0 || i >= int(mColumns.size()); });
    const bool selectionMoved = selection != mSelection;
    mSelection = std::move(selection);
    clearHierarchy();
    Q_EMIT columnsChanged();
    if (selectionMoved)
        Q_EMIT selectionChanged();
}

// --- hierarchy ----------------------------------------------------------------------------------

void MicrographDocument::setHierarchy(std::shared_ptr<const HierarchyResult> result, quint64 revision)
{
    if (revision != mColumnsRevision || !result)
        return;
    mHierarchy = std::move(result);
    Q_EMIT hierarchyChanged();
}

void MicrographDocument::clearHierarchy()
{
    if (!mHierarchy)
        return;
    mHierarchy.reset();
    Q_EMIT hierarchyChanged();
}

// --- motifs -------------------------------------------------------------------------------------

void MicrographDocument::applyMotifState(ColumnSet columns, MotifTable table, std::vector<int> selection,
                                         bool motifEdit)
{
    columns.conform();
    const bool tableMoves = !table.empty() || !mMotifs.empty();
    // A rename or recolour leaves every column where and what it was: the hierarchy still holds.
    const bool sameColumns = motifEdit && columns.classes == mColumns.classes && columns.size() == mColumns.size()
                             && std::equal(columns.columns.begin(), columns.columns.end(), mColumns.columns.begin(),
                                           [](const AtomColumn& a, const AtomColumn& b) { return a.x == b.x && a.y == b.y; });
    mColumns = std::move(columns);
    mMotifs = std::move(table);
    if (sameColumns) {
        std::erase_if(selection, [this](int i) { return i < 0 || i >= int(mColumns.size()); });
        const bool selectionMoved = selection != mSelection;
        mSelection = std::move(selection);
        Q_EMIT columnsChanged();
        if (selectionMoved)
            Q_EMIT selectionChanged();
    } else {
        columnsEdited(std::move(selection));
    }
    if (tableMoves)
        Q_EMIT motifsChanged();
}

void MicrographDocument::pushMotifChange(ColumnSet columns, MotifTable table, const QString& text)
{
    mUndoStack->push(new ChangeMotifsCommand(this, std::move(columns), std::move(table), text));
}

void MicrographDocument::applyLearning(ColumnSet learned, MotifTable table)
{
    if (learned.size() != mColumns.size())
        return; // learned on other columns: not this document's any more
    pushMotifChange(std::move(learned), std::move(table), tr("Learn Motifs"));
}

void MicrographDocument::renameMotif(int id, const QString& name)
{
    const QString trimmed = name.trimmed();
    if (!mMotifs.contains(id) || trimmed.isEmpty() || trimmed == mMotifs.motifs[std::size_t(id)].name)
        return;
    MotifTable table = mMotifs;
    table.motifs[std::size_t(id)].name = trimmed;
    pushMotifChange(mColumns, std::move(table), tr("Rename Motif"));
}

void MicrographDocument::recolourMotif(int id, const QColor& colour)
{
    if (!mMotifs.contains(id) || !colour.isValid() || colour == mMotifs.motifs[std::size_t(id)].colour)
        return;
    MotifTable table = mMotifs;
    table.motifs[std::size_t(id)].colour = colour;
    pushMotifChange(mColumns, std::move(table), tr("Recolour Motif"));
}

void MicrographDocument::mergeMotifs(std::vector<int> ids)
{
    MotifState state = mergedMotifs({mColumns, mMotifs}, std::move(ids));
    if (state.table.size() == mMotifs.size())
        return;
    pushMotifChange(std::move(state.columns), std::move(state.table), tr("Merge Motifs")); // averages combined, not resampled
}

void MicrographDocument::splitMotif(int id)
{
    const MotifState before{mColumns, mMotifs};
    MotifState state = motifscope::ui::splitMotif(before, id);
    if (state.table.size() == mMotifs.size())
        return;
    if (hasMicrograph()) {
        std::vector<int> moved; // the half that became the new motif
        for (std::size_t i = 0; i < state.columns.size(); ++i)
            if (state.columns.classOf(i) == state.table.size() - 1)
                moved.push_back(int(i));
        updateAveragesForMoves(state, before, *mFinite, moved);
    }
    pushMotifChange(std::move(state.columns), std::move(state.table), tr("Split Motif"));
}

void MicrographDocument::assignColumnsToMotif(std::vector<int> indices, int id)
{
    std::erase_if(indices, [this](int i) { return i < 0 || i >= int(mColumns.size()); });
    if (indices.empty() || !mMotifs.contains(id))
        return;
    const MotifState before{mColumns, mMotifs};
    MotifState state = assignedToMotif(before, indices, id);
    if (hasMicrograph()) {
        updateAveragesForMoves(state, before, *mFinite, indices);
    }
    const QString text = indices.size() == 1 ? tr("Assign Column to %1").arg(mMotifs.motifs[std::size_t(id)].name)
                                             : tr("Assign %1 Columns to %2").arg(indices.size()).arg(mMotifs.motifs[std::size_t(id)].name);
    pushMotifChange(std::move(state.columns), std::move(state.table), text);
}

} // namespace motifscope::ui
