#pragma once
/** The open micrograph and everything the user does to it; views subscribe to its signals. */

#include "core/detect/atom_column.h"
#include "ui/document/columnset.h"
#include "core/hierarchy/hierarchy.h"
#include "core/image/float_image.h"
#include "core/io/micrograph.h"
#include "ui/views/lookuptable.h"

#include <QObject>
#include <QPointF>
#include <QString>

#include <memory>
#include <vector>

class QUndoStack;

namespace motifscope::ui {

class ReplaceColumnsCommand;
class AddColumnCommand;
class DeleteColumnsCommand;
class MoveColumnsCommand;
class ChangeMotifsCommand;
class SetScaleCommand;

/** How the micrograph is mapped to grey levels: percentile clip and gamma. */
struct DisplaySettings
{
    static constexpr double kDefaultLowPercent = 0.5;
    static constexpr double kDefaultHighPercent = 99.5;

    double lowPercent = kDefaultLowPercent;   ///< pixels at or below this percentile are black
    double highPercent = kDefaultHighPercent; ///< pixels at or above this percentile are white
    double gamma = 1.0;                       ///< grey = t^gamma, t the clipped value scaled to 0..1
    LookupTable lut = LookupTable::Grey;      ///< the colours grey levels are shown in

    bool operator==(const DisplaySettings&) const = default;
};

/**
 * Owns the micrograph (immutable, shared with background jobs as a snapshot) and its one finite
 * copy, its file path, display settings and the undo stack. Every change emits one past-tense signal.
 */
class MicrographDocument : public QObject
{
    Q_OBJECT
public:
    explicit MicrographDocument(QObject* parent = nullptr);
    ~MicrographDocument() override;

    bool hasMicrograph() const { return mMicrograph != nullptr; }
    /** The current micrograph; an empty one when nothing is loaded. */
    const Micrograph& micrograph() const;
    /** A shared, read-only snapshot for background jobs (null when nothing is loaded). */
    std::shared_ptr<const Micrograph> snapshot() const { return mMicrograph; }
    /**
     * The micrograph's finite copy (withFiniteValues), what detection, learning, motif edits, the
     * features view and export read. Made once when the micrograph is set and kept by Set Scale
     * (the pixels stay); immutable, so jobs hold it while the GUI goes on. Null when nothing is loaded.
     */
    std::shared_ptr<const FloatImage> finiteImage() const { return mFinite; }
    /** Where the micrograph came from ("" for one made in memory). */
    const QString& filePath() const { return mFilePath; }
    QString displayName() const;

    /**
     * Replaces the micrograph; the display settings go back to their defaults (they belong to the
     * image). Emits micrographChanged, then contrastChanged (new limits).
     */
    void setMicrograph(Micrograph micrograph, const QString& filePath = QString());
    void setMicrograph(std::shared_ptr<const Micrograph> micrograph, const QString& filePath = QString());

    const DisplaySettings& displaySettings() const { return mDisplay; }
    /** Sets the clip percentiles (0..100, low < high; invalid pairs are corrected). */
    void setContrastPercentiles(double lowPercent, double highPercent);
    void setGamma(double gamma);
    void setLookupTable(LookupTable lut);
    void setDisplaySettings(const DisplaySettings& settings);
    /** Back to 0.5 % / 99.5 % and gamma 1. */
    void resetContrast();

    /** Pixel values at the low and high clip percentiles (what maps to black and white). */
    double displayLow() const { return mDisplayLow; }
    double displayHigh() const { return mDisplayHigh; }

    QUndoStack* undoStack() const { return mUndoStack; }

    /**
     * Image > Set Scale: the micrograph's pixel size and unit (an empty unit = uncalibrated), as
     * one undo step; nothing when it is already so. Emits calibrationChanged.
     */
    void setCalibration(const Calibration& calibration);

    // --- saved state: the session file and whether there are changes since it was saved ---------
    /** The session file this document was opened from or last saved to ("" = none). */
    const QString& sessionPath() const { return mSessionPath; }
    void setSessionPath(const QString& path);
    /** True when the undo stack is away from its clean index (edits since open or save). */
    bool isModified() const;
    /** The current state is the saved one (the undo stack's clean index moves here). */
    void markSaved();
    /** Unsaved whatever undo does (a recovered autosave): no undo position is clean. */
    void markUnsaved();
    /**
     * Replaces everything at once from a saved session: micrograph, columns, motifs, hierarchy
     * and display settings; no undo step, the undo stack is empty and clean.
     */
    void restore(std::shared_ptr<const Micrograph> micrograph, const QString& imagePath, ColumnSet columns,
                 MotifTable table, std::shared_ptr<const HierarchyResult> hierarchy, const DisplaySettings& display,
                 const QString& sessionPath);

    // --- atom columns: changed only through undo commands on undoStack() ---------------------
    const ColumnSet& columnSet() const { return mColumns; }
    const AtomColumns& columns() const { return mColumns.columns; }
    /** Bumped on every column change: lets caches tell whether they are stale. */
    quint64 columnsRevision() const { return mColumnsRevision; }

