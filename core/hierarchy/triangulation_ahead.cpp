#include "core/hierarchy/triangulation_ahead.h"

#include <algorithm>
#include <cmath>
#include <exception>

namespace motifscope {

TriangulationAhead::TriangulationAhead(const std::vector<Point2>& points)
{
    const bool finite = std::all_of(points.begin(), points.end(),
                                    [](const Point2& p) { return std::isfinite(p.x) && std::isfinite(p.y); });
    if (!finite || points.size() < 3 || points.size() > kMaxColumns)
        return;
    mStarted = true;
    mTask.run([this, &points] {
        try {
            mResult = triangulateColumns(points);
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
