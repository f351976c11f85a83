#pragma once
/** The "Learn" dock: how to find motifs (method, class count, seed), Learn / Cancel, progress, result. */

#include "ui/jobs/learnjob.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace motifscope::ui {

class AnalysisController;
class ColumnOverlay;
class FeaturesPanel;
class MicrographDocument;

/**
 * Settings, Learn / Cancel, progress and what the last run found. The AnalysisController runs the
 * learning and puts a finished run into the document as one undo step ("Learn Motifs"); a
 * cancelled or failed one, or one whose columns were edited meanwhile, leaves the document alone.
 * The Zernike order and patch size come from the Features panel when one is set.
 */
class LearnPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LearnPanel(QWidget* parent = nullptr);
    ~LearnPanel() override;

    void setDocument(MicrographDocument* document);
    /** Who runs the learning and applies it (set once, before use). */
    void setController(AnalysisController* controller);
    /** The overlay that "Shade by confidence" switches (may be null). */
    void setColumnOverlay(ColumnOverlay* overlay);
    /** Where n_max and the patch size are read from (default: n_max 10, automatic patch). */
    void setFeaturesPanel(FeaturesPanel* features);
    LearnJob* job() const;
    bool isBusy() const;

    /** The request the controls describe. */
    LearnRequest request() const;

    QComboBox* methodBox() const { return mMethod; }
    QSpinBox* classesBox() const { return mClasses; }
    QSpinBox* seedBox() const { return mSeed; }
    QCheckBox* refineClassesBox() const { return mRefineClasses; }
    QPushButton* learnButton() const { return mLearn; }
    QPushButton* cancelButton() const { return mCancel; }
    QProgressBar* progressBar() const { return mProgress; }
    QLabel* resultLabel() const { return mResult; }
    QCheckBox* shadeByConfidenceBox() const { return mShadeByConfidence; }

public Q_SLOTS:
    /** Learns motifs of the document's columns with the current settings. */
    void run();
    void cancel();

Q_SIGNALS:
    void busyChanged(bool busy);
    /** One line for the status bar. */
    void statusMessage(const QString& message);
    void learningFailed(const QString& message);
    /** The live layout while learning (for the embedding plot and the overlay). */
    void previewChanged(const motifscope::ui::LearnPreview& preview);
    /** Learning stopped (finished, failed or cancelled): live previews end. */
    void previewEnded();

private:
    void buildControls();
    void onApplied(const LearnOutcome& outcome);
    /** The result line: the motifs the document has now, and what the last run of this image found. */
    void describeMotifs();
    void onFailed(const QString& message);
    void onCancelled();
    void onBusyChanged(bool busy);
    void onProgress(double fraction, const QString& stage);
    void updateEnabled();

    QPointer<MicrographDocument> mDocument;
    QPointer<FeaturesPanel> mFeatures;
    QPointer<AnalysisController> mController;
    QComboBox* mMethod = nullptr;
    QSpinBox* mClasses = nullptr;
    QSpinBox* mSeed = nullptr;
    QCheckBox* mRefineClasses = nullptr;
    QCheckBox* mShadeByConfidence = nullptr;
    QPointer<ColumnOverlay> mOverlay;
    QLabel* mFeatureSettings = nullptr;
    QPushButton* mLearn = nullptr;
    QPushButton* mCancel = nullptr;
    QProgressBar* mProgress = nullptr;
    QLabel* mStage = nullptr;
    QLabel* mResult = nullptr;
    QString mLastRun; ///< summary of this image's last learning run ("" = none)
};

} // namespace motifscope::ui
