#include "core/learn/classification2d.h"

#include "core/learn/class_valley.h"
#include "core/util/progress.h"

#include <tbb/parallel_for.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace motifscope {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr int kBlockRows = 256;            ///< rows of one parallel task (fixed: deterministic sums)
constexpr double kNegligibleWeight = 1e-7; ///< (class, mirror) posteriors below this add nothing to a reference
constexpr double kNegligibleLogit = 30.0;  ///< poses this far below the best (e^-30) have posterior 0

/**
 * The real moments as complex coefficients A_nm = c_nm + i s_nm (m >= 0; s = 0 for m = 0). Under a
 * rotation of the patch by a (counter-clockwise, y up) A_nm becomes A_nm e^{i m a}; under the
 * mirror v -> -v it becomes conj(A_nm). The basis is orthonormal, so |moments|^2 = sum |A_nm|^2.
 */
struct ComplexLayout
{
    int orders = 0;              ///< nMax + 1
    std::vector<int> cosColumn;  ///< per entry: the moment of cos(m phi)
    std::vector<int> sinColumn;  ///< per entry: the moment of sin(m phi), -1 for m = 0
    std::vector<int> order;      ///< per entry: m
    int entries() const { return int(order.size()); }
};

ComplexLayout complexLayout(const ZernikeBasis& basis)
{
    ComplexLayout out;
    out.orders = basis.nMax() + 1;
    for (int n = 0; n <= basis.nMax(); ++n)
        for (int m = n % 2; m <= n; m += 2) {
            out.cosColumn.push_back(basis.indexOf(n, m));
            out.sinColumn.push_back(m > 0 ? basis.indexOf(n, -m) : -1);
            out.order.push_back(m);
        }
    return out;
}

/** Rows of the moments as complex coefficients, one matrix for the real and one for the imaginary parts. */
struct ComplexRows
{
    RowMatrix re, im; ///< N x entries
};

ComplexRows complexRows(const ComplexLayout& layout, const Eigen::MatrixXf& moments)
{
    ComplexRows out;
    const Eigen::Index n = moments.rows(), e = layout.entries();
    out.re.resize(n, e);
    out.im.resize(n, e);
    for (Eigen::Index j = 0; j < e; ++j) {
        out.re.col(j) = moments.col(layout.cosColumn[std::size_t(j)]);
        if (layout.sinColumn[std::size_t(j)] >= 0)
            out.im.col(j) = moments.col(layout.sinColumn[std::size_t(j)]);
        else
            out.im.col(j).setZero();
    }
    return out;
}

/** What the classes are compared against: references in complex layout, their norms and shares. */
struct References
{
    Eigen::MatrixXd re, im;    ///< K x entries
    Eigen::VectorXd logShare;  ///< K (-inf: an empty class)
    Eigen::VectorXd precision; ///< per entry: 1 / noise variance of each of its real parts
};

/** What one E-step pass over some rows adds up for the M-step. */
struct Sums
{
    Eigen::MatrixXd re, im; ///< K x entries: posterior-weighted, un-rotated coefficients
    Eigen::VectorXd weight; ///< K: summed posteriors
    Eigen::VectorXd power;  ///< per entry: summed |A|^2 of the rows

    void reset(Eigen::Index k, Eigen::Index e)
    {
        re.setZero(k, e), im.setZero(k, e), weight.setZero(k), power.setZero(e);
    }
    void add(const Sums& o)
    {
        re += o.re, im += o.im, weight += o.weight, power += o.power;
    }
};

/** Cosines and sines of m a_j: trig(m, j) = cos(m a_j), trig(orders + m, j) = sin(m a_j). */
RowMatrix trigTable(int orders, int angles)
{
    RowMatrix t(2 * orders, angles);
    for (int m = 0; m < orders; ++m)
        for (int j = 0; j < angles; ++j) {
            const double a = 2.0 * std::numbers::pi * double(m) * double(j) / double(angles);
            t(m, j) = float(std::cos(a));
            t(orders + m, j) = float(std::sin(a));
        }
    return t;
}

