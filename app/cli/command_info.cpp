#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/io/readers.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace motifscope::cli {

int runInfo(const Args& argv)
{
    const CommandSpec spec{"info",
                           "usage: motifscope-cli info FILE\n\n"
                           "Prints JSON: format, width, height, dtype (as stored), pixel_size, unit, frames,\n"
                           "min, max, mean, and the instrument metadata the file holds.\n",
                           {},
                           {},
                           1,
                           1};
    const ParsedArgs args = parseArgs(spec, argv);
    if (args.has("--help")) {
        std::fputs(spec.usage.c_str(), stdout);
        return ExitOk;
    }
    const Micrograph image = readMicrograph(args.positional[0]);
    const PixelStats stats = computeStats(image);

    nlohmann::ordered_json out;
    out["file"] = args.positional[0];
    out["format"] = image.format;
    out["width"] = image.width;
    out["height"] = image.height;
    out["dtype"] = image.dtype;
    out["pixel_size"] = image.calibration.pixelSizeX;
    if (image.calibration.pixelSizeY != image.calibration.pixelSizeX)
        out["pixel_size_y"] = image.calibration.pixelSizeY;
    out["unit"] = image.calibration.unit;
    out["frames"] = image.frames;
    if (stats.finiteCount > 0) {
        out["min"] = stats.min;
        out["max"] = stats.max;
        out["mean"] = stats.mean;
    } else { // nothing to take them from: null, not a made-up 0
        out["min"] = nullptr;
        out["max"] = nullptr;
        out["mean"] = nullptr;
        out["note"] = "no finite pixels";
        std::fprintf(stderr, "motifscope-cli: warning: %s: no finite pixels (all NaN or infinite)\n",
                     args.positional[0].c_str());
    }
    if (stats.finiteCount != image.pixelCount())
        out["non_finite_pixels"] = image.pixelCount() - stats.finiteCount;
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    for (const auto& [key, value] : image.metadata)
        meta[key] = value;
    out["metadata"] = meta;
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return ExitOk;
}

} // namespace motifscope::cli
