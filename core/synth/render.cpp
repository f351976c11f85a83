#include "core/synth/render.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace motifscope::synth {

namespace {

constexpr int kBandRows = 32;          ///< rows per parallel work unit
constexpr double kReachSigmas = 5.0;   ///< a column is drawn out to this many sigma
constexpr std::uint64_t kJitterStream = 0x4A17;
constexpr std::uint64_t kNoiseStream = 0x9015E;

/** A column's Gaussian as rows: exp(-rowInv dy^2) exp(-xInv (dx + slope dy)^2). */
struct Ellipse
{
    double rowInv = 0.0;
    double xInv = 0.0;
    double slope = 0.0;
    double longSigma = 0.0;
};

Ellipse ellipseOf(double sigma, double ratio, double angle)
{
    Ellipse e;
    if (!(ratio > 1.0)) { // round: exactly the isotropic Gaussian
        e.rowInv = e.xInv = 1.0 / (2.0 * sigma * sigma);
        e.longSigma = sigma;
        return e;
    }
    const double longSigma = sigma * std::sqrt(ratio), shortSigma = sigma / std::sqrt(ratio);
    const double c = std::cos(angle), s = std::sin(angle);
    const double a = 1.0 / (longSigma * longSigma), b = 1.0 / (shortSigma * shortSigma);
    const double pxx = a * c * c + b * s * s, pxy = (a - b) * c * s, pyy = a * s * s + b * c * c;
    e.xInv = 0.5 * pxx;
    e.slope = pxy / pxx;
    e.rowInv = 0.5 * (pyy - pxy * pxy / pxx);
    e.longSigma = longSigma;
    return e;
}

/** The cubic monomials at (u, v), in the order of BackgroundField::coefficients. */
void monomials(double u, double v, double out[9])
{
    out[0] = u;
    out[1] = v;
    out[2] = u * u;
    out[3] = u * v;
    out[4] = v * v;
    out[5] = u * u * u;
    out[6] = u * u * v;
    out[7] = u * v * v;
    out[8] = v * v * v;
}

} // namespace

double BackgroundField::value(double x, double y) const
{
    const double u = 2.0 * x / width - 1.0;
    const double v = 2.0 * y / height - 1.0;
    double m[9];
    monomials(u, v, m);
    double sum = 1.0;
    for (int i = 0; i < 9; ++i)
        sum += coefficients[i] * m[i];
    return mean * sum;
}

BackgroundField BackgroundField::random(Random& random, int width, int height, double mean, double variation)
{
    BackgroundField field;
    field.mean = mean;
    field.width = std::max(1, width);
    field.height = std::max(1, height);
    double raw[9];
    double total = 0.0;
    for (double& c : raw) {
        c = random.uniform(-1.0, 1.0);
        total += std::fabs(c);
    }
    // |monomial| <= 1 on the image, so scaling the coefficients' absolute sum bounds the variation.
    const double scale = total > 0.0 ? variation / total : 0.0;
    for (int i = 0; i < 9; ++i)
        field.coefficients[i] = raw[i] * scale;
    return field;
}

BackgroundField BackgroundField::flat(double mean)
{
    BackgroundField field;
    field.mean = mean;
    return field;
}

BackgroundField BackgroundField::gradient(int width, int height, double mean, double ratio, double angle)
{
    BackgroundField field;
    field.mean = mean;
    field.width = std::max(1, width);
    field.height = std::max(1, height);
    // value = mean (1 + k (u cos + v sin)); over the corners u, v = +-1 it spans 1 -+ k (|cos| + |sin|).
    const double c = std::cos(angle), s = std::sin(angle);
    const double reach = std::fabs(c) + std::fabs(s);
    const double k = (std::max(ratio, 1.0) - 1.0) / (std::max(ratio, 1.0) + 1.0) / reach;
    field.coefficients[0] = k * c;
    field.coefficients[1] = k * s;
    return field;
}

std::vector<double> scanRowShifts(const RenderSettings& settings)
{
    std::vector<double> shifts(static_cast<std::size_t>(std::max(0, settings.height)), 0.0);
    if (!(settings.jitter > 0.0))
        return shifts;
    Random random(deriveSeed(settings.seed, kJitterStream));
    const double rho = std::clamp(settings.jitterCorrelation, 0.0, 0.99);
    const double innovation = std::sqrt(1.0 - rho * rho);
    double shift = random.normal();
    for (double& s : shifts) {
        s = settings.jitter * shift; // stationary AR(1): unit variance before scaling
        shift = rho * shift + innovation * random.normal();
    }
    return shifts;
}