/**
 * The angle near `start` (within `reach`) where corr(a) = sum_m Re b_m cos(m a) + Im b_m sin(m a)
 * peaks: Newton steps on that trigonometric polynomial (b = [Re b_0.., Im b_0..]).
 */
double refinedAngle(const float* b, int orders, double start, double reach)
{
    double a = start;
    for (int step = 0; step < 3; ++step) {
        double d1 = 0.0, d2 = 0.0;
        for (int m = 1; m < orders; ++m) {
            const double c = std::cos(m * a), s = std::sin(m * a);
            d1 += m * (b[orders + m] * c - b[m] * s);
            d2 -= double(m) * m * (b[m] * c + b[orders + m] * s);
        }
        if (d2 >= 0.0)
            break;
        a = std::clamp(a - d1 / d2, start - reach, start + reach);
    }
    return a;
}

/** The E-step (and the M-step's sums) of the classification, over blocks of rows. */
class Expectation
{
public:
    Expectation(const ComplexLayout& layout, const ComplexRows& rows, const Classification2DParams& params)
        : mLayout(layout), mRows(rows), mAngles(params.angles), mFlips(params.mirror ? 2 : 1),
          mTrig(trigTable(layout.orders, params.angles)), mUnturn(mTrig.transpose())
    {
        mUnturn.rightCols(layout.orders) *= -1.0f; // sum_j w_j e^{-i m a_j}
        // The entries of each order m, in entry order: mEntryByOrder[mEntriesOfOrder[m] ..].
        mEntriesOfOrder.assign(std::size_t(layout.orders) + 1, 0);
        for (int m = 0; m < layout.orders; ++m) {
            for (int j = 0; j < layout.entries(); ++j)
                if (layout.order[std::size_t(j)] == m)
                    mEntryByOrder.push_back(j);
            mEntriesOfOrder[std::size_t(m) + 1] = int(mEntryByOrder.size());
        }
    }

