#include "core/dictionary/dictionary_learn.h"

#include "core/detect/column_detector.h"
#include "core/dictionary/class_model.h"
#include "core/dictionary/frame_scale.h"
#include "core/features/patches.h"
#include "core/image/finite_image.h"
#include "core/learn/motifs.h"
#include "core/pipeline/motif_learning.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace motifscope {

namespace {

/** One frame's pixels (at the first frame's pixel size) and its detected columns. */
struct Tile
{
    FloatImage raw;
    AtomColumns columns;
};

Tile detectTile(const Micrograph& image, double scale, const AnalysisParams& params, Progress* progress)
{
    // The frame's one finite copy (resampled to the first frame's pixel size): detection and the
    // mosaic read it.
    Tile tile;
    tile.raw = withFiniteValues(image);
    if (scale != 1.0)
        tile.raw = resampleImage(tile.raw, scale);
    tile.columns = analyzeMicrograph(tile.raw, params, progress).detection.columns;
    return tile;
}

/**
 * The tiles stacked top to bottom, `gap` rows of each tile's mean between them. Columns whose patch
 * would leave their own tile are dropped (in the mosaic their patch would show the gap or the next
 * tile); `firstCount` is how many of the result's columns belong to the first tile.
 */
void buildMosaic(const std::vector<Tile>& tiles, int patchSize, FloatImage& raw, AtomColumns& columns,
                 std::size_t& firstCount)
{
    const int gap = patchSize;
    int width = 0;
    long long height = 0;
    for (const Tile& t : tiles) {
        width = std::max(width, t.raw.width);
        height += t.raw.height + gap;
    }
    height -= gap;
    if (double(width) * double(height) > double(kMaxPixels))
        throw std::runtime_error("the learning frames together are too large (" + std::to_string(width) + " x " +
                                 std::to_string(height) + " pixels); learn from fewer frames");
    raw = FloatImage(width, int(height));
    columns.clear();
    int top = 0;
    for (std::size_t t = 0; t < tiles.size(); ++t) {
        const Tile& tile = tiles[t];
        double mean = 0.0;
        for (float v : tile.raw.data)
            mean += v;
        mean /= double(std::max<std::size_t>(tile.raw.data.size(), 1));
        const int bandEnd = t + 1 < tiles.size() ? top + tile.raw.height + gap : int(height);
        for (int y = top; y < bandEnd; ++y)
            for (int x = 0; x < width; ++x)
                raw.at(x, y) = (y < top + tile.raw.height && x < tile.raw.width) ? tile.raw.at(x, y - top) : float(mean);
        for (const AtomColumn& c : tile.columns)
            if (patchInside(tile.raw, c.x, c.y, patchSize)) {
                AtomColumn moved = c;
                moved.y += top;
                columns.push_back(moved);
            }
        if (t == 0)
            firstCount = columns.size();
        top += tile.raw.height + gap;
    }
}

} // namespace

MotifDictionary learnMotifDictionary(const std::vector<LearnFrame>& frames, const DictionaryLearnParams& params,
                                     Progress* progress, DictionaryLearnReport* report)
{
    if (frames.empty() || !frames[0].image)
        throw std::invalid_argument("learning a dictionary needs at least one frame");
    const Micrograph& first = *frames[0].image;
    const Calibration& calibration = first.calibration;
    std::vector<Tile> tiles;
    std::size_t detected = 0;
    for (std::size_t f = 0; f < frames.size(); ++f) {
        const double scale = f == 0 ? 1.0 : frameScale(frames[f].image->calibration, calibration.pixelSizeX, calibration.unit);
        tiles.push_back(detectTile(*frames[f].image, scale, params.analysis.analysis, progress));
        detected += tiles.back().columns.size();
    }

    FloatImage raw;
    AtomColumns columns;
    std::size_t firstCount = 0;
    if (tiles.size() == 1) {
        raw = std::move(tiles[0].raw);
        columns = std::move(tiles[0].columns);
        firstCount = columns.size();
    } else {
        AtomColumns all;
        for (const Tile& t : tiles)
            all.insert(all.end(), t.columns.begin(), t.columns.end());
        if (all.size() < 2)
            throw std::runtime_error("too few columns were found in the learning frames");
        buildMosaic(tiles, featurePatchSize(params.analysis.analysis.features.patchSize, all), raw, columns, firstCount);
    }
    if (columns.size() < 2)
        throw std::runtime_error("too few columns were found to learn motifs");

    MotifLearningParams learnParams;
    learnParams.features = params.analysis.analysis.features;
    learnParams.learn = params.analysis.learn;
    // The class model is one Gaussian per motif in Zernike feature space, fitted to the map's
    // classes; the 2-D classification's classes (poses over rotations) are not such regions of
    // feature space (the model gives them back with ARI 0.93 instead of 0.99), so it stays off.
    learnParams.refineClasses = false;
    const MotifLearning learning = learnColumnMotifs(raw, columns, learnParams, MotifLearningProgress::all(progress));

    MotifDictionary d;
    d.nMax = params.analysis.analysis.features.nMax;
    d.normalization = params.analysis.analysis.features.normalization;
    d.patchSize = learning.patchSize;
    d.pixelSize = calibration.isCalibrated() ? calibration.pixelSizeX : 1.0;
    d.unit = calibration.unit;
    d.columnSpacing = medianNearestNeighbourDistance(columns);
    d.noveltyQuantile = params.noveltyQuantile;
    d.noveltyMargin = params.noveltyMargin;
    for (const Motif& m : learning.motifs) {
        DictionaryMotif dm;
        dm.id = m.id;
        dm.name = "motif " + std::to_string(m.id);
        dm.colour = m.colour;
        dm.count = m.count;
        dm.fraction = m.fraction;
        dm.average = m.averagePatch;
        d.motifs.push_back(std::move(dm));
    }
    fitClassModel(learning.features.invariants, learning.learnedRows, learning.motif, d);

    // The first frame's hierarchy: its route and level names hold for every classified frame.
    std::vector<Point2> points(firstCount);
    std::vector<int> labels(learning.motif.begin(), learning.motif.begin() + std::ptrdiff_t(firstCount));
    for (std::size_t i = 0; i < firstCount; ++i)
        points[i] = {columns[i].x, columns[i].y};
    const HierarchyResult h = hierarchyOrNone(points, &labels, params.analysis.hierarchy, params.analysis.route, progress);
    d.route = h.levels.empty() ? "auto" : h.route;
    for (const HierarchyLevel& level : h.levels)
        for (const MotifNode& node : level.motifs)
            d.hierarchyNames.push_back({level.level, node.canonical, node.name});
    for (const LearnFrame& f : frames)
        d.sources.push_back(f.source);
    if (report) {
        report->columns = detected;
        report->learnedColumns = learning.learnedRows.size();
        report->firstFrameMotif = labels;
        report->firstFrameColumns.assign(columns.begin(), columns.begin() + std::ptrdiff_t(firstCount));
    }
    return d;
}

} // namespace motifscope
