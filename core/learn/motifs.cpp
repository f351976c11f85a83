#include "core/learn/motifs.h"

#include "core/features/patches.h"
#include "core/util/progress.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace motifscope {

std::string motifColour(int id)
{
    static const std::array<const char*, 16> palette = {
        "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", // Okabe-Ito
        "#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499", // Tol muted
    };
    // Mid grey: 3.9:1 against white (legends, map, gallery) and 5.3:1 against black (the micrograph).
    if (id < 0)
        return "#808080";
    return palette[std::size_t(id) % palette.size()];
}

std::vector<Motif> summariseMotifs(const FloatImage& image, const AtomColumns& columns,
                                   const std::vector<float>& orientation, const std::vector<int>& labels,
                                   int patchSize, Progress* progress, std::size_t maxAveraged)
{
    return summariseMotifs(image, columns, PatchRegistration{orientation, {}, {}}, labels, patchSize, progress,
                           maxAveraged);
}

namespace {

/** Which columns a capped average takes: every k-th member of each motif (empty: all). */
std::vector<std::uint8_t> averagedMembers(const std::vector<int>& labels, int classes, std::size_t maxAveraged)
{
    if (maxAveraged == 0)
        return {};
    std::vector<std::size_t> members(std::size_t(classes), 0);
    for (int l : labels)
        if (l >= 0)
            ++members[std::size_t(l)];
    std::vector<std::size_t> stride(members.size(), 1), seen(members.size(), 0);
    for (std::size_t c = 0; c < stride.size(); ++c)
        stride[c] = std::max<std::size_t>(1, (members[c] + maxAveraged - 1) / maxAveraged);
    std::vector<std::uint8_t> take(labels.size(), 0);
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= 0)
            take[i] = seen[std::size_t(labels[i])]++ % stride[std::size_t(labels[i])] == 0;
    return take;
}

} // namespace

std::vector<Motif> summariseMotifs(const FloatImage& image, const AtomColumns& columns,
                                   const PatchRegistration& registration, const std::vector<int>& labels,
                                   int patchSize, Progress* progress, std::size_t maxAveraged)
{
    const auto fits = [&](std::size_t size) { return size == 0 || size == columns.size(); };
    if (labels.size() != columns.size() || !fits(registration.angle.size()) || !fits(registration.mirrored.size()) ||
        !fits(registration.weight.size()))
        throw std::invalid_argument("motif summary: labels, registrations and columns differ in number");
    if (patchSize < 1)
        throw std::invalid_argument("motif summary: patch size must be positive");
    int classes = 0;
    for (int l : labels)
        classes = std::max(classes, l + 1);
    const std::size_t n = columns.size(), pixels = std::size_t(patchSize) * patchSize;
    const std::vector<std::uint8_t> take = averagedMembers(labels, classes, maxAveraged);
    const std::size_t blockSize = std::max<std::size_t>(256, (n + 63) / 64);
    const std::size_t blocks = (n + blockSize - 1) / blockSize;
    std::vector<std::vector<double>> sums(blocks);
    std::vector<std::vector<long long>> counts(blocks);
    std::vector<std::vector<double>> weights(blocks);
    tbb::parallel_for(std::size_t(0), blocks, [&](std::size_t b) {
        if (cancelled(progress))
            return;
        std::vector<double> sum(std::size_t(classes) * pixels, 0.0);
        std::vector<long long> count(std::size_t(classes), 0);
        std::vector<double> weight(std::size_t(classes), 0.0);
        std::vector<float> patch(pixels);
        for (std::size_t i = b * blockSize; i < std::min(n, (b + 1) * blockSize); ++i) {
            const int l = labels[i];
            if (l < 0)
                continue;
            ++count[std::size_t(l)];
            if (!take.empty() && !take[i])
                continue;
            const double angle = registration.angle.empty() ? 0.0 : double(registration.angle[i]);
            const bool mirrored = !registration.mirrored.empty() && registration.mirrored[i] != 0;
            const double w = registration.weight.empty() ? 1.0 : double(registration.weight[i]);
            sampleRotatedPatch(image, columns[i].x, columns[i].y, patchSize, angle, patch.data(), mirrored);
            double* target = sum.data() + std::size_t(l) * pixels;
            for (std::size_t p = 0; p < pixels; ++p)
                target[p] += w * patch[p];
            weight[std::size_t(l)] += w;
        }
        sums[b] = std::move(sum);
        counts[b] = std::move(count);
        weights[b] = std::move(weight);
        if (progress)
            progress->advance(1, (long long)blocks);
    });
    throwIfCancelled(progress);
    std::vector<Motif> motifs(static_cast<std::size_t>(classes));
    long long labelled = 0;
    for (int c = 0; c < classes; ++c) {
        Motif& m = motifs[std::size_t(c)];
        m.id = c;
        m.colour = motifColour(c);
        m.patchSize = patchSize;
        std::vector<double> total(pixels, 0.0);
        double weight = 0.0;
        for (std::size_t b = 0; b < blocks; ++b) {
            m.count += counts[b][std::size_t(c)];
            weight += weights[b][std::size_t(c)];
            for (std::size_t p = 0; p < pixels; ++p)
                total[p] += sums[b][std::size_t(c) * pixels + p];
        }
        m.averagePatch.resize(pixels, 0.0f);
        if (weight > 0.0)
            for (std::size_t p = 0; p < pixels; ++p)
                m.averagePatch[p] = float(total[p] / weight);
        labelled += m.count;
    }
    for (Motif& m : motifs)
        m.fraction = labelled > 0 ? double(m.count) / double(labelled) : 0.0;
    return motifs;
}