    /**
     * Posteriors of `rowsList` against `refs` (classes held to `held` when given), written into
     * `out` at those rows; with `sums`, also the M-step's sums. Rows are processed in fixed blocks,
     * summed in block order.
     */
    void run(const std::vector<int>& rowsList, const References& refs, const std::vector<int>* held,
             Classification2D* out, Sums* sums, Progress* progress, RowMatrix* logOdds = nullptr) const
    {
        if (logOdds)
            logOdds->resize(Eigen::Index(rowsList.size()), refs.re.rows());
        const Eigen::Index k = refs.re.rows(), e = mLayout.entries();
        const std::size_t blocks = (rowsList.size() + kBlockRows - 1) / kBlockRows;
        std::vector<Sums> partial(sums ? blocks : 0);
        tbb::parallel_for(std::size_t(0), blocks, [&](std::size_t b) {
            if (cancelled(progress))
                return;
            const std::size_t first = b * kBlockRows, last = std::min(rowsList.size(), first + kBlockRows);
            Sums* s = sums ? &partial[b] : nullptr;
            if (s)
                s->reset(k, e);
            block(rowsList, first, last, refs, held, out, s, logOdds);
        });
        throwIfCancelled(progress);
        if (sums) {
            sums->reset(k, e);
            for (const Sums& s : partial)
                sums->add(s);
        }
    }

private:
    void block(const std::vector<int>& rowsList, std::size_t first, std::size_t last, const References& refs,
               const std::vector<int>* held, Classification2D* out, Sums* sums, RowMatrix* logOdds) const
    {
        const int k = int(refs.re.rows()), orders = mLayout.orders;
        const int count = int(last - first), poses = k * mFlips;
        const RowMatrix fourier = matchCoefficients(rowsList, first, count, refs);
        // Correlation with each reference turned by a_j: Re(b e^{-i m a}) = Re b cos + Im b sin.
        RowMatrix weights = fourier * mTrig;
        constexpr double kNone = -std::numeric_limits<double>::infinity();
        std::vector<double> logit(std::size_t(poses) * std::size_t(mAngles));
        std::vector<double> poseBest(static_cast<std::size_t>(poses));
        std::vector<double> classPosterior(static_cast<std::size_t>(k));
        std::vector<double> classOffset(static_cast<std::size_t>(k)); // log share - |U|^2 / 2 variance, per class
        for (int c = 0; c < k; ++c)
            classOffset[std::size_t(c)] = refs.logShare(c) - 0.5 * weightedNorm2(refs, c);
        for (int r = 0; r < count; ++r) {
            const int row = rowsList[first + std::size_t(r)];
            const int only = held ? (*held)[std::size_t(row)] : -1;
            double best = kNone;
            int bestPose = 0, bestAngle = 0;
            for (int p = 0; p < poses; ++p) {
                const int c = p / mFlips;
                poseBest[std::size_t(p)] = kNone;
                if (!std::isfinite(refs.logShare(c)) || (only >= 0 && c != only))
                    continue;
                const float* corr = weights.row(r * poses + p).data();
                double* l = logit.data() + std::size_t(p * mAngles);
                const double offset = classOffset[std::size_t(c)];
                double top = kNone;
                int topAngle = 0;
                for (int j = 0; j < mAngles; ++j) {
                    l[j] = offset + double(corr[j]);
                    if (l[j] > top)
                        top = l[j], topAngle = j; // the first of equal maxima
                }
                poseBest[std::size_t(p)] = top;
                if (top > best)
                    best = top, bestPose = p, bestAngle = topAngle;
            }
            if (logOdds) // per class, its best pose's log posterior odds against the best pose overall
                for (int c = 0; c < k; ++c) {
                    double top = kNone;
                    for (int p = c * mFlips; p < (c + 1) * mFlips; ++p)
                        top = std::max(top, poseBest[std::size_t(p)]);
                    (*logOdds)(Eigen::Index(first) + r, c) = float(std::max(top - best, -1e30));
                }
            // Posteriors: poses whose best is e^-30 below the best add nothing (their weights stay 0).
            double total = 0.0;
            std::fill(classPosterior.begin(), classPosterior.end(), 0.0);
            for (int p = 0; p < poses; ++p) {
                double* l = logit.data() + std::size_t(p * mAngles);
                if (poseBest[std::size_t(p)] <= best - kNegligibleLogit) {
                    std::fill(l, l + mAngles, 0.0);
                    continue;
                }
                double sum = 0.0;
                for (int j = 0; j < mAngles; ++j) {
                    l[j] = l[j] > best - kNegligibleLogit ? double(std::exp(float(l[j] - best))) : 0.0;
                    sum += l[j];
                }
                total += sum;
                classPosterior[std::size_t(p / mFlips)] += sum;
            }
            int label = 0;
            for (int c = 1; c < k; ++c)
                if (classPosterior[std::size_t(c)] > classPosterior[std::size_t(label)])
                    label = c;
            if (out) {
                // The best pose within the chosen class (the overall best pose may be another class's).
                if (bestPose / mFlips != label) {
                    double top = -1.0;
                    for (int p = label * mFlips; p < (label + 1) * mFlips; ++p)
                        for (int j = 0; j < mAngles; ++j)
                            if (logit[std::size_t(p * mAngles + j)] > top)
                                top = logit[std::size_t(p * mAngles + j)], bestPose = p, bestAngle = j;
                }
                const double step = 2.0 * std::numbers::pi / mAngles;
                const double angle = refinedAngle(fourier.row(r * poses + bestPose).data(), orders, bestAngle * step, 0.5 * step);
                out->labels[std::size_t(row)] = label;
                out->posterior[std::size_t(row)] = float(classPosterior[std::size_t(label)] / total);
                out->angle[std::size_t(row)] = float(angle);
                out->mirrored[std::size_t(row)] = std::uint8_t(bestPose % mFlips);
            }
            // Normalised pose weights back into the correlation rows, for the M-step.
            if (sums) {
                const double scale = 1.0 / total;
                for (int p = 0; p < poses; ++p) {
                    float* w = weights.row(r * poses + p).data();
                    for (int j = 0; j < mAngles; ++j)
                        w[j] = float(logit[std::size_t(p * mAngles + j)] * scale);
                }
            }
        }
        if (sums)
            addToSums(rowsList, first, count, k, weights, *sums);
    }

