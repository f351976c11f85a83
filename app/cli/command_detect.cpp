#include "cli/cli_args.h"
#include "cli/cli_progress.h"
#include "cli/commands.h"
#include "detect/column_detector.h"
#include "detect/columns_csv.h"
#include "io/readers.h"
#include "util/threads.h"

#include <cstdio>
#include <stdexcept>

namespace motifscope::cli {

int runDetect(const Args& argv)
{
    const CommandSpec spec{"detect",
                           "usage: motifscope-cli detect IMAGE --out columns.csv [--spacing PX] [--threshold H]\n"
                           "                             [--no-refine] [--threads N] [--progress]\n\n"
                           "Finds every atom column and refines it to sub-pixel precision (centre of mass,\n"
                           "then a 2-D Gaussian fit). Writes CSV x,y,intensity (then width, background,\n"
                           "residual, refinement). --spacing is the nearest-neighbour column distance in\n"
                           "pixels (default: estimated from the image); --threshold the minimum peak\n"
                           "height above the local background (default: automatic).\n",
                           {"--out", "--spacing", "--threshold", "--threads"},
                           {"--no-refine", "--progress"},
                           1,
                           1};
    const ParsedArgs args = parseArgs(spec, argv);
    if (args.has("--help")) {
        std::fputs(spec.usage.c_str(), stdout);
        return ExitOk;
    }
    const ThreadLimit threads(configureThreads(args));
    const std::string out = args.required("--out");
    DetectionParams params;
    params.period = args.positiveNumber("--spacing", 0.0);
    if (args.has("--threshold"))
        params.threshold = args.number("--threshold", 0.0);
    params.refine = !args.has("--no-refine");

    const std::string& path = args.positional[0];
    const Micrograph image = readMicrograph(path);
    TerminalProgress bar(args.has("--progress"));
    DetectionResult result;
    try {
        result = detectColumns(image, params, bar.progress());
    } catch (const std::runtime_error& e) {
        throw InputError(path + ": " + e.what());
    }
    writeColumnsCsv(result.columns, out);
    return ExitOk;
}

} // namespace motifscope::cli
