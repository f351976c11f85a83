#include "core/pipeline/analysis.h"

#include "core/image/finite_image.h"
#include "core/util/progress.h"

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
        mTimings.add(stage, std::chrono::duration<double>(now - mStart).count());
        mStart = now;
    }

private:
    StageTimings& mTimings;
    std::chrono::steady_clock::time_point mStart = std::chrono::steady_clock::now();
};

} // namespace

AnalysisResult analyzeMicrograph(const Micrograph& image, const AnalysisParams& params, Progress* progress)
{
    StageTimings conversion;
    const FloatImage raw = finiteCopyTimed(image, conversion);
    AnalysisResult result = analyzeMicrograph(raw, params, progress);
    result.timings.add("detect", conversion.total);
    return result;
}

AnalysisResult analyzeMicrograph(const FloatImage& raw, const AnalysisParams& params, Progress* progress)
{
    AnalysisResult result;
    StageClock clock(result.timings);

    DetectionParams detection = params.detection;
    const bool refine = detection.refine;
    detection.refine = false;
    if (progress)
        progress->beginStage("detecting columns", 0.0, 0.4);
    result.detection = detectColumns(raw, detection, progress);
    clock.stop("detect");

    if (refine) {
        if (progress)
            progress->beginStage("refining positions", 0.4, 1.0);
        result.detection.used.refine = true;
        refineDetectedColumns(raw, result.detection, progress);
        clock.stop("refine");
    }

    return result;
}

FloatImage finiteCopyTimed(const Micrograph& image, StageTimings& timings)
{
    StageClock clock(timings);
    FloatImage raw = withFiniteValues(image);
    clock.stop("detect");
    return raw;
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