    /** sum over entries of |U_e|^2 / variance_e for class c. */
    static double weightedNorm2(const References& refs, int c)
    {
        return (refs.re.row(c).array().square() + refs.im.row(c).array().square()).matrix().dot(refs.precision);
    }

    /**
     * Per (row, class, mirror) of the block: b_m = sum_n A'_nm conj(U_nm) / variance_nm as
     * [Re b_0.., Im b_0..] (the noise-weighted match, whose turned versions are the log likelihoods).
     */
    RowMatrix matchCoefficients(const std::vector<int>& rowsList, std::size_t first, int count, const References& refs) const
    {
        const int k = int(refs.re.rows()), orders = mLayout.orders, e = mLayout.entries();
        // The references over the noise variance, U / variance, once for the block (not per row).
        RowMatrix weightedRe(k, e), weightedIm(k, e);
        for (int c = 0; c < k; ++c)
            for (int j = 0; j < e; ++j) {
                weightedRe(c, j) = float(refs.re(c, j) * refs.precision(j));
                weightedIm(c, j) = float(refs.im(c, j) * refs.precision(j));
            }
        RowMatrix fourier(count * k * mFlips, 2 * orders);
        for (int r = 0; r < count; ++r) {
            const int row = rowsList[first + std::size_t(r)];
            for (int c = 0; c < k; ++c)
                for (int f = 0; f < mFlips; ++f) {
                    float* bm = fourier.row((r * k + c) * mFlips + f).data();
                    const float sign = f == 0 ? 1.0f : -1.0f; // the mirror conjugates A
                    const float* wr = weightedRe.row(c).data();
                    const float* wi = weightedIm.row(c).data();
                    // Each b_m sums its entries in entry order, in registers (entries grouped by m).
                    for (int m = 0; m < orders; ++m) {
                        float sumRe = 0.0f, sumIm = 0.0f;
                        for (int t = mEntriesOfOrder[std::size_t(m)]; t < mEntriesOfOrder[std::size_t(m) + 1]; ++t) {
                            const int j = mEntryByOrder[std::size_t(t)];
                            const float ar = mRows.re(row, j), ai = sign * mRows.im(row, j);
                            const float ur = wr[j], ui = wi[j];
                            sumRe += ar * ur + ai * ui;
                            sumIm += ai * ur - ar * ui;
                        }
                        bm[m] = sumRe;
                        bm[orders + m] = sumIm;
                    }
                }
        }
        return fourier;
    }

    /** The M-step's sums of the block's rows, from their normalised pose weights (rows x angles). */
    void addToSums(const std::vector<int>& rowsList, std::size_t first, int count, int k, const RowMatrix& weights,
                   Sums& sums) const
    {
        const int orders = mLayout.orders, e = mLayout.entries(), poses = k * mFlips;
        // W_m = sum_j w_j e^{-i m a_j} per (row, class, mirror): the posterior-weighted un-rotation.
        const RowMatrix unturn = weights * mUnturn;
        for (int r = 0; r < count; ++r) {
            const int row = rowsList[first + std::size_t(r)];
            for (int j = 0; j < e; ++j)
                sums.power(j) += double(mRows.re(row, j)) * mRows.re(row, j) + double(mRows.im(row, j)) * mRows.im(row, j);
            for (int p = 0; p < poses; ++p) {
                const float* w = unturn.row(r * poses + p).data();
                const double mass = w[0]; // the m = 0 term: the pose's total posterior
                if (mass < kNegligibleWeight)
                    continue;
                const int c = p / mFlips;
                const float sign = p % mFlips == 0 ? 1.0f : -1.0f;
                sums.weight(c) += mass;
                for (int j = 0; j < e; ++j) {
                    const int m = mLayout.order[std::size_t(j)];
                    const double ar = mRows.re(row, j), ai = sign * mRows.im(row, j);
                    const double wr = w[m], wi = w[orders + m];
                    sums.re(c, j) += wr * ar - wi * ai;
                    sums.im(c, j) += wr * ai + wi * ar;
                }
            }
        }
    }

