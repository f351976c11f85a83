#include "ui/window/analysiscontroller.h"

#include "ui/document/micrographdocument.h"
#include "ui/document/motifedits.h"

namespace motifscope::ui {

AnalysisController::AnalysisController(MicrographDocument* document, QObject* parent)
    : QObject(parent), mDocument(document), mDetection(new ColumnDetectionJob(this)), mLearning(new LearnJob(this)),
      mHierarchy(new HierarchyJob(this))
{
    connect(mDetection, &ColumnDetectionJob::finished, this, &AnalysisController::applyDetection);
    connect(mDetection, &ColumnDetectionJob::failed, this, &AnalysisController::onDetectionStopped);
    connect(mDetection, &ColumnDetectionJob::cancelled, this, &AnalysisController::onDetectionStopped);
    connect(mLearning, &LearnJob::finished, this, &AnalysisController::applyLearning);
    connect(mLearning, &LearnJob::failed, this, &AnalysisController::onLearningStopped);
    connect(mLearning, &LearnJob::cancelled, this, [this] {
        // Cancel during Analyze stops the whole sequence: no hierarchy after it.
        if (mAnalysis == Step::Learning)
            mAnalysis = Step::None;
        onLearningStopped();
    });
    connect(mHierarchy, &HierarchyJob::finished, this, &AnalysisController::applyHierarchy);
    connect(mHierarchy, &HierarchyJob::failed, this, [this] { continueAnalysis(Step::Hierarchy); });
    connect(mHierarchy, &HierarchyJob::cancelled, this, [this] { continueAnalysis(Step::Hierarchy); });
    for (BackgroundJob* job : {static_cast<BackgroundJob*>(mDetection), static_cast<BackgroundJob*>(mLearning),
                               static_cast<BackgroundJob*>(mHierarchy)})
        connect(job, &BackgroundJob::busyChanged, this, &AnalysisController::updateBusy);
    // A new image: nothing running belongs to it; the cached candidates and the last run are the old image's.
    connect(mDocument, &MicrographDocument::micrographChanged, this, [this] {
        cancelAll();
        mDetection->clearCache();
        mHaveApplied = false;
    });
}

bool AnalysisController::isBusy() const
{
    return mAnalysis != Step::None || mDetection->isBusy() || mLearning->isBusy() || mHierarchy->isBusy();
}

bool AnalysisController::canAdjustDetection() const
{
    return mDocument && mHaveApplied && mDocument->columnsRevision() == mAppliedRevision;
}

void AnalysisController::detect(const DetectionRequest& request, bool live)
{
    if (!mDocument || !mDocument->hasMicrograph())
        return;
    mRunIsLive = live;
    mDetection->start(mDocument->finiteImage(), request);
}

void AnalysisController::learn(const LearnRequest& request)
{
    if (!mDocument || !mDocument->hasMicrograph() || mDocument->columns().empty())
        return;
    mLearnRevision = mDocument->columnsRevision();
    mLearning->start(mDocument->finiteImage(), mDocument->columnSet(), request);
}

void AnalysisController::buildHierarchy()
{
    if (!mDocument || mDocument->columns().empty())
        return;
    mHierarchy->start(mDocument->columnSet(), mDocument->columnsRevision());
}

void AnalysisController::analyze(const DetectionRequest& detection, const LearnRequest& learning)
{
    mAnalysis = Step::None;
    mLearning->cancel();
    mAnalysisLearning = learning;
    if (mDocument && mDocument->hasMicrograph() && !mDocument->columns().empty()) {
        // The user's columns (hand corrections included) are what Analyze learns on.
        mAnalysis = Step::Detecting;
        continueAnalysis(Step::Detecting, true);
        return;
    }
    mAnalysis = Step::Detecting;
    updateBusy();
    detect(detection);
    if (!mDetection->isBusy()) { // nothing started
        mAnalysis = Step::None;
        updateBusy();
    }
}

void AnalysisController::cancelAll()
{
    mAnalysis = Step::None; // first: the cancelled steps must not lead to the next
    mDetection->cancel();
    mLearning->cancel();
    mHierarchy->cancel();
    updateBusy();
}

void AnalysisController::applyDetection()
{
    const DetectionOutcome& outcome = mDetection->outcome();
    ColumnSet set;
    set.columns = outcome.result.columns;
    // A live re-threshold folds into the run it adjusts, when that run is still the last step.
    const bool merge = mRunIsLive && canAdjustDetection();
    mDocument->replaceColumns(std::move(set), merge ? tr("Adjust Detection") : tr("Detect Columns"), merge);
    mAppliedRevision = mDocument->columnsRevision();
    mHaveApplied = true;
    mRunIsLive = false;
    Q_EMIT detectionApplied(outcome);
    continueAnalysis(Step::Detecting, true);
}

void AnalysisController::onDetectionStopped()
{
    mRunIsLive = false;
    continueAnalysis(Step::Detecting);
}

void AnalysisController::applyLearning()
{
    Q_EMIT learningStopped();
    const LearnOutcome& outcome = mLearning->outcome();
    if (!mDocument || mDocument->columnsRevision() != mLearnRevision) {
        Q_EMIT learningRejected(tr("the columns changed while learning; learn again"));
    } else {
        // Motifs that survive the new run keep the names the user gave them.
        mDocument->applyLearning(outcome.columns,
                                 withSurvivingNames(mDocument->columnSet(), mDocument->motifTable(), outcome.columns,
                                                    outcome.table));
        Q_EMIT learningApplied(outcome);
    }
    continueAnalysis(Step::Learning);
}

void AnalysisController::onLearningStopped()
{
    Q_EMIT learningStopped();
    continueAnalysis(Step::Learning);
}

void AnalysisController::applyHierarchy()
{
    const HierarchyOutcome& outcome = mHierarchy->outcome();
    mDocument->setHierarchy(outcome.result, outcome.revision); // ignored when the columns changed since
    if (mDocument->hierarchy() == outcome.result)
        Q_EMIT hierarchyApplied(outcome);
    continueAnalysis(Step::Hierarchy);
}

void AnalysisController::continueAnalysis(Step ended, bool detected)
{
    if (mAnalysis != ended)
        return; // not part of Analyze, or Analyze was stopped
    mAnalysis = Step::None;
    if (ended == Step::Detecting && detected && !mDocument->columns().empty()) {
        mAnalysis = Step::Learning;
        learn(mAnalysisLearning);
        if (mLearning->isBusy()) {
            updateBusy();
            return;
        }
        ended = Step::Learning; // learning did not start: the hierarchy of the plain columns
    }
    if (ended == Step::Learning) {
        // With the learned motifs when learning succeeded, else of the plain columns.
        mAnalysis = Step::Hierarchy;
        buildHierarchy();
        if (!mHierarchy->isBusy())
            mAnalysis = Step::None;
    }
    updateBusy();
}

void AnalysisController::updateBusy()
{
    const bool busy = isBusy();
    if (busy == mWasBusy)
        return;
    mWasBusy = busy;
    Q_EMIT busyChanged(busy);
}

} // namespace motifscope::ui
