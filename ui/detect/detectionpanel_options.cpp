// The Detection panel's statistical options (residual passes, contrast mask, joint fit,
// significance) and the "Colour by uncertainty" switch with its legend.
#include "ui/detect/detectionpanel.h"

#include "ui/document/micrographdocument.h"
#include "ui/panels/statusreadout.h"
#include "ui/text/hint.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/contrastmaskoverlay.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLinearGradient>
#include <QPainter>
#include <QPixmap>
#include <QVBoxLayout>

namespace motifscope::ui {

namespace {

constexpr int kLegendWidth = 72;
constexpr int kLegendHeight = 10;

/** The overlay's colour map as a small horizontal bar, precise (left) to uncertain (right). */
QPixmap legendBar(double devicePixelRatio)
{
    QPixmap bar(QSize(kLegendWidth, kLegendHeight) * devicePixelRatio);
    bar.setDevicePixelRatio(devicePixelRatio);
    QPainter painter(&bar);
    QLinearGradient gradient(0, 0, kLegendWidth, 0);
    for (int i = 0; i <= 8; ++i)
        gradient.setColorAt(i / 8.0, ColumnOverlay::uncertaintyColour(i / 8.0));
    painter.fillRect(QRectF(0, 0, kLegendWidth, kLegendHeight), gradient);
    painter.setPen(QColor(0, 0, 0, 90));
    painter.drawRect(QRectF(0.5, 0.5, kLegendWidth - 1, kLegendHeight - 1));
    return bar;
}

QCheckBox* optionBox(const QString& text, const QString& objectName, bool checked)
{
    auto* box = new QCheckBox(text);
    box->setObjectName(objectName);
    box->setChecked(checked);
    return box;
}

} // namespace

QWidget* DetectionPanel::buildStatisticsControls()
{
    mSignificance = new QDoubleSpinBox;
    mSignificance->setObjectName(QStringLiteral("significance"));
    mSignificance->setRange(0.0, 100.0);
    mSignificance->setDecimals(1);
    mSignificance->setSingleStep(0.5);
    mSignificance->setSuffix(tr(" σ"));
    mSignificance->setSpecialValueText(tr("Auto"));
    mSignificance->setKeyboardTracking(false);
    mSignificance->setValue(0.0);
    setHint(mSignificance, tr("How far above the noise a peak must stand to count as a column, in standard deviations "
                              "of the image's own noise at that brightness (z). Auto (default) picks the level at "
                              "which the whole image is expected to give less than one false column; lower finds "
                              "fainter columns and more noise. Used with the automatic threshold"));

    const DetectionParams defaults;
    mResidualPasses = optionBox(tr("Find weaker sublattices"), QStringLiteral("residualPasses"), defaults.residualPasses);
    setHint(mResidualPasses, tr("After the first search, subtract the fitted columns and search what is left, so light "
                                "columns beside heavy ones (a weaker sublattice, the light atom of a dumbbell) are "
                                "found too (default on)"));
    mContrastOnly = optionBox(tr("Only where there is atomic contrast"), QStringLiteral("atomicContrastOnly"),
                              defaults.atomicContrastOnly);
    setHint(mContrastOnly, tr("Search for columns only where the image shows atomic contrast: no columns are placed on "
                              "vacuum, holes or amorphous support film (default on). View > Atomic Contrast Mask shows "
                              "where that was"));
    mJointFit = optionBox(tr("Fit close neighbours together"), QStringLiteral("jointFit"), defaults.jointFit);
    setHint(mJointFit, tr("Columns whose peaks overlap are fitted together (several Gaussians on one background), so "
                          "one does not pull the other's position (default on; part of the Gaussian fit)"));
    mSplitPairs = optionBox(tr("Split unresolved pairs (dumbbells)"), QStringLiteral("splitPairs"), defaults.splitPairs);
    setHint(mSplitPairs, tr("A peak that two Gaussians fit significantly better than one becomes two columns, when the "
                            "same pair (orientation and spacing) recurs across the image and the average of all such "
                            "columns is a pair rather than one elliptical spot (astigmatism or drift elongate every "
                            "column alike): dumbbells closer than about 2 column widths. Off (default): detection "
                            "looks for such pairs itself and, when it finds them, detects again splitting them; on: "
                            "from the start. Needs 'Fit close neighbours together'"));

    mColourByUncertainty = optionBox(tr("Colour by uncertainty"), QStringLiteral("colourByUncertainty"), false);
    setHint(mColourByUncertainty, tr("Colour each column by the standard error σ of its fitted position: blue = "
                                     "precise, through yellow, to red = uncertain; grey = not fitted (default off: "
                                     "motif colours)"));
    auto* bar = new QLabel;
    bar->setObjectName(QStringLiteral("uncertaintyBar"));
    bar->setPixmap(legendBar(devicePixelRatioF()));
    mLegend = new QLabel;
    mLegend->setObjectName(QStringLiteral("uncertaintyLegend"));
    auto* legend = new QWidget;
    legend->setObjectName(QStringLiteral("uncertaintyLegendRow"));
    auto* legendLayout = new QHBoxLayout(legend);
    legendLayout->setContentsMargins(20, 0, 0, 0);
    legendLayout->addWidget(bar);
    legendLayout->addWidget(mLegend, 1);
    legend->setVisible(false);

    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(mResidualPasses);
    layout->addWidget(mContrastOnly);
    layout->addWidget(mJointFit);
    layout->addSpacing(4);
    layout->addWidget(mColourByUncertainty);
    layout->addWidget(legend);

    connect(mColourByUncertainty, &QCheckBox::toggled, this, [this, legend](bool on) {
        legend->setVisible(on);
        if (mOverlay)
            mOverlay->setColourByUncertainty(on);
        updateLegend();
    });
    return box;
}

void DetectionPanel::setColumnOverlay(ColumnOverlay* overlay)
{
    mOverlay = overlay;
    if (mOverlay)
        mOverlay->setColourByUncertainty(mColourByUncertainty->isChecked());
    updateLegend();
}

void DetectionPanel::setContrastMaskOverlay(ContrastMaskOverlay* overlay)
{
    mMaskOverlay = overlay;
}

void DetectionPanel::updateLegend()
{
    if (!mColourByUncertainty->isChecked())
        return;
    // Computed here, not taken from the overlay: its cache may not have seen this change yet.
    const ColumnOverlay::SigmaRange range =
        mDocument ? ColumnOverlay::sigmaRange(mDocument->columns()) : ColumnOverlay::SigmaRange{};
    if (!range.valid()) {
        mLegend->setText(tr("no fitted columns"));
        mLegend->setToolTip(tr("No column has a fitted position yet (detect with Gaussian fit)"));
        return;
    }
    const Calibration calibration = mDocument ? mDocument->micrograph().calibration : Calibration{};
    auto number = [](double px) { return QString::number(px, 'f', px < 0.01 ? 4 : 3); };
    mLegend->setText(tr("σ %1 – %2 px").arg(number(range.low), number(range.high)));
    mLegend->setToolTip(tr("Colour map from %1 (blue) to %2 (red): the 5th to 95th percentile of the %3 fitted "
                           "columns; grey = not fitted")
                            .arg(positionSigmaText(range.low, calibration), positionSigmaText(range.high, calibration))
                            .arg(range.fitted));
}

} // namespace motifscope::ui
