#include "core/detect/joint_fit.h"

#include "core/detect/joint_fit_detail.h"
#include "core/detect/pair_or_ellipse.h"
#include "core/util/progress.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

namespace motifscope::joint_detail {

double splitThreshold(std::size_t tests)
{
    const double tail = kSplitFalseSplits / double(std::max<std::size_t>(tests, 1));
    auto survival = [](double t) { // P(chi-square(3) > t)
        return std::erfc(std::sqrt(0.5 * t)) + std::sqrt(2.0 * t / M_PI) * std::exp(-0.5 * t);
    };
    double lo = 0.0, hi = 200.0;
    for (int it = 0; it < 60; ++it) {
        const double mid = 0.5 * (lo + hi);
        (survival(mid) > tail ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

namespace {

/** Whether two pair vectors agree in orientation (either sign) and length (the crystal prior's windows). */
bool sameVector(double dx, double dy, const PairVector& v)
{
    double turn = std::abs(std::atan2(dy, dx) - std::atan2(v.dy, v.dx));
    turn = std::fmod(turn, M_PI);
    turn = std::min(turn, M_PI - turn);
    const double length = std::hypot(v.dx, v.dy);
    return turn < kSplitSameAngle && std::abs(std::hypot(dx, dy) - length) < kSplitSameLength * length;
}

} // namespace

bool trySplit(const Sweep& s, JointWindow& w, const GroupOutcome& single, const AtomColumn& self, double radius,
              AtomColumn& first, AtomColumn& second)
{
    const double width = std::min(single.width, s.typicalWidth);
    const double inv2s2 = 1.0 / (2.0 * width * width);
    double peak = 0.0;
    // A single Gaussian on a pair in a wide window can come out very wide, with its background far
    // too low: take the background of the column's first fit unless this one is plausible.
    const bool plausible = single.width <= kMaxWidthRatio * s.typicalWidth;
    const double background = plausible ? single.background : double(self.background);
    // Weighted moments about the weighted centroid (a single fit may sit off a pair's middle).
    double m0 = 0.0, mx = 0.0, my = 0.0, mxx = 0.0, myy = 0.0, mxy = 0.0;
    for (int k = 0; k < w.size; ++k) {
        const double ox = w.px(k) - single.x, oy = w.py(k) - single.y;
        const double above = w.value[std::size_t(k)] - w.known[std::size_t(k)] - background;
        const double f = above * std::exp(-(ox * ox + oy * oy) * inv2s2);
        peak = std::max(peak, above);
        m0 += f;
        mx += f * ox;
        my += f * oy;
        mxx += f * ox * ox;
        myy += f * oy * oy;
        mxy += f * ox * oy;
    }
    if (!(m0 > 0.0))
        return false;
    mx /= m0, my /= m0;
    mxx = mxx / m0 - mx * mx, myy = myy / m0 - my * my, mxy = mxy / m0 - mx * my;
    const double trace = mxx + myy, spread = std::hypot(mxx - myy, 2.0 * mxy);
    if (!s.recurring && (!(trace > 0.0) || !(spread / trace > kSplitElongation)))
        return false;
    const double cx = single.x + mx, cy = single.y + my;

    // Starts: along the moments' long axis, or along each recurring pair vector.
    std::array<PairVector, kMaxRecurringVectors> starts;
    std::size_t count = 0;
    if (s.recurring) {
        for (; count < std::min(s.recurring->size(), starts.size()); ++count)
            starts[count] = (*s.recurring)[count];
    } else {
        const double angle = 0.5 * std::atan2(2.0 * mxy, mxx - myy);
        starts[count++] = {1.5 * width * std::cos(angle), 1.5 * width * std::sin(angle)};
    }
    using G = GaussianGroup<2>;
    // A fit is a pair when chi-square drops enough and the pair is physical; along recurring
    // vectors it must also agree with one of them.
    auto isPair = [&](const GroupOutcome& fit, bool held) {
        double gain = single.weightedCost - fit.weightedCost;
        if (!s.params.noiseKnown()) // unit weights: chi-square in units of the residual variance
            gain /= std::max(fit.weightedCost / std::max(1, w.size - G::P), 1e-30);
        const double dx = fit.memberX[1] - fit.memberX[0], dy = fit.memberY[1] - fit.memberY[0];
        const double separation = std::hypot(dx, dy);
        const double weaker = std::min(fit.memberAmplitude[0], fit.memberAmplitude[1]);
        const double stronger = std::max(fit.memberAmplitude[0], fit.memberAmplitude[1]);
        if (!(gain >= s.splitChi2) || weaker < kSplitMinRatio * stronger)
            return false;
        if (held) // positions and width given: only the amplitudes were fitted
            return true;
        if (separation < kSplitMinSeparation * fit.width || separation > kPartnerWidths * fit.width ||
            !(fit.sigma < fit.width) || fit.width > kMaxWidthRatio * s.typicalWidth ||
            fit.width < s.typicalWidth / kMaxWidthRatio)
            return false;
        return !s.recurring || std::any_of(s.recurring->begin(), s.recurring->end(),
                                           [&](const PairVector& v) { return sameVector(dx, dy, v); });
    };
    GroupOutcome pair;
    bool found = false;
    auto consider = [&](G::Vector q, Hold hold) {
        GroupOutcome trial;
        if (fitGroup<2>(w, q, s.params, trial, /*computeWeights=*/false, hold) && isPair(trial, hold != Hold::nothing) &&
            (!found || trial.weightedCost < pair.weightedCost)) {
            pair = trial;
            found = true;
        }
    };
    for (std::size_t k = 0; k < count; ++k) {
        const PairVector& v = starts[k];
        G::Vector q;
        q << 0.6 * peak, cx - 0.5 * v.dx, cy - 0.5 * v.dy, 0.6 * peak, cx + 0.5 * v.dx, cy + 0.5 * v.dy, 0.9 * width,
            background;
        consider(q, Hold::nothing);
        // The free fit of a pair closer than ~1.5 widths can wander onto a noise blob (a far,
        // faint second member): the pair as the crystal has it, only its amplitudes fitted.
        if (s.recurring && v.width > 0.0) {
            q[G::width()] = v.width;
            consider(q, Hold::widthAndPositions);
        }
    }
    if (!found)
        return false;
    for (int m = 0; m < 2; ++m) // both members inside the window, where the data can place them
        if (std::hypot(pair.memberX[std::size_t(m)] - self.x, pair.memberY[std::size_t(m)] - self.y) > 0.8 * radius)
            return false;
    for (int m = 0; m < 2; ++m) {
        AtomColumn& c = m == 0 ? first : second;
        c.x = pair.memberX[std::size_t(m)];
        c.y = pair.memberY[std::size_t(m)];
        c.intensity = float(pair.memberAmplitude[std::size_t(m)]);
        c.width = float(pair.width);
        c.background = float(pair.background);
        c.residual = float(pair.residual / pair.memberAmplitude[std::size_t(m)]);
        c.positionSigma = m == 0 ? float(pair.sigma) : 0.0f; // the next sweep fits each member
        c.refinement = Refinement::GaussianFit;
    }
    return true;
}

} // namespace motifscope::joint_detail

namespace motifscope {

using namespace joint_detail;

namespace {

/** One close pair's merge test: how much two Gaussians fit better than one, and the one. */
struct PairTest
{
    int first = -1;
    int second = -1;
    double gain = std::numeric_limits<double>::infinity(); ///< chi-square drop from one Gaussian to two
    GroupOutcome single;
};

/**
 * Fits columns i and j (closer than kMergeWidths widths) as two Gaussians and as one, in one window
 * around their middle, other neighbours subtracted, with the same pixel weights. False when either
 * fit fails (the pair then stays).
 */
bool testPair(const Sweep& s, int i, int j, JointWindow& w, PairTest& out)
{
    const AtomColumn& a = s.previous[std::size_t(i)];
    const AtomColumn& b = s.previous[std::size_t(j)];
    const double width = s.typicalWidth;
    const double mx = 0.5 * (a.x + b.x), my = 0.5 * (a.y + b.y);
    const double half = 0.5 * std::hypot(b.x - a.x, b.y - a.y);
    const double radius = std::min(double(kMaxReach), kWindowWidths * width + half);
    if (!w.gather(s.image, mx, my, radius))
        return false;
    s.grid.near(mx, my, s.maxTailReach + half, [&](int k) {
        if (k == i || k == j)
            return;
        const AtomColumn& o = s.previous[std::size_t(k)];
        if (std::hypot(o.x - mx, o.y - my) < radius + kTailWidths * widthOf(o, width))
            w.addKnown(o.x, o.y, std::max(0.0f, o.intensity), widthOf(o, width));
    });
    const double ta = std::max(1e-6, double(a.intensity)), tb = std::max(1e-6, double(b.intensity));
    GaussianGroup<2>::Vector two;
    two << ta, a.x, a.y, tb, b.x, b.y, width, a.background;
    GroupOutcome pair;
    if (!fitGroup<2>(w, two, s.params, pair))
        return false;
    GaussianGroup<1>::Vector one;
    one << std::max(ta, tb) + 0.5 * std::min(ta, tb), (ta * a.x + tb * b.x) / (ta + tb), (ta * a.y + tb * b.y) / (ta + tb),
        width, pair.background;
    if (!fitGroup<1>(w, one, s.params, out.single, /*computeWeights=*/false))
        return false;
    double gain = out.single.weightedCost - pair.weightedCost;
    if (!s.params.noiseKnown()) // unit weights: chi-square in units of the residual variance
        gain /= std::max(pair.weightedCost / std::max(1, w.size - GaussianGroup<2>::P), 1e-30);
    out.first = i;
    out.second = j;
    out.gain = gain;
    return true;
}

/**
 * The crystal prior of the split test: unresolved pairs of a crystal (dumbbells) recur with one
 * orientation and one separation (a few, with several grains). A lone candidate whose pair vector
 * no other candidates share is a column beside a speckle of the support, a noise blob or a defect
 * the test cannot tell from those: it is undone (the column gets back its previous estimate). So
 * is a pair vector shared by too few of all the columns tested (kSplitMinShare).
 */
void keepRecurringPairs(const AtomColumns& previous, AtomColumns& columns, const AtomColumns& seconds, std::vector<char>& split,
                        std::size_t tested)
{
    struct PairVector
    {
        std::size_t column;
        double angle;  ///< orientation, radians in [0, pi)
        double length; ///< member separation, pixels
    };
    std::vector<PairVector> pairs;
    for (std::size_t i = 0; i < split.size(); ++i)
        if (split[i] == 2) {
            const double dx = seconds[i].x - columns[i].x, dy = seconds[i].y - columns[i].y;
            double angle = std::atan2(dy, dx);
            if (angle < 0.0)
                angle += M_PI;
            if (angle >= M_PI)
                angle -= M_PI;
            pairs.push_back({i, angle, std::hypot(dx, dy)});
        }
    const double needed = std::max({kSplitMinRecurring, kSplitRecurringFraction * double(pairs.size() > 0 ? pairs.size() - 1 : 0),
                                    kSplitMinShare * double(tested) - 1.0});
    std::vector<char> keep(pairs.size(), 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pairs.size(), 256), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t a = range.begin(); a != range.end(); ++a) {
            int agreeing = 0;
            for (std::size_t b = 0; b < pairs.size(); ++b) {
                if (a == b)
                    continue;
                double turn = std::abs(pairs[a].angle - pairs[b].angle);
                turn = std::min(turn, M_PI - turn);
                if (turn < kSplitSameAngle && std::abs(pairs[a].length - pairs[b].length) < kSplitSameLength * pairs[a].length)
                    ++agreeing;
            }
            keep[a] = agreeing >= needed;
        }
    });
    for (std::size_t k = 0; k < pairs.size(); ++k)
        if (!keep[k]) {
            split[pairs[k].column] = 0;
            columns[pairs[k].column] = previous[pairs[k].column];
        }
}

/**
 * The pair vectors the split pairs share (one per grain or variant): the most agreed-on vector of
 * (a sample of) the pairs, averaged over all pairs that agree with it, then the next among the
 * rest, while a vector is shared by at least a tenth of the pairs.
 */
std::vector<PairVector> recurringPairVectors(const UnresolvedPairs& found)
{
    std::vector<PairVector> all;
    for (std::size_t k = 0; k < found.column.size(); ++k) {
        PairVector v{found.second[k].x - found.first[k].x, found.second[k].y - found.first[k].y, found.first[k].width};
        if (v.dy < 0.0 || (v.dy == 0.0 && v.dx < 0.0)) // one sign per orientation
            v.dx = -v.dx, v.dy = -v.dy;
        all.push_back(v);
    }
    std::vector<PairVector> sample;
    const std::size_t stride = std::max<std::size_t>(1, all.size() / 512);
    for (std::size_t k = 0; k < all.size(); k += stride)
        sample.push_back(all[k]);
    const double needed = std::max(kSplitMinRecurring, 0.1 * double(sample.size()));
    std::vector<PairVector> vectors;
    while (vectors.size() < kMaxRecurringVectors && !sample.empty()) {
        std::size_t best = 0, bestAgreeing = 0;
        for (std::size_t a = 0; a < sample.size(); ++a) {
            const std::size_t agreeing = std::size_t(std::count_if(sample.begin(), sample.end(), [&](const PairVector& b) {
                return sameVector(b.dx, b.dy, sample[a]);
            }));
            if (agreeing > bestAgreeing)
                best = a, bestAgreeing = agreeing;
        }
        if (double(bestAgreeing) < needed)
            break;
        const PairVector mode = sample[best];
        PairVector mean;
        double n = 0.0;
        for (const PairVector& v : all)
            if (sameVector(v.dx, v.dy, mode)) {
                const double sign = v.dx * mode.dx + v.dy * mode.dy < 0.0 ? -1.0 : 1.0;
                mean.dx += sign * v.dx, mean.dy += sign * v.dy, mean.width += v.width, n += 1.0;
            }
        vectors.push_back({mean.dx / n, mean.dy / n, mean.width / n});
        std::erase_if(sample, [&](const PairVector& v) { return sameVector(v.dx, v.dy, mode); });
    }
    return vectors;
}

} // namespace

UnresolvedPairs findUnresolvedPairs(const FloatImage& image, const AtomColumns& columns, const RefineParams& params,
                                    Progress* progress, std::size_t sample)
{
    UnresolvedPairs found;
    if (columns.empty())
        return found;
    const std::size_t stride = sample > 0 ? std::max<std::size_t>(1, columns.size() / sample) : 1;
    const std::size_t tested = (columns.size() + stride - 1) / stride;
    const double typical = typicalWidth(columns, params);
    const double tail = neighbourReach(typical, params);
    const CellGrid grid(columns, image.width, image.height, tail);
    const Sweep s{image, columns, columns, grid, params, typical, tail, splitThreshold(tested)};
    AtomColumns firsts = columns;
    std::vector<char> split(columns.size(), 0);
    AtomColumns seconds(columns.size()); // the second member of each column split into a pair
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, columns.size(), 256),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          if (cancelled(progress))
                              return;
                          JointWindow window; // per chunk, on the stack of this task
                          for (std::size_t i = range.begin(); i != range.end(); ++i)
                              if (i % stride == 0)
                                  fitColumn(s, int(i), window, firsts[i], split[i], &seconds[i]);
                      });
    throwIfCancelled(progress);
    keepRecurringPairs(columns, firsts, seconds, split, tested);
    // Averaged over all of them, are the pairs dumbbells or is the probe elliptical?
    std::vector<SplitCandidate> candidates;
    AtomColumns modelled = firsts;
    for (std::size_t i = 0; i < split.size(); ++i)
        if (split[i] == 2) {
            found.column.push_back(i);
            found.first.push_back(firsts[i]);
            found.second.push_back(seconds[i]);
            candidates.push_back({firsts[i].x, firsts[i].y, seconds[i].x, seconds[i].y, firsts[i].background});
            modelled.push_back(seconds[i]);
        }
    found.verdict = pairsOrEllipse(image, modelled, candidates, typical);
    if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
        std::fprintf(stderr, "split: %zu pairs; average: pair cost %.4g ellipse cost %.4g improvement %.1f -> %s\n",
                     candidates.size(), found.verdict.pairCost, found.verdict.ellipseCost, found.verdict.improvement,
                     found.verdict.pairs ? "pairs" : "ellipse");
    if (!found.verdict.pairs || sample > 0)
        return found;
    // The crystal holds pairs: the columns that did not split are tried again along the pair
    // vectors that recur (a pair whose noise made it look round, or whose free fit wandered, at
    // the same chi-square threshold).
    const std::vector<PairVector> vectors = recurringPairVectors(found);
    if (vectors.empty())
        return found;
    Sweep along = s;
    along.recurring = &vectors;
    std::vector<char> again(columns.size(), 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, columns.size(), 256),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          if (cancelled(progress))
                              return;
                          JointWindow window;
                          for (std::size_t i = range.begin(); i != range.end(); ++i)
                              if (split[i] != 2)
                                  fitColumn(along, int(i), window, firsts[i], again[i], &seconds[i]);
                      });
    throwIfCancelled(progress);
    std::size_t added = 0;
    for (std::size_t i = 0; i < again.size(); ++i)
        if (again[i] == 2) {
            found.column.push_back(i);
            found.first.push_back(firsts[i]);
            found.second.push_back(seconds[i]);
            ++added;
        }
    if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
        std::fprintf(stderr, "split: %zu recurring pair vectors, %zu more pairs along them\n", vectors.size(), added);
    return found;
}

