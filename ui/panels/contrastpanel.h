#pragma once
/** Controls for the grey-level mapping: histogram, clip percentiles, gamma, lookup table and a reset. */

#include <QPointer>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace motifscope::ui {

class HistogramWidget;
class MicrographDocument;

/** Edits the document's DisplaySettings and shows the pixel values they clip at. */
class ContrastPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ContrastPanel(QWidget* parent = nullptr);

    void setDocument(MicrographDocument* document);

    QDoubleSpinBox* lowSpin() const { return mLow; }
    QDoubleSpinBox* highSpin() const { return mHigh; }
    QDoubleSpinBox* gammaSpin() const { return mGamma; }
    QPushButton* resetButton() const { return mReset; }
    QComboBox* lookupTableBox() const { return mLut; }
    HistogramWidget* histogram() const { return mHistogram; }

private:
    void refresh();
    void applyPercentiles();

    QPointer<MicrographDocument> mDocument;
    QDoubleSpinBox* mLow = nullptr;
    QDoubleSpinBox* mHigh = nullptr;
    QDoubleSpinBox* mGamma = nullptr;
    QPushButton* mReset = nullptr;
    QLabel* mRange = nullptr;
    QComboBox* mLut = nullptr;
    HistogramWidget* mHistogram = nullptr;
};

} // namespace motifscope::ui
