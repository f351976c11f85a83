#include "detect/scan_jitter.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace motifscope {

namespace {

/** One row segment of one column: how well it measures a sideways shift, and the shift it shows. */
struct RowSample
{
    int row = 0;
    float information = 0.0f; ///< sum over the segment of (d model / d shift)^2; 0 = unused
    float shift = 0.0f;       ///< the segment's shift relative to the column's fitted x, pixels
};

/** Half-width of the window's row segment at row offset dy (the window is a disk). */
double segmentHalfWidth(double radius, double dy)
{
    return std::sqrt(std::max(0.0, radius * radius - dy * dy));
}

/**
 * Information about a sideways shift carried by row `y` of a fitted column, up to a constant
 * factor: sum over the row segment of (A_y u / s^2 g(u))^2 with A_y the row's peak amplitude.
 * The 2-D Gaussian fit weights each row's shift by this, so a column's fitted x is the
 * information-weighted mean of the shifts of its rows.
 */
double rowInformation(const AtomColumn& c, int y, double radius)
{
    const double s2 = double(c.width) * double(c.width);
    const double dy = y - c.y;
    const double halfWidth = segmentHalfWidth(radius, dy);
    if (halfWidth < 1.0)
        return 0.0;
    const double amplitude = std::exp(-0.5 * dy * dy / s2);
    double sum = 0.0;
    for (int x = int(std::ceil(c.x - halfWidth)); x <= int(std::floor(c.x + halfWidth)); ++x) {
        const double u = x - c.x;
        const double d = amplitude * u / s2 * std::exp(-0.5 * u * u / s2);
        sum += d * d;
    }
    return sum;
}

/** Samples of one column's rows: matched-filter shift of each row segment against the fitted model. */
void measureRows(const FloatImage& image, const AtomColumn& c, double radius, RowSample* out, int span)
{
    const int r = (span - 1) / 2;
    const int cy = int(std::lround(c.y));
    const double s2 = double(c.width) * double(c.width);
    for (int k = 0; k < span; ++k) {
        const int y = cy - r + k;
        const double dy = y - c.y;
        const double halfWidth = segmentHalfWidth(radius, dy);
        if (halfWidth < 1.0)
            continue;
        const double amplitude = double(c.intensity) * std::exp(-0.5 * dy * dy / s2);
        // Linearised least squares for the shift d of A g(u - d) + B: d = sum (v - m) m' / sum m'^2.
        double num = 0.0, den = 0.0;
        for (int x = int(std::ceil(c.x - halfWidth)); x <= int(std::floor(c.x + halfWidth)); ++x) {
            const double u = x - c.x;
            const double g = std::exp(-0.5 * u * u / s2);
            const double slope = amplitude * u / s2 * g;
            num += (double(image.at(x, y)) - c.background - amplitude * g) * slope;
            den += slope * slope;
        }
        if (!(den > 0.0))
            continue;
        const double shift = std::clamp(num / den, -radius, radius);
        out[k] = {y, float(den), float(shift)};
    }
}

/**
 * Least-squares row shifts j(y) from the samples of the selected columns: each sample says
 * shift = j(row) - m_c(j), with m_c the column's information-weighted mean of j over its rows
 * (what its fitted x already absorbed). Slowly varying j is weakly observable (the m_c absorb it)
 * and a constant is not at all, so a small ridge keeps those modes at zero instead of noise.
 * Solved by conjugate gradients on the normal equations, matrix-free.
 */
std::vector<double> solveRowShifts(const std::vector<RowSample>& samples, int span, int height,
                                   const std::function<bool(std::size_t)>& selected, int maxIterations)
{
    const std::size_t n = samples.size() / std::size_t(span);
    const std::size_t rows = std::size_t(height);
    std::vector<double> columnInformation(n, 0.0), rowTotal(rows, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        if (!selected(i))
            continue;
        for (int k = 0; k < span; ++k) {
            const RowSample& s = samples[i * std::size_t(span) + std::size_t(k)];
            columnInformation[i] += s.information;
            rowTotal[std::size_t(s.row)] += s.information;
        }
    }
    std::vector<double> measuredTotals;
    for (double t : rowTotal)
        if (t > 0.0)
            measuredTotals.push_back(t);
    if (measuredTotals.empty())
        return std::vector<double>(rows, 0.0);
    std::nth_element(measuredTotals.begin(), measuredTotals.begin() + measuredTotals.size() / 2, measuredTotals.end());
    const double ridge = 1e-3 * measuredTotals[measuredTotals.size() / 2];

    // y = N x = A^T W A x + ridge x, with (A x)_k = x(row_k) - m_c(x).
    auto apply = [&](const std::vector<double>& x, std::vector<double>& y) {
        for (std::size_t t = 0; t < rows; ++t)
            y[t] = ridge * x[t];
        for (std::size_t i = 0; i < n; ++i) {
            if (columnInformation[i] <= 0.0)
                continue;
            const RowSample* s = &samples[i * std::size_t(span)];
            double mean = 0.0;
            for (int k = 0; k < span; ++k)
                mean += s[k].information * x[std::size_t(s[k].row)];
            mean /= columnInformation[i];
            double weightedResidualSum = 0.0;
            for (int k = 0; k < span; ++k) {
                const double wr = s[k].information * (x[std::size_t(s[k].row)] - mean);
                y[std::size_t(s[k].row)] += wr;
                weightedResidualSum += wr;
            }
            for (int k = 0; k < span; ++k)
                y[std::size_t(s[k].row)] -= weightedResidualSum * s[k].information / columnInformation[i];
        }
    };
    // b = A^T W shift.
    std::vector<double> b(rows, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        if (columnInformation[i] <= 0.0)
            continue;
        const RowSample* s = &samples[i * std::size_t(span)];
        double weightedSum = 0.0;
        for (int k = 0; k < span; ++k) {
            b[std::size_t(s[k].row)] += s[k].information * s[k].shift;
            weightedSum += s[k].information * s[k].shift;
        }
        for (int k = 0; k < span; ++k)
            b[std::size_t(s[k].row)] -= weightedSum * s[k].information / columnInformation[i];
    }
    // Conjugate gradients with a Jacobi preconditioner (the diagonal is about a row's information).
    std::vector<double> inverseDiagonal(rows);
    for (std::size_t t = 0; t < rows; ++t)
        inverseDiagonal[t] = 1.0 / (rowTotal[t] + ridge);
    std::vector<double> x(rows, 0.0), r = b, z(rows), p(rows), q(rows, 0.0);
    auto dot = [](const std::vector<double>& u, const std::vector<double>& v) {
        double sum = 0.0;
        for (std::size_t t = 0; t < u.size(); ++t)
            sum += u[t] * v[t];
        return sum;
    };
    for (std::size_t t = 0; t < rows; ++t)
        p[t] = z[t] = inverseDiagonal[t] * r[t];
    double rz = dot(r, z);
    const double stop = 1e-8 * dot(b, b); // residual norm down by 1e-4: far below the shot noise
    for (int iteration = 0; iteration < maxIterations && dot(r, r) > stop; ++iteration) {
        apply(p, q);
        const double alpha = rz / dot(p, q);
        for (std::size_t t = 0; t < rows; ++t) {
            x[t] += alpha * p[t];
            r[t] -= alpha * q[t];
            z[t] = inverseDiagonal[t] * r[t];
        }
        const double next = dot(r, z);
        for (std::size_t t = 0; t < rows; ++t)
            p[t] = z[t] + (next / rz) * p[t];
        rz = next;
    }
    for (std::size_t t = 0; t < rows; ++t)
        if (rowTotal[t] <= 0.0)
            x[t] = 0.0;
    return x;
}

} // namespace

