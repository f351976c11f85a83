#include "core/disorder/disorder.h"

#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

namespace motifscope::disorder {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/** Random streams, one per measure (see resampledCounts). */
enum Stream : std::uint64_t
{
    MotifStream = 1,
    LevelStream = 100, ///< + level index
};

Estimate undefined()
{
    return {kNaN, {kNaN, kNaN}};
}

} // namespace

bool Estimate::defined() const
{
    return std::isfinite(value);
}

double entropyBits(const std::vector<double>& counts)
{
    double total = 0.0;
    for (double c : counts)
        total += c > 0.0 ? c : 0.0;
    if (total <= 0.0)
        return 0.0;
    double h = 0.0;
    for (double c : counts)
        if (c > 0.0) {
            const double p = c / total;
            h -= p * std::log2(p);
        }
    return h + 0.0; // no "-0"
}

int motifsCovering95(std::vector<double> counts)
{
    std::sort(counts.begin(), counts.end(), std::greater<>());
    double total = 0.0;
    for (double c : counts)
        total += c;
    if (total <= 0.0)
        return 0;
    double covered = 0.0;
    int k = 0;
    for (double c : counts) {
        if (c <= 0.0)
            break;
        covered += c;
        ++k;
        if (covered >= 0.95 * total * (1.0 - 1e-12))
            break;
    }
    return k;
}

Estimate labelEntropy(const std::vector<int>& labels, const BootstrapPlan& plan, std::uint64_t stream)
{
    // Categories renumbered 0..K-1 in label order (only the counts matter).
    std::map<int, int> index;
    for (int l : labels)
        if (l >= 0)
            index.emplace(l, 0);
    int k = 0;
    for (auto& [label, i] : index)
        i = k++;
    std::vector<int> category;
    category.reserve(labels.size());
    std::vector<double> counts(std::size_t(k), 0.0);
    for (int l : labels)
        if (l >= 0) {
            category.push_back(index[l]);
            counts[std::size_t(index[l])] += 1.0;
        }
    Estimate e;
    e.value = entropyBits(counts);
    e.ci = category.empty() ? Interval{0.0, 0.0}
                            : intervalOf(resampledCounts(category, k, plan, stream), entropyBits);
    return e;
}

namespace {

DisorderReport measureExceptContinuity(const DisorderInput& input, const BootstrapPlan& plan)
{
    DisorderReport r;
    r.plan = plan;
    static const std::vector<Point2> noPoints;
    static const std::vector<int> noLabels;
    const std::vector<Point2>& points = input.points ? *input.points : noPoints;
    const std::vector<int>& motif = input.columnMotif ? *input.columnMotif : noLabels;
    r.columns = (long long)points.size();
    for (int m : motif)
        r.assignedColumns += m >= 0 ? 1 : 0;
    {
        std::vector<int> distinct;
        for (int m : motif)
            if (m >= 0)
                distinct.push_back(m);
        std::sort(distinct.begin(), distinct.end());
        r.motifs = int(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
    }
    r.motifEntropy = labelEntropy(motif, plan, MotifStream);

    if (input.hierarchy) {
        const HierarchyResult& h = *input.hierarchy;
        r.route = h.route;
        for (std::size_t l = 0; l < h.levels.size(); ++l) {
            std::vector<double> counts;
            std::vector<int> category;
            for (const MotifNode& node : h.levels[l].motifs) {
                category.insert(category.end(), std::size_t(std::max(0LL, node.count)), int(counts.size()));
                counts.push_back(double(node.count));
            }
            Estimate entropy{entropyBits(counts), {0.0, 0.0}};
            const Estimate covering{double(motifsCovering95(counts)), {kNaN, kNaN}}; // no interval: see disorder.md
            if (!category.empty()) {
                const auto resamples = resampledCounts(category, int(counts.size()), plan, LevelStream + l);
                entropy.ci = intervalOf(resamples, entropyBits);
            }
            r.levelEntropy.push_back(entropy);
            r.levelMotifs95.push_back(covering);
        }
        r.psi6 = bondOrientationalOrder(points, h.bonds, 6, plan);
        r.psi4 = bondOrientationalOrder(points, h.bonds, 4, plan);
        r.hasRings = h.route == "polygons" &&
                     std::any_of(h.rings.begin(), h.rings.end(), [](const Ring& ring) { return ring.counted; });
        if (r.hasRings)
            r.rings = ringStatistics(h, plan);
    } else {
        r.psi6 = r.psi4 = undefined();
    }
    return r;
}

} // namespace

Estimate measureContinuity(const DisorderInput& input, const BootstrapPlan& plan)
{
    return input.map && input.mapMotif
               ? motifContinuity(*input.map, *input.mapMotif, plan, input.mapPositions, input.mapColumnMotif)
               : undefined();
}

DisorderReport measureDisorder(const DisorderInput& input, const BootstrapPlan& plan)
{
    // Continuity reads the map only: measured beside the rest (its own random stream either way).
    DisorderReport r;
    Estimate continuity = undefined();
    tbb::parallel_invoke([&] { r = measureExceptContinuity(input, plan); },
                         [&] { continuity = input.continuity ? *input.continuity : measureContinuity(input, plan); });
    r.continuity = continuity;
    return r;
}

} // namespace motifscope::disorder
