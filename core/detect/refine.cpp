#include "core/detect/refine.h"

#include "core/detect/joint_fit.h"

#include "core/util/progress.h"

#include <Eigen/Dense>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace motifscope {

namespace {

constexpr int kMaxWindow = 48; // half-width cap: windows hold at most (2*48+1)^2 pixels

/** Pixels of a circular window around a centre, collected into fixed storage (no allocation). */
struct Window
{
    static constexpr int kCapacity = (2 * kMaxWindow + 1) * (2 * kMaxWindow + 1);
    std::array<float, kCapacity> dx;
    std::array<float, kCapacity> dy;
    std::array<float, kCapacity> value;
    int size = 0;
    int cx = 0;
    int cy = 0;
    int side = 0; ///< pixels lie in columns cx - r .. cx + r, side = 2r + 1 (same for rows)
    float minimum = 0.0f;

    /** exp(-(cx - r + i - centre)^2 / 2 s^2) for i in 0 .. side - 1: one factor of a separable Gaussian. */
    void factors(double centre, int middle, double inv2s2, double* out) const
    {
        const int origin = middle - side / 2;
        for (int i = 0; i < side; ++i) {
            const double o = origin + i - centre;
            out[i] = std::exp(-o * o * inv2s2);
        }
    }

    /**
     * Fills the window around (x, y). A window that would leave the image is refused, unless
     * `clipToImage`: then the part inside is kept if it holds at least 60% of the disk (a model fit
     * is unbiased on a clipped window; a centroid is not).
     */
    bool gather(const FloatImage& image, double x, double y, double radius, bool clipToImage = false)
    {
        cx = int(std::lround(x));
        cy = int(std::lround(y));
        if (cx < 0 || cy < 0 || cx >= image.width || cy >= image.height)
            return false;
        const int r = std::min(kMaxWindow, int(std::ceil(radius)));
        const bool leaves = cx - r < 0 || cy - r < 0 || cx + r >= image.width || cy + r >= image.height;
        if (leaves && !clipToImage)
            return false;
        const double r2 = radius * radius;
        size = 0;
        side = 2 * r + 1;
        int disk = 0;
        minimum = image.at(cx, cy);
        for (int j = -r; j <= r; ++j) {
            for (int i = -r; i <= r; ++i) {
                const double ox = cx + i - x, oy = cy + j - y;
                if (ox * ox + oy * oy > r2)
                    continue;
                ++disk;
                if (cx + i < 0 || cy + j < 0 || cx + i >= image.width || cy + j >= image.height)
                    continue;
                const float v = image.at(cx + i, cy + j);
                dx[size] = float(cx + i);
                dy[size] = float(cy + j);
                value[size] = v;
                minimum = std::min(minimum, v);
                ++size;
            }
        }
        return size >= 9 && 10 * size >= 6 * disk;
    }
};

bool centreOfMass(const FloatImage& image, AtomColumn& c, const RefineParams& p, Window& w)
{
    double x = c.x, y = c.y;
    for (int it = 0; it < p.comIterations; ++it) {
        if (!w.gather(image, x, y, p.radius))
            return false;
        double sw = 0.0, sx = 0.0, sy = 0.0;
        for (int k = 0; k < w.size; ++k) {
            const double weight = w.value[k] - w.minimum;
            sw += weight;
            sx += weight * w.dx[k];
            sy += weight * w.dy[k];
        }
        if (sw <= 0.0)
            return false;
        const double nx = sx / sw, ny = sy / sw;
        if (std::hypot(nx - c.x, ny - c.y) > p.maxShift)
            return false;
        const bool settled = std::hypot(nx - x, ny - y) < 0.01;
        x = nx;
        y = ny;
        if (settled)
            break;
    }
    c.x = x;
    c.y = y;
    c.background = w.minimum;
    c.refinement = Refinement::CentreOfMass;
    return true;
}

/**
 * Levenberg-Marquardt fit of A exp(-r^2/2s^2) + B over the window; parameters (A, x0, y0, s, B),
 * the one-column case of GaussianGroup (joint_fit.h). Unweighted: a fast, robust start that the
 * joint fit then improves. Also sets positionSigma from the fit's Fisher information.
 */
bool gaussianFit(const FloatImage& image, AtomColumn& c, const RefineParams& p, Window& w)
{
    if (!w.gather(image, c.x, c.y, p.radius, /*clipToImage=*/true))
        return false;
    using G = GaussianGroup<1>;
    using Vec5 = G::Vector;
    using Mat5 = G::Matrix;
    float peak = w.value[0];
    for (int k = 0; k < w.size; ++k)
        peak = std::max(peak, w.value[k]);
    Vec5 q(peak - w.minimum, c.x, c.y, p.sigmaGuess, w.minimum);

    // The Gaussian is separable: 2 x side exponentials per evaluation instead of one per pixel.
    constexpr int kSide = 2 * kMaxWindow + 1;
    double ex[kSide], ey[kSide];
    const int half = w.side / 2;
    auto cost = [&](const Vec5& v, Mat5& jtj, Vec5& jtr) {
        const double inv2s2 = 1.0 / (2.0 * v[3] * v[3]);
        w.factors(v[1], w.cx, inv2s2, ex);
        w.factors(v[2], w.cy, inv2s2, ey);
        double sum = 0.0;
        jtj.setZero();
        jtr.setZero();
        Vec5 g;
        for (int k = 0; k < w.size; ++k) {
            const double e = ex[int(w.dx[k]) - w.cx + half] * ey[int(w.dy[k]) - w.cy + half];
            const double r = G::valueWith(v, w.dx[k], w.dy[k], &e, &g) - w.value[k];
            sum += r * r;
            addWeightedOuterProduct<G::P>(jtj, g, 1.0);
            jtr += g * r;
        }
        return sum;
    };

    double lambda = 1e-3;
    Mat5 jtj, trialJtj;
    Vec5 jtr, trialJtr;
    double current = cost(q, jtj, jtr);
    for (int it = 0; it < 12; ++it) {
        Mat5 a = jtj.selfadjointView<Eigen::Lower>();
        a.diagonal() *= (1.0 + lambda);
        const Vec5 step = a.ldlt().solve(-jtr);
        const Vec5 trial = q + step;
        if (!step.allFinite() || trial[3] <= 0.2)
            return false;
        // The Jacobian comes with the cost: most steps are accepted, so this saves a pass.
        const double trialCost = cost(trial, trialJtj, trialJtr);
        if (trialCost < current) {
            q = trial;
            current = trialCost;
            jtj = trialJtj;
            jtr = trialJtr;
            lambda = std::max(1e-7, lambda * 0.3);
            if (step.segment<2>(1).norm() < 1e-3)
                break;
        } else {
            lambda *= 10.0;
            if (lambda > 1e6)
                break;
        }
    }
    const double shift = std::hypot(q[1] - c.x, q[2] - c.y);
    // Where unresolved pairs are expected (splitPairs), a Gaussian wider than the window with a
    // background far below every pixel in it is the fit extrapolating over a flat-topped pair, not
    // a column: keep the centre of mass. Elsewhere such fits are weak or blurred columns on noise
    // (the real SrTiO3 EMD: 230 of them), and rejecting them leaves residual lobes that the
    // weak-sublattice search takes for 240 more columns.
    const bool extrapolated = p.splitPairs && q[4] < w.minimum - 0.5 * q[0];
    if (!(q[0] > 0.0) || shift > p.maxShift || q[3] > 3.0 * p.radius || extrapolated)
        return false;
    c.x = q[1];
    c.y = q[2];
    c.intensity = float(q[0]);
    c.width = float(q[3]);
    c.background = float(q[4]);
    c.residual = float(std::sqrt(current / w.size) / q[0]);
    c.refinement = Refinement::GaussianFit;
    c.positionSigma = 0.0f;
    // Fisher information of the position: the noise model's variance at each pixel's fitted mean,
    // or (noise unknown) the residual variance; amplitude, width and background are nuisance.
    Mat5 fisher = Mat5::Zero();
    Vec5 g;
    const double inv2s2 = 1.0 / (2.0 * q[3] * q[3]);
    w.factors(q[1], w.cx, inv2s2, ex);
    w.factors(q[2], w.cy, inv2s2, ey);
    for (int k = 0; k < w.size; ++k) {
        const double e = ex[int(w.dx[k]) - w.cx + half] * ey[int(w.dy[k]) - w.cy + half];
        const double mu = G::valueWith(q, w.dx[k], w.dy[k], &e, &g);
        addPixelInformation<G::P>(fisher, g, p.noiseKnown() ? std::max(p.noise.variance(mu), 1e-12) : 1.0);
    }
    if (!p.noiseKnown())
        fisher *= 1.0 / std::max(current / std::max(1, w.size - G::P), 1e-30);
    PositionError error;
    if (positionError<1>(fisher, 0, error))
        c.positionSigma = float(error.larger());
    return true;
}

} // namespace

void refineColumns(const FloatImage& image, AtomColumns& columns, const RefineParams& params, Progress* progress)
{
    const bool joint = params.gaussianFit && params.jointFit && params.jointSweeps > 0;
    const long long total = static_cast<long long>(columns.size()) * (joint ? 1 + params.jointSweeps : 1);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, columns.size(), 512),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          if (cancelled(progress))
                              return;
                          Window window; // per chunk, on the stack of this task: no heap allocation
                          for (std::size_t i = range.begin(); i != range.end(); ++i) {
                              AtomColumn& c = columns[i];
                              AtomColumn com = c;
                              // At the image border the centroid window is cut: go straight to the fit.
                              if (centreOfMass(image, com, params, window))
                                  c = com;
                              else if (!params.gaussianFit)
                                  continue;
                              if (params.gaussianFit) {
                                  AtomColumn fitted = c;
                                  if (gaussianFit(image, fitted, params, window))
                                      c = fitted;
                              }
                          }
                          if (progress)
                              progress->advance(static_cast<long long>(range.size()), total);
                      });
    throwIfCancelled(progress);
    if (joint)
        refineJointly(image, columns, params, progress, total);
}

} // namespace motifscope
