#include "core/hierarchy/triangulation_ahead.h"

#include <exception>

namespace motifscope {

TriangulationAhead::TriangulationAhead(const std::vector<Point2>& points)
{
    if (points.size() < 3 || points.size() > kMaxColumns) // fewer: triangulateColumns makes none
        return;
    mStarted = true;
    mTask.run([this, &points] {
        try {
            mResult = triangulateColumns(points); // nullptr for points the builders reject
        } catch (const std::exception&) {
            mResult.reset(); // the hierarchy triangulates itself, and reports any problem
        }
    });
}

TriangulationAhead::~TriangulationAhead()
{
    if (mStarted && !mWaited)
        mTask.wait(); // the task catches what it throws
}

const ColumnTriangulation* TriangulationAhead::get()
{
    if (mStarted && !mWaited) {
        mTask.wait();
        mWaited = true;
    }
    return mResult.get();
}

} // namespace motifscope
