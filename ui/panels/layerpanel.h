#pragma once
/** The "Layers" dock: what is drawn over the micrograph, each layer shown or hidden, sized and faded (as napari's layer list). */

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace motifscope::ui {

class ColumnOverlay;
class ImageOverlay;

/**
 * One row per layer: a visibility box (the same state as its View menu toggle), an opacity in
 * percent and, for the columns, the marker radius (Auto = a quarter of the column spacing).
 * Fainter or smaller markers let the atoms show through them.
 */
class LayerPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LayerPanel(QWidget* parent = nullptr);

    /** The column markers; `visible` is their View menu toggle (kept in step). */
    void setColumnLayer(ColumnOverlay* overlay, QAction* visible);
    /** Another layer (motif layer, hierarchy outlines) with its toggle (may be null). */
    void addLayer(const QString& name, ImageOverlay* overlay, QAction* visible, const QString& objectName);

    QDoubleSpinBox* markerRadiusBox() const { return mRadius; }
    /** Outline (0, default) or Filled (1) column markers. */
    QComboBox* markerStyleBox() const { return mMarkerStyle; }
    /** The opacity box of the layer added with `objectName` ("columns" for the column markers). */
    QSpinBox* opacityBox(const QString& objectName) const;

private:
    QWidget* row(const QString& name, ImageOverlay* overlay, QAction* visible, const QString& objectName);

    QDoubleSpinBox* mRadius = nullptr;
    QComboBox* mMarkerStyle = nullptr;
};

} // namespace motifscope::ui
