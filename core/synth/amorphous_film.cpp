// An amorphous support film (carbon, SiN, oxide) as HAADF sees it: many weak atoms at random
// positions, whose overlapping tails make a speckled texture with no lattice. The number of atoms
// per area follows the film's local thickness, so a thicker film is both brighter and more speckled.
#include "core/synth/presets.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace motifscope::synth {

double SmoothUndulation::at(double x, double y) const
{
    double sum = 0.0;
    for (const Wave& w : waves)
        sum += w.weight * std::cos(w.kx * x + w.ky * y + w.phase);
    return sum;
}

SmoothUndulation SmoothUndulation::random(Random& random, int count, double minWavelength)
{
    SmoothUndulation field;
    double total = 0.0;
    for (int i = 0; i < count; ++i) {
        const double wavelength = minWavelength * random.uniform(1.0, 2.0);
        const double direction = random.uniform(0.0, 2.0 * std::numbers::pi);
        const double k = 2.0 * std::numbers::pi / wavelength;
        Wave w;
        w.kx = k * std::cos(direction);
        w.ky = k * std::sin(direction);
        w.phase = random.uniform(0.0, 2.0 * std::numbers::pi);
        w.weight = random.uniform(0.5, 1.0);
        total += w.weight;
        field.waves.push_back(w);
    }
    for (Wave& w : field.waves) // |sum| <= 1 everywhere
        w.weight /= total > 0.0 ? total : 1.0;
    return field;
}

std::vector<RenderColumn> amorphousFilm(int width, int height, double margin, double density, double amplitude,
                                        double maxThickness, const std::function<double(double, double)>& thickness,
                                        Random& random)
{
    // Uniform candidates at the densest rate, each kept with probability thickness / maxThickness.
    const double spanX = width - 1.0 + 2.0 * margin, spanY = height - 1.0 + 2.0 * margin;
    const auto candidates = static_cast<long long>(std::llround(density * maxThickness * spanX * spanY));
    std::vector<RenderColumn> atoms;
    atoms.reserve(static_cast<std::size_t>(std::max(0LL, candidates)));
    for (long long i = 0; i < candidates; ++i) {
        const double x = -margin + random.uniform() * spanX;
        const double y = -margin + random.uniform() * spanY;
        const double peak = amplitude * random.uniform(0.6, 1.4);
        if (random.uniform() * maxThickness < thickness(x, y))
            atoms.push_back({x, y, peak});
    }
    return atoms;
}

} // namespace motifscope::synth
