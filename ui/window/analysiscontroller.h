#pragma once
/** The analysis of one document: the detection, learning and hierarchy jobs, their results, and Analyze. */

#include "ui/jobs/columndetectionjob.h"
#include "ui/jobs/hierarchyjob.h"
#include "ui/jobs/learnjob.h"

#include <QObject>
#include <QPointer>

namespace motifscope::ui {

class MicrographDocument;

/**
 * Owns the three analysis jobs and is the one that puts their results into the document: a
 * detection replaces the columns as one undo step (a live adjustment of the last detection folds
 * into it), a learning run enters as one step unless the columns changed meanwhile, a hierarchy is
 * kept when it still describes the columns; motifs that survive a new learning run keep the
 * user's names. analyze() runs the default pipeline as one sequence: detect (only when the
 * document has no columns: the user's columns, hand corrections included, are kept); learn when
 * there are columns; then the hierarchy, of the learned motifs when learning succeeded, else of
 * the plain columns. Cancelling a step ends the sequence. Busy from the first step to the end of
 * the last. A new micrograph stops everything.
 */
class AnalysisController : public QObject
{
    Q_OBJECT
public:
    explicit AnalysisController(MicrographDocument* document, QObject* parent = nullptr);

    ColumnDetectionJob* detectionJob() const { return mDetection; }
    LearnJob* learnJob() const { return mLearning; }
    HierarchyJob* hierarchyJob() const { return mHierarchy; }

    /** A step is running or Analyze is under way. */
    bool isBusy() const;
    bool isAnalyzing() const { return mAnalysis != Step::None; }
    /** The document still shows the last detection: a live adjustment may fold into its undo step. */
    bool canAdjustDetection() const;

    /** Detects columns in the micrograph; `live` adjusts the last detection (one undo step with it). */
    void detect(const DetectionRequest& request, bool live = false);
    /** Learns the motifs of the document's columns. */
    void learn(const LearnRequest& request);
    /** Builds the hierarchy of the document's columns (and learned motifs). */
    void buildHierarchy();
    /**
     * Detect with `detection` (when there are no columns yet), learn with `learning`, build the
     * hierarchy; see the class comment.
     */
    void analyze(const DetectionRequest& detection, const LearnRequest& learning);
    /** Ends the Analyze sequence and drops every running step. */
    void cancelAll();

Q_SIGNALS:
    void busyChanged(bool busy);
    /** The columns of `outcome` are in the document (as one undo step). */
    void detectionApplied(const motifscope::ui::DetectionOutcome& outcome);
    /** A learning run stopped (finished, failed or cancelled): live previews end. */
    void learningStopped();
    void learningApplied(const motifscope::ui::LearnOutcome& outcome);
    /** A finished learning run was not applied: `message` says why. */
    void learningRejected(const QString& message);
    /** `outcome`'s hierarchy is the document's now. */
    void hierarchyApplied(const motifscope::ui::HierarchyOutcome& outcome);

private:
    enum class Step
    {
        None,
        Detecting,
        Learning,
        Hierarchy,
    };

    void applyDetection();
    /** Failed or cancelled (likewise below). */
    void onDetectionStopped();
    void applyLearning();
    void onLearningStopped();
    void applyHierarchy();
    /**
     * Analyze's sequence: step `ended` is over (`detected`: columns entered the document); starts
     * the next step, or ends Analyze.
     */
    void continueAnalysis(Step ended, bool detected = false);
    void updateBusy();

    QPointer<MicrographDocument> mDocument;
    ColumnDetectionJob* mDetection = nullptr;
    LearnJob* mLearning = nullptr;
    HierarchyJob* mHierarchy = nullptr;
    Step mAnalysis = Step::None;
    LearnRequest mAnalysisLearning;   ///< what Analyze learns with
    bool mRunIsLive = false;          ///< the running detection adjusts the last one
    bool mHaveApplied = false;        ///< a detection of this micrograph entered the document
    quint64 mAppliedRevision = 0;     ///< the columns' revision right after it did
    quint64 mLearnRevision = 0;       ///< the columns' revision the running learning started from
    bool mWasBusy = false;
};

} // namespace motifscope::ui
