#include "core/detect/pair_or_ellipse.h"

#include "core/detect/cell_grid.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <functional>

namespace motifscope {
namespace {

constexpr std::size_t kMinCandidates = 10;
constexpr std::size_t kMaxAveraged = 3000;
constexpr double kReachWidths = 2.5;      ///< the average covers the members plus this many widths
constexpr double kNeighbourWidths = 4.0;  ///< neighbours' Gaussians subtracted out to this many widths
constexpr double kOwnMember = 0.3;        ///< px: a modelled column this close to a member is that member
/// Pairs stand when the pair model lowers the average's residual sum of squares by this many
/// residual variances (a chi-square(1) of 25 is five standard deviations: one extra parameter).
constexpr double kMinImprovement = 25.0;

double bilinear(const FloatImage& image, double x, double y)
{
    const double cx = std::clamp(x, 0.0, double(image.width - 1)), cy = std::clamp(y, 0.0, double(image.height - 1));
    const int x0 = std::min(int(cx), image.width - 2), y0 = std::min(int(cy), image.height - 2); // images >= 2 x 2
    const int x1 = x0 + 1, y1 = y0 + 1;
    const double fx = cx - x0, fy = cy - y0;
    return (1 - fy) * ((1 - fx) * image.at(x0, y0) + fx * image.at(x1, y0)) + fy * ((1 - fx) * image.at(x0, y1) + fx * image.at(x1, y1));
}

struct Average
{
    int radius = 0;
    std::vector<double> u, v, value; ///< the grid in the pair frame (u along the pair axis)
};

using Model = std::function<double(const Eigen::VectorXd& q, double u, double v)>;

/** Levenberg-Marquardt with a forward-difference Jacobian; returns the residual sum of squares. */
double leastSquares(const Model& model, Eigen::VectorXd& q, const Average& a)
{
    const int n = int(a.value.size()), p = int(q.size());
    auto residuals = [&](const Eigen::VectorXd& at) {
        Eigen::VectorXd r(n);
        for (int k = 0; k < n; ++k)
            r[k] = a.value[std::size_t(k)] - model(at, a.u[std::size_t(k)], a.v[std::size_t(k)]);
        return r;
    };
    Eigen::VectorXd r = residuals(q);
    double cost = r.squaredNorm(), lambda = 1e-3;
    Eigen::MatrixXd jac(n, p);
    for (int iteration = 0; iteration < 100; ++iteration) {
        for (int j = 0; j < p; ++j) {
            Eigen::VectorXd step = q;
            const double h = 1e-6 * std::max(1.0, std::abs(q[j]));
            step[j] += h;
            jac.col(j) = (r - residuals(step)) / h; // d model / d q_j
        }
        const Eigen::MatrixXd jtj = jac.transpose() * jac;
        const Eigen::VectorXd jtr = jac.transpose() * r;
        bool improved = false;
        while (lambda < 1e10) {
            Eigen::MatrixXd damped = jtj;
            damped.diagonal() += lambda * jtj.diagonal().cwiseMax(1e-12);
            const Eigen::VectorXd trial = q + damped.ldlt().solve(jtr);
            const Eigen::VectorXd tr = residuals(trial);
            if (tr.allFinite() && tr.squaredNorm() < cost) {
                const double gain = cost - tr.squaredNorm();
                q = trial, r = tr, cost = tr.squaredNorm(), lambda = std::max(1e-9, 0.3 * lambda);
                improved = gain > 1e-10 * cost;
                break;
            }
            lambda *= 10.0;
        }
        if (!improved)
            break;
    }
    return cost;
}

Average averageInPairFrame(const FloatImage& image, const AtomColumns& modelled, const std::vector<SplitCandidate>& candidates,
                           double width)
{
    double separation = 0.0;
    for (const SplitCandidate& c : candidates)
        separation += std::hypot(c.x2 - c.x1, c.y2 - c.y1);
    separation /= double(candidates.size());
    Average a;
    a.radius = int(std::ceil(0.5 * separation + kReachWidths * width));
    const int side = 2 * a.radius + 1;
    std::vector<double> sum(std::size_t(side) * side, 0.0);
    const double reach = a.radius * std::sqrt(2.0) + kNeighbourWidths * 2.0 * width;
    const CellGrid grid(modelled, image.width, image.height, reach);
    const std::size_t stride = std::max<std::size_t>(1, candidates.size() / kMaxAveraged);
    int count = 0;
    for (std::size_t k = 0; k < candidates.size(); k += stride) {
        const SplitCandidate& c = candidates[k];
        const double cx = 0.5 * (c.x1 + c.x2), cy = 0.5 * (c.y1 + c.y2);
        const double angle = std::atan2(c.y2 - c.y1, c.x2 - c.x1), ux = std::cos(angle), uy = std::sin(angle);
        std::vector<const AtomColumn*> neighbours;
        grid.near(cx, cy, reach, [&](int j) {
            const AtomColumn& m = modelled[std::size_t(j)];
            if (std::hypot(m.x - c.x1, m.y - c.y1) > kOwnMember && std::hypot(m.x - c.x2, m.y - c.y2) > kOwnMember)
                neighbours.push_back(&m);
        });
        for (int iv = -a.radius; iv <= a.radius; ++iv)
            for (int iu = -a.radius; iu <= a.radius; ++iu) {
                const double x = cx + iu * ux - iv * uy, y = cy + iu * uy + iv * ux;
                double value = bilinear(image, x, y) - c.background;
                for (const AtomColumn* m : neighbours) {
                    const double s = m->refinement == Refinement::GaussianFit && m->width > 0.0f ? double(m->width) : width;
                    const double r2 = (x - m->x) * (x - m->x) + (y - m->y) * (y - m->y);
                    if (r2 < kNeighbourWidths * kNeighbourWidths * s * s)
                        value -= m->intensity * std::exp(-r2 / (2.0 * s * s));
                }
                sum[std::size_t(iv + a.radius) * side + std::size_t(iu + a.radius)] += value;
            }
        ++count;
    }
    for (int iv = -a.radius; iv <= a.radius; ++iv)
        for (int iu = -a.radius; iu <= a.radius; ++iu) {
            a.u.push_back(iu);
            a.v.push_back(iv);
            // Symmetrised by the point reflection: which member the fit names first is arbitrary,
            // and one-sided structure (a weak neighbour always on one side) is not a pair.
            const double here = sum[std::size_t(iv + a.radius) * side + std::size_t(iu + a.radius)];
            const double mirrored = sum[std::size_t(a.radius - iv) * side + std::size_t(a.radius - iu)];
            a.value.push_back(0.5 * (here + mirrored) / count);
        }
    return a;
}

} // namespace

PairOrEllipse pairsOrEllipse(const FloatImage& image, const AtomColumns& modelled, const std::vector<SplitCandidate>& candidates,
                             double typicalWidth)
{
    PairOrEllipse verdict;
    if (candidates.size() < kMinCandidates || image.width < 2 || image.height < 2)
        return verdict;
    const Average a = averageInPairFrame(image, modelled, candidates, typicalWidth);
    verdict.averaged = int(std::min(candidates.size(), kMaxAveraged));
    double separation = 0.0, peak = 0.0;
    for (const SplitCandidate& c : candidates)
        separation += std::hypot(c.x2 - c.x1, c.y2 - c.y1);
    separation /= double(candidates.size());
    for (double v : a.value)
        peak = std::max(peak, v);
    // Two round Gaussians on the axis (one width), or one elliptical Gaussian along it.
    const Model pair = [](const Eigen::VectorXd& q, double u, double v) {
        const double inv = 1.0 / (2.0 * q[5] * q[5]), dv = v - q[4];
        return q[0] * std::exp(-((u - q[2]) * (u - q[2]) + dv * dv) * inv) +
               q[1] * std::exp(-((u - q[3]) * (u - q[3]) + dv * dv) * inv) + q[6];
    };
    const Model ellipse = [](const Eigen::VectorXd& q, double u, double v) {
        const double du = u - q[1], dv = v - q[2];
        return q[0] * std::exp(-0.5 * (du * du / (q[3] * q[3]) + dv * dv / (q[4] * q[4]))) + q[5];
    };
    Eigen::VectorXd qp(7), qe(6);
    qp << 0.6 * peak, 0.6 * peak, -0.5 * separation, 0.5 * separation, 0.0, typicalWidth, 0.0;
    qe << peak, 0.0, 0.0, std::sqrt(typicalWidth * typicalWidth + 0.25 * separation * separation), typicalWidth, 0.0;
    verdict.pairCost = leastSquares(pair, qp, a);
    verdict.ellipseCost = leastSquares(ellipse, qe, a);
    const double variance = std::min(verdict.pairCost, verdict.ellipseCost) / double(std::max<std::size_t>(1, a.value.size() - 7));
    verdict.improvement = variance > 0.0 ? (verdict.ellipseCost - verdict.pairCost) / variance : 0.0;
    verdict.pairs = verdict.improvement >= kMinImprovement;
    return verdict;
}

} // namespace motifscope
