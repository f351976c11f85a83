#include "core/dictionary/class_model.h"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace motifscope {

namespace {

/// Shrinkage of a motif's covariance towards its mean variance: d / (n + d), at least this.
constexpr double kMinShrinkage = 0.05;
/// Ridge added to every covariance, relative to the pooled mean variance.
constexpr double kRidge = 1e-3;

Eigen::VectorXd shapeRow(const Eigen::MatrixXf& invariants, Eigen::Index row)
{
    const int d = int(invariants.cols());
    Eigen::VectorXf f = invariants.row(row).transpose();
    Eigen::VectorXd z(d);
    shapeFeatures(f.data(), d, z.data());
    return z;
}

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0.0;
    const std::size_t k = std::min(values.size() - 1, std::size_t(q * double(values.size() - 1) + 0.5));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(k), values.end());
    return values[k];
}

/** Each column's sign chosen so that its largest-magnitude entry is positive (a stable orientation). */
Eigen::MatrixXd fixSigns(Eigen::MatrixXd rows)
{
    for (Eigen::Index r = 0; r < rows.rows(); ++r) {
        Eigen::Index at = 0;
        rows.row(r).cwiseAbs().maxCoeff(&at);
        if (rows(r, at) < 0.0)
            rows.row(r) *= -1.0;
    }
    return rows;
}

} // namespace

void fitClassModel(const Eigen::MatrixXf& invariants, const std::vector<int>& rows, const std::vector<int>& labels,
                   MotifDictionary& dictionary)
{
    const int d = int(invariants.cols());
    const std::size_t k = dictionary.motifs.size();
    if (k == 0 || d == 0)
        throw std::invalid_argument("a class model needs motifs and features");
    std::vector<std::vector<Eigen::VectorXd>> members(k);
    for (int row : rows) {
        const int label = labels[std::size_t(row)];
        if (label >= 0 && std::size_t(label) < k)
            members[std::size_t(label)].push_back(shapeRow(invariants, row));
    }
    std::vector<Eigen::MatrixXd> scatter(k, Eigen::MatrixXd::Zero(d, d));
    Eigen::VectorXd overall = Eigen::VectorXd::Zero(d);
    Eigen::MatrixXd within = Eigen::MatrixXd::Zero(d, d);
    double total = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
        DictionaryMotif& m = dictionary.motifs[c];
        m.mean = Eigen::VectorXd::Zero(d);
        for (const Eigen::VectorXd& z : members[c])
            m.mean += z;
        const double n = double(members[c].size());
        if (n > 0)
            m.mean /= n;
        for (const Eigen::VectorXd& z : members[c])
            scatter[c] += (z - m.mean) * (z - m.mean).transpose();
        within += scatter[c];
        overall += n * m.mean;
        total += n;
        if (n > 1)
            scatter[c] /= n - 1.0;
    }
    if (total < 2.0)
        throw std::invalid_argument("a class model needs at least two learned columns");
    overall /= total;
    within /= total;
    const double pooledVariance = std::max(within.trace() / d, 1e-12);
    const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(d, d);

    Eigen::MatrixXd between = Eigen::MatrixXd::Zero(d, d);
    for (std::size_t c = 0; c < k; ++c) {
        DictionaryMotif& m = dictionary.motifs[c];
        const double n = double(members[c].size());
        const double alpha = std::clamp(d / (n + d), kMinShrinkage, 1.0);
        const double variance = n > 1 ? scatter[c].trace() / d : pooledVariance;
        m.covariance = (1.0 - alpha) * scatter[c] + (alpha * variance + kRidge * pooledVariance) * identity;
        between += n * (m.mean - overall) * (m.mean - overall).transpose();
        // Novelty distance: a high quantile of the members' own distances, with a margin; at least d
        // (the mean squared distance of a Gaussian of d dimensions).
        const Eigen::LLT<Eigen::MatrixXd> llt(m.covariance);
        std::vector<double> own;
        own.reserve(members[c].size());
        for (const Eigen::VectorXd& z : members[c])
            own.push_back(llt.matrixL().solve(z - m.mean).squaredNorm());
        m.noveltyDistance2 = std::max(double(d), dictionary.noveltyMargin * quantile(own, dictionary.noveltyQuantile));
    }
    between /= total;

    const Eigen::MatrixXd withinRidged = within + kRidge * pooledVariance * identity;
    Eigen::MatrixXd projection(2, d);
    if (k >= 2) {
        const Eigen::GeneralizedSelfAdjointEigenSolver<Eigen::MatrixXd> solver(between, withinRidged);
        const Eigen::MatrixXd& v = solver.eigenvectors(); // ascending eigenvalues, columns
        projection.row(0) = v.col(d - 1).transpose();
        projection.row(1) = v.col(d - 2).transpose();
    } else {
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(withinRidged);
        const Eigen::MatrixXd& v = solver.eigenvectors();
        projection.row(0) = v.col(d - 1).transpose() / std::sqrt(std::max(solver.eigenvalues()[d - 1], 1e-30));
        projection.row(1) = v.col(d - 2).transpose() / std::sqrt(std::max(solver.eigenvalues()[d - 2], 1e-30));
    }
    dictionary.mapProjection = fixSigns(projection);
}

