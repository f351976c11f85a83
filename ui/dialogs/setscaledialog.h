#pragma once
/** Image > Set Scale: the pixel size and unit, typed or from a distance of known length (as in Fiji). */

#include "core/io/micrograph.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QRadioButton;

namespace motifscope::ui {

/**
 * The pixel size of a distance: `pixels` image pixels measure `length` in `unit`. An empty unit or
 * a distance that is not positive gives the uncalibrated scale (1 px, no unit).
 */
Calibration calibrationFromDistance(double pixels, double length, const QString& unit);

/**
 * Two ways to the scale: "Pixel size" (a value and a unit) or "Known distance" ("this distance of
 * N px is L nm"; N starts at what the window suggests: the two selected columns' distance or the
 * columns' spacing). "Remove Scale" makes the image uncalibrated. calibration() is the answer.
 */
class SetScaleDialog : public QDialog
{
    Q_OBJECT
public:
    /** `suggestedPixels` (> 0) fills the known distance; `suggestion` says where it comes from. */
    SetScaleDialog(const Calibration& current, double suggestedPixels, const QString& suggestion,
                   QWidget* parent = nullptr);

    Calibration calibration() const;

    QRadioButton* pixelSizeMode() const { return mBySize; }
    QRadioButton* distanceMode() const { return mByDistance; }
    QDoubleSpinBox* pixelSizeBox() const { return mPixelSize; }
    QDoubleSpinBox* distancePixelsBox() const { return mPixels; }
    QDoubleSpinBox* distanceLengthBox() const { return mLength; }
    QComboBox* unitBox() const { return mUnit; }

private:
    void updateResult();

    QRadioButton* mBySize = nullptr;
    QRadioButton* mByDistance = nullptr;
    QDoubleSpinBox* mPixelSize = nullptr;
    QDoubleSpinBox* mPixels = nullptr;
    QDoubleSpinBox* mLength = nullptr;
    QComboBox* mUnit = nullptr;
    QLabel* mResult = nullptr;
    bool mRemove = false;
};

} // namespace motifscope::ui
