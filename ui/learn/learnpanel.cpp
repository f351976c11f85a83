#include "ui/learn/learnpanel.h"

#include "ui/views/columnoverlay.h"

#include "ui/document/micrographdocument.h"
#include "ui/learn/featurespanel.h"
#include "ui/text/hint.h"
#include "ui/text/plural.h"
#include "ui/views/columnoverlay.h"
#include "ui/window/analysiscontroller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

LearnPanel::LearnPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("learnPanel"));
    buildControls();
    updateEnabled();
}

void LearnPanel::setController(AnalysisController* controller)
{
    mController = controller;
    LearnJob* job = controller->learnJob();
    connect(controller, &AnalysisController::learningStopped, this, &LearnPanel::previewEnded);
    connect(controller, &AnalysisController::learningApplied, this, &LearnPanel::onApplied);
    connect(controller, &AnalysisController::learningRejected, this, &LearnPanel::onFailed);
    connect(job, &LearnJob::failed, this, &LearnPanel::onFailed);
    connect(job, &LearnJob::cancelled, this, &LearnPanel::onCancelled);
    connect(job, &LearnJob::busyChanged, this, &LearnPanel::onBusyChanged);
    connect(job, &LearnJob::progressed, this, &LearnPanel::onProgress);
    connect(job, &LearnJob::snapshotReady, this, &LearnPanel::previewChanged);
    updateEnabled();
}

LearnJob* LearnPanel::job() const
{
    return mController ? mController->learnJob() : nullptr;
}

LearnPanel::~LearnPanel() = default;