ScanJitter estimateScanJitter(const FloatImage& image, const AtomColumns& columns, double radius)
{
    ScanJitter result;
    result.rowShift.assign(std::size_t(image.height), 0.0);
    const int r = std::max(1, int(std::ceil(radius)));
    const int span = 2 * r + 1;
    const std::size_t n = columns.size();
    // Row samples per column, in a flat array: span entries per column (information 0 = unused).
    std::vector<RowSample> samples(n * std::size_t(span));
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            const AtomColumn& c = columns[i];
            if (c.refinement != Refinement::GaussianFit || !(c.width > 0.0f) || !(c.intensity > 0.0f))
                continue;
            const int cx = int(std::lround(c.x)), cy = int(std::lround(c.y));
            if (cx - r - 1 < 0 || cx + r + 1 >= image.width || cy - r < 0 || cy + r >= image.height)
                continue;
            measureRows(image, c, radius, &samples[i * std::size_t(span)], span);
        }
    });

    // Split-half reliability: jitter estimated from the left and right halves of the image must
    // agree, otherwise what was found is noise and nothing is corrected. The halves only need to
    // be good enough to correlate (fewer iterations); they run beside the full solve.
    std::vector<double> left, right;
    tbb::parallel_invoke(
        [&] {
            result.rowShift = solveRowShifts(samples, span, image.height, [](std::size_t) { return true; }, 200);
        },
        [&] {
            left = solveRowShifts(samples, span, image.height,
                                  [&](std::size_t i) { return columns[i].x < 0.5 * image.width; }, 30);
            right = solveRowShifts(samples, span, image.height,
                                   [&](std::size_t i) { return columns[i].x >= 0.5 * image.width; }, 30);
        });
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (int y = 0; y < image.height; ++y) {
        sab += left[std::size_t(y)] * right[std::size_t(y)];
        saa += left[std::size_t(y)] * left[std::size_t(y)];
        sbb += right[std::size_t(y)] * right[std::size_t(y)];
    }
    result.reliability = saa > 0.0 && sbb > 0.0 ? sab / std::sqrt(saa * sbb) : 0.0;
    double sq = 0.0;
    for (double v : result.rowShift)
        if (v != 0.0)
            sq += v * v, ++result.rowsMeasured;
    result.rms = result.rowsMeasured ? std::sqrt(sq / result.rowsMeasured) : 0.0;
    return result;
}

void removeScanJitter(AtomColumns& columns, const ScanJitter& jitter, double radius)
{
    const int r = std::max(1, int(std::ceil(radius)));
    const int height = int(jitter.rowShift.size());
    for (AtomColumn& c : columns) {
        if (c.refinement != Refinement::GaussianFit || !(c.width > 0.0f))
            continue;
        // The fitted x is the information-weighted mean of the shifts of the column's rows.
        double sw = 0.0, sj = 0.0;
        for (int y = int(std::lround(c.y)) - r; y <= int(std::lround(c.y)) + r; ++y) {
            if (y < 0 || y >= height)
                continue;
            const double w = rowInformation(c, y, radius);
            sw += w;
            sj += w * jitter.rowShift[std::size_t(y)];
        }
        if (sw > 0.0)
            c.x -= sj / sw;
    }
}

} // namespace motifscope
