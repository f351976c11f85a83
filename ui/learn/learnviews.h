#pragma once
/** Keeps the embedding plot, the motif gallery, the features panel and the column colours in step with the document. */

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QPointF>
#include <QVector>

#include <memory>
#include <vector>

namespace motifscope::ui {

class ColumnOverlay;
class EmbeddingPlot;
class FeaturesPanel;
class MicrographDocument;
class MotifGallery;
struct LearnPreview;

/**
 * The document owns the motifs; this object only shows them and forwards the user's edits:
 * - the plot shows the learned columns' map positions (or the live layout while learning) and
 *   brushes: a rectangle or lasso selects those columns in the document, and the document's
 *   selection is highlighted in the plot;
 * - the gallery lists the motif table with counts from the columns; rename, recolour, merge,
 *   split and assign become undoable document edits;
 * - the overlay's palette follows the motif colours, and shows the provisional labels live;
 * - the features panel shows the patch of the column under the cursor (or the selected one).
 */
class LearnViews : public QObject
{
    Q_OBJECT
public:
    LearnViews(MicrographDocument* document, EmbeddingPlot* plot, MotifGallery* gallery, FeaturesPanel* features,
               ColumnOverlay* overlay, QObject* parent = nullptr);
    ~LearnViews() override;

    /** The column index of each point in the plot. */
    const std::vector<int>& plotColumns() const { return mPlotColumns; }
    /** The column whose features are shown, -1 for none. */
    int featuredColumn() const { return mFeatured; }
    bool isPreviewing() const { return mPreviewing; }

public Q_SLOTS:
    /** A live snapshot of learning: the plot animates, the columns take the provisional colours. */
    void showPreview(const motifscope::ui::LearnPreview& preview);
    /** Learning stopped: back to what the document holds. */
    void endPreview();
    /** The cursor is at `imagePoint` on the image: show the nearest column's features. */
    void showFeaturesNear(const QPointF& imagePoint);
    /** The cursor left the image: show the selected column's features, if any. */
    void showSelectedFeatures();
    void showColumnFeatures(int column);

private:
    void onColumnsChanged();
    void onMotifsChanged();
    void onDocumentSelectionChanged();
    void onPlotSelection(const QVector<int>& rows);
    void rebuildPlot();
    void updateGallery();
    void updatePalette(int atLeast = 0);
    /** The learned column nearest the image centre (-1 when none): what the features show at first. */
    int centralLearnedColumn() const;
    int patchSize();
    void updateSpacing();

    QPointer<MicrographDocument> mDocument;
    QPointer<EmbeddingPlot> mPlot;
    QPointer<MotifGallery> mGallery;
    QPointer<FeaturesPanel> mFeatures;
    QPointer<ColumnOverlay> mOverlay;
    std::vector<int> mPlotColumns;  ///< column of each plot row
    std::vector<int> mRowOfColumn;  ///< plot row of each column, -1 = not in the plot
    bool mPreviewing = false;
    bool mPushingSelection = false; ///< the plot's selection is going to the document
    int mFeatured = -1;
    QColor mColumnColour;           ///< the overlay's colour of columns before there are motifs
    quint64 mSpacingRevision = quint64(-1);
    double mSpacing = 0.0;
};

} // namespace motifscope::ui