    const ComplexLayout& mLayout;
    const ComplexRows& mRows;
    int mAngles, mFlips;
    RowMatrix mTrig;   ///< 2 orders x angles
    RowMatrix mUnturn; ///< angles x 2 orders: cos, -sin
    std::vector<int> mEntryByOrder, mEntriesOfOrder;
};

/**
 * Finds the pair of live classes whose columns (of `fitRows`, each with its best class) spread most
 * continuously along their log posterior odds (oddsValley: the highest ratio less two standard
 * errors); when that reaches `minValley`, empties the smaller class (by share) and returns true.
 */
bool mergeContinuousPair(const Expectation& expectation, const std::vector<int>& fitRows, References& refs,
                         double minValley, Progress* progress)
{
    RowMatrix odds;
    expectation.run(fitRows, refs, nullptr, nullptr, nullptr, progress, &odds);
    const int k = int(refs.re.rows());
    std::vector<int> best(fitRows.size());
    for (std::size_t r = 0; r < fitRows.size(); ++r)
        odds.row(Eigen::Index(r)).maxCoeff(&best[r]);
    double highest = -1.0;
    int empty = -1;
    std::vector<float> between;
    for (int a = 0; a < k; ++a)
        for (int b = a + 1; b < k; ++b) {
            if (!std::isfinite(refs.logShare(a)) || !std::isfinite(refs.logShare(b)))
                continue;
            between.clear();
            for (std::size_t r = 0; r < fitRows.size(); ++r)
                if (best[r] == a || best[r] == b)
                    between.push_back(odds(Eigen::Index(r), a) - odds(Eigen::Index(r), b));
            const OddsValley estimate = oddsValley(between);
            // Merged only when the ratio reaches minValley by two standard errors.
            const double valley = estimate.ratio - 2.0 * estimate.standardError;
            if (valley > highest) {
                highest = valley;
                empty = refs.logShare(a) >= refs.logShare(b) ? b : a; // the smaller share
            }
        }
    if (highest < minValley)
        return false;
    refs.logShare(empty) = -std::numeric_limits<double>::infinity();
    return true;
}

/** The phase angle of entry s of a row, divided by its order: the turn that brings that entry to phase 0. */
double entryAngle(const ComplexLayout& layout, const ComplexRows& rows, int row, int s)
{
    return std::atan2(double(rows.im(row, s)), double(rows.re(row, s))) / double(layout.order[std::size_t(s)]);
}

/**
 * First references: each class's mean with every member turned back by the phase of one m > 0
 * entry, the entry whose turn lines the members up best (the mean of largest norm: with a weak
 * or higher-symmetry entry the members' turns scatter and the mean blurs).
 */
