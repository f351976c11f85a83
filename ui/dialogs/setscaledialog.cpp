#include "ui/dialogs/setscaledialog.h"

#include "ui/text/hint.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include <cmath>

namespace motifscope::ui {

namespace {

QDoubleSpinBox* lengthBox(double min, double max, const QString& objectName)
{
    auto* spin = new QDoubleSpinBox;
    spin->setObjectName(objectName);
    spin->setRange(min, max);
    spin->setDecimals(6);
    spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    return spin;
}

} // namespace

Calibration calibrationFromDistance(double pixels, double length, const QString& unit)
{
    Calibration c;
    if (unit.trimmed().isEmpty() || !(pixels > 0.0) || !(length > 0.0) || !std::isfinite(pixels) || !std::isfinite(length))
        return c;
    c.pixelSizeX = c.pixelSizeY = length / pixels;
    c.unit = unit.trimmed().toStdString();
    return c;
}

SetScaleDialog::SetScaleDialog(const Calibration& current, double suggestedPixels, const QString& suggestion,
                               QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("setScaleDialog"));
    setWindowTitle(tr("Set Scale"));
    mBySize = new QRadioButton(tr("Pixel size"));
    mBySize->setObjectName(QStringLiteral("scaleByPixelSize"));
    mByDistance = new QRadioButton(tr("Known distance"));
    mByDistance->setObjectName(QStringLiteral("scaleByDistance"));
    mPixelSize = lengthBox(1e-6, 1e6, QStringLiteral("pixelSize"));
    setHint(mPixelSize, tr("Length of one pixel in the unit below (square pixels)"));
    mPixels = lengthBox(0.01, 1e6, QStringLiteral("distancePixels"));
    mPixels->setSuffix(tr(" px"));
    setHint(mPixels, tr("A distance on the image in pixels: %1").arg(suggestion));
    mLength = lengthBox(1e-6, 1e6, QStringLiteral("distanceLength"));
    setHint(mLength, tr("What that distance measures, in the unit below (a lattice spacing you know, say)"));
    mUnit = new QComboBox;
    mUnit->setObjectName(QStringLiteral("scaleUnit"));
    mUnit->setEditable(true);
    mUnit->addItems({QStringLiteral("pm"), QStringLiteral("Å"), QStringLiteral("nm"), QStringLiteral("µm")});
    setHint(mUnit, tr("Unit of the pixel size and of the known length"));

    const bool calibrated = current.isCalibrated();
    mPixelSize->setValue(calibrated ? current.pixelSizeX : 0.01);
    mUnit->setCurrentText(calibrated ? QString::fromStdString(current.unit) : QStringLiteral("nm"));
    mPixels->setValue(suggestedPixels > 0.0 ? suggestedPixels : 100.0);
    mLength->setValue(mPixels->value() * mPixelSize->value());
    (calibrated ? mBySize : mByDistance)->setChecked(true);

    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(mBySize);
    sizeRow->addWidget(mPixelSize, 1);
    auto* distanceRow = new QHBoxLayout;
    distanceRow->addWidget(mByDistance);
    distanceRow->addWidget(mPixels, 1);
    distanceRow->addWidget(new QLabel(tr("measure")));
    distanceRow->addWidget(mLength, 1);
    auto* unitRow = new QHBoxLayout;
    unitRow->addWidget(new QLabel(tr("Unit")));
    unitRow->addWidget(mUnit, 1);
    auto* note = new QLabel(tr("Distance suggested from %1.").arg(suggestion));
    note->setWordWrap(true);
    mResult = new QLabel;
    mResult->setObjectName(QStringLiteral("scaleResult"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QPushButton* remove = buttons->addButton(tr("Remove Scale"), QDialogButtonBox::ResetRole);
    remove->setObjectName(QStringLiteral("removeScale"));
    setHint(remove, tr("Make the image uncalibrated: lengths in pixels"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(remove, &QPushButton::clicked, this, [this] {
        mRemove = true;
        accept();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(sizeRow);
    layout->addLayout(distanceRow);
    layout->addWidget(note);
    layout->addLayout(unitRow);
    layout->addWidget(mResult);
    layout->addWidget(buttons);

    for (QDoubleSpinBox* box : {mPixelSize, mPixels, mLength})
        connect(box, &QDoubleSpinBox::valueChanged, this, &SetScaleDialog::updateResult);
    connect(mUnit, &QComboBox::currentTextChanged, this, &SetScaleDialog::updateResult);
    for (QRadioButton* mode : {mBySize, mByDistance})
        connect(mode, &QRadioButton::toggled, this, &SetScaleDialog::updateResult);
    updateResult();
}

Calibration SetScaleDialog::calibration() const
{
    if (mRemove)
        return Calibration{};
    if (mByDistance->isChecked())
        return calibrationFromDistance(mPixels->value(), mLength->value(), mUnit->currentText());
    return calibrationFromDistance(1.0, mPixelSize->value(), mUnit->currentText());
}

void SetScaleDialog::updateResult()
{
    mPixelSize->setEnabled(mBySize->isChecked());
    mPixels->setEnabled(mByDistance->isChecked());
    mLength->setEnabled(mByDistance->isChecked());
    const Calibration c = calibration();
    mResult->setText(c.isCalibrated() ? tr("1 pixel = %1 %2").arg(QString::number(c.pixelSizeX, 'g', 6), QString::fromStdString(c.unit))
                                      : tr("Uncalibrated (give a unit)"));
}

} // namespace motifscope::ui
