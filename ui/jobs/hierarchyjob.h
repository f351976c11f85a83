#pragma once
/** The motif hierarchy off the GUI thread, from a snapshot of the columns (and their learned motifs). */

#include "hierarchy/hierarchy.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace motifscope {
class Progress;
}

namespace motifscope::ui {

struct ColumnSet;

/** A finished run: the result and the columns it was built from. */
struct HierarchyOutcome
{
    std::shared_ptr<const HierarchyResult> result;
    std::string reason;   ///< why this route was taken
    quint64 revision = 0; ///< the document's columnsRevision() at start()
    double seconds = 0.0;
};

/**
 * Runs buildHierarchy (route chosen from the data, as `analyze` does) with QtConcurrent. Labels
 * are the learned motifs when any column has one (-1 for the others), else none. A newer start()
 * supersedes the running one; cancel() drops it at once. finished() comes before busyChanged(false).
 */
class HierarchyJob : public QObject
{
    Q_OBJECT
public:
    explicit HierarchyJob(QObject* parent = nullptr);
    ~HierarchyJob() override;

    void start(const ColumnSet& columns, quint64 revision);
    void cancel();
    bool isBusy() const { return mBusy; }
    const HierarchyOutcome& outcome() const { return mOutcome; }

Q_SIGNALS:
    void progressed(double fraction, const QString& stage);
    void finished();
    void failed(const QString& message);
    void cancelled();
    void busyChanged(bool busy);

private:
    void setBusy(bool busy);

    quint64 mGeneration = 0;
    bool mBusy = false;
    std::shared_ptr<Progress> mProgress;
    HierarchyOutcome mOutcome;
    QFuture<void> mFuture;
};

} // namespace motifscope::ui
