#include "core/disorder/disorder.h"
#include "core/disorder/local_disorder.h"

#include <cmath>
#include <limits>
#include <map>

namespace motifscope::disorder {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kRingStream = 20, kRingSizeStream = 21, kPsiStream = 30; // + m for psi_m

/** Per-ring sums that every ring statistic is a function of (one row per counted ring). */
enum RingSum
{
    Count,      ///< 1
    Size,       ///< n
    SizeSq,     ///< n^2
    Fitted,     ///< 1 when the ring has a counted edge-sharing neighbour (enters the Aboav-Weaire fit)
    FitX,       ///< n
    FitY,       ///< n m(n): n times the mean size of its neighbours
    FitXX,      ///< n^2
    FitXY,      ///< n * n m(n)
    RingSumWidth
};

double meanOf(const std::vector<double>& s)
{
    return s[Count] > 0 ? s[Size] / s[Count] : kNaN;
}

double varianceOf(const std::vector<double>& s)
{
    const double mean = meanOf(s);
    return s[Count] > 0 ? s[SizeSq] / s[Count] - mean * mean : kNaN;
}

/** Least-squares line n m(n) = slope n + intercept over the rings with neighbours. */
std::pair<double, double> aboavWeaireLine(const std::vector<double>& s)
{
    const double w = s[Fitted], det = w * s[FitXX] - s[FitX] * s[FitX];
    if (w < 2 || !(det > 1e-9 * w * s[FitXX]))
        return {kNaN, kNaN};
    const double slope = (w * s[FitXY] - s[FitX] * s[FitY]) / det;
    return {slope, (s[FitY] - slope * s[FitX]) / w};
}

double aboavWeaireA(const std::vector<double>& s)
{
    return meanOf(s) - aboavWeaireLine(s).first;
}

} // namespace

RingStatistics ringStatistics(const HierarchyResult& hierarchy, const BootstrapPlan& plan)
{
    const std::vector<Ring>& rings = hierarchy.rings;
    std::vector<double> neighbours(rings.size(), 0.0), neighbourSizes(rings.size(), 0.0);
    for (const auto& [a, b] : hierarchy.ringPairs) {
        neighbours[std::size_t(a)] += 1.0;
        neighbours[std::size_t(b)] += 1.0;
        neighbourSizes[std::size_t(a)] += double(rings[std::size_t(b)].members.size());
        neighbourSizes[std::size_t(b)] += double(rings[std::size_t(a)].members.size());
    }
    std::map<int, int> sizeIndex;
    for (const Ring& ring : rings)
        if (ring.counted)
            sizeIndex.emplace(int(ring.members.size()), 0);
    RingStatistics out;
    for (auto& [size, index] : sizeIndex) {
        index = int(out.sizes.size());
        out.sizes.push_back(size);
    }
    std::vector<double> rows;
    std::vector<int> sizeCategory;
    for (std::size_t r = 0; r < rings.size(); ++r) {
        if (!rings[r].counted)
            continue;
        const double n = double(rings[r].members.size());
        const double fitted = neighbours[r] > 0 ? 1.0 : 0.0;
        const double y = fitted > 0 ? n * neighbourSizes[r] / neighbours[r] : 0.0;
        rows.insert(rows.end(), {1.0, n, n * n, fitted, fitted * n, y, fitted * n * n, n * y});
        sizeCategory.push_back(sizeIndex[int(n)]);
    }
    out.rings = (long long)sizeCategory.size();
    if (out.rings == 0)
        return out;
    std::vector<double> total(RingSumWidth, 0.0);
    for (std::size_t k = 0; k < rows.size(); ++k)
        total[k % RingSumWidth] += rows[k];
    const auto resamples = resampledSums(rows, RingSumWidth, plan, kRingStream);
    out.mean = {meanOf(total), intervalOf(resamples, meanOf)};
    out.variance = {varianceOf(total), intervalOf(resamples, varianceOf)};
    std::tie(out.aboavWeaireSlope, out.aboavWeaireIntercept) = aboavWeaireLine(total);
    out.aboavWeaireA = {aboavWeaireA(total), intervalOf(resamples, aboavWeaireA)};
    if (!std::isfinite(out.aboavWeaireA.value))
        out.aboavWeaireA.ci = {kNaN, kNaN};

    const int sizes = int(out.sizes.size());
    const auto counts = resampledCounts(sizeCategory, sizes, plan, kRingSizeStream);
    for (int s = 0; s < sizes; ++s) {
        long long c = 0;
        for (int k : sizeCategory)
            c += k == s ? 1 : 0;
        const double n = double(sizeCategory.size());
        out.fractions.push_back({double(c) / n, intervalOf(counts, [s, n](const std::vector<double>& v) {
                                     return v[std::size_t(s)] / n;
                                 })});
    }
    return out;
}

Estimate bondOrientationalOrder(const std::vector<Point2>& points, const std::vector<std::pair<int, int>>& bonds,
                                int m, const BootstrapPlan& plan)
{
    std::vector<double> values;
    for (double v : bondOrderPerPoint(points, bonds, m))
        if (std::isfinite(v))
            values.push_back(v);
    if (values.empty())
        return {kNaN, {kNaN, kNaN}};
    double sum = 0.0;
    for (double v : values)
        sum += v;
    const double count = double(values.size());
    const auto resamples = resampledSums(values, 1, plan, kPsiStream + std::uint64_t(m));
    return {sum / count, intervalOf(resamples, [count](const std::vector<double>& s) { return s[0] / count; })};
}

} // namespace motifscope::disorder
