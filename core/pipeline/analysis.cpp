#include "pipeline/analysis.h"

#include "image/finite_image.h"
#include "util/progress.h"

#include <chrono>
#include <fstream>
#include <string>

namespace motifscope {

namespace {

class StageClock
{
public:
    explicit StageClock(StageTimings& timings) : mTimings(timings) {}
    void stop(const std::string& stage)
    {
        const auto now = std::chrono::steady_clock::now();
        const double s = std::chrono::duration<double>(now - mStart).count();
        mTimings.seconds[stage] += s;
        mTimings.total += s;
        mStart = now;
    }

private:
    StageTimings& mTimings;
    std::chrono::steady_clock::time_point mStart = std::chrono::steady_clock::now();
};

} // namespace

AnalysisResult analyzeMicrograph(const Micrograph& image, const AnalysisParams& params, Progress* progress)
{
    AnalysisResult result;
    StageClock clock(result.timings);

    DetectionParams detection = params.detection;
    const bool refine = detection.refine;
    detection.refine = false;
    if (progress)
        progress->beginStage("detecting columns", 0.0, 0.4);
    result.detection = detectColumns(image, detection, progress);
    clock.stop("detect");

    const FloatImage raw = withFiniteValues(image.pixels.data(), image.width, image.height);
    if (refine) {
        if (progress)
            progress->beginStage("refining positions", 0.4, 1.0);
        result.detection.used.refine = true;
        refineDetectedColumns(raw, result.detection, progress);
        clock.stop("refine");
    }

    return result;
}

double peakResidentMemoryMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0; // kB
    return 0.0;
}

} // namespace motifscope
