// motifscope-bench-disorder [--columns N] [--repeats R]
// The disorder measures' time on N columns (default 100,000; issue 18: all measures in <= 1 s):
// a jittered hexagonal lattice in five regions (one motif each, on the map a round blob each, one of
// them a band whose position follows x: the continuity's gradient and valley parts both work),
// its polygon hierarchy (not timed), then measureDisorder and motifContinuity alone, R times each;
// the fastest run is printed (the machine is shared). Nothing is asserted.
#include "core/disorder/disorder.h"
#include "core/hierarchy/hierarchy.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using namespace motifscope;

namespace {

double secondsOf(const auto& work)
{
    const auto t0 = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv)
{
    long long columns = 100000;
    int repeats = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--columns")
            columns = std::clamp(std::atoll(argv[i + 1]), 100LL, 10000000LL);
        else if (flag == "--repeats")
            repeats = std::clamp(std::atoi(argv[i + 1]), 1, 100);
    }
    // A hexagonal lattice of about `columns` sites, spacing 10, each site jittered by 0.05 spacings.
    const int side = int(std::ceil(std::sqrt(double(columns) / 0.866)));
    std::mt19937 rng(18);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<Point2> points, map;
    std::vector<int> motif;
    for (int r = 0; r < side && (long long)points.size() < columns; ++r)
        for (int c = 0; c < side && (long long)points.size() < columns; ++c) {
            const double x = 10.0 * (c + 0.5 * (r % 2)) + 0.5 * g(rng), y = 8.66 * r + 0.5 * g(rng);
            const int m = std::min(4, int(5.0 * x / (10.0 * side + 5.0)));
            points.push_back({x, y});
            motif.push_back(m);
            const double angle = 2.0 * 3.14159265358979 * m / 5.0;
            const double along = m == 4 ? 4.0 * (x / (10.0 * side) - 0.9) * 10.0 : 0.0; // motif 4: a band along x
            map.push_back({30.0 * std::cos(angle) + along + g(rng), 30.0 * std::sin(angle) + g(rng)});
        }
    const HierarchyResult hierarchy = buildPolygonHierarchy(points, &motif, HierarchyParams{});
    disorder::DisorderInput in;
    in.points = &points;
    in.columnMotif = &motif;
    in.hierarchy = &hierarchy;
    in.map = &map;
    in.mapMotif = &motif;
    in.mapPositions = &points;
    in.mapColumnMotif = &motif;
    double all = 1e300, continuity = 1e300, value = 0.0;
    for (int k = 0; k < repeats; ++k) {
        all = std::min(all, secondsOf([&] { value = disorder::measureDisorder(in).continuity.value; }));
        continuity = std::min(continuity, secondsOf([&] {
            disorder::motifContinuity(map, motif, disorder::BootstrapPlan{}, &points, &motif);
        }));
    }
    std::printf("disorder measures, %zu columns, %zu rings: all %.3f s, continuity %.3f s "
                "(motif_continuity %.3f; fastest of %d)\n",
                points.size(), hierarchy.rings.size(), all, continuity, value, repeats);
    return 0;
}
