#include "learn/motifs.h"

#include "features/patches.h"
#include "util/progress.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace motifscope {

std::string motifColour(int id)
{
    static const std::array<const char*, 16> palette = {
        "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", // Okabe-Ito
        "#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499", // Tol muted
    };
    return palette[std::size_t(std::max(0, id)) % palette.size()];
}

std::vector<Motif> summariseMotifs(const FloatImage& image, const AtomColumns& columns,
                                   const std::vector<float>& orientation, const std::vector<int>& labels,
                                   int patchSize, Progress* progress)
{
    if (labels.size() != columns.size() || (!orientation.empty() && orientation.size() != columns.size()))
        throw std::invalid_argument("motif summary: labels, orientations and columns differ in number");
    if (patchSize < 1)
        throw std::invalid_argument("motif summary: patch size must be positive");
    int classes = 0;
    for (int l : labels)
        classes = std::max(classes, l + 1);
    const std::size_t n = columns.size(), pixels = std::size_t(patchSize) * patchSize;
    const std::size_t blockSize = std::max<std::size_t>(256, (n + 63) / 64);
    const std::size_t blocks = (n + blockSize - 1) / blockSize;
    std::vector<std::vector<double>> sums(blocks);
    std::vector<std::vector<long long>> counts(blocks);
    tbb::parallel_for(std::size_t(0), blocks, [&](std::size_t b) {
        if (cancelled(progress))
            return;
        std::vector<double> sum(std::size_t(classes) * pixels, 0.0);
        std::vector<long long> count(std::size_t(classes), 0);
        std::vector<float> patch(pixels);
        for (std::size_t i = b * blockSize; i < std::min(n, (b + 1) * blockSize); ++i) {
            const int l = labels[i];
            if (l < 0)
                continue;
            const double angle = orientation.empty() ? 0.0 : double(orientation[i]);
            sampleRotatedPatch(image, columns[i].x, columns[i].y, patchSize, angle, patch.data());
            double* target = sum.data() + std::size_t(l) * pixels;
            for (std::size_t p = 0; p < pixels; ++p)
                target[p] += patch[p];
            ++count[std::size_t(l)];
        }
        sums[b] = std::move(sum);
        counts[b] = std::move(count);
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
        for (std::size_t b = 0; b < blocks; ++b) {
            m.count += counts[b][std::size_t(c)];
            for (std::size_t p = 0; p < pixels; ++p)
                total[p] += sums[b][std::size_t(c) * pixels + p];
        }
        m.averagePatch.resize(pixels, 0.0f);
        if (m.count > 0)
            for (std::size_t p = 0; p < pixels; ++p)
                m.averagePatch[p] = float(total[p] / double(m.count));
        labelled += m.count;
    }
    for (Motif& m : motifs)
        m.fraction = labelled > 0 ? double(m.count) / double(labelled) : 0.0;
    return motifs;
}

} // namespace motifscope