References registeredMeans(const ComplexLayout& layout, const ComplexRows& rows, const std::vector<int>& fitRows,
                           const std::vector<int>& labels, int k)
{
    const int e = layout.entries();
    std::vector<std::vector<int>> members(static_cast<std::size_t>(k));
    for (int row : fitRows)
        members[std::size_t(labels[std::size_t(row)])].push_back(row);
    std::vector<int> turnEntries; // the m > 0 entries whose phase may line the members up
    for (int s = 0; s < e; ++s)
        if (layout.order[std::size_t(s)] != 0)
            turnEntries.push_back(s);
    References refs;
    refs.re.setZero(k, e);
    refs.im.setZero(k, e);
    refs.logShare.resize(k);
    std::vector<Eigen::RowVectorXd> meanRe(turnEntries.size()), meanIm(turnEntries.size());
    std::vector<double> norm(turnEntries.size());
    for (int c = 0; c < k; ++c) {
        const std::vector<int>& rowsOfClass = members[std::size_t(c)];
        refs.logShare(c) = rowsOfClass.empty() ? -std::numeric_limits<double>::infinity()
                                               : std::log(double(rowsOfClass.size()) / double(fitRows.size()));
        if (rowsOfClass.empty())
            continue;
        // Each candidate entry's registered sum on its own (in parallel); a member turned back by
        // theta is A e^{-i m theta}: one cosine and sine per order m, shared by that order's entries.
        tbb::parallel_for(std::size_t(0), turnEntries.size(), [&](std::size_t t) {
            const int s = turnEntries[t];
            Eigen::RowVectorXd re = Eigen::RowVectorXd::Zero(e), im = Eigen::RowVectorXd::Zero(e);
            std::vector<double> cs(std::size_t(layout.orders)), sn(std::size_t(layout.orders));
            for (int row : rowsOfClass) {
                // e^{-i m theta} as powers of e^{-i theta} (one cosine and sine per row).
                const double theta = entryAngle(layout, rows, row, s);
                const double c1 = std::cos(theta), s1 = -std::sin(theta);
                cs[0] = 1.0, sn[0] = 0.0;
                for (std::size_t m = 1; m < std::size_t(layout.orders); ++m) {
                    cs[m] = cs[m - 1] * c1 - sn[m - 1] * s1;
                    sn[m] = sn[m - 1] * c1 + cs[m - 1] * s1;
                }
                for (int j = 0; j < e; ++j) {
                    const std::size_t m = std::size_t(layout.order[std::size_t(j)]);
                    const double ar = rows.re(row, j), ai = rows.im(row, j);
                    re(j) += ar * cs[m] - ai * sn[m];
                    im(j) += ar * sn[m] + ai * cs[m];
                }
            }
            norm[t] = re.squaredNorm() + im.squaredNorm();
            meanRe[t] = re / double(rowsOfClass.size());
            meanIm[t] = im / double(rowsOfClass.size());
        });
        double bestNorm = -1.0;
        for (std::size_t t = 0; t < turnEntries.size(); ++t)
            if (norm[t] > bestNorm) {
                bestNorm = norm[t];
                refs.re.row(c) = meanRe[t];
                refs.im.row(c) = meanIm[t];
            }
    }
    return refs;
}

} // namespace

