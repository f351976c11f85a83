#include "core/dictionary/frame_classify.h"

#include "core/dictionary/frame_scale.h"
#include "core/hierarchy/triangulation_ahead.h"
#include "core/learn/border_motifs.h"
#include "core/pipeline/full_analysis.h"
#include "core/util/progress.h"

#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>

namespace motifscope {

namespace {

/** A frame's motif pictures average at most this many members each (their noise is then ~2% of one patch's). */
constexpr std::size_t kFrameAverageMembers = 2000;

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

HierarchyRoute routeOf(const std::string& route)
{
    return route == "polygons" ? HierarchyRoute::Polygons
         : route == "cells"    ? HierarchyRoute::Cells
                               : HierarchyRoute::Automatic;
}

/** The frame's motifs in the dictionary's ids and colours, counted here, averaged here when seen. */
std::vector<Motif> frameMotifs(const MotifDictionary& dictionary, const std::vector<Motif>& averaged,
                               const std::vector<int>& motif)
{
    std::map<int, long long> counts;
    long long labelled = 0;
    for (int m : motif)
        if (m >= 0)
            ++counts[m], ++labelled;
    std::vector<Motif> out;
    for (const DictionaryMotif& d : dictionary.motifs) {
        Motif m;
        m.id = d.id;
        m.colour = d.colour;
        m.count = counts.count(d.id) ? counts[d.id] : 0;
        m.fraction = labelled > 0 ? double(m.count) / double(labelled) : 0.0;
        m.patchSize = dictionary.patchSize;
        const bool seen = std::size_t(d.id) < averaged.size() && averaged[std::size_t(d.id)].count > 0 &&
                          !averaged[std::size_t(d.id)].averagePatch.empty();
        m.averagePatch = seen ? averaged[std::size_t(d.id)].averagePatch : d.average;
        out.push_back(std::move(m));
    }
    return out;
}

/** The dictionary's names for hierarchy motifs of the same level and canonical form. */
void applyHierarchyNames(const MotifDictionary& dictionary, HierarchyResult& hierarchy)
{
    for (HierarchyLevel& level : hierarchy.levels)
        for (MotifNode& node : level.motifs)
            for (const DictionaryHierarchyName& n : dictionary.hierarchyNames)
                if (n.level == level.level && n.canonical == node.canonical) {
                    node.name = n.name;
                    break;
                }
}

/**
 * Border columns (patch cut by the image edge) whose visible part matches novel neighbours best are
 * novel too: assignBorderMotifs votes once more with the novel columns as a motif of their own.
 */
void markNovelBorderColumns(const MotifDictionary& dictionary, const FloatImage& raw, const AtomColumns& columns,
                            FrameClassification& out)
{
    if (std::find(out.novel.begin(), out.novel.end(), std::uint8_t(1)) == out.novel.end())
        return;
    int novelId = 0;
    for (const DictionaryMotif& m : dictionary.motifs)
        novelId = std::max(novelId, m.id + 1);
    const std::vector<std::uint8_t>& inside = out.base.features.inside;
    std::vector<int> votes(columns.size(), -1);
    for (std::size_t i = 0; i < columns.size(); ++i)
        votes[i] = !inside[i] ? -1 : out.novel[i] ? novelId : out.labels.motif[i];
    std::vector<float> confidence(columns.size(), 1.0f);
    assignBorderMotifs(raw, columns, dictionary.patchSize, inside, votes, confidence);
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (!inside[i] && votes[i] == novelId) {
            out.novel[i] = 1;
            out.labels.motif[i] = -1;
            out.labels.confidence[i] = 0.0f;
        }
}

} // namespace

FrameClassification classifyFrame(const MotifDictionary& dictionary, const ClassModel& model, const Micrograph& frame,
                                  const ClassifyParams& params, Progress* progress)
{
    FrameClassification out;
    out.scale = frameScale(frame.calibration, dictionary.pixelSize, dictionary.unit);
    AnalysisParams analysis = params.analysis;
    if (params.spacingFromDictionary && !(analysis.detection.period > 0.0) && dictionary.columnSpacing > 0.0)
        analysis.detection.period = dictionary.columnSpacing / out.scale;
    StageTimings conversion;
    FloatImage raw = finiteCopyTimed(frame, conversion); // the frame's one finite copy: detection and features read it
    out.base = analyzeMicrograph(raw, analysis, progress);
    out.base.timings.add("detect", conversion.total);
    StageTimings& timings = out.base.timings;
    const AtomColumns& columns = out.base.detection.columns;
    const std::size_t n = columns.size();
    const std::vector<Point2> points = columnPositions(columns);
    TriangulationAhead triangulation(points); // made while the columns are classified

    auto t0 = std::chrono::steady_clock::now();
    if (progress)
        progress->beginStage("Zernike features", 0.0, 1.0);
    if (out.scale != 1.0)
        raw = resampleImage(raw, out.scale);
    const AtomColumns scaled = scaleColumns(columns, out.scale);
    FeatureParams features;
    features.nMax = dictionary.nMax;
    features.patchSize = dictionary.patchSize;
    features.normalization = dictionary.normalization;
    out.base.patchSize = dictionary.patchSize;
    out.base.features = computeFeatures(raw, scaled, dictionary.patchSize, features, progress);
    timings.seconds["features"] = secondsSince(t0);

    t0 = std::chrono::steady_clock::now();
    if (progress)
        progress->beginStage("classification", 0.0, 1.0);
    ColumnClasses classes = model.classify(out.base.features.invariants, out.base.features.inside);
    out.labels.motif = std::move(classes.motif);
    out.labels.confidence = std::move(classes.confidence);
    out.novel = std::move(classes.novel);
    out.nearest = std::move(classes.nearest);
    assignBorderMotifs(raw, scaled, dictionary.patchSize, out.base.features.inside, out.labels.motif,
                       out.labels.confidence, progress);
    markNovelBorderColumns(dictionary, raw, scaled, out);
    for (std::uint8_t v : out.novel)
        out.novelCount += v;
    std::vector<Motif> averaged;
    if (params.averages && n > 0)
        averaged = summariseMotifs(raw, scaled, out.base.features.orientation, out.labels.motif, dictionary.patchSize,
                                   progress, kFrameAverageMembers);
    out.motifs = frameMotifs(dictionary, averaged, out.labels.motif);
    out.labels.extra = {{"novel", std::vector<int>(out.novel.begin(), out.novel.end())}, {"nearest_motif", out.nearest}};
    timings.seconds["cluster"] = secondsSince(t0);

    t0 = std::chrono::steady_clock::now();
    // Disorder: motif continuity on the dictionary's 2-D map of the columns classified from a whole patch.
    std::vector<Point2> map;
    std::vector<int> mapMotif;
    std::vector<Point2> mapPositions;
    for (std::size_t i = 0; i < n; ++i)
        if (out.base.features.inside[i]) {
            map.push_back({classes.map(Eigen::Index(i), 0), classes.map(Eigen::Index(i), 1)});
            mapMotif.push_back(out.labels.motif[i]);
            mapPositions.push_back(points[i]);
        }
    disorder::DisorderInput in;
    in.points = &points;
    in.columnMotif = &out.labels.motif;
    in.hierarchy = &out.hierarchy;
    in.map = &map;
    in.mapMotif = &mapMotif;
    in.mapPositions = &mapPositions;
    in.mapColumnMotif = &mapMotif; // the dictionary's motifs: no refinement after the map
    // Continuity reads the map, not the hierarchy: the two are measured side by side.
    disorder::Estimate continuity;
    tbb::parallel_invoke(
        [&] {
            out.hierarchy = hierarchyOrNone(points, &out.labels.motif, params.hierarchy, routeOf(dictionary.route),
                                            progress, &out.routeReason, triangulation.get());
            applyHierarchyNames(dictionary, out.hierarchy);
        },
        [&] { continuity = disorder::measureContinuity(in); });
    in.continuity = &continuity;
    out.disorder = disorder::measureDisorder(in);
    timings.seconds["hierarchy"] = secondsSince(t0);
    for (const char* stage : {"features", "cluster", "hierarchy"})
        timings.total += timings.seconds[stage];
    return out;
}

std::vector<std::string> frameFileNames()
{
    return {"columns.csv", "motifs.json", "hierarchy.json", "disorder.json"};
}

void writeFrameFiles(const FrameClassification& frame, const std::string& dir)
{
    auto file = [&](const char* name) { return (std::filesystem::path(dir) / name).string(); };
    tbb::parallel_invoke(
        [&] { writeAnalysisColumnsCsv(frame.base, frame.labels, file("columns.csv")); },
        [&] { writeMotifsJson(frame.motifs, frame.base.patchSize, frame.labels, file("motifs.json")); },
        [&] { writeHierarchyJson(frame.hierarchy, file("hierarchy.json")); },
        [&] { disorder::writeDisorderJson(frame.disorder, file("disorder.json")); });
}

} // namespace motifscope