namespace {

/** rms over the disk of a - b, over the mean of the two averages' rms contrast about their means. */
double lookalikeDifference(const std::vector<float>& a, const std::vector<float>& b, const std::vector<int>& disk)
{
    double ma = 0.0, mb = 0.0;
    for (int p : disk)
        ma += a[std::size_t(p)], mb += b[std::size_t(p)];
    ma /= double(disk.size()), mb /= double(disk.size());
    double d2 = 0.0, va = 0.0, vb = 0.0;
    for (int p : disk) {
        const double x = a[std::size_t(p)], y = b[std::size_t(p)];
        d2 += (x - y) * (x - y), va += (x - ma) * (x - ma), vb += (y - mb) * (y - mb);
    }
    const double n = double(disk.size());
    const double contrast = 0.5 * (std::sqrt(va / n) + std::sqrt(vb / n));
    return contrast > 0.0 ? std::sqrt(d2 / n) / contrast : 0.0;
}

} // namespace

int mergeLookalikeMotifs(std::vector<Motif>& motifs, std::vector<int>& oldToNew, double minDifference)
{
    const std::size_t k = motifs.size();
    oldToNew.resize(k);
    for (std::size_t i = 0; i < k; ++i)
        oldToNew[i] = int(i);
    if (k < 2 || motifs[0].patchSize < 1)
        return 0;
    const int size = motifs[0].patchSize;
    const std::vector<int> disk = patchDiskPixels(size);

    std::vector<char> alive(k, 0);
    for (std::size_t i = 0; i < k; ++i)
        alive[i] = motifs[i].count > 0 && motifs[i].averagePatch.size() == std::size_t(size) * std::size_t(size);
    std::vector<int> root(k);
    for (std::size_t i = 0; i < k; ++i)
        root[i] = int(i);
    int merges = 0;
    for (;;) {
        double best = minDifference;
        std::size_t ba = k, bb = k;
        for (std::size_t a = 0; a < k; ++a)
            for (std::size_t b = a + 1; b < k && alive[a]; ++b)
                if (alive[b]) {
                    const double d = lookalikeDifference(motifs[a].averagePatch, motifs[b].averagePatch, disk);
                    if (d < best)
                        best = d, ba = a, bb = b;
                }
        if (ba == k)
            break;
        Motif& into = motifs[ba];
        const Motif& from = motifs[bb];
        const double wa = double(into.count), wb = double(from.count);
        for (std::size_t p = 0; p < into.averagePatch.size(); ++p)
            into.averagePatch[p] = float((wa * into.averagePatch[p] + wb * from.averagePatch[p]) / (wa + wb));
        into.count += from.count;
        alive[bb] = 0;
        for (int& r : root)
            if (r == int(bb))
                r = int(ba);
        ++merges;
    }
    if (merges == 0)
        return 0;
    // Survivors by size (ties: the smaller old id), renumbered with their colours.
    std::vector<int> survivors;
    for (std::size_t i = 0; i < k; ++i)
        if (alive[i])
            survivors.push_back(int(i));
    std::stable_sort(survivors.begin(), survivors.end(),
                     [&](int a, int b) { return motifs[std::size_t(a)].count > motifs[std::size_t(b)].count; });
    std::vector<int> newId(k, -1);
    std::vector<Motif> kept;
    long long total = 0;
    for (int old : survivors) {
        newId[std::size_t(old)] = int(kept.size());
        kept.push_back(std::move(motifs[std::size_t(old)]));
        kept.back().id = int(kept.size()) - 1;
        kept.back().colour = motifColour(kept.back().id);
        total += kept.back().count;
    }
    for (Motif& m : kept)
        m.fraction = total > 0 ? double(m.count) / double(total) : 0.0;
    for (std::size_t i = 0; i < k; ++i)
        oldToNew[i] = newId[std::size_t(root[i])];
    motifs = std::move(kept);
    return merges;
}

} // namespace motifscope