void splitUnresolvedPairs(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress)
{
    const UnresolvedPairs found = findUnresolvedPairs(image, columns, params, progress);
    if (!found.verdict.pairs)
        return;
    for (std::size_t k = 0; k < found.column.size(); ++k) {
        columns[found.column[k]] = found.first[k];
        columns.push_back(found.second[k]);
    }
}

int mergeUnresolvedPairs(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress)
{
    if (columns.size() < 2)
        return 0;
    const double typical = typicalWidth(columns, params);
    const double tail = neighbourReach(typical, params);
    const double close = kMergeWidths * typical;
    const CellGrid grid(columns, image.width, image.height, std::max(tail, close));
    std::vector<std::pair<int, int>> pairs;
    for (int i = 0; i < int(columns.size()); ++i)
        grid.near(columns[std::size_t(i)].x, columns[std::size_t(i)].y, close, [&](int j) {
            if (j > i && std::hypot(columns[std::size_t(j)].x - columns[std::size_t(i)].x,
                                    columns[std::size_t(j)].y - columns[std::size_t(i)].y) < close)
                pairs.emplace_back(i, j);
        });
    if (pairs.empty())
        return 0;
    const Sweep s{image, columns, columns, grid, params, typical, tail, splitThreshold(pairs.size())};
    std::vector<PairTest> tests(pairs.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pairs.size(), 64), [&](const tbb::blocked_range<std::size_t>& range) {
        if (cancelled(progress))
            return;
        JointWindow window;
        for (std::size_t k = range.begin(); k != range.end(); ++k)
            testPair(s, pairs[k].first, pairs[k].second, window, tests[k]);
    });
    throwIfCancelled(progress);
    // Least significant pairs first; a column merges at most once per call.
    std::sort(tests.begin(), tests.end(), [](const PairTest& a, const PairTest& b) { return a.gain < b.gain; });
    std::vector<char> touched(columns.size(), 0), gone(columns.size(), 0);
    int merged = 0;
    for (const PairTest& t : tests) {
        if (!(t.gain < s.splitChi2))
            break;
        if (touched[std::size_t(t.first)] || touched[std::size_t(t.second)])
            continue;
        touched[std::size_t(t.first)] = touched[std::size_t(t.second)] = 1;
        gone[std::size_t(t.second)] = 1;
        applyFit(t.single, columns[std::size_t(t.first)]);
        ++merged;
    }
    if (merged > 0) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (!gone[i])
                columns[kept++] = columns[i];
        columns.resize(kept);
    }
    return merged;
}

} // namespace motifscope
