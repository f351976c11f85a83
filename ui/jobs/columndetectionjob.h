#pragma once
/** Atom-column detection off the GUI thread, with progress, cancel and cheap re-thresholding. */

#include "detect/column_detector.h"
#include "io/micrograph.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <memory>

namespace motifscope {
class Progress;
}

namespace motifscope::ui {

/** How detected positions are refined. */
enum class RefineMode
{
    Off,          ///< integer peak pixels
    CentreOfMass, ///< intensity centroid only (fast)
    GaussianFit,  ///< centroid, 2-D Gaussian fit and scan-jitter correction (core default)
};

/** What to detect: core parameters (0 / NaN = automatic) and the refinement. */
struct DetectionRequest
{
    DetectionParams params;
    RefineMode refine = RefineMode::GaussianFit;
};

/** A finished run: the refined result and how long it took. */
struct DetectionOutcome
{
    DetectionResult result;
    RefineMode refine = RefineMode::GaussianFit;
    double seconds = 0.0;
    bool reusedCandidates = false; ///< only the threshold/refinement changed: peak finding skipped
};

/**
 * Runs detectColumns() with QtConcurrent on a snapshot of the micrograph. The unrefined candidates
 * of the last run are kept: a new request on the same image with the same period, separation,
 * significance, residual passes, contrast mask and joint fit, and a threshold at or above the
 * cached one only filters them and refines again. A newer start()
 * cancels the running one; cancel() drops it (the owner's data stay as they were).
 */
class ColumnDetectionJob : public QObject
{
    Q_OBJECT
public:
    explicit ColumnDetectionJob(QObject* parent = nullptr);
    /** Cancels a running detection and waits for it to stop (it checks its cancel flag often). */
    ~ColumnDetectionJob() override;

    void start(std::shared_ptr<const Micrograph> image, const DetectionRequest& request);
    void cancel();
    bool isBusy() const { return mBusy; }
    /** The last successful run (valid after finished()). */
    const DetectionOutcome& outcome() const { return mOutcome; }
    /** Forgets the cached candidates (e.g. the image changed). */
    void clearCache();

    struct Cache; // candidates of the last run, see the class comment

Q_SIGNALS:
    void started();
    void progressed(double fraction, const QString& stage);
    void finished();
    /** `message` is one line: why no columns could be found. */
    void failed(const QString& message);
    void cancelled();
    void busyChanged(bool busy);

private:
    void setBusy(bool busy);

    quint64 mGeneration = 0;
    bool mBusy = false;
    std::shared_ptr<Progress> mProgress;
    std::shared_ptr<const Cache> mCache;
    DetectionOutcome mOutcome;
    QFuture<void> mFuture;
};

} // namespace motifscope::ui
