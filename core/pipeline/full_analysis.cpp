#include "core/pipeline/full_analysis.h"

#include "core/disorder/disorder.h"
#include "core/hierarchy/neighbour_graph.h"
#include "core/hierarchy/triangulation_ahead.h"
#include "core/render/overlay_image.h"
#include "core/util/progress.h"

#include <tbb/parallel_invoke.h>

#include <chrono>
#include <exception>
#include <algorithm>
#include <filesystem>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <stdexcept>

namespace motifscope {

namespace {

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/** Shares of the counted polygon rings: with 5, 7 or 8 members (no lattice makes them), and of the commonest size. */
struct RingShares
{
    double nonLattice = 0.0;
    double commonestSize = 0.0;
};

RingShares ringShares(const HierarchyResult& polygons)
{
    long long counted = 0, odd = 0;
    std::map<std::size_t, long long> bySize;
    for (const Ring& ring : polygons.rings) {
        if (!ring.counted)
            continue;
        ++counted;
        const std::size_t m = ring.members.size();
        odd += (m == 5 || m == 7 || m == 8) ? 1 : 0;
        ++bySize[m];
    }
    RingShares s;
    if (counted == 0)
        return s;
    s.nonLattice = double(odd) / double(counted);
    for (const auto& [size, count] : bySize)
        s.commonestSize = std::max(s.commonestSize, double(count) / double(counted));
    return s;
}

std::string percent(double fraction)
{
    return std::to_string(int(fraction * 100.0 + 0.5)) + "%";
}

/**
 * Rule 1 of the automatic route (docs/hierarchy.md): why these polygons' rings alone choose the
 * polygon route; empty when the lattice cells may follow.
 */
std::string polygonsByRings(const HierarchyResult& polygons)
{
    const RingShares shares = ringShares(polygons);
    if (shares.nonLattice >= 0.2)
        return "polygons: " + percent(shares.nonLattice) + " of the rings are 5-, 7- or 8-membered (not a lattice)";
    if (shares.commonestSize < 0.8)
        return "polygons: a network of rings of several sizes (the commonest size is " +
               percent(shares.commonestSize) + " of the rings)";
    return {};
}

} // namespace

HierarchyResult buildHierarchy(const std::vector<Point2>& points, const std::vector<int>* labels,
                               const HierarchyParams& params, HierarchyRoute route, Progress* progress,
                               std::string* reason, const ColumnTriangulation* triangulation)
{
    auto say = [&](const std::string& why) {
        if (reason)
            *reason = why;
    };
    if (route == HierarchyRoute::Cells) {
        say("cells route requested");
        return buildCellHierarchy(points, labels, params, progress, triangulation);
    }
    if (route == HierarchyRoute::Polygons) {
        say("polygon route requested");
        return buildPolygonHierarchy(points, labels, params, progress, triangulation);
    }
    // Both routes may be built: one triangulation for the two.
    std::shared_ptr<const ColumnTriangulation> shared;
    if (!triangulation) {
        shared = triangulateColumns(points);
        triangulation = shared.get();
    }
    // One bond cut-off for the two (each would choose the same from the same edges).
    HierarchyParams both = params;
    if (!(both.bondCutoff > 0.0))
        both.bondCutoff = hierarchy_detail::chooseBondCutoff(triangulation->edgeLength);
    // The automatic route may need the lattice cells too: they are built beside the polygons (each
    // build is serial, so the second core is otherwise idle) and cancelled as soon as the polygons
    // show they are not needed.
    HierarchyResult polygons, cells;
    std::string byRings; // rule 1's reason, decided once beside the cells
    std::exception_ptr cellsError;
    Progress cellsProgress(progress); // silent; cancelled with `progress` too
    tbb::parallel_invoke(
        [&] {
            try {
                polygons = buildPolygonHierarchy(points, labels, both, progress, triangulation);
            } catch (...) {
                cellsProgress.cancel();
                throw;
            }
            byRings = polygonsByRings(polygons);
            if (!byRings.empty())
                cellsProgress.cancel();
        },
        [&] {
            try {
                cells = buildCellHierarchy(points, labels, both, &cellsProgress, triangulation);
            } catch (...) {
                cellsError = std::current_exception();
            }
        });
    throwIfCancelled(progress);
    if (!byRings.empty()) {
        say(byRings);
        return polygons;
    }
    try {
        if (cellsError)
            std::rethrow_exception(cellsError);
        const double pristine = cells.levels.empty() || cells.levels[0].motifs.empty()
                                    ? 0.0
                                    : cells.levels[0].motifs[0].fraction;
        if (pristine >= 0.5) {
            cells.bonds = polygons.bonds; // coordination in columns.csv still comes from the neighbour graph
            say("cells: a " + cells.cells.symmetry + " lattice with " + percent(pristine) + " pristine cells");
            return cells;
        }
        say("polygons: a lattice was found but only " + percent(pristine) + " of its cells are pristine");
    } catch (const std::invalid_argument& e) {
        say(std::string("polygons: ") + e.what());
    }
    return polygons;
}

std::vector<Point2> columnPositions(const AtomColumns& columns)
{
    std::vector<Point2> points(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i)
        points[i] = {columns[i].x, columns[i].y};
    return points;
}

HierarchyResult hierarchyOrNone(const std::vector<Point2>& points, const std::vector<int>* labels,
                                const HierarchyParams& params, HierarchyRoute route, Progress* progress,
                                std::string* reason, const ColumnTriangulation* triangulation)
{
    HierarchyResult none;
    none.columnMotif.assign(points.size(), -1);
    if (points.size() < 3) {
        if (reason)
            *reason = "no hierarchy: fewer than three columns";
        return none;
    }
    try {
        return buildHierarchy(points, labels, params, route, progress, reason, triangulation);
    } catch (const std::invalid_argument& e) {
        if (reason)
            *reason = std::string("no hierarchy: ") + e.what();
        return none;
    }
}

FullAnalysis runFullAnalysis(const Micrograph& image, const FullAnalysisParams& params, Progress* progress)
{
    StageTimings conversion;
    const FloatImage raw = finiteCopyTimed(image, conversion);
    FullAnalysis out = runFullAnalysis(raw, params, progress);
    out.base.timings.add("detect", conversion.total);
    return out;
}

FullAnalysis runFullAnalysis(const FloatImage& raw, const FullAnalysisParams& params, Progress* progress)
{
    FullAnalysis out;
    out.base = analyzeMicrograph(raw, params.analysis, progress);
    StageTimings& timings = out.base.timings;
    const AtomColumns& columns = out.base.detection.columns;
    const std::size_t n = columns.size();

    const std::vector<Point2> points = columnPositions(columns);
    TriangulationAhead triangulation(points); // made while the motifs are learned
    // The one learning stage (features, map, classes, motif averages), as the window's Learn runs it.
    MotifLearningParams learningParams;
    learningParams.features = params.analysis.features;
    learningParams.learn = params.learn;
    learningParams.refineClasses = params.refineClasses;
    MotifLearning learning = learnColumnMotifs(raw, columns, learningParams, MotifLearningProgress::all(progress));
    out.base.patchSize = learning.patchSize;
    out.base.features = std::move(learning.features);
    out.learnedRows = std::move(learning.learnedRows);
    out.learned = std::move(learning.learned);
    out.mapMotif = std::move(learning.mapLabels);
    out.labels.motif = std::move(learning.motif);
    out.labels.confidence = std::move(learning.confidence);
    if (!learning.refined.empty()) {
        out.labels.angleDeg.assign(n, std::numeric_limits<float>::quiet_NaN());
        out.labels.mirrored.assign(n, 0);
        for (std::size_t i = 0; i < n; ++i)
            if (learning.refined[i]) {
                // [0, 360) in hundredths of a degree (so that no angle prints as 360).
                double degrees = std::round(double(learning.registration.angle[i]) * 18000.0 / std::numbers::pi);
                degrees = std::fmod(std::fmod(degrees, 36000.0) + 36000.0, 36000.0) / 100.0;
                out.labels.angleDeg[i] = float(degrees);
                out.labels.mirrored[i] = learning.registration.mirrored[i];
            }
    }
    out.motifs = std::move(learning.motifs);
    timings.seconds["features"] = learning.featureSeconds;
    timings.seconds["embed"] = out.learned.embedSeconds;
    // Motif averages belong to the "cluster" stage (the contract's stage names are fixed).
    timings.seconds["cluster"] = out.learned.clusterSeconds + learning.averageSeconds;
    timings.total += learning.featureSeconds + out.learned.embedSeconds + out.learned.clusterSeconds +
                     learning.averageSeconds;

    auto t0 = std::chrono::steady_clock::now();
    if (progress)
        progress->beginStage("hierarchy", 0.0, 1.0);
    out.hierarchy = hierarchyOrNone(points, &out.labels.motif, params.hierarchy, params.route, progress,
                                    &out.routeReason, triangulation.get());
    const double s = secondsSince(t0);
    timings.seconds["hierarchy"] = s;
    timings.total += s;
    if (progress)
        progress->report(1.0);
    return out;
}

disorder::DisorderReport measureAnalysisDisorder(const FullAnalysis& analysis)
{
    const std::vector<Point2> points = columnPositions(analysis.base.detection.columns);
    const Eigen::MatrixX2f& e = analysis.learned.embedding;
    const std::size_t rows = std::min(std::size_t(e.rows()), analysis.learnedRows.size());
    std::vector<Point2> map(rows);
    std::vector<int> mapMotif(rows, -1);
    std::vector<int> mapColumnMotif(rows, -1); // after the 2-D classification: purer than the map's classes
    std::vector<Point2> mapPositions(rows, Point2{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()});
    for (std::size_t r = 0; r < rows; ++r) {
        map[r] = {e(Eigen::Index(r), 0), e(Eigen::Index(r), 1)};
        const std::size_t column = std::size_t(analysis.learnedRows[r]);
        if (column < points.size())
            mapPositions[r] = points[column];
        mapColumnMotif[r] = column < analysis.labels.motif.size() ? analysis.labels.motif[column] : -1;
        if (r < analysis.mapMotif.size())
            mapMotif[r] = analysis.mapMotif[r];
        else
            mapMotif[r] = column < analysis.labels.motif.size() ? analysis.labels.motif[column] : -1;
    }
    disorder::DisorderInput in;
    in.points = &points;
    in.columnMotif = &analysis.labels.motif;
    in.hierarchy = &analysis.hierarchy;
    in.map = &map;
    in.mapMotif = &mapMotif;
    in.mapPositions = &mapPositions;
    in.mapColumnMotif = &mapColumnMotif;
    return disorder::measureDisorder(in);
}

void writeAnalysisFolder(const FloatImage& pixels, const Calibration& calibration, const FullAnalysis& analysis,
                         const std::string& dir, const AnalysisFolderOptions& options)
{
    namespace fs = std::filesystem;
    const auto t0 = std::chrono::steady_clock::now();
    auto file = [&](const char* name) { return (fs::path(dir) / name).string(); };
    auto writeTables = [&] {
        writeAnalysisColumnsCsv(analysis.base, analysis.labels, file("columns.csv"));
        writeEmbeddingCsv(analysis.base, analysis.learnedRows, analysis.learned, file("embedding.csv"));
        writeMotifsJson(analysis.motifs, analysis.base.patchSize, analysis.labels, file("motifs.json"));
        writeHierarchyJson(analysis.hierarchy, file("hierarchy.json"));
    };
    auto writeFeatures = [&] { writeFeaturesCsv(analysis.base, file("features.csv")); };
    auto writeOverlay = [&] {
        OverlayStyle style;
        long long unassigned = 0;
        for (int m : analysis.labels.motif)
            unassigned += m < 0 ? 1 : 0;
        for (const Motif& m : analysis.motifs) {
            style.motifColours.push_back(m.colour);
            style.legend.push_back({"motif " + std::to_string(m.id) + " (" + std::to_string(m.count) + ")", m.colour});
        }
        if (unassigned > 0)
            style.legend.push_back({"unassigned (" + std::to_string(unassigned) + ")", motifColour(-1)});
        writeOverlayPng(pixels, calibration, analysis.base.detection.columns, analysis.labels.motif, style, file("overlay.png"));
    };
    auto writeDisorder = [&] { disorder::writeDisorderJson(measureAnalysisDisorder(analysis), file("disorder.json")); };
    // Independent files, written side by side (each atomically); the first error is rethrown here.
    tbb::parallel_invoke(writeTables, writeFeatures, writeOverlay, writeDisorder);

    if (options.timings) {
        StageTimings timings = analysis.base.timings;
        timings.seconds["load"] = options.loadSeconds;
        timings.total += options.loadSeconds + secondsSince(t0);
        writeTimingsJson(timings, analysis.base.detection.columns.size(), options.threads, file("timings.json"));
    }
}

} // namespace motifscope
