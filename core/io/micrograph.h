#pragma once
/** A micrograph as MotifScope works on it: float32 pixels plus what the file said about them. */

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace motifscope {

/** Spatial calibration of one pixel. An empty unit means the file carried no calibration. */
struct Calibration
{
    double pixelSizeX = 1.0; ///< size of one pixel along x (columns), in `unit`
    double pixelSizeY = 1.0; ///< size of one pixel along y (rows), in `unit`
    std::string unit;        ///< "nm", "µm", "Å", ...; empty = uncalibrated (pixels)

    bool isCalibrated() const { return !unit.empty(); }
};

/** Image pixels (row-major, y down, origin top-left) as float32, with provenance. */
struct Micrograph
{
    int width = 0;
    int height = 0;
    std::vector<float> pixels;     ///< width * height values, row-major
    std::string dtype;             ///< data type as stored in the file, numpy-style ("uint16", "float32", "rgb8", ...)
    std::string format;            ///< reader that produced it: "TIFF", "DM3", "DM4", "EMD-Velox", ...
    int frames = 1;                ///< frames in the file; pixels hold the first
    Calibration calibration;
    std::map<std::string, std::string> metadata; ///< instrument metadata, flattened "Group.Key" -> value

    float at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
    float& at(int x, int y) { return pixels[static_cast<std::size_t>(y) * width + x]; }
    std::size_t pixelCount() const { return static_cast<std::size_t>(width) * height; }
    bool empty() const { return pixels.empty(); }
};

/** Summary statistics over the finite pixels of a micrograph. */
struct PixelStats
{
    double min = 0.0;
    double max = 0.0;
    double mean = 0.0;
    std::size_t finiteCount = 0;
};

PixelStats computeStats(const Micrograph& image);

/** Every reader and writer failure: one line naming the file and the problem. */
class IoError : public std::runtime_error
{
public:
    IoError(const std::string& file, const std::string& problem)
        : std::runtime_error(file + ": " + problem), mFile(file), mProblem(problem)
    {
    }
    const std::string& file() const { return mFile; }
    const std::string& problem() const { return mProblem; }

private:
    std::string mFile;
    std::string mProblem;
};

/** Largest image a reader accepts (pixels); larger declared sizes are refused as absurd. */
constexpr std::size_t kMaxPixels = std::size_t(1) << 30;
/** Largest side length accepted. */
constexpr long long kMaxSide = 1 << 20;

/** Throws IoError unless width x height is a plausible image size. */
void checkImageSize(const std::string& file, long long width, long long height);

} // namespace motifscope
