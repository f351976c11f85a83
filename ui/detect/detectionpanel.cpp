#include "ui/detect/detectionpanel.h"

#include "ui/document/micrographdocument.h"
#include "ui/text/hint.h"
#include "ui/text/plural.h"
#include "ui/text/units.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/contrastmaskoverlay.h"
#include "ui/window/analysiscontroller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

constexpr int kLiveDelayMs = 250;

/** A check box "Auto" beside a spin box that is disabled (and shows the found value) while checked. */
QWidget* autoRow(QCheckBox* box, QDoubleSpinBox* spin)
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(spin, 1);
    layout->addWidget(box);
    box->setChecked(true);
    spin->setEnabled(false);
    QObject::connect(box, &QCheckBox::toggled, spin, [spin](bool automatic) {
        spin->setEnabled(!automatic);
        if (!automatic && spin->cleanText().isEmpty())
            spin->setValue(spin->value()); // a cleared field shows its value again to be edited
    });
    return row;
}

QDoubleSpinBox* spinBox(double min, double max, int decimals, const QString& suffix, const QString& objectName)
{
    auto* spin = new QDoubleSpinBox;
    spin->setObjectName(objectName);
    spin->setRange(min, max);
    spin->setDecimals(decimals);
    spin->setSuffix(suffix);
    spin->setKeyboardTracking(false);
    spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    return spin;
}

/** What the statistics decided: "; z ≥ 5.1, 2 passes, 64% of the image searched". */
QString resultDetails(const DetectionResult& result, bool automaticThreshold)
{
    QStringList parts;
    if (automaticThreshold && result.used.significance > 0.0)
        parts << DetectionPanel::tr("z ≥ %1").arg(result.used.significance, 0, 'f', 1);
    if (result.passes > 1)
        parts << DetectionPanel::tr("%1 passes").arg(result.passes);
    if (!result.contrastMask.empty()) {
        const auto inside = std::count(result.contrastMask.begin(), result.contrastMask.end(), std::uint8_t(1));
        const double fraction = double(inside) / double(result.contrastMask.size());
        if (fraction < 0.995)
            parts << DetectionPanel::tr("%1% of the image searched").arg(std::lround(100.0 * fraction));
    }
    return parts.isEmpty() ? QString() : QStringLiteral("; ") + parts.join(QStringLiteral(", "));
}

/** "0.0123" or "1234" or "1.2e+06": a threshold in whatever units the image has. */
int thresholdDecimals(double value)
{
    if (!(value > 0.0))
        return 3;
    return std::clamp(3 - int(std::floor(std::log10(value))), 0, 8);
}

} // namespace

DetectionPanel::DetectionPanel(QWidget* parent)
    : QWidget(parent), mLiveTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("detectionPanel"));
    buildControls();
    mLiveTimer->setSingleShot(true);
    mLiveTimer->setInterval(kLiveDelayMs);
    connect(mLiveTimer, &QTimer::timeout, this, [this] {
        if (mController)
            mController->detect(request(), true);
    });
    updateEnabled();
}

void DetectionPanel::setController(AnalysisController* controller)
{
    mController = controller;
    ColumnDetectionJob* job = controller->detectionJob();
    connect(controller, &AnalysisController::detectionApplied, this, &DetectionPanel::onApplied);
    connect(job, &ColumnDetectionJob::started, mLiveTimer, &QTimer::stop); // a newer run makes a pending one moot
    connect(job, &ColumnDetectionJob::failed, this, &DetectionPanel::onFailed);
    connect(job, &ColumnDetectionJob::cancelled, this, &DetectionPanel::onCancelled);
    connect(job, &ColumnDetectionJob::busyChanged, this, &DetectionPanel::onBusyChanged);
    connect(job, &ColumnDetectionJob::progressed, this, &DetectionPanel::onProgress);
    updateEnabled();
}

ColumnDetectionJob* DetectionPanel::job() const
{
    return mController ? mController->detectionJob() : nullptr;
}

DetectionPanel::~DetectionPanel() = default;

