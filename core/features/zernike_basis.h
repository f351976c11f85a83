#pragma once
/** The real Zernike basis sampled on a square patch grid, orthonormal over the unit disk. */

#include <Eigen/Core>

#include <memory>
#include <vector>

namespace motifscope {

/** One real Zernike polynomial: radial order n, azimuthal m (m >= 0: cos(m theta), m < 0: sin(|m| theta)). */
struct ZernikeIndex
{
    int n = 0;
    int m = 0;
};

/**
 * Z_j for j = (n(n+2)+m)/2, n = 0..nMax, sampled on a size x size patch mapped to the unit disk
 * (pixel edges at -1 and +1, pixel centres at (i - (size-1)/2) / (size/2)). Each pixel holds the
 * polynomial averaged over 4 x 4 sub-pixel points inside the disk, scaled so that the columns are
 * orthonormal on the grid: each radial family (fixed m) is orthonormalised on the grid by one
 * symmetric transform shared by its cos and sin members (sum over pixels of Z_i Z_j ~ delta_ij;
 * what remains is the small coupling between different m that a square grid cannot avoid).
 * Radial polynomials come from Prata's recurrence, not factorial sums.
 */
class ZernikeBasis
{
public:
    ZernikeBasis(int patchSize, int nMax);

    int patchSize() const { return mSize; }
    int nMax() const { return mNMax; }
    int count() const { return int(mIndices.size()); }
    const std::vector<ZernikeIndex>& indices() const { return mIndices; }

    /** Patch pixels (row-major indices) that touch the disk: the rows of matrix(). */
    const std::vector<int>& diskPixels() const { return mDiskPixels; }
    /** diskPixels().size() x count(): moments = patchValuesOnDisk^T * matrix(). */
    const Eigen::MatrixXf& matrix() const { return mMatrix; }

    /** Full size*size patch reconstructed from `count()` moments. */
    std::vector<float> reconstruct(const float* moments) const;

    /** Linear index j of (n, m), or -1 when n > nMax or n - |m| is odd. */
    int indexOf(int n, int m) const;

    /** A shared basis for (patchSize, nMax), built once per process. Thread-safe. */
    static std::shared_ptr<const ZernikeBasis> cached(int patchSize, int nMax);

    /** Radial polynomials R_n^m(rho) for all n <= nMax, 0 <= m <= n, into table[n * (nMax+1) + m]. */
    static void radialTable(double rho, int nMax, double* table);

private:
    void orthonormaliseRadialFamilies(Eigen::MatrixXd& matrix) const;

    int mSize;
    int mNMax;
    std::vector<ZernikeIndex> mIndices;
    std::vector<int> mDiskPixels;
    Eigen::MatrixXf mMatrix;
};

} // namespace motifscope
