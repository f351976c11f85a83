#include "core/detect/column_width.h"

#include "core/detect/column_signal.h"
#include "core/detect/peak_finder.h"
#include "core/detect/refine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace motifscope {
namespace {

constexpr double kCollapsedFits = 1.25; ///< averaged / fitted width beyond which single fits followed the noise

/**
 * The Gaussian width of the mean of the windows (half a period in radius) around `peaks`, each
 * centred on its peak pixel: many columns' counts at once, so a fit cannot follow the noise of
 * one. Centring at whole pixels widens it by under 2% for columns 1.5 px wide. 0 when it fails.
 */
double averagedPeakWidth(const FloatImage& image, const std::vector<PeakCandidate>& peaks, double period)
{
    const int r = std::max(2, int(std::lround(0.5 * period)));
    const int side = 2 * r + 1;
    FloatImage mean(side, side);
    std::vector<int> count(std::size_t(side) * side, 0);
    for (const PeakCandidate& p : peaks)
        for (int dy = -r; dy <= r; ++dy)
            for (int dx = -r; dx <= r; ++dx) {
                const int x = p.x + dx, y = p.y + dy;
                if (x < 0 || y < 0 || x >= image.width || y >= image.height)
                    continue;
                mean.at(dx + r, dy + r) += image.at(x, y);
                ++count[std::size_t(dy + r) * side + dx + r];
            }
    for (std::size_t k = 0; k < mean.data.size(); ++k)
        if (count[k] > 0)
            mean.data[k] /= float(count[k]);
    AtomColumns centre(1);
    centre[0].x = r;
    centre[0].y = r;
    RefineParams fit;
    fit.radius = r;
    fit.sigmaGuess = std::max(0.7, 0.12 * period);
    fit.maxShift = 0.25 * period;
    fit.jointFit = false;
    refineColumns(mean, centre, fit, nullptr);
    return centre[0].refinement == Refinement::GaussianFit ? double(centre[0].width) : 0.0;
}

} // namespace

ColumnWidthEstimate estimateColumnSigma(const FloatImage& raw, double period)
{
    const int cw = std::min(raw.width, 512), ch = std::min(raw.height, 512);
    const int x0 = (raw.width - cw) / 2, y0 = (raw.height - ch) / 2;
    FloatImage crop(cw, ch);
    for (int y = 0; y < ch; ++y)
        std::copy_n(&raw.data[std::size_t(y0 + y) * raw.width + x0], cw, &crop.data[std::size_t(y) * cw]);
    const ColumnSignal signal = columnSignal(crop, 0.1 * period, period);
    auto peaks = suppressNonMaxima(findLocalMaxima(signal.height, 0.0f, nullptr), 0.5 * period);
    peaks.resize(std::min<std::size_t>(peaks.size(), 300));
    AtomColumns bright = candidatesToColumns(peaks, signal);
    RefineParams fit;
    fit.radius = std::clamp(0.35 * period, 2.0, 40.0);
    fit.sigmaGuess = std::max(0.7, 0.12 * period);
    fit.maxShift = 0.35 * period;
    refineColumns(crop, bright, fit, nullptr);
    std::vector<double> widths;
    for (const AtomColumn& c : bright)
        if (c.refinement == Refinement::GaussianFit && c.width > 0.0f)
            widths.push_back(c.width);
    if (widths.size() < 10)
        return {};
    std::nth_element(widths.begin(), widths.begin() + widths.size() / 2, widths.end());
    // At a few counts per peak each fit narrows onto its noisiest pixels (1.2-1.6 px for 1.56
    // px columns at dose 3-5, 1.2 for 3.4 px graphene at dose 3), and the matched filter with it;
    // the same columns' average cannot follow one pixel's noise (1.54-1.57 there). Where the two
    // agree within kCollapsedFits (real micrographs differ by up to 16%: the average's wider window
    // sees the probe's tails) the fits stand; beyond, they have collapsed and the average is taken.
    // Its peaks come from a wider filter (0.2 period), so the noise they are selected on is spread
    // as wide as a column and does not sharpen the average.
    const double fitted = widths[widths.size() / 2];
    const ColumnSignal wide = columnSignal(crop, 0.2 * period, signal.background); // the same background
    auto widePeaks = suppressNonMaxima(findLocalMaxima(wide.height, 0.0f, nullptr), 0.5 * period);
    widePeaks.resize(std::min<std::size_t>(widePeaks.size(), 300));
    const double averaged = averagedPeakWidth(crop, widePeaks, period);
    if (std::getenv("MOTIFSCOPE_DEBUG_DETECT"))
        std::fprintf(stderr, "width: fits %.3f averaged %.3f\n", fitted, averaged);
    if (averaged > kCollapsedFits * fitted)
        return {averaged, true};
    return {fitted, false};
}

} // namespace motifscope
