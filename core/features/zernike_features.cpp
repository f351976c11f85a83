#include "core/features/zernike_features.h"

#include "core/features/patches.h"
#include "core/util/progress.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <stdexcept>

namespace motifscope {

std::vector<ZernikeIndex> invariantIndices(int nMax)
{
    std::vector<ZernikeIndex> out;
    for (int n = 0; n <= nMax; ++n)
        for (int m = n % 2; m <= n; m += 2)
            out.push_back({n, m});
    return out;
}

void invariantsFromMoments(const ZernikeBasis& basis, const float* moments, float* out)
{
    int k = 0;
    for (int n = 0; n <= basis.nMax(); ++n) {
        for (int m = n % 2; m <= n; m += 2) {
            const float c = moments[basis.indexOf(n, m)];
            const float s = m > 0 ? moments[basis.indexOf(n, -m)] : 0.0f;
            out[k++] = std::sqrt(c * c + s * s);
        }
    }
}

namespace {

/** Orientation from the m > 0 order holding the most energy (summed over n), and that order. */
std::pair<float, int> dominantOrientation(const ZernikeBasis& basis, const float* moments)
{
    const int nMax = basis.nMax();
    int bestM = 0;
    double bestEnergy = 0.0;
    for (int m = 1; m <= nMax; ++m) {
        double energy = 0.0;
        for (int n = m; n <= nMax; n += 2) {
            const float c = moments[basis.indexOf(n, m)], s = moments[basis.indexOf(n, -m)];
            energy += double(c) * c + double(s) * s;
        }
        if (energy > bestEnergy * 1.000001) {
            bestEnergy = energy;
            bestM = m;
        }
    }
    if (bestM == 0)
        return {0.0f, 0};
    // Phase from the strongest radial order of that m.
    int bestN = bestM;
    double bestMag = -1.0;
    for (int n = bestM; n <= nMax; n += 2) {
        const float c = moments[basis.indexOf(n, bestM)], s = moments[basis.indexOf(n, -bestM)];
        const double mag = double(c) * c + double(s) * s;
        if (mag > bestMag)
            bestMag = mag, bestN = n;
    }
    const float c = moments[basis.indexOf(bestN, bestM)], s = moments[basis.indexOf(bestN, -bestM)];
    return {float(std::atan2(double(s), double(c)) / bestM), bestM};
}

} // namespace

FeatureSet computeFeatures(const FloatImage& image, const AtomColumns& columns, int patchSize,
                           const FeatureParams& params, Progress* progress)
{
    if (patchSize < 3 || patchSize % 2 == 0)
        throw std::invalid_argument("patch size must be odd and at least 3 pixels");
    FeatureSet set;
    set.basis = ZernikeBasis::cached(patchSize, params.nMax);
    const ZernikeBasis& basis = *set.basis;
    const Eigen::Index n = Eigen::Index(columns.size());
    const int k = basis.count();
    set.invariantIndex = invariantIndices(params.nMax);
    const int d = int(set.invariantIndex.size());
    set.moments.resize(n, k);
    set.invariants.resize(n, d);
    set.orientation.assign(columns.size(), 0.0f);
    set.orientationOrder.assign(columns.size(), 0);
    set.inside.assign(columns.size(), 0);

    const std::vector<int>& pixels = basis.diskPixels();
    const int p = int(pixels.size());
    constexpr Eigen::Index kBlock = 1024;
    const Eigen::Index blocks = (n + kBlock - 1) / kBlock;
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, blocks, 1), [&](const tbb::blocked_range<Eigen::Index>& r) {
        // One patch matrix per task, reused across its blocks: rows = columns, cols = disk pixels.
        Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> patches(kBlock, p);
        Eigen::VectorXf m(k);
        Eigen::VectorXf inv(d);
        for (Eigen::Index b = r.begin(); b != r.end(); ++b) {
            if (cancelled(progress))
                return;
            const Eigen::Index first = b * kBlock;
            const Eigen::Index rows = std::min(kBlock, n - first);
            for (Eigen::Index i = 0; i < rows; ++i) {
                const AtomColumn& c = columns[std::size_t(first + i)];
                samplePatchPixels(image, c.x, c.y, patchSize, pixels.data(), p, patches.row(i).data());
                set.inside[std::size_t(first + i)] = patchInside(image, c.x, c.y, patchSize) ? 1 : 0;
            }
            set.moments.middleRows(first, rows).noalias() = patches.topRows(rows) * basis.matrix();
            for (Eigen::Index i = 0; i < rows; ++i) {
                const Eigen::Index row = first + i;
                m = set.moments.row(row).transpose();
                invariantsFromMoments(basis, m.data(), inv.data());
                if (params.normalization == FeatureNormalization::UnitNorm && inv.norm() > 0.0f)
                    inv /= inv.norm();
                set.invariants.row(row) = inv.transpose();
                const auto [angle, order] = dominantOrientation(basis, m.data());
                set.orientation[std::size_t(row)] = angle;
                set.orientationOrder[std::size_t(row)] = order;
            }
            if (progress)
                progress->advance(rows, n);
        }
    });
    throwIfCancelled(progress);
    return set;
}

} // namespace motifscope
