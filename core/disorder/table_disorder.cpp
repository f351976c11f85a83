#include "core/disorder/table_disorder.h"

namespace motifscope::disorder {

DisorderReport measureColumnTableDisorder(const ColumnTable& columns, const HierarchyResult* hierarchy)
{
    std::vector<Point2> points(columns.size());
    std::vector<int> motif(columns.size(), -1);
    std::vector<Point2> map;
    std::vector<int> mapMotif;
    std::vector<Point2> mapPositions;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        points[i] = {columns.columns[i].x, columns.columns[i].y};
        motif[i] = columns.classOf(i);
        const MapPoint p = columns.mapOf(i);
        if (p.learned()) {
            map.push_back({double(p.x), double(p.y)});
            mapMotif.push_back(motif[i]);
            mapPositions.push_back(points[i]);
        }
    }
    DisorderInput in;
    in.points = &points;
    in.columnMotif = &motif;
    in.hierarchy = hierarchy;
    if (!map.empty()) {
        in.map = &map;
        in.mapMotif = &mapMotif;
        in.mapPositions = &mapPositions;
        in.mapColumnMotif = &mapMotif; // no refinement after the map here
    }
    return measureDisorder(in);
}

} // namespace motifscope::disorder
