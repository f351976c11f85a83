#include "core/pipeline/motif_learning.h"

#include "core/detect/column_detector.h"
#include "core/features/patches.h"
#include "core/learn/border_motifs.h"
#include "core/learn/clustering.h"
#include "core/learn/defect_context.h"
#include "core/util/progress.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

namespace motifscope {

namespace {

/// The patch disk's radius in median nearest-neighbour distances. At 1.0 the first shell of
/// neighbours sits on the rim, where a neighbour's dim column barely shows: the columns next to a
/// point defect stay in their site's motif. At 1.5 they become their own motif (synthetic
/// perovskite with dim A columns: ARI 0.87 -> 0.99; the bundled MoSe2 gains a motif of 20 dim
/// Se2 sites), but columns up to two periods from a grain boundary split off too (mixed-lattice
/// site ARI 0.98 -> 0.91-0.94). Kept at 1.0 until the boundary columns are told apart.
constexpr double kPatchRadiusSpacings = 1.0;

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Columns per motif whose averages decide the look-alike merge when the 2-D classification
/// makes the final averages afterwards (an average of 4,000 noisy patches is as good as of all).
constexpr long long kMergeSampleColumns = 4000;
/// Columns per motif (an even stride of its members) averaged after the 2-D classification: at
/// 4096^2 (100,000 columns) this keeps the refinement's cost within that of the averages it replaces.
constexpr long long kAverageSampleColumns = 8000;

/** `motif` with only every k-th column of each motif kept (k so that at most `most` remain), others -1. */
std::vector<int> everyNthOfEachMotif(const std::vector<int>& motif, long long most)
{
    std::vector<long long> count, seen;
    for (int m : motif)
        if (m >= 0) {
            if (std::size_t(m) >= count.size())
                count.resize(std::size_t(m) + 1, 0), seen.resize(std::size_t(m) + 1, 0);
            ++count[std::size_t(m)];
        }
    std::vector<int> kept(motif.size(), -1);
    for (std::size_t i = 0; i < motif.size(); ++i) {
        const int m = motif[i];
        if (m < 0)
            continue;
        const long long stride = (count[std::size_t(m)] + most - 1) / most;
        if (seen[std::size_t(m)]++ % stride == 0)
            kept[i] = m;
    }
    return kept;
}

/**
 * The 2-D classification of the learned columns, started from their motifs: their motifs (ids by
 * size again), posteriors as confidences and poses as the registration, then the averages.
 */
void refineByClassification2d(const FloatImage& raw, const AtomColumns& columns, const MotifLearningParams& params,
                              MotifLearning& out, Progress* progress)
{
    const std::size_t rows = out.learnedRows.size();
    Eigen::MatrixXf moments(Eigen::Index(rows), out.features.moments.cols());
    std::vector<int> labels(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t column = std::size_t(out.learnedRows[r]);
        moments.row(Eigen::Index(r)) = out.features.moments.row(Eigen::Index(column));
        labels[r] = out.motif[column];
    }
    if (progress)
        progress->beginStage("2-D classification", 0.0, 1.0);
    out.mapLabels = out.learned.labels;
    const Classification2D c = classify2d(*out.features.basis, moments, labels, params.classification, progress);
    const std::size_t n = columns.size();
    out.registration.angle.resize(n, 0.0f);
    out.registration.mirrored.assign(n, 0);
    out.registration.weight.assign(n, 1.0f);
    out.refined.assign(n, 0);
    for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t column = std::size_t(out.learnedRows[r]);
        out.motif[column] = c.labels[r];
        out.confidence[column] = c.posterior[r];
        out.registration.angle[column] = c.angle[r];
        out.registration.mirrored[column] = c.mirrored[r];
        out.registration.weight[column] = c.posterior[r];
        out.refined[column] = 1;
    }
    out.refinedChanged = c.changed;
    relabelBySize(out.motif); // a class the refinement emptied disappears
    for (std::size_t r = 0; r < rows && r < out.learned.labels.size(); ++r) {
        out.learned.labels[r] = out.motif[std::size_t(out.learnedRows[r])];
        out.learned.confidence[r] = out.confidence[std::size_t(out.learnedRows[r])];
    }
    if (progress)
        progress->beginStage("motif averages", 0.0, 1.0);
    out.motifs = summariseMotifs(raw, columns, out.registration, everyNthOfEachMotif(out.motif, kAverageSampleColumns),
                                 out.patchSize, progress);
    out.learned.classes = int(out.motifs.size());
}

} // namespace

int featurePatchSize(int requested, double spacing)
{
    int size = requested > 0 ? requested : automaticPatchSize(kPatchRadiusSpacings * spacing);
    if (size % 2 == 0)
        ++size;
    return size;
}

int featurePatchSize(int requested, const AtomColumns& columns)
{
    return featurePatchSize(requested, requested > 0 ? 0.0 : medianNearestNeighbourDistance(columns));
}

