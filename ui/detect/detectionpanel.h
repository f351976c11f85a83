#pragma once
/** The "Detection" dock: detection settings, Run / Cancel, progress, and applying the result. */

#include "ui/jobs/columndetectionjob.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace motifscope::ui {

class AnalysisController;
class ColumnOverlay;
class ContrastMaskOverlay;
class MicrographDocument;

/**
 * Settings (period, minimum separation, significance, threshold: automatic or a value; residual
 * passes, contrast mask, joint fit, refinement), Run / Cancel and what the last run found. The
 * AnalysisController runs the detection and puts its columns into the document. After a run,
 * changing a setting re-runs at once (from the cached candidates when only the threshold or the
 * refinement changed) and folds into the same undo step (unless the columns were edited since).
 * Settings belong to the image: a new micrograph resets them to the automatic defaults (a session
 * restores its own with setRequest()). "Colour by uncertainty" drives the column overlay.
 */
class DetectionPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DetectionPanel(QWidget* parent = nullptr);
    ~DetectionPanel() override;

    void setDocument(MicrographDocument* document);
    /** Who runs the detection and applies it (set once, before use). */
    void setController(AnalysisController* controller);
    /** The overlay that "Colour by uncertainty" switches (may be null). */
    void setColumnOverlay(ColumnOverlay* overlay);
    /** The overlay that shows the last run's atomic-contrast mask (may be null). */
    void setContrastMaskOverlay(ContrastMaskOverlay* overlay);
    ColumnDetectionJob* job() const;
    bool isBusy() const;
    /** A live re-detection is scheduled (controls changed) but has not started yet. */
    bool hasPendingUpdate() const;

    /** The request the controls describe. */
    DetectionRequest request() const;
    /** Shows `request` in the controls without starting a run (restoring a session). */
    void setRequest(const DetectionRequest& request);
    /** Every setting back to its default (automatic values, all statistical options on). */
    void resetSettings();

    QCheckBox* autoPeriodBox() const { return mAutoPeriod; }
    QDoubleSpinBox* periodBox() const { return mPeriod; }
    QCheckBox* autoSeparationBox() const { return mAutoSeparation; }
    QDoubleSpinBox* separationBox() const { return mSeparation; }
    QCheckBox* autoThresholdBox() const { return mAutoThreshold; }
    QDoubleSpinBox* thresholdBox() const { return mThreshold; }
    QComboBox* refinementBox() const { return mRefinement; }
    QDoubleSpinBox* significanceBox() const { return mSignificance; }
    QCheckBox* residualPassesBox() const { return mResidualPasses; }
    QCheckBox* contrastOnlyBox() const { return mContrastOnly; }
    QCheckBox* jointFitBox() const { return mJointFit; }
    QCheckBox* colourByUncertaintyBox() const { return mColourByUncertainty; }
    QLabel* uncertaintyLegend() const { return mLegend; }
    QPushButton* runButton() const { return mRun; }
    QPushButton* cancelButton() const { return mCancel; }
    QProgressBar* progressBar() const { return mProgress; }
    QLabel* resultLabel() const { return mResult; }

public Q_SLOTS:
    /** Detects columns in the document's micrograph with the current settings. */
    void run();
    void cancel();

Q_SIGNALS:
    void busyChanged(bool busy);
    /** A one-line summary for the status bar ("1234 columns, period 12.1 px, 0.8 s"). */
    void statusMessage(const QString& message);
    /** A run found no columns or failed: `message` says why. */
    void detectionFailed(const QString& message);

private:
    void buildControls();
    void onMicrographChanged();
    void onApplied(const DetectionOutcome& outcome);
    /** "812 columns, period 12.10 px (0.316 nm), 0.41 s": the last run, lengths in the image's scale. */
    QString lastRunSummary() const;
    /** The result line of the last run again (the scale changed), while its columns are shown. */
    void describeLastRun();
    void onFailed(const QString& message);
    void onCancelled();
    void onBusyChanged(bool busy);
    void onProgress(double fraction, const QString& stage);
    /** A live setting changed: re-run from the cached candidates if the last run is still shown. */
    void scheduleLiveUpdate();
    void updateEnabled();
    void updateLegend();
    /** The result line follows columns that came from elsewhere (session, import, edits). */
    void onColumnsChanged();
    QWidget* buildStatisticsControls();

    QPointer<MicrographDocument> mDocument;
    QPointer<AnalysisController> mController;
    QCheckBox* mAutoPeriod = nullptr;
    QDoubleSpinBox* mPeriod = nullptr;
    QCheckBox* mAutoSeparation = nullptr;
    QDoubleSpinBox* mSeparation = nullptr;
    QCheckBox* mAutoThreshold = nullptr;
    QDoubleSpinBox* mThreshold = nullptr;
    QComboBox* mRefinement = nullptr;
    QDoubleSpinBox* mSignificance = nullptr;
    QCheckBox* mResidualPasses = nullptr;
    QCheckBox* mContrastOnly = nullptr;
    QCheckBox* mJointFit = nullptr;
    QCheckBox* mSplitPairs = nullptr;
    QCheckBox* mColourByUncertainty = nullptr;
    QLabel* mLegend = nullptr;
    QPointer<ColumnOverlay> mOverlay;
    QPointer<ContrastMaskOverlay> mMaskOverlay;
    QPushButton* mRun = nullptr;
    QPushButton* mCancel = nullptr;
    QProgressBar* mProgress = nullptr;
    QLabel* mStage = nullptr;
    QLabel* mResult = nullptr;
    QTimer* mLiveTimer = nullptr;
    bool mUpdatingControls = false;
    /** What the last run of this image found (columns 0 = none). */
    struct LastRun
    {
        long long columns = 0;
        double period = 0.0;
        double seconds = 0.0;
        QString details;
    } mLastRun;
};

} // namespace motifscope::ui
