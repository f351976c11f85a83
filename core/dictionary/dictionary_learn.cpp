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

/** A motif's look and share; its class model comes from fitClassModel. */
DictionaryMotif dictionaryMotif(int id, std::string name, std::string colour, long long count, double fraction,
                                std::vector<float> average)
{
    DictionaryMotif m;
    m.id = id;
    m.name = std::move(name);
    m.colour = std::move(colour);
    m.count = count;
    m.fraction = fraction;
    m.average = std::move(average);
    return m;
}

/** The columns a dictionary is fitted to: features, learned rows and motifs of every column. */
struct DictionaryColumns
{
    const AtomColumns& columns;
    std::size_t firstCount = 0; ///< the first frame's columns (its hierarchy names the levels)
    int patchSize = 0;
    const Eigen::MatrixXf* invariants = nullptr;
    const std::vector<int>* rows = nullptr;  ///< columns the class model is fitted to
    const std::vector<int>* motif = nullptr; ///< per column: index into the dictionary's motifs, -1 = none
};

/**
 * Everything but the motifs' names, colours, counts and averages (already in `d`): feature settings,
 * patch and column spacing, the class model, and the first frame's hierarchy route and names.
 * Returns the first frame's columns' motifs.
 */
std::vector<int> completeDictionary(MotifDictionary& d, const Calibration& calibration, const DictionaryColumns& in,
                                    const DictionaryLearnParams& params, Progress* progress)
{
    d.nMax = params.analysis.analysis.features.nMax;
    d.normalization = params.analysis.analysis.features.normalization;
    d.patchSize = in.patchSize;
    d.pixelSize = calibration.isCalibrated() ? calibration.pixelSizeX : 1.0;
    d.unit = calibration.unit;
    d.columnSpacing = medianNearestNeighbourDistance(in.columns);
    d.noveltyQuantile = params.noveltyQuantile;
    d.noveltyMargin = params.noveltyMargin;
    fitClassModel(*in.invariants, *in.rows, *in.motif, d);

    // The first frame's hierarchy: its route and level names hold for every classified frame.
    std::vector<Point2> points(in.firstCount);
    std::vector<int> labels(in.motif->begin(), in.motif->begin() + std::ptrdiff_t(in.firstCount));
    for (std::size_t i = 0; i < in.firstCount; ++i)
        points[i] = {in.columns[i].x, in.columns[i].y};
    const HierarchyResult h = hierarchyOrNone(points, &labels, params.analysis.hierarchy, params.analysis.route, progress);
    d.route = h.levels.empty() ? "auto" : h.route;
    for (const HierarchyLevel& level : h.levels)
        for (const MotifNode& node : level.motifs)
            d.hierarchyNames.push_back({level.level, node.canonical, node.name});
    return labels;
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
    for (const Motif& m : learning.motifs)
        d.motifs.push_back(dictionaryMotif(m.id, "motif " + std::to_string(m.id), m.colour, m.count, m.fraction,
                                           m.averagePatch));
    const DictionaryColumns learned{columns, firstCount, learning.patchSize, &learning.features.invariants,
                                    &learning.learnedRows, &learning.motif};
    const std::vector<int> labels = completeDictionary(d, calibration, learned, params, progress);
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

MotifDictionary dictionaryFromLabels(const LabelledImage& labelled, const DictionaryLearnParams& params,
                                     Progress* progress)
{
    if (!labelled.image || labelled.motif.size() != labelled.columns.size() || labelled.motifs.empty())
        throw std::runtime_error("there are no motifs to save: learn motifs first");
    const int k = int(labelled.motifs.size());
    std::vector<long long> counts(std::size_t(k), 0);
    long long total = 0;
    for (int m : labelled.motif)
        if (m >= 0 && m < k)
            ++counts[std::size_t(m)], ++total;
    if (total == 0)
        throw std::runtime_error("no column has a motif: learn motifs first");

    const FeatureParams& featureParams = params.analysis.analysis.features;
    const int patchSize = featurePatchSize(labelled.patchSize > 0 ? labelled.patchSize : featureParams.patchSize,
                                           labelled.columns);
    const FeatureSet features = computeFeatures(*labelled.image, labelled.columns, patchSize, featureParams, progress);
    std::vector<int> rows;
    for (std::size_t i = 0; i < labelled.columns.size(); ++i)
        if (features.inside[i] && labelled.motif[i] >= 0 && labelled.motif[i] < k)
            rows.push_back(int(i));
    if (rows.empty())
        throw std::runtime_error("every column with a motif lies at the image's edge: too few to fit motifs to");

    MotifDictionary d;
    for (int m = 0; m < k; ++m) {
        const LabelledMotif& in = labelled.motifs[std::size_t(m)];
        d.motifs.push_back(dictionaryMotif(m, in.name, in.colour, counts[std::size_t(m)],
                                           double(counts[std::size_t(m)]) / double(total), in.average));
    }
    const DictionaryColumns columns{labelled.columns, labelled.columns.size(), patchSize, &features.invariants, &rows,
                                    &labelled.motif};
    completeDictionary(d, labelled.calibration, columns, params, progress);
    d.sources.push_back(labelled.source);
    return d;
}

} // namespace motifscope