void DetectionPanel::buildControls()
{
    mAutoPeriod = new QCheckBox(tr("Auto"));
    mAutoPeriod->setObjectName(QStringLiteral("autoPeriod"));
    mPeriod = spinBox(2.0, 1000.0, 2, tr(" px"), QStringLiteral("period"));
    mPeriod->setValue(12.0);
    setHint(mAutoPeriod, tr("Estimate the period from the image's power spectrum and nearest neighbours "
                            "(default on); off: use the value typed beside"));
    setHint(mPeriod, tr("Nearest-neighbour distance between atom columns, in pixels; it scales the smoothing "
                        "(0.1 x period), the background (1.5 x period) and the patch size; default: Auto"));
    mAutoSeparation = new QCheckBox(tr("Auto"));
    mAutoSeparation->setObjectName(QStringLiteral("autoSeparation"));
    mSeparation = spinBox(0.5, 1000.0, 2, tr(" px"), QStringLiteral("minSeparation"));
    mSeparation->setValue(6.0);
    setHint(mAutoSeparation, tr("Use half the period as minimum separation (default on)"));
    setHint(mSeparation, tr("Minimum distance between two columns, in pixels: of two peaks closer than this only "
                            "the brighter is kept; default: Auto = 0.5 x period"));
    mAutoThreshold = new QCheckBox(tr("Auto"));
    mAutoThreshold->setObjectName(QStringLiteral("autoThreshold"));
    mThreshold = spinBox(0.0, 1e12, 3, QString(), QStringLiteral("threshold"));
    setHint(mAutoThreshold, tr("Decide from the image's own noise (default on): a peak is a column when it stands "
                               "out by the significance below and reaches 8% of the bright columns' height"));
    setHint(mThreshold, tr("Minimum column height above the local background, in the image's intensity units; "
                           "dimmer peaks are dropped and the significance is not used; default: Auto. Changing it "
                           "after a run updates the columns at once"));
    mRefinement = new QComboBox;
    mRefinement->setObjectName(QStringLiteral("refinement"));
    mRefinement->addItem(tr("Gaussian fit"), int(RefineMode::GaussianFit));
    mRefinement->addItem(tr("Centre of mass"), int(RefineMode::CentreOfMass));
    mRefinement->addItem(tr("Off (peak pixel)"), int(RefineMode::Off));
    setHint(mRefinement, tr("Sub-pixel position of each column: Gaussian fit (default) = centre of mass, then a "
                            "2-D Gaussian least-squares fit and scan-row jitter correction; Centre of mass = "
                            "intensity centroid only (fast); Off = the brightest pixel"));

    QWidget* statistics = buildStatisticsControls();
    auto* form = new QFormLayout;
    form->addRow(tr("Period"), autoRow(mAutoPeriod, mPeriod));
    form->addRow(tr("Min. separation"), autoRow(mAutoSeparation, mSeparation));
    form->addRow(tr("Significance"), mSignificance);
    form->addRow(tr("Threshold"), autoRow(mAutoThreshold, mThreshold));
    form->addRow(tr("Refinement"), mRefinement);

    mRun = new QPushButton(QIcon(QStringLiteral(":/motifscope/icons/detect.svg")), tr("Detect Columns"));
    mRun->setObjectName(QStringLiteral("runDetection"));
    setHint(mRun, tr("Find every atom column with these settings (Ctrl+D); one undoable step"));
    mCancel = new QPushButton(tr("Cancel"));
    mCancel->setObjectName(QStringLiteral("cancelDetection"));
    setHint(mCancel, tr("Stop the running detection; the columns stay as they were"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(mRun, 1);
    buttons->addWidget(mCancel);
    mProgress = new QProgressBar;
    mProgress->setRange(0, 100);
    mProgress->setTextVisible(false);
    mProgress->setMaximumHeight(10);
    mStage = new QLabel;
    mStage->setObjectName(QStringLiteral("detectionStage"));
    mResult = new QLabel(tr("No columns yet"));
    mResult->setObjectName(QStringLiteral("detectionResult"));
    mResult->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(statistics);
    layout->addLayout(buttons);
    layout->addWidget(mProgress);
    layout->addWidget(mStage);
    layout->addWidget(mResult);
    layout->addStretch(1);

    connect(mRun, &QPushButton::clicked, this, &DetectionPanel::run);
    connect(mCancel, &QPushButton::clicked, this, &DetectionPanel::cancel);
    connect(mThreshold, &QDoubleSpinBox::valueChanged, this, &DetectionPanel::scheduleLiveUpdate);
    connect(mAutoThreshold, &QCheckBox::toggled, this, &DetectionPanel::scheduleLiveUpdate);
    connect(mRefinement, &QComboBox::currentIndexChanged, this, &DetectionPanel::scheduleLiveUpdate);
    connect(mSignificance, &QDoubleSpinBox::valueChanged, this, &DetectionPanel::scheduleLiveUpdate);
    for (QCheckBox* box : {mResidualPasses, mContrastOnly, mJointFit})
        connect(box, &QCheckBox::toggled, this, &DetectionPanel::scheduleLiveUpdate);
    // The significance decides only with the automatic threshold; the joint fit is part of the Gaussian fit.
    connect(mAutoThreshold, &QCheckBox::toggled, mSignificance, &QWidget::setEnabled);
    connect(mRefinement, &QComboBox::currentIndexChanged, this, [this] {
        mJointFit->setEnabled(RefineMode(mRefinement->currentData().toInt()) == RefineMode::GaussianFit);
    });
}

void DetectionPanel::setDocument(MicrographDocument* document)
{
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    if (mDocument) {
        connect(mDocument, &MicrographDocument::micrographChanged, this, &DetectionPanel::onMicrographChanged);
        connect(mDocument, &MicrographDocument::columnsChanged, this, &DetectionPanel::updateLegend);
        connect(mDocument, &MicrographDocument::columnsChanged, this, &DetectionPanel::onColumnsChanged);
        connect(mDocument, &MicrographDocument::calibrationChanged, this, &DetectionPanel::describeLastRun);
    }
    onMicrographChanged();
}

bool DetectionPanel::isBusy() const
{
    return mController && mController->detectionJob()->isBusy();
}

bool DetectionPanel::hasPendingUpdate() const
{
    return mLiveTimer->isActive();
}

DetectionRequest DetectionPanel::request() const
{
    DetectionRequest r;
    r.params.period = mAutoPeriod->isChecked() ? 0.0 : mPeriod->value();
    r.params.minSeparation = mAutoSeparation->isChecked() ? 0.0 : mSeparation->value();
    r.params.threshold = mAutoThreshold->isChecked() ? std::numeric_limits<double>::quiet_NaN() : mThreshold->value();
    r.params.significance = mSignificance->value(); // the minimum, 0, reads "Auto"
    r.params.residualPasses = mResidualPasses->isChecked();
    r.params.atomicContrastOnly = mContrastOnly->isChecked();
    r.params.jointFit = mJointFit->isChecked();
    r.params.splitPairs = mSplitPairs->isChecked();
    r.refine = RefineMode(mRefinement->currentData().toInt());
    return r;
}

void DetectionPanel::setRequest(const DetectionRequest& request)
{
    const DetectionParams& p = request.params;
    mUpdatingControls = true;
    // An automatic setting shows nothing until a run of this image resolves it (no other image's value).
    mAutoPeriod->setChecked(!(p.period > 0.0));
    if (p.period > 0.0)
        mPeriod->setValue(p.period);
    else
        mPeriod->clear();
    mAutoSeparation->setChecked(!(p.minSeparation > 0.0));
    if (p.minSeparation > 0.0)
        mSeparation->setValue(p.minSeparation);
    else
        mSeparation->clear();
    mAutoThreshold->setChecked(!std::isfinite(p.threshold));
    if (std::isfinite(p.threshold)) {
        mThreshold->setDecimals(thresholdDecimals(p.threshold));
        mThreshold->setValue(p.threshold);
    } else {
        mThreshold->clear();
    }
    mSignificance->setValue(p.significance > 0.0 ? p.significance : 0.0);
    mResidualPasses->setChecked(p.residualPasses);
    mContrastOnly->setChecked(p.atomicContrastOnly);
    mJointFit->setChecked(p.jointFit);
    mSplitPairs->setChecked(p.splitPairs);
    const int index = mRefinement->findData(int(request.refine));
    if (index >= 0)
        mRefinement->setCurrentIndex(index);
    mUpdatingControls = false;
}

void DetectionPanel::resetSettings()
{
    DetectionRequest defaults;
    defaults.refine = RefineMode(mRefinement->currentData().toInt()); // how to refine is a habit, not the image's
    setRequest(defaults);
}

void DetectionPanel::run()
{
    if (!mDocument || !mDocument->hasMicrograph() || !mController)
        return;
    mLiveTimer->stop();
    mController->detect(request());
}

void DetectionPanel::cancel()
{
    mLiveTimer->stop();
    if (mController)
        mController->detectionJob()->cancel();
}

void DetectionPanel::scheduleLiveUpdate()
{
    if (mUpdatingControls || !mDocument || !mController || !mController->canAdjustDetection())
        return;
    mLiveTimer->start();
}

void DetectionPanel::onMicrographChanged()
{
    mLiveTimer->stop(); // the controller stops a running detection
    resetSettings(); // one image's settings are not the next one's
    if (mMaskOverlay)
        mMaskOverlay->clear();
    mResult->setText(tr("No columns yet"));
    mLastRun = LastRun{};
    mStage->clear();
    mProgress->setValue(0);
    updateEnabled();
}

void DetectionPanel::onColumnsChanged()
{
    // Columns this panel did not just detect (a session opened, an import, hand edits, undo): the
    // last detection's summary no longer describes them.
    if (!mDocument || (mController && mController->canAdjustDetection()))
        return;
    const long long n = (long long)mDocument->columns().size();
    mResult->setText(n == 0 ? tr("No columns yet") : tr("%1 (opened, imported or edited)").arg(columnCount(n)));
}

void DetectionPanel::onApplied(const DetectionOutcome& outcome)
{
    const DetectionResult& result = outcome.result;
    if (mMaskOverlay)
        mMaskOverlay->setMask(result.contrastMask, result.maskWidth, result.maskHeight, result.maskStep,
                              QSize(mDocument->micrograph().width, mDocument->micrograph().height));

    // Show what the automatic settings resolved to.
    mUpdatingControls = true;
    if (mAutoPeriod->isChecked())
        mPeriod->setValue(result.used.period);
    if (mAutoSeparation->isChecked())
        mSeparation->setValue(result.used.minSeparation);
    if (mAutoThreshold->isChecked()) {
        mThreshold->setDecimals(thresholdDecimals(result.used.threshold));
        mThreshold->setValue(result.used.threshold);
    }
    mUpdatingControls = false;

    mProgress->setValue(100);
    mStage->clear();
    mLastRun = LastRun{(long long)result.columns.size(), result.used.period, outcome.seconds,
                       resultDetails(result, mAutoThreshold->isChecked())};
    describeLastRun();
    Q_EMIT statusMessage(tr("Detected %1").arg(lastRunSummary()));
}

QString DetectionPanel::lastRunSummary() const
{
    const Calibration calibration = mDocument ? mDocument->micrograph().calibration : Calibration{};
    return tr("%1, period %2, %3 s")
        .arg(columnCount(mLastRun.columns), lengthText(mLastRun.period, calibration))
        .arg(mLastRun.seconds, 0, 'f', 2);
}

void DetectionPanel::describeLastRun()
{
    if (mLastRun.columns > 0 && mController && mController->canAdjustDetection())
        mResult->setText(lastRunSummary() + mLastRun.details);
}

void DetectionPanel::onFailed(const QString& message)
{
    mStage->clear();
    mProgress->setValue(0);
    mResult->setText(tr("Detection failed: %1").arg(message));
    Q_EMIT statusMessage(tr("Column detection failed: %1").arg(message));
    Q_EMIT detectionFailed(message);
}

void DetectionPanel::onCancelled()
{
    mStage->clear();
    mProgress->setValue(0);
    Q_EMIT statusMessage(tr("Column detection cancelled"));
}

void DetectionPanel::onBusyChanged(bool busy)
{
    if (busy) {
        mProgress->setValue(0);
        mStage->setText(tr("Starting…"));
    }
    updateEnabled();
    Q_EMIT busyChanged(busy);
}

void DetectionPanel::onProgress(double fraction, const QString& stage)
{
    mProgress->setValue(int(std::lround(100.0 * std::clamp(fraction, 0.0, 1.0))));
    if (!stage.isEmpty())
        mStage->setText(stage.left(1).toUpper() + stage.mid(1) + QStringLiteral("…"));
}

void DetectionPanel::updateEnabled()
{
    const bool busy = isBusy();
    const bool haveImage = mDocument && mDocument->hasMicrograph();
    mRun->setEnabled(haveImage && !busy);
    mCancel->setEnabled(busy);
    mProgress->setVisible(busy);
}

} // namespace motifscope::ui