ClassModel::ClassModel(const MotifDictionary& dictionary)
    : mProjection(dictionary.mapProjection.cast<float>()), mFeatures(dictionary.featureCount())
{
    for (const DictionaryMotif& m : dictionary.motifs) {
        const Eigen::LLT<Eigen::MatrixXd> llt(m.covariance);
        if (llt.info() != Eigen::Success)
            throw std::invalid_argument("motif " + std::to_string(m.id) + ": covariance not positive definite");
        Class c;
        c.id = m.id;
        c.mean = m.mean.cast<float>();
        const Eigen::MatrixXd l = llt.matrixL();
        c.whiten = l.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(l.rows(), l.cols())).cast<float>();
        c.logDet = float(2.0 * l.diagonal().array().log().sum());
        c.novelty2 = float(m.noveltyDistance2);
        mClasses.push_back(std::move(c));
    }
}

ColumnClasses ClassModel::classify(const Eigen::MatrixXf& invariants, const std::vector<std::uint8_t>& wanted) const
{
    if (invariants.cols() != mFeatures)
        throw std::invalid_argument("features do not match the dictionary (" + std::to_string(invariants.cols()) +
                                    " against " + std::to_string(mFeatures) + ")");
    const Eigen::Index n = invariants.rows();
    const int d = mFeatures;
    const std::size_t k = mClasses.size();
    ColumnClasses out;
    out.motif.assign(std::size_t(n), -1);
    out.nearest.assign(std::size_t(n), -1);
    out.confidence.assign(std::size_t(n), 0.0f);
    out.novel.assign(std::size_t(n), 0);
    out.map = Eigen::MatrixX2f::Zero(n, 2);
    constexpr Eigen::Index kBlock = 1024;
    const Eigen::Index blocks = (n + kBlock - 1) / kBlock;
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, blocks, 1), [&](const tbb::blocked_range<Eigen::Index>& r) {
        Eigen::MatrixXf z(kBlock, d), centred(kBlock, d), white(kBlock, d), dist2(kBlock, Eigen::Index(k));
        Eigen::VectorXd shape(d);
        Eigen::VectorXf row(d);
        for (Eigen::Index b = r.begin(); b != r.end(); ++b) {
            const Eigen::Index first = b * kBlock, rows = std::min(kBlock, n - first);
            for (Eigen::Index i = 0; i < rows; ++i) {
                row = invariants.row(first + i).transpose();
                shapeFeatures(row.data(), d, shape.data());
                z.row(i) = shape.cast<float>().transpose();
            }
            for (std::size_t c = 0; c < k; ++c) {
                centred.topRows(rows) = z.topRows(rows).rowwise() - mClasses[c].mean.transpose();
                white.topRows(rows).noalias() = centred.topRows(rows) * mClasses[c].whiten.transpose();
                dist2.col(Eigen::Index(c)).head(rows) = white.topRows(rows).rowwise().squaredNorm();
            }
            out.map.middleRows(first, rows).noalias() = z.topRows(rows) * mProjection.transpose();
            for (Eigen::Index i = 0; i < rows; ++i) {
                const std::size_t column = std::size_t(first + i);
                if (!wanted[column])
                    continue;
                // The most likely motif (equal priors); novel when no motif's novelty distance takes the column in.
                double best = -std::numeric_limits<double>::infinity();
                std::size_t nearest = 0;
                bool fits = false;
                for (std::size_t c = 0; c < k; ++c) {
                    const double ll = -0.5 * (double(dist2(i, Eigen::Index(c))) + mClasses[c].logDet);
                    if (ll > best)
                        best = ll, nearest = c;
                    fits = fits || dist2(i, Eigen::Index(c)) <= mClasses[c].novelty2;
                }
                out.nearest[column] = mClasses[nearest].id;
                if (!fits) {
                    out.novel[column] = 1;
                    continue;
                }
                double sum = 0.0;
                for (std::size_t c = 0; c < k; ++c)
                    sum += std::exp(-0.5 * (double(dist2(i, Eigen::Index(c))) + mClasses[c].logDet) - best);
                out.motif[column] = mClasses[nearest].id;
                out.confidence[column] = float(1.0 / sum);
            }
        }
    });
    return out;
}

} // namespace motifscope