void LearnPanel::buildControls()
{
    mMethod = new QComboBox;
    mMethod->setObjectName(QStringLiteral("learnMethod"));
    mMethod->addItem(tr("Segment map"), int(ClusterMethod::Segment));
    mMethod->addItem(tr("Gaussian mixture"), int(ClusterMethod::Gmm));
    mMethod->addItem(tr("k-means"), int(ClusterMethod::Kmeans));
    setHint(mMethod, tr("How the 2-D map of the columns is cut into motifs: Segment map (default) = density peaks "
                        "separated by valleys; Gaussian mixture = count chosen by ICL; k-means = count chosen "
                        "by silhouette"));
    mClasses = new QSpinBox;
    mClasses->setObjectName(QStringLiteral("learnClasses"));
    mClasses->setRange(0, 32);
    mClasses->setSpecialValueText(tr("Auto"));
    setHint(mClasses, tr("Number of motifs to find, 1 to 32; default: Auto (0) = the method decides from the map"));
    mSeed = new QSpinBox;
    mSeed->setObjectName(QStringLiteral("learnSeed"));
    mSeed->setRange(0, 1000000);
    mSeed->setValue(1);
    setHint(mSeed, tr("Random seed of the neighbour search, map layout and clustering; the same seed and "
                      "settings give the same motifs; default 1"));
    mRefineClasses = new QCheckBox(tr("Refine by 2-D classification"));
    mRefineClasses->setObjectName(QStringLiteral("learnRefineClasses"));
    mRefineClasses->setChecked(true);
    setHint(mRefineClasses, tr("After the map, refine the motifs as single-particle imaging does: every column is "
                               "compared with every motif's average at 24 in-plane rotations and the mirror, "
                               "giving sharper averages, each column's angle, and its confidence as the "
                               "probability of its motif (shown by Shade by confidence); best on noisy, low-dose "
                               "images. Default on"));
    mFeatureSettings = new QLabel;
    mFeatureSettings->setObjectName(QStringLiteral("learnFeatureSettings"));
    setHint(mFeatureSettings, tr("Zernike order and patch size of the features (set in the Features panel)"));

    auto* form = new QFormLayout;
    form->addRow(tr("Method"), mMethod);
    form->addRow(tr("Motifs"), mClasses);
    form->addRow(tr("Seed"), mSeed);
    form->addRow(QString(), mRefineClasses);
    form->addRow(tr("Features"), mFeatureSettings);

    mLearn = new QPushButton(QIcon(QStringLiteral(":/motifscope/icons/learn.svg")), tr("Learn Motifs"));
    mLearn->setObjectName(QStringLiteral("runLearning"));
    setHint(mLearn, tr("Compute the columns' Zernike features, map them in 2-D and find the motifs (Ctrl+L)"));
    mCancel = new QPushButton(tr("Cancel"));
    mCancel->setObjectName(QStringLiteral("cancelLearning"));
    setHint(mCancel, tr("Stop learning; the columns keep the motifs they had"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(mLearn, 1);
    buttons->addWidget(mCancel);

    mProgress = new QProgressBar;
    mProgress->setObjectName(QStringLiteral("learnProgress"));
    mProgress->setRange(0, 100);
    setHint(mProgress, tr("Features, neighbours, graph, map layout, clustering, averages"));
    mStage = new QLabel;
    mStage->setObjectName(QStringLiteral("learnStage"));
    mResult = new QLabel(tr("No motifs yet"));
    mResult->setObjectName(QStringLiteral("learnResult"));
    mResult->setWordWrap(true);
    setHint(mResult, tr("The last learning run"));

    mShadeByConfidence = new QCheckBox(tr("Shade by confidence"));
    mShadeByConfidence->setObjectName(QStringLiteral("shadeByConfidence"));
    setHint(mShadeByConfidence, tr("Fade each column's motif colour towards grey as the learner's confidence in its "
                                   "motif falls: full colour = sure; greyish = between motifs, or a column at the "
                                   "image border classified from the part of its patch inside the image"));
    connect(mShadeByConfidence, &QCheckBox::toggled, this, [this](bool on) {
        if (mOverlay)
            mOverlay->setShadeByConfidence(on);
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(mProgress);
    layout->addWidget(mStage);
    layout->addWidget(mResult);
    layout->addWidget(mShadeByConfidence);
    layout->addStretch(1);

    connect(mLearn, &QPushButton::clicked, this, &LearnPanel::run);
    connect(mCancel, &QPushButton::clicked, this, &LearnPanel::cancel);
}

void LearnPanel::setDocument(MicrographDocument* document)
{
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    if (mDocument) {
        connect(mDocument, &MicrographDocument::micrographChanged, this, [this] {
            // The controller stops a running learning.
            mLastRun.clear();
            describeMotifs();
            updateEnabled();
        });
        // Merges, splits, undo and a reopened session change the motifs: the text follows them.
        connect(mDocument, &MicrographDocument::motifsChanged, this, &LearnPanel::describeMotifs);
        connect(mDocument, &MicrographDocument::columnsChanged, this, &LearnPanel::updateEnabled);
    }
    updateEnabled();
}

void LearnPanel::setFeaturesPanel(FeaturesPanel* features)
{
    if (mFeatures)
        disconnect(mFeatures, nullptr, this, nullptr);
    mFeatures = features;
    if (mFeatures)
        connect(mFeatures, &FeaturesPanel::settingsChanged, this, &LearnPanel::updateEnabled);
    updateEnabled();
}

bool LearnPanel::isBusy() const
{
    return mController && mController->learnJob()->isBusy();
}

void LearnPanel::setColumnOverlay(ColumnOverlay* overlay)
{
    mOverlay = overlay;
    if (mOverlay)
        mOverlay->setShadeByConfidence(mShadeByConfidence->isChecked());
}

LearnRequest LearnPanel::request() const
{
    LearnRequest r;
    r.params.method = ClusterMethod(mMethod->currentData().toInt());
    r.params.classes = mClasses->value();
    r.params.seed = std::uint64_t(mSeed->value());
    r.refineClasses = mRefineClasses->isChecked();
    if (mFeatures) {
        r.nMax = mFeatures->nMax();
        r.patchSize = mFeatures->patchSize();
    }
    return r;
}

void LearnPanel::run()
{
    if (mController)
        mController->learn(request());
}

void LearnPanel::cancel()
{
    if (mController)
        mController->learnJob()->cancel();
}

void LearnPanel::onApplied(const LearnOutcome& outcome)
{
    mProgress->setValue(100);
    mStage->clear();
    const QString summary = tr("%1 from %2 (%3 learned), patch %4 px, %5 s")
                                .arg(countOf(outcome.table.size(), tr("motif"), tr("motifs")),
                                     columnCount((long long)outcome.columns.size()))
                                .arg(outcome.learned)
                                .arg(outcome.patchSize)
                                .arg(outcome.seconds, 0, 'f', 1);
    mLastRun = summary;
    describeMotifs();
    Q_EMIT statusMessage(tr("Learned %1").arg(summary));
}

void LearnPanel::describeMotifs()
{
    const MotifTable table = mDocument ? mDocument->motifTable() : MotifTable{};
    if (table.empty()) {
        mResult->setText(tr("No motifs yet"));
        return;
    }
    const ColumnSet& set = mDocument->columnSet();
    const auto assigned = std::count_if(set.classes.begin(), set.classes.end(), [](int c) { return c >= 0; });
    QString text = tr("%1 on %2").arg(countOf(table.size(), tr("motif"), tr("motifs")), columnCount((long long)assigned));
    if (!mLastRun.isEmpty())
        text += QLatin1Char('\n') + tr("Last run: %1").arg(mLastRun);
    mResult->setText(text);
}

void LearnPanel::onFailed(const QString& message)
{
    Q_EMIT previewEnded();
    mStage->clear();
    mProgress->setValue(0);
    mResult->setText(tr("Learning failed: %1").arg(message));
    Q_EMIT statusMessage(tr("Motif learning failed: %1").arg(message));
    Q_EMIT learningFailed(message);
}

void LearnPanel::onCancelled()
{
    Q_EMIT previewEnded();
    mStage->clear();
    mProgress->setValue(0);
    Q_EMIT statusMessage(tr("Motif learning cancelled"));
}

void LearnPanel::onBusyChanged(bool busy)
{
    if (busy) {
        mProgress->setValue(0);
        mStage->setText(tr("Starting…"));
    }
    updateEnabled();
    Q_EMIT busyChanged(busy);
}

void LearnPanel::onProgress(double fraction, const QString& stage)
{
    mProgress->setValue(int(std::lround(100.0 * std::clamp(fraction, 0.0, 1.0))));
    if (!stage.isEmpty())
        mStage->setText(stage.left(1).toUpper() + stage.mid(1) + QStringLiteral("…"));
}

void LearnPanel::updateEnabled()
{
    const bool busy = isBusy();
    const bool haveColumns = mDocument && mDocument->hasMicrograph() && !mDocument->columns().empty();
    mLearn->setEnabled(haveColumns && !busy);
    mCancel->setEnabled(busy);
    mProgress->setVisible(busy);
    const LearnRequest r = request();
    mFeatureSettings->setText(tr("n_max %1, patch %2")
                                  .arg(r.nMax)
                                  .arg(r.patchSize > 0 ? tr("%1 px").arg(r.patchSize) : tr("auto")));
}

} // namespace motifscope::ui
