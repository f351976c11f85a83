#include "core/detect/scan_jitter.h"

#include "core/detect/cell_grid.h"

#include <opencv2/core.hpp>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cmath>
#include <complex>
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
 * shift = j(row) - m_c(j) + shear (row - centre_c), with m_c the column's information-weighted
 * mean of j over its rows (what its fitted x already absorbed). The shear term is there because a
 * row shift growing linearly down every column is what an elliptical probe with tilted axes
 * (astigmatism) shows: it is the probe's shape, not jitter, and taken for jitter it would read as
 * a ramp in j that shears the whole lattice by pixels. One shear for the image: eliminated from
 * the normal equations (a rank-one Schur complement), so ramps of j are as unobservable as
 * constants, and a small ridge keeps both at zero instead of noise. Row-to-row jitter differs
 * from column to column and stays observable. Solved by conjugate gradients, matrix-free.
 */
std::vector<double> solveRowShifts(const std::vector<RowSample>& samples, int span, int height,
                                   const std::function<bool(std::size_t)>& selected, int maxIterations)
{
    const std::size_t n = samples.size() / std::size_t(span);
    const std::size_t rows = std::size_t(height);
    // Per column: total information and information-weighted mean row.
    std::vector<double> columnInformation(n, 0.0), centreRow(n, 0.0), rowTotal(rows, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        if (!selected(i))
            continue;
        const RowSample* s = &samples[i * std::size_t(span)];
        for (int k = 0; k < span; ++k) {
            columnInformation[i] += s[k].information;
            centreRow[i] += s[k].information * s[k].row;
            rowTotal[std::size_t(s[k].row)] += s[k].information;
        }
        if (columnInformation[i] > 0.0)
            centreRow[i] /= columnInformation[i];
    }
    std::vector<double> measuredTotals;
    for (double t : rowTotal)
        if (t > 0.0)
            measuredTotals.push_back(t);
    if (measuredTotals.empty())
        return std::vector<double>(rows, 0.0);
    std::nth_element(measuredTotals.begin(), measuredTotals.begin() + measuredTotals.size() / 2, measuredTotals.end());
    const double ridge = 1e-3 * measuredTotals[measuredTotals.size() / 2];

    // Adds W (v - weighted mean of v) over one column's rows to out: A^T W A v for that column
    // when v is x at the rows, A^T W v for the data when v is the measured shifts.
    auto addResidual = [&](std::size_t i, const RowSample* s, auto&& value, std::vector<double>& out) {
        double mean = 0.0;
        for (int k = 0; k < span; ++k)
            mean += s[k].information * value(k);
        mean /= columnInformation[i];
        for (int k = 0; k < span; ++k)
            out[std::size_t(s[k].row)] += s[k].information * (value(k) - mean);
    };
    // The shear's coupling to j (u = sum over samples of w d e_row, d = row - centre_c), its own
    // information (sum of w d^2) and its data term (sum of w d shift).
    std::vector<double> shearCoupling(rows, 0.0);
    double shearInformation = 0.0, shearData = 0.0;
    std::vector<double> b(rows, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        if (columnInformation[i] <= 0.0)
            continue;
        const RowSample* s = &samples[i * std::size_t(span)];
        addResidual(i, s, [&](int k) { return double(s[k].shift); }, b);
        for (int k = 0; k < span; ++k) {
            const double wd = s[k].information * (s[k].row - centreRow[i]);
            shearCoupling[std::size_t(s[k].row)] += wd;
            shearInformation += wd * (s[k].row - centreRow[i]);
            shearData += wd * s[k].shift;
        }
    }
    const bool shear = shearInformation > 0.0;
    if (shear)
        for (std::size_t t = 0; t < rows; ++t)
            b[t] -= shearCoupling[t] * shearData / shearInformation;
    // A^T W A + ridge is banded: a column couples only the rows of its own segment. Assembled once
    // (row t, offset d in [-band, band] at t * width + band + d), each product is rows x width.
    int band = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (columnInformation[i] <= 0.0)
            continue;
        const RowSample* s = &samples[i * std::size_t(span)];
        int lo = height, hi = -1;
        for (int k = 0; k < span; ++k)
            if (s[k].information > 0.0f)
                lo = std::min(lo, s[k].row), hi = std::max(hi, s[k].row);
        band = std::max(band, hi - lo);
    }
    const std::size_t width = std::size_t(2 * band + 1);
    std::vector<double> matrix(rows * width, 0.0);
    for (std::size_t t = 0; t < rows; ++t)
        matrix[t * width + std::size_t(band)] = ridge;
    for (std::size_t i = 0; i < n; ++i) {
        if (columnInformation[i] <= 0.0)
            continue;
        const RowSample* s = &samples[i * std::size_t(span)];
        for (int k = 0; k < span; ++k) {
            if (!(s[k].information > 0.0f))
                continue;
            const std::size_t t = std::size_t(s[k].row);
            matrix[t * width + std::size_t(band)] += s[k].information;
            const double scaled = s[k].information / columnInformation[i];
            for (int l = 0; l < span; ++l)
                if (s[l].information > 0.0f)
                    matrix[t * width + std::size_t(band + s[l].row - s[k].row)] -= scaled * s[l].information;
        }
    }
    // y = (A^T W A - u u^T / shearInformation + ridge) x.
    auto apply = [&](const std::vector<double>& x, std::vector<double>& y) {
        double ux = 0.0;
        for (std::size_t t = 0; t < rows; ++t)
            ux += shearCoupling[t] * x[t];
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows, 256), [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t t = range.begin(); t != range.end(); ++t) {
                const std::size_t first = t >= std::size_t(band) ? t - std::size_t(band) : 0;
                const std::size_t last = std::min(rows - 1, t + std::size_t(band));
                const double* m = &matrix[t * width + std::size_t(band)] - t;
                double sum = 0.0;
                for (std::size_t u = first; u <= last; ++u)
                    sum += m[u] * x[u];
                y[t] = shear ? sum - shearCoupling[t] * ux / shearInformation : sum;
            }
        });
    };
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