MotifLearning learnColumnMotifs(const FloatImage& raw, const AtomColumns& columns, const MotifLearningParams& params,
                                const MotifLearningProgress& progress, const MotifLearningSnapshot& onSnapshot)
{
    MotifLearning out;
    const std::size_t n = columns.size();
    // The median nearest-neighbour spacing (a search over all columns), found once when needed.
    double spacing = -1.0;
    const auto columnSpacing = [&] {
        if (spacing < 0.0)
            spacing = medianNearestNeighbourDistance(columns);
        return spacing;
    };
    out.patchSize = featurePatchSize(params.features.patchSize, params.features.patchSize > 0 ? 0.0 : columnSpacing());
    FeatureParams featureParams = params.features;
    featureParams.patchSize = out.patchSize;

    auto t0 = std::chrono::steady_clock::now();
    if (progress.features)
        progress.features->beginStage("Zernike features", 0.0, 1.0);
    out.features = computeFeatures(raw, columns, out.patchSize, featureParams, progress.features);
    out.featureSeconds = secondsSince(t0);

    for (std::size_t i = 0; i < n; ++i)
        if (i < out.features.inside.size() && out.features.inside[i])
            out.learnedRows.push_back(int(i));
    const std::size_t needed = std::size_t(2 * params.learn.k + 2);
    if (out.learnedRows.size() < needed)
        throw std::runtime_error("too few columns lie wholly inside the image to learn motifs (" +
                                 std::to_string(out.learnedRows.size()) + " of " + std::to_string(n) + ", at least " +
                                 std::to_string(needed) + " needed)");
    Eigen::MatrixXf x(Eigen::Index(out.learnedRows.size()), out.features.invariants.cols());
    for (std::size_t r = 0; r < out.learnedRows.size(); ++r)
        x.row(Eigen::Index(r)) = out.features.invariants.row(out.learnedRows[r]);
    if (!x.allFinite())
        throw std::runtime_error("the Zernike features hold non-finite values (NaN or infinite pixels inside "
                                 "columns' patches)");
    LearnSnapshot snapshot;
    if (onSnapshot)
        snapshot = [&](const Eigen::MatrixX2f& embedding, const std::vector<int>& labels, int epoch) {
            onSnapshot(out.learnedRows, embedding, labels, epoch);
        };
    out.learned = learnMotifs(x, params.learn, progress.learning, snapshot);

    out.motif.assign(n, -1);
    out.confidence.assign(n, 0.0f);
    for (std::size_t r = 0; r < out.learnedRows.size() && r < out.learned.labels.size(); ++r) {
        out.motif[std::size_t(out.learnedRows[r])] = out.learned.labels[r];
        out.confidence[std::size_t(out.learnedRows[r])] = out.learned.confidence[r];
    }

    t0 = std::chrono::steady_clock::now();
    if (progress.averages)
        progress.averages->beginStage("motif averages", 0.0, 1.0);
    if (out.features.orientation.size() == n)
        out.registration.angle = out.features.orientation;
    // Averages for the look-alike merge; when the 2-D classification follows (and replaces them),
    // from at most kMergeSampleColumns columns per motif.
    out.motifs = summariseMotifs(raw, columns, out.registration,
                                 params.refineClasses ? everyNthOfEachMotif(out.motif, kMergeSampleColumns) : out.motif,
                                 out.patchSize, progress.averages);
    const auto mergeLookalikes = [&] {
        if (params.learn.classes != 0 || !(params.lookalikeDifference > 0.0))
            return;
        std::vector<int> merged;
        const int merges = mergeLookalikeMotifs(out.motifs, merged, params.lookalikeDifference);
        out.lookalikesMerged += merges;
        if (merges > 0) {
            for (int& m : out.motif)
                m = m >= 0 ? merged[std::size_t(m)] : m;
            for (int& l : out.learned.labels)
                l = l >= 0 ? merged[std::size_t(l)] : l;
            out.learned.classes = int(out.motifs.size());
        }
    };
    mergeLookalikes();
    if (params.refineClasses && !out.motifs.empty()) {
        const auto t1 = std::chrono::steady_clock::now();
        refineByClassification2d(raw, columns, params, out, progress.averages);
        out.refineSeconds = secondsSince(t1);
        // Registered by the classification's poses, two classes of one site (registered apart by
        // the features' orientation, ambiguous on a symmetric site) now show the same average.
        mergeLookalikes();
    }
    if (params.classifyBorderColumns)
        out.borderAssigned = assignBorderMotifs(raw, columns, out.patchSize, out.features.inside, out.motif,
                                                out.confidence, progress.averages);
    if (params.learn.classes == 0 && params.besideDimColumns) {
        out.besideDimMotifs =
            splitBesideDimColumns(columns, columnSpacing(), raw.width, raw.height, out.motif);
        if (out.besideDimMotifs > 0) {
            // Ids by size again (0 = the commonest); the new motifs' averages from their learned
            // (wholly inside) columns like the others, or, with none of those, from their border
            // columns' patches (clamped at the border).
            relabelBySize(out.motif);
            std::vector<int> learnedOnly(n, -1);
            for (int row : out.learnedRows)
                learnedOnly[std::size_t(row)] = out.motif[std::size_t(row)];
            const int motifs = int(out.motifs.size()) + out.besideDimMotifs;
            for (int id = 0; id < motifs; ++id)
                if (std::find(learnedOnly.begin(), learnedOnly.end(), id) == learnedOnly.end())
                    for (std::size_t i = 0; i < n; ++i)
                        if (out.motif[i] == id)
                            learnedOnly[i] = id;
            out.motifs = summariseMotifs(raw, columns, out.registration,
                                         params.refineClasses ? everyNthOfEachMotif(learnedOnly, kAverageSampleColumns) : learnedOnly,
                                         out.patchSize, progress.averages);
            for (std::size_t r = 0; r < out.learnedRows.size() && r < out.learned.labels.size(); ++r)
                out.learned.labels[r] = out.motif[std::size_t(out.learnedRows[r])];
            out.learned.classes = int(out.motifs.size());
        }
    }
    {
        // Counts and shares over every column with a motif; the averages stay the learned columns'.
        long long labelled = 0;
        for (Motif& m : out.motifs)
            m.count = 0;
        for (int m : out.motif)
            if (m >= 0 && std::size_t(m) < out.motifs.size())
                ++out.motifs[std::size_t(m)].count, ++labelled;
        for (Motif& m : out.motifs)
            m.fraction = labelled > 0 ? double(m.count) / double(labelled) : 0.0;
    }
    out.averageSeconds = secondsSince(t0);
    return out;
}

} // namespace motifscope