Classification2D classify2d(const ZernikeBasis& basis, const Eigen::MatrixXf& moments, const std::vector<int>& labels,
                            const Classification2DParams& params, Progress* progress)
{
    const Eigen::Index n = moments.rows();
    if (moments.cols() != basis.count() || labels.size() != std::size_t(n))
        throw std::invalid_argument("2-D classification: moments and labels differ in number");
    if (params.angles < 4 || params.iterations < 0 || params.alignIterations < 0 || params.maxFitColumns < 1)
        throw std::invalid_argument("2-D classification: bad parameters");
    Classification2D out;
    for (int l : labels)
        out.classes = std::max(out.classes, l + 1);
    const int k = out.classes;
    out.labels.assign(std::size_t(n), -1);
    out.posterior.assign(std::size_t(n), 0.0f);
    out.angle.assign(std::size_t(n), 0.0f);
    out.mirrored.assign(std::size_t(n), 0);
    if (k == 0 || n == 0)
        return out;

    // The references are fitted on an even stride of the labelled rows.
    std::vector<int> labelled;
    for (Eigen::Index i = 0; i < n; ++i)
        if (labels[std::size_t(i)] >= 0)
            labelled.push_back(int(i));
    const std::size_t stride = (labelled.size() + std::size_t(params.maxFitColumns) - 1) / std::size_t(params.maxFitColumns);
    std::vector<int> fitRows;
    for (std::size_t i = 0; i < labelled.size(); i += std::max<std::size_t>(1, stride))
        fitRows.push_back(labelled[i]);

    const ComplexLayout layout = complexLayout(basis);
    const ComplexRows rows = complexRows(layout, moments);
    const Expectation expectation(layout, rows, params);
    References refs = registeredMeans(layout, rows, fitRows, labels, k);
    // Noise variance of each moment (per real part): what the class references leave unexplained,
    // (sum |A_e|^2 - sum_k N_k |U_ke|^2) / (N x real parts of e), as a noise spectrum per (n, m).
    Eigen::VectorXd parts(layout.entries());
    for (int j = 0; j < layout.entries(); ++j)
        parts(j) = layout.order[std::size_t(j)] > 0 ? 2.0 : 1.0;
    Eigen::VectorXd power = Eigen::VectorXd::Zero(layout.entries());
    for (int row : fitRows)
        power += (rows.re.row(row).cast<double>().array().square() + rows.im.row(row).cast<double>().array().square())
                     .matrix()
                     .transpose();
    const double fitted = double(fitRows.size());
    const double minVariance = 1e-9 * power.sum() / (fitted * parts.sum()) + std::numeric_limits<double>::min();
    const auto updatePrecision = [&](const Eigen::VectorXd& summedPower, const Eigen::VectorXd& weight) {
        const Eigen::VectorXd explained =
            (refs.re.array().square() + refs.im.array().square()).matrix().transpose() * weight;
        refs.precision.resize(layout.entries());
        for (int j = 0; j < layout.entries(); ++j)
            refs.precision(j) = 1.0 / std::max(minVariance, (summedPower(j) - explained(j)) / (fitted * parts(j)));
        out.noiseVariance = parts.sum() / parts.dot(refs.precision); // harmonic mean, for the record
    };
    {
        Eigen::VectorXd count = Eigen::VectorXd::Zero(k);
        for (int row : fitRows)
            count(labels[std::size_t(row)]) += 1.0;
        updatePrecision(power, count);
    }

    const int iterations = params.alignIterations + params.iterations;
    Sums sums;
    const auto iterate = [&](bool hold) {
        expectation.run(fitRows, refs, hold ? &labels : nullptr, nullptr, &sums, progress);
        for (int c = 0; c < k; ++c) {
            const double w = sums.weight(c);
            const bool alive = w > 0.5; // at least about one column's worth of posterior
            refs.re.row(c) = alive ? Eigen::RowVectorXd(sums.re.row(c) / w) : Eigen::RowVectorXd::Zero(layout.entries());
            refs.im.row(c) = alive ? Eigen::RowVectorXd(sums.im.row(c) / w) : Eigen::RowVectorXd::Zero(layout.entries());
            refs.logShare(c) = alive ? std::log(w / fitted) : -std::numeric_limits<double>::infinity();
        }
        updatePrecision(sums.power, sums.weight);
    };
    for (int it = 0; it < iterations; ++it) {
        if (progress)
            progress->report(double(it) / double(iterations + 1));
        iterate(it < params.alignIterations);
    }
    // Two classes that are one continuous spread of columns cut in two become one: the smaller is
    // emptied and the EM runs on, its columns going where they fit best.
    for (int round = 0; params.continuumValley > 0.0 && round < k - 1; ++round) {
        if (!mergeContinuousPair(expectation, fitRows, refs, params.continuumValley, progress))
            break;
        for (int it = 0; it < params.mergeIterations; ++it)
            iterate(false);
    }

    // Every row against the final references.
    std::vector<int> all(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i)
        all[std::size_t(i)] = int(i);
    expectation.run(all, refs, nullptr, &out, nullptr, progress);
    if (progress)
        progress->report(1.0);

    out.references.setZero(k, basis.count());
    for (int j = 0; j < layout.entries(); ++j) {
        out.references.col(layout.cosColumn[std::size_t(j)]) = refs.re.col(j).cast<float>();
        if (layout.sinColumn[std::size_t(j)] >= 0)
            out.references.col(layout.sinColumn[std::size_t(j)]) = refs.im.col(j).cast<float>();
    }
    out.share.resize(std::size_t(k));
    for (int c = 0; c < k; ++c)
        out.share[std::size_t(c)] = std::exp(refs.logShare(c));
    for (Eigen::Index i = 0; i < n; ++i)
        out.changed += labels[std::size_t(i)] >= 0 && out.labels[std::size_t(i)] != labels[std::size_t(i)] ? 1 : 0;
    return out;
}

} // namespace motifscope
