#pragma once
/**
 * The columns' Delaunay triangulation made on a task of its own while other work runs (the
 * hierarchy needs the columns' positions only, not their motifs, to triangulate). Serial work
 * beside the parallel loops of feature extraction and learning, so it costs the hierarchy stage
 * nothing later.
 */

#include "core/hierarchy/hierarchy.h"

#include <tbb/task_group.h>

#include <memory>
#include <vector>

namespace motifscope {

class TriangulationAhead
{
public:
    /// Above this many columns nothing is made ahead: the triangulation's memory would add to the
    /// peak of the work beside it (the hierarchy then triangulates as before).
    static constexpr std::size_t kMaxColumns = std::size_t(1) << 17;

    /** Starts triangulating `points` (3 to kMaxColumns of them); they must outlive this object. */
    explicit TriangulationAhead(const std::vector<Point2>& points);
    /** Waits for the task (when it was started and not yet waited for). */
    ~TriangulationAhead();
    TriangulationAhead(const TriangulationAhead&) = delete;
    TriangulationAhead& operator=(const TriangulationAhead&) = delete;

    /** Waits, then the triangulation, or nullptr when none was made (too many points, or it failed). */
    const ColumnTriangulation* get();

private:
    tbb::task_group mTask;
    std::shared_ptr<const ColumnTriangulation> mResult;
    bool mStarted = false;
    bool mWaited = false;
};

} // namespace motifscope
