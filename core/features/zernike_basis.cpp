#include "core/features/zernike_basis.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <Eigen/Eigenvalues>

#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>

namespace motifscope {

void ZernikeBasis::radialTable(double rho, int nMax, double* table)
{
    const int stride = nMax + 1;
    auto R = [&](int n, int m) -> double& { return table[n * stride + m]; };
    for (int n = 0; n <= nMax; ++n) {
        for (int m = 0; m <= n; ++m) {
            if ((n - m) % 2 != 0) {
                R(n, m) = 0.0;
            } else if (m == n) {
                R(n, m) = std::pow(rho, n);
            } else {
                // Prata: R_n^m = 2 rho n/(n+m) R_{n-1}^{|m-1|} - (n-m)/(n+m) R_{n-2}^m
                R(n, m) = 2.0 * rho * n / (n + m) * R(n - 1, std::abs(m - 1)) - double(n - m) / (n + m) * R(n - 2, m);
            }
        }
    }
}

ZernikeBasis::ZernikeBasis(int patchSize, int nMax) : mSize(patchSize), mNMax(nMax)
{
    if (patchSize < 3 || patchSize > 401)
        throw std::invalid_argument("Zernike patch size must be between 3 and 401 pixels");
    if (nMax < 0 || nMax > 40)
        throw std::invalid_argument("Zernike n_max must be between 0 and 40");
    for (int n = 0; n <= nMax; ++n)
        for (int m = -n; m <= n; m += 2)
            mIndices.push_back({n, m});

    constexpr int kSub = 4;
    const double centre = (patchSize - 1) / 2.0;
    const double radius = patchSize / 2.0;
    const double pixelArea = 1.0 / (radius * radius); // in unit-disk coordinates
    // Row by row in parallel (each pixel on its own), then gathered in row order.
    struct Row
    {
        std::vector<int> pixels;
        std::vector<std::vector<double>> values;
    };
    std::vector<Row> rows(static_cast<std::size_t>(patchSize));
    // Per basis function its normalisation; per sub-sample each order's angular factor once.
    std::vector<double> norms;
    for (const auto& [n, m] : mIndices)
        norms.push_back(std::sqrt((2.0 * (n + 1)) / (m == 0 ? 2.0 : 1.0) / M_PI));
    // Isolated: cached() builds under a lock, and a thread waiting here must not pick up another
    // task that could ask for a basis (and wait for the lock it holds).
    tbb::this_task_arena::isolate([&] { tbb::parallel_for(0, patchSize, [&](int py) {
        std::vector<double> table((nMax + 1) * (nMax + 1));
        std::vector<double> angularOf(std::size_t(2 * nMax + 1)); // [m + nMax]: cos(m theta), sin(-m theta) for m < 0
        Row& row = rows[std::size_t(py)];
        for (int px = 0; px < patchSize; ++px) {
            std::vector<double> values(mIndices.size(), 0.0);
            bool touches = false;
            for (int sy = 0; sy < kSub; ++sy) {
                for (int sx = 0; sx < kSub; ++sx) {
                    // Unit-disk coordinates, y up so that theta runs counter-clockwise on screen.
                    const double x = (px - centre + (sx + 0.5) / kSub - 0.5) / radius;
                    const double y = -(py - centre + (sy + 0.5) / kSub - 0.5) / radius;
                    const double rho = std::hypot(x, y);
                    if (rho > 1.0)
                        continue;
                    touches = true;
                    const double theta = std::atan2(y, x);
                    radialTable(rho, nMax, table.data());
                    for (int m = -nMax; m <= nMax; ++m)
                        angularOf[std::size_t(m + nMax)] = m >= 0 ? std::cos(m * theta) : std::sin(-m * theta);
                    for (std::size_t j = 0; j < mIndices.size(); ++j) {
                        const auto [n, m] = mIndices[j];
                        values[j] += norms[j] * table[n * (nMax + 1) + std::abs(m)] * angularOf[std::size_t(m + nMax)];
                    }
                }
            }
            if (!touches)
                continue;
            // Average over sub-samples (outside points count as zero) times sqrt(pixel area):
            // sum_pixels Z_i Z_j then approximates the integral over the disk, i.e. delta_ij.
            for (double& v : values)
                v = v / (kSub * kSub) * std::sqrt(pixelArea);
            row.pixels.push_back(py * patchSize + px);
            row.values.push_back(std::move(values));
        }
    }); });
    std::vector<std::vector<double>> columns;
    for (Row& row : rows) {
        mDiskPixels.insert(mDiskPixels.end(), row.pixels.begin(), row.pixels.end());
        for (auto& v : row.values)
            columns.push_back(std::move(v));
    }
    Eigen::MatrixXd matrix(Eigen::Index(mDiskPixels.size()), Eigen::Index(mIndices.size()));
    for (std::size_t p = 0; p < columns.size(); ++p)
        for (std::size_t j = 0; j < mIndices.size(); ++j)
            matrix(Eigen::Index(p), Eigen::Index(j)) = columns[p][j];
    orthonormaliseRadialFamilies(matrix);
    mMatrix = matrix.cast<float>();
}

void ZernikeBasis::orthonormaliseRadialFamilies(Eigen::MatrixXd& matrix) const
{
    // Sampling makes polynomials of equal m but different n slightly non-orthogonal (mostly at the
    // rim). For each m, one symmetric (Loewdin) transform G^(-1/2) of the radial family, shared by
    // the cos and sin members, restores orthonormality on the grid while keeping every function of
    // the form g(rho) cos(m theta) or g(rho) sin(m theta), so moments still rotate as before.
    for (int m = 0; m <= mNMax; ++m) {
        std::vector<int> cosIdx, sinIdx;
        for (int n = m; n <= mNMax; n += 2) {
            cosIdx.push_back(indexOf(n, m));
            if (m > 0)
                sinIdx.push_back(indexOf(n, -m));
        }
        const Eigen::Index k = Eigen::Index(cosIdx.size());
        Eigen::MatrixXd c(matrix.rows(), k), s(matrix.rows(), k);
        for (Eigen::Index i = 0; i < k; ++i) {
            c.col(i) = matrix.col(cosIdx[std::size_t(i)]);
            if (m > 0)
                s.col(i) = matrix.col(sinIdx[std::size_t(i)]);
        }
        Eigen::MatrixXd gram = c.transpose() * c;
        if (m > 0)
            gram = 0.5 * (gram + s.transpose() * s);
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
        const Eigen::MatrixXd inverseRoot = eig.operatorInverseSqrt();
        c = c * inverseRoot;
        if (m > 0)
            s = s * inverseRoot;
        for (Eigen::Index i = 0; i < k; ++i) {
            matrix.col(cosIdx[std::size_t(i)]) = c.col(i);
            if (m > 0)
                matrix.col(sinIdx[std::size_t(i)]) = s.col(i);
        }
    }
}

std::vector<float> ZernikeBasis::reconstruct(const float* moments) const
{
    std::vector<float> patch(std::size_t(mSize) * mSize, 0.0f);
    const Eigen::Map<const Eigen::VectorXf> a(moments, count());
    const Eigen::VectorXf values = mMatrix * a;
    for (std::size_t p = 0; p < mDiskPixels.size(); ++p)
        patch[std::size_t(mDiskPixels[p])] = values[Eigen::Index(p)];
    return patch;
}

int ZernikeBasis::indexOf(int n, int m) const
{
    if (n < 0 || n > mNMax || std::abs(m) > n || (n - std::abs(m)) % 2 != 0)
        return -1;
    return (n * (n + 2) + m) / 2;
}

std::shared_ptr<const ZernikeBasis> ZernikeBasis::cached(int patchSize, int nMax)
{
    static std::mutex mutex;
    static std::map<std::pair<int, int>, std::shared_ptr<const ZernikeBasis>> cache;
    const std::lock_guard lock(mutex);
    auto& slot = cache[{patchSize, nMax}];
    if (!slot)
        slot = std::make_shared<const ZernikeBasis>(patchSize, nMax);
    return slot;
}

} // namespace motifscope
