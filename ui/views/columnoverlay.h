#pragma once
/** The document's atom columns drawn over the micrograph: circles, or dots when zoomed out. */

#include "core/detect/atom_column.h"
#include "ui/views/imageoverlay.h"

#include <QColor>
#include <QHash>
#include <QImage>
#include <QList>
#include <QPointer>

#include <vector>

namespace motifscope::ui {

class MicrographDocument;

/**
 * One marker per column, centred on its sub-pixel position. Markers smaller than
 * kMinCircleRadius widget pixels become small hollow squares (or 2 x 2 dots when filled) written
 * straight into a cached layer image, so
 * 100,000 columns pan and zoom smoothly; larger ones are circles, drawn only where visible.
 * Selected columns are highlighted. Colours come from a palette indexed by the document's
 * per-column class (ColumnSet::classes; -1 = defaultColour()), or, with colour by uncertainty, from
 * a sequential map of each column's position sigma (blue = precise .. red = uncertain, grey = not fitted).
 */
class ColumnOverlay : public ImageOverlay
{
    Q_OBJECT
public:
    static constexpr double kMinCircleRadius = 3.0;

    explicit ColumnOverlay(QObject* parent = nullptr);

    void setDocument(MicrographDocument* document);

    /** Marker radius in image pixels: set, or (0) a quarter of the typical column spacing. */
    void setMarkerRadius(double imagePixels);
    double markerRadius() const;

    void setDefaultColour(const QColor& colour);
    QColor defaultColour() const { return mDefault; }
    /** Colours for class 0, 1, 2, ... (wrapping); used later for motifs. */
    void setPalette(const QList<QColor>& palette);
    QList<QColor> palette() const { return mPalette; }
    QColor selectionColour() const { return mSelection; }
    QColor colourOf(int index) const;
    /**
     * Classes shown instead of the document's while motif learning runs (one per column; empty =
     * the document's again). The document is not touched: a cancelled run leaves no trace.
     */
    void setPreviewClasses(std::vector<int> classes);
    bool hasPreview() const { return !mPreview.empty(); }
    /** The class drawn for column `index`: the preview's while there is one, else the document's. */
    int shownClass(std::size_t index) const;

    /** Position sigmas (px) the colour map spans: the 5th and 95th percentiles of the fitted columns. */
    struct SigmaRange
    {
        double low = 0.0;
        double high = 0.0;
        std::size_t fitted = 0; ///< columns with a sigma (> 0)
        bool valid() const { return fitted > 0; }
    };
    static SigmaRange sigmaRange(const AtomColumns& columns);
    /** The sequential map at t in [0, 1] (0 = most precise). */
    static QColor uncertaintyColour(double t);
    /** Colour given to columns without a sigma (not fitted, added by hand). */
    static QColor unfittedColour() { return QColor(150, 150, 150); }

    /** Colours each column by its position sigma instead of its motif (off by default). */
    void setColourByUncertainty(bool on);
    bool colourByUncertainty() const { return mByUncertainty; }
    /** The range the map spans for the document's columns (cached until they change). */
    SigmaRange uncertaintyRange() const;

    /**
     * Shades each column's motif colour by how sure the learner is of it: confidence 1 keeps the
     * colour, 0 turns it grey (off by default; no effect on unclassified columns or previews).
     */
    void setShadeByConfidence(bool on);
    bool shadeByConfidence() const { return mByConfidence; }
    /** A motif colour shaded for confidence c in [0, 1]: mixed with grey by 1 - c. */
    static QColor shadedColour(const QColor& colour, double confidence);

    /**
     * Outline (default): rings when zoomed in, hollow squares around each column's centre pixel when
     * zoomed out, so the atoms show through. Filled: translucent discs zoomed in, solid dots zoomed out.
     */
    enum class MarkerStyle
    {
        Outline,
        Filled,
    };
    void setMarkerStyle(MarkerStyle style);
    MarkerStyle markerStyle() const { return mStyle; }

    /** True when the last paint used dots (zoomed out) instead of circles. */
    bool lastPaintUsedDots() const { return mLastDots; }
    /** The opacity factor of the last dot paint: below 1 when the markers crowd each other. */
    double lastDotWash() const { return mLastWash; }
    /**
     * Opacity for markers of `footprint` device pixels each, `pitch` device pixels apart: 1 while
     * they cover at most kMaxMarkerCover of the image, less as they crowd, so the micrograph
     * shows through zoomed out instead of a carpet of markers.
     */
    static double crowdedMarkerOpacity(double footprint, double pitch);
    static constexpr double kMaxMarkerCover = 0.3;

    void paint(QPainter& painter, const OverlayContext& context) override;

private:
    void paintDots(QPainter& painter, const OverlayContext& context);
    void paintCircles(QPainter& painter, const OverlayContext& context, double radius);
    void onColumnsChanged();
    struct SpriteKey
    {
        double radius = 0.0, penWidth = 0.0;
        bool filled = false;
        double dpr = 0.0;
        bool operator==(const SpriteKey&) const = default;
    };
    static QImage markerSprite(QRgb colour, const SpriteKey& key);
    /** What column i is drawn in (selection aside). */
    QRgb markerColour(std::size_t i, bool classed, const SigmaRange& range) const;

    QPointer<MicrographDocument> mDocument;
    double mFixedRadius = 0.0;
    /** Median nearest-neighbour distance of the columns (image px), 0 when unknown; cached. */
    double columnSpacing() const;
    mutable double mSpacing = 0.0;
    mutable std::size_t mSpacingCount = std::size_t(-1);
    QColor mDefault{255, 92, 56};
    QColor mSelection{60, 235, 255};
    QList<QColor> mPalette;
    std::vector<int> mPreview;
    bool mByUncertainty = false;
    bool mByConfidence = false;
    mutable SigmaRange mRange;
    mutable bool mRangeValid = false;
    MarkerStyle mStyle = MarkerStyle::Outline;
    SpriteKey mSpriteKey;
    QHash<QRgb, QImage> mSprites; // one marker image per colour, for many circles at once
    QImage mDots; // zoomed-out layer, widget sized, reused between paints
    bool mLastDots = false;
    double mLastWash = 1.0;
};

} // namespace motifscope::ui