/**
 * Columns whose row segments a neighbour's Gaussian reaches (closer than the window radius plus
 * kClearWidths widths): their single-Gaussian row profiles are skewed by the neighbour, which
 * reads as a row shift shared by every such pair (dumbbells, boundaries). They measure nothing.
 */
std::vector<char> overlappedColumns(const AtomColumns& columns, double radius)
{
    constexpr double kClearWidths = 2.5;
    std::vector<char> overlapped(columns.size(), 0);
    double widest = 0.0;
    for (const AtomColumn& c : columns)
        if (std::isfinite(c.width))
            widest = std::max(widest, double(c.width));
    const double reach = radius + kClearWidths * std::max(widest, 0.5);
    // Column i is overlapped when some column j lies closer than radius + 2.5 of j's widths (at
    // most `reach`): look in the cells of a grid `reach` wide around it, in parallel.
    double right = 1.0, bottom = 1.0;
    std::vector<char> finite(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const AtomColumn& c = columns[i];
        finite[i] = std::isfinite(c.x) && std::isfinite(c.y);
        if (finite[i])
            right = std::max(right, c.x + 1.0), bottom = std::max(bottom, c.y + 1.0);
    }
    const CellGrid grid(columns, int(std::ceil(right)), int(std::ceil(bottom)), reach, &finite);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, columns.size(), 2048), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            if (!finite[i])
                continue;
            const AtomColumn& p = columns[i];
            grid.near(p.x, p.y, reach, [&](int j) {
                const AtomColumn& q = columns[std::size_t(j)];
                if (std::size_t(j) != i && std::hypot(q.x - p.x, q.y - p.y) < radius + kClearWidths * std::max(0.5, double(q.width)))
                    overlapped[i] = 1;
            });
        }
    });
    return overlapped;
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
    const std::vector<char> overlapped = overlappedColumns(columns, radius);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            const AtomColumn& c = columns[i];
            if (c.refinement != Refinement::GaussianFit || !(c.width > 0.0f) || !(c.intensity > 0.0f) || overlapped[i])
                continue;
            const int cx = int(std::lround(c.x)), cy = int(std::lround(c.y));
            if (cx - r - 1 < 0 || cx + r + 1 >= image.width || cy - r < 0 || cy + r >= image.height)
                continue;
            measureRows(image, c, radius, &samples[i * std::size_t(span)], span);
        }
    });

    // Split-half reliability: jitter estimated from the left and right halves of the image must
    // agree, otherwise what was found is noise and nothing is corrected. The halves only need to
    // be good enough to correlate (fewer iterations); the full solve runs only when they agree.
    std::vector<double> left, right;
    tbb::parallel_invoke(
        [&] {
            left = solveRowShifts(samples, span, image.height,
                                  [&](std::size_t i) { return columns[i].x < 0.5 * image.width; }, 30);
        },
        [&] {
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
    if (result.reliability < kScanJitterMinReliability)
        return result; // noise: no shifts (rowShift zero, rms 0)
    result.rowShift = solveRowShifts(samples, span, image.height, [](std::size_t) { return true; }, 200);
    double sq = 0.0;
    for (double v : result.rowShift)
        if (v != 0.0)
            sq += v * v, ++result.rowsMeasured;
    result.rms = result.rowsMeasured ? std::sqrt(sq / result.rowsMeasured) : 0.0;
    return result;
}

FloatImage withoutScanJitter(const FloatImage& image, const ScanJitter& jitter)
{
    if (image.width < 2)
        return image;
    FloatImage out = image;
    // Each row is moved by a phase ramp in its Fourier transform: an exact shift that keeps white
    // noise white with its variance (linear interpolation halves it at half-pixel shifts, and the
    // noise-weighted tests that read this image would lose their power there). Rows are padded by
    // reflection so that the ends do not wrap around.
    const int pad = std::min(image.width - 1, 32);
    const int length = cv::getOptimalDFTSize(image.width + 2 * pad);
    tbb::parallel_for(tbb::blocked_range<int>(0, image.height, 64), [&](const tbb::blocked_range<int>& rows) {
        cv::Mat line(1, length, CV_32F), spectrum, shifted;
        for (int y = rows.begin(); y != rows.end(); ++y) {
            const double shift = std::size_t(y) < jitter.rowShift.size() ? jitter.rowShift[std::size_t(y)] : 0.0;
            if (shift == 0.0)
                continue;
            const float* in = &image.data[std::size_t(y) * image.width];
            float* values = line.ptr<float>(0);
            for (int k = 0; k < length; ++k) {
                int x = k - pad; // reflect about both ends (period 2 (width - 1))
                const int period = 2 * (image.width - 1);
                x = ((x % period) + period) % period;
                values[k] = in[x < image.width ? x : period - x];
            }
            cv::dft(line, spectrum, cv::DFT_COMPLEX_OUTPUT);
            // Row content sits `shift` to the right of where it belongs: out(x) = in(x + shift).
            auto* bins = spectrum.ptr<cv::Complex<float>>(0);
            for (int k = 0; k < length; ++k) {
                const int frequency = k <= length / 2 ? k : k - length;
                const double phase = 2.0 * M_PI * double(frequency) * shift / double(length);
                const std::complex<double> turned =
                    std::complex<double>(bins[k].re, bins[k].im) * std::polar(1.0, phase);
                bins[k] = cv::Complex<float>(float(turned.real()), float(turned.imag()));
            }
            cv::idft(spectrum, shifted, cv::DFT_REAL_OUTPUT | cv::DFT_SCALE);
            std::copy_n(shifted.ptr<float>(0) + pad, image.width, &out.data[std::size_t(y) * image.width]);
        }
    });
    return out;
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
