#include "ui/panels/layerpanel.h"

#include "ui/text/hint.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/imageoverlay.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace motifscope::ui {

LayerPanel::LayerPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("layerPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addStretch(1);
}

QWidget* LayerPanel::row(const QString& name, ImageOverlay* overlay, QAction* visible, const QString& objectName)
{
    auto* box = new QCheckBox(name);
    box->setObjectName(objectName + QStringLiteral("Visible"));
    setHint(box, tr("Show or hide this layer"));
    box->setChecked(overlay->isVisible());
    auto* opacity = new QSpinBox;
    opacity->setObjectName(objectName + QStringLiteral("Opacity"));
    opacity->setRange(0, 100);
    opacity->setSuffix(QStringLiteral(" %"));
    opacity->setValue(int(std::lround(100.0 * overlay->opacity())));
    setHint(opacity, tr("How opaque the layer is drawn: lower lets the atoms show through; default 100 %"));
    connect(opacity, &QSpinBox::valueChanged, overlay, [overlay](int percent) { overlay->setOpacity(percent / 100.0); });
    if (visible) {
        box->setChecked(visible->isChecked());
        connect(box, &QCheckBox::toggled, visible, &QAction::setChecked);
        connect(visible, &QAction::toggled, box, &QCheckBox::setChecked);
    } else {
        connect(box, &QCheckBox::toggled, overlay, &ImageOverlay::setVisible);
    }
    auto* widget = new QWidget;
    auto* grid = new QGridLayout(widget);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(box, 0, 0);
    grid->addWidget(new QLabel(tr("Opacity")), 0, 1, Qt::AlignRight);
    grid->addWidget(opacity, 0, 2);
    grid->setColumnStretch(0, 1);
    auto* layout = static_cast<QVBoxLayout*>(this->layout());
    layout->insertWidget(layout->count() - 1, widget);
    return widget;
}

void LayerPanel::setColumnLayer(ColumnOverlay* overlay, QAction* visible)
{
    QWidget* widget = row(tr("Columns"), overlay, visible, QStringLiteral("columns"));
    mRadius = new QDoubleSpinBox;
    mRadius->setObjectName(QStringLiteral("markerRadius"));
    mRadius->setRange(0.0, 200.0);
    mRadius->setDecimals(1);
    mRadius->setSingleStep(0.5);
    mRadius->setSuffix(tr(" px"));
    mRadius->setSpecialValueText(tr("Auto"));
    setHint(mRadius, tr("Radius of the column markers in image pixels; default Auto = a quarter of the column "
                        "spacing. Smaller markers hide less of each atom"));
    connect(mRadius, &QDoubleSpinBox::valueChanged, overlay, &ColumnOverlay::setMarkerRadius);
    auto* grid = static_cast<QGridLayout*>(widget->layout());
    grid->addWidget(new QLabel(tr("Size")), 1, 1, Qt::AlignRight);
    grid->addWidget(mRadius, 1, 2);
    mMarkerStyle = new QComboBox;
    mMarkerStyle->setObjectName(QStringLiteral("markerStyle"));
    mMarkerStyle->addItem(tr("Outline"));
    mMarkerStyle->addItem(tr("Filled"));
    setHint(mMarkerStyle, tr("Outline (default): rings, and hollow squares when zoomed out, so every atom shows "
                             "through its marker. Filled: discs and dots, easier to see on a busy image"));
    connect(mMarkerStyle, &QComboBox::currentIndexChanged, overlay, [overlay](int index) {
        overlay->setMarkerStyle(index == 1 ? ColumnOverlay::MarkerStyle::Filled : ColumnOverlay::MarkerStyle::Outline);
    });
    grid->addWidget(new QLabel(tr("Markers")), 2, 1, Qt::AlignRight);
    grid->addWidget(mMarkerStyle, 2, 2);
}

void LayerPanel::addLayer(const QString& name, ImageOverlay* overlay, QAction* visible, const QString& objectName)
{
    row(name, overlay, visible, objectName);
}

QSpinBox* LayerPanel::opacityBox(const QString& objectName) const
{
    return findChild<QSpinBox*>(objectName + QStringLiteral("Opacity"));
}

} // namespace motifscope::ui
