#include "app/cli/cli_args.h"
#include "app/cli/cli_progress.h"
#include "app/cli/commands.h"
#include "core/detect/column_detector.h"
#include "core/detect/columns_csv.h"
#include "core/image/finite_image.h"
#include "core/io/readers.h"
#include "core/util/threads.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace motifscope::cli {

int runDetect(const Args& argv)
{
    const CommandSpec spec{"detect",
                           "usage: motifscope-cli detect IMAGE --out columns.csv [--spacing PX] [--threshold H]\n"
                           "                             [--significance Z] [--no-residual-passes]\n"
                           "                             [--no-contrast-mask] [--no-joint-fit]\n"
                           "                             [--no-refine] [--threads N] [--progress]\n\n"
                           "Finds every atom column and refines it to sub-pixel precision (centre of mass,\n"
                           "then a 2-D Gaussian fit). Writes CSV x,y,intensity (then width, background,\n"
                           "residual, refinement, sigma_px = the position's standard error in pixels, 0 when\n"
                           "not fitted). --spacing is the nearest-neighbour column distance in pixels\n"
                           "(default: estimated from the image); --threshold the minimum peak height above\n"
                           "the local background (default: automatic, from --significance); --significance\n"
                           "how many noise standard deviations a peak must stand out (default: automatic).\n"
                           "--no-residual-passes skips the search for weaker columns beside the fitted ones;\n"
                           "--no-contrast-mask searches vacuum and amorphous support too; --no-joint-fit\n"
                           "fits close neighbours one at a time.\n",
                           {"--out", "--spacing", "--threshold", "--significance", "--threads"},
                           {"--no-refine", "--no-residual-passes", "--no-contrast-mask", "--no-joint-fit", "--progress"},
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
    params.significance = args.positiveNumber("--significance", 0.0);
    params.residualPasses = !args.has("--no-residual-passes");
    params.atomicContrastOnly = !args.has("--no-contrast-mask");
    params.jointFit = !args.has("--no-joint-fit");
    params.refine = !args.has("--no-refine");

    const std::string& path = args.positional[0];
    Micrograph image = readMicrograph(path);
    const FloatImage pixels = takeFiniteValues(image); // one copy of a large image, not two
    requireFitsImage("--spacing", params.period, std::min(image.width, image.height) / 3.0, image.width, image.height);
    TerminalProgress bar(args.has("--progress"));
    DetectionResult result;
    try {
        result = detectColumns(pixels, params, bar.progress());
    } catch (const std::runtime_error& e) {
        throw InputError(path + ": " + e.what());
    }
    writeColumnsCsv(result.columns, out);
    return ExitOk;
}

} // namespace motifscope::cli
