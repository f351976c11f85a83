#pragma once
/** Zernike feature settings, and what the features see of one column: patch, reconstruction, invariants. */

#include "core/features/zernike_reconstruction.h"

#include <Eigen/Core>

#include <QImage>
#include <QVector>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPBars;
class QLabel;
class QSpinBox;

namespace motifscope::ui {

/**
 * Top: n_max (2..20, default 10) and the patch size (Auto or an odd number of pixels); changes
 * emit settingsChanged. Below, for the column given with setColumnPatch(): its patch, the patch
 * rebuilt from its Zernike moments at the current n_max (least-squares fit, same grey scale) with
 * the relative rms error, and a bar chart of the rotation-invariant magnitudes |A_nm| (m >= 0), which are the
 * features the learner sees, grouped by radial order n.
 */
class FeaturesPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kDefaultNMax = 10;
    static constexpr int kPreviewSize = 120;

    explicit FeaturesPanel(QWidget* parent = nullptr);

    int nMax() const;
    /** Patch size in pixels; 0 = automatic (from the lattice period). */
    int patchSize() const;
    void setNMax(int nMax);
    /** 0 = automatic; even sizes are rounded up to the next odd one. */
    void setPatchSize(int size);

    /** The patch of one column, size x size row-major; an empty patch clears the preview. */
    void setColumnPatch(const std::vector<float>& values, int size);
    /** As above from a square matrix (row = y, column = x). */
    void setColumnPatch(const Eigen::MatrixXf& patch);
    void clearColumnPatch();

    bool hasPatch() const { return mSize > 0; }
    const ZernikeReconstruction& reconstruction() const { return mReconstruction; }
    QImage patchImage() const { return mPatchImage; }
    QImage reconstructionImage() const { return mReconstructionImage; }
    /** Bars in the chart (one per invariant) and their heights in invariant order. */
    int barCount() const;
    QVector<double> barValues() const;

Q_SIGNALS:
    /** n_max or the patch size changed (patchSize 0 = automatic). */
    void settingsChanged(int nMax, int patchSize);

private:
    void onNMaxChanged();
    void onPatchSizeChanged(int value);
    void recompute();
    void updateChart();

    QSpinBox* mNMaxSpin = nullptr;
    QSpinBox* mPatchSpin = nullptr;
    QLabel* mPatchLabel = nullptr;
    QLabel* mReconstructionLabel = nullptr;
    QLabel* mErrorLabel = nullptr;
    QCustomPlot* mChart = nullptr;
    QCPBars* mEvenBars = nullptr; // even n
    QCPBars* mOddBars = nullptr;  // odd n

    std::vector<float> mPatch;
    int mSize = 0;
    ZernikeReconstruction mReconstruction;
    QImage mPatchImage, mReconstructionImage;
};

} // namespace motifscope::ui