    /**
     * Replaces every column as one undoable step named `text` (a detection run, an import). With
     * `mergeWithPrevious` a directly preceding replacement absorbs this one (threshold tweaks after
     * a detection run stay one undo step).
     */
    void replaceColumns(ColumnSet columns, const QString& text, bool mergeWithPrevious = false);
    /** Adds one column (and selects it); undoable. */
    void addColumn(const AtomColumn& column);
    /** Removes the columns with these indices (clears the selection); undoable. */
    void deleteColumns(std::vector<int> indices);
    void deleteSelectedColumns() { deleteColumns(mSelection); }
    /**
     * Moves the columns by (dx, dy) pixels; undoable. Consecutive moves with the same non-zero
     * `dragId` and the same columns merge into one step (one drag = one undo).
     */
    void moveColumns(std::vector<int> indices, double dx, double dy, int dragId = 0);

    // --- selection: view state, not undoable; indices sorted ascending, unique ------------------
    const std::vector<int>& selection() const { return mSelection; }
    bool isSelected(int index) const;
    void setSelection(std::vector<int> indices);
    void clearSelection() { setSelection({}); }

    // --- learned motifs: changed only through undo commands (ui/document/motifcommands.h) -------
    /** Name, colour and average patch of every motif (empty before learning). */
    const MotifTable& motifTable() const { return mMotifs; }
    /**
     * Enters a learning result as one undoable step ("Learn Motifs"): the per-column classes,
     * confidences, map positions and orientations of `learned` (same columns as now) and `table`.
     */
    void applyLearning(ColumnSet learned, MotifTable table);
    void renameMotif(int id, const QString& name);
    void recolourMotif(int id, const QColor& colour);
    /** Joins the motifs into the lowest id; the others' ids close up. */
    void mergeMotifs(std::vector<int> ids);
    /** Re-clusters the members of motif `id` into two (k-means on their map positions). */
    void splitMotif(int id);
    /** Gives the columns motif `id` (confidence 1: the user said so). */
    void assignColumnsToMotif(std::vector<int> indices, int id);

    // --- motif hierarchy: derived from the columns, not an undo step; cleared when they change ------
    /** The last hierarchy built from the current columns (null when none). */
    std::shared_ptr<const HierarchyResult> hierarchy() const { return mHierarchy; }
    /**
     * Keeps `result`, built from the columns at `revision` (columnsRevision()); ignored when the
     * columns changed since. Emits hierarchyChanged.
     */
    void setHierarchy(std::shared_ptr<const HierarchyResult> result, quint64 revision);
    void clearHierarchy();

Q_SIGNALS:
    /** A different micrograph (or file path) is now open. */
    void micrographChanged();
    /** The micrograph's pixel size or unit changed (Set Scale, its undo). */
    void calibrationChanged();
    /** The grey-level mapping changed (settings or their pixel-value limits). */
    void contrastChanged();
    /** Columns were added, removed, moved or replaced. */
    void columnsChanged();
    void selectionChanged();
    /** The motif table changed (learned, renamed, recoloured, merged, split, cleared). */
    void motifsChanged();
    /** The hierarchy was built or cleared. */
    void hierarchyChanged();
    /** isModified() changed. */
    void modifiedChanged(bool modified);
    void sessionPathChanged();

private:
    friend class ReplaceColumnsCommand;
    friend class AddColumnCommand;
    friend class DeleteColumnsCommand;
    friend class MoveColumnsCommand;
    friend class ChangeMotifsCommand;
    friend class SetScaleCommand;

    /** The micrograph with `calibration` (pixels shared with nobody: a copy for the new scale). */
    void applyCalibration(const Calibration& calibration);
    void updateDisplayLimits();
    /** Low-level edits for the undo commands: change, drop stale selection, signal. */
    void applyColumnSet(ColumnSet columns, std::vector<int> selection);
    void applyPositions(const std::vector<int>& indices, const std::vector<QPointF>& positions,
                        const std::vector<std::uint8_t>& edits);
    void columnsEdited(std::vector<int> selection);
    /**
     * Sets columns and motif table together (motif commands, replacing columns). A `motifEdit`
     * that changes no column's position or motif (rename, recolour) keeps the hierarchy.
     */
    void applyMotifState(ColumnSet columns, MotifTable table, std::vector<int> selection, bool motifEdit = false);
    /** Pushes a ChangeMotifsCommand when something changes. */
    void pushMotifChange(ColumnSet columns, MotifTable table, const QString& text);

    std::shared_ptr<const Micrograph> mMicrograph;
    std::shared_ptr<const FloatImage> mFinite; ///< finiteImage(): of mMicrograph's pixels
    QString mFilePath;
    QString mSessionPath;
    DisplaySettings mDisplay;
    double mDisplayLow = 0.0;
    double mDisplayHigh = 1.0;
    QUndoStack* mUndoStack = nullptr;
    ColumnSet mColumns;
    quint64 mColumnsRevision = 0;
    std::vector<int> mSelection;
    MotifTable mMotifs;
    std::shared_ptr<const HierarchyResult> mHierarchy;
};

} // namespace motifscope::ui