std::vector<float> renderColumns(const std::vector<RenderColumn>& columns, const BackgroundField& background,
                                 const RenderSettings& settings)
{
    const int width = settings.width;
    const int height = settings.height;
    std::vector<float> pixels(static_cast<std::size_t>(std::max(0, width)) * std::max(0, height), 0.0f);
    if (width <= 0 || height <= 0)
        return pixels;

    const double sigma = std::max(settings.sigma, 1e-3);
    // Row by row, exp(-d^T P d / 2) = exp(-rowInv * dy^2) * exp(-xInv * (dx + slope * dy)^2): each
    // row of an elliptical column is a Gaussian whose centre moves by -slope * dy.
    const Ellipse probe = ellipseOf(sigma, settings.astigmatism, settings.astigmatismAngle);
    const double reach = kReachSigmas * probe.longSigma;
    const std::vector<double> shifts = scanRowShifts(settings);
    double maxShift = 0.0;
    for (double s : shifts)
        maxShift = std::max(maxShift, std::fabs(s));

    // Bucket columns by the row bands they reach, keeping the columns' order within each band.
    const int bands = (height + kBandRows - 1) / kBandRows;
    std::vector<std::vector<int>> bandColumns(static_cast<std::size_t>(bands));
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const RenderColumn& c = columns[i];
        if (!std::isfinite(c.x) || !std::isfinite(c.y))
            continue;
        if (c.x < -reach - maxShift || c.x > width - 1 + reach + maxShift)
            continue;
        const int y0 = std::max(0, static_cast<int>(std::ceil(c.y - reach)));
        const int y1 = std::min(height - 1, static_cast<int>(std::floor(c.y + reach)));
        if (y0 > y1)
            continue;
        for (int b = y0 / kBandRows; b <= y1 / kBandRows; ++b)
            bandColumns[static_cast<std::size_t>(b)].push_back(static_cast<int>(i));
    }

    auto renderBand = [&](int band) {
        const int rowBegin = band * kBandRows;
        const int rowEnd = std::min(height, rowBegin + kBandRows);
        std::vector<double> clean(static_cast<std::size_t>(rowEnd - rowBegin) * width);
        for (int y = rowBegin; y < rowEnd; ++y) {
            double* row = clean.data() + static_cast<std::size_t>(y - rowBegin) * width;
            const double shift = shifts[static_cast<std::size_t>(y)];
            for (int x = 0; x < width; ++x)
                row[x] = background.value(x + shift, y);
        }
        for (int index : bandColumns[static_cast<std::size_t>(band)]) {
            const RenderColumn& c = columns[static_cast<std::size_t>(index)];
            const int y0 = std::max(rowBegin, static_cast<int>(std::ceil(c.y - reach)));
            const int y1 = std::min(rowEnd - 1, static_cast<int>(std::floor(c.y + reach)));
            for (int y = y0; y <= y1; ++y) {
                const double dy = y - c.y;
                const double rowPeak = c.amplitude * std::exp(-dy * dy * probe.rowInv);
                // Pixel x samples the specimen at x + shift.
                const double centre = c.x - probe.slope * dy - shifts[static_cast<std::size_t>(y)];
                const int x0 = std::max(0, static_cast<int>(std::ceil(centre - reach)));
                const int x1 = std::min(width - 1, static_cast<int>(std::floor(centre + reach)));
                double* row = clean.data() + static_cast<std::size_t>(y - rowBegin) * width;
                for (int x = x0; x <= x1; ++x) {
                    const double dx = x - centre;
                    row[x] += rowPeak * std::exp(-dx * dx * probe.xInv);
                }
            }
        }
        for (int y = rowBegin; y < rowEnd; ++y) {
            const double* row = clean.data() + static_cast<std::size_t>(y - rowBegin) * width;
            float* out = pixels.data() + static_cast<std::size_t>(y) * width;
            if (settings.noise) {
                Random random(deriveSeed(settings.seed, kNoiseStream, static_cast<std::uint64_t>(y)));
                for (int x = 0; x < width; ++x)
                    out[x] = static_cast<float>(random.poisson(settings.dose * row[x]));
            } else {
                for (int x = 0; x < width; ++x)
                    out[x] = static_cast<float>(settings.dose * row[x]);
            }
        }
    };

    tbb::parallel_for(tbb::blocked_range<int>(0, bands), [&](const tbb::blocked_range<int>& range) {
        for (int band = range.begin(); band != range.end(); ++band)
            renderBand(band);
    });
    return pixels;
}

} // namespace motifscope::synth
