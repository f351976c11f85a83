#pragma once
/** The learned motifs side by side: average patch, name, colour, abundance; rename, recolour, merge, split. */

#include "ui/learn/motifsummary.h"

#include <QWidget>

class QAction;
class QListView;

namespace motifscope::ui {

class MotifGalleryModel;

/**
 * A wrapping grid of motif cards (MotifGalleryDelegate over MotifGalleryModel). Arrow keys, Home
 * and End move the current motif (the selection follows; Shift extends it), Enter or F2 or a
 * double-click renames it in place, Ctrl+M merges the selected motifs, Ctrl+A selects them all;
 * Delete does nothing here (the window's Delete Columns does not fire from the gallery). The tool
 * bar and context menu recolour (QColorDialog), merge the selected motifs or ask for a split. Every edit is a
 * request: the gallery shows it at once and the owner answers with new summaries.
 */
class MotifGallery : public QWidget
{
    Q_OBJECT
public:
    explicit MotifGallery(QWidget* parent = nullptr);

    /** Replaces the motifs; the current motif stays current when its id is still present. */
    void setMotifs(const QVector<MotifSummary>& motifs);
    const QVector<MotifSummary>& motifs() const;

    /** Id of the current motif, -1 when none. */
    int currentMotif() const;
    void setCurrentMotif(int id);
    /** Ids of the selected motifs, in gallery order. */
    QVector<int> selectedMotifs() const;

    MotifGalleryModel* model() const { return mModel; }
    QListView* view() const { return mView; }

public Q_SLOTS:
    /** Starts renaming the current motif in place. */
    void renameCurrent();
    /** Asks for a colour for the current motif (QColorDialog). */
    void recolourCurrent();
    /** Requests merging the selected motifs (needs two or more). */
    void mergeSelected();
    /** Requests splitting the current motif. */
    void splitCurrent();
    /** Requests giving the selected columns (of the image) the current motif. */
    void assignToCurrent();

Q_SIGNALS:
    void currentMotifChanged(int id);
    void selectedMotifsChanged(const QVector<int>& ids);
    void renameRequested(int id, const QString& name);
    void recolourRequested(int id, const QColor& colour);
    void mergeRequested(const QVector<int>& ids);
    void splitRequested(int id);
    void assignRequested(int id);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateActions();
    void showContextMenu(const QPoint& pos);

    MotifGalleryModel* mModel = nullptr;
    QListView* mView = nullptr;
    QAction* mRenameAction = nullptr;
    QAction* mColourAction = nullptr;
    QAction* mMergeAction = nullptr;
    QAction* mSplitAction = nullptr;
    QAction* mAssignAction = nullptr;
};

} // namespace motifscope::ui
