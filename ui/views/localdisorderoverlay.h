#pragma once
/**
 * A per-column measure (local motif entropy, |psi_6|, ...) drawn over the micrograph: each column
 * is a translucent tile of the ordered colour scale (core/render/colour_map), about one column
 * spacing wide, so the map reads as a picture of where the structure is disordered while the
 * atoms stay visible through it.
 */

#include "ui/views/columnvaluemap.h"
#include "ui/views/imageoverlay.h"

#include <QImage>
#include <QPointer>

namespace motifscope::ui {

class MicrographDocument;

class LocalDisorderOverlay : public ImageOverlay
{
    Q_OBJECT
public:
    explicit LocalDisorderOverlay(QObject* parent = nullptr);

    void setDocument(MicrographDocument* document);
    /** The map to draw (an empty map draws nothing); values follow the document's column order. */
    void setMap(ColumnValueMap map);
    const ColumnValueMap& map() const { return mMap; }

    void paint(QPainter& painter, const OverlayContext& context) override;

    /** Tile opacity before the layer's own opacity. */
    static constexpr int kTileAlpha = 150;

private:
    QPointer<MicrographDocument> mDocument;
    ColumnValueMap mMap;
    QImage mLayer;
};

} // namespace motifscope::ui
