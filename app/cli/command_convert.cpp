#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/io/file_util.h"
#include "core/io/readers.h"
#include "core/io/writers.h"

#include <cstdio>

namespace motifscope::cli {

int runConvert(const Args& argv)
{
    const CommandSpec spec{"convert",
                           "usage: motifscope-cli convert IN OUT.tif\n\n"
                           "Writes the image as read (first frame of a stack) as a 32-bit float TIFF with\n"
                           "its calibration, values unchanged.\n",
                           {},
                           {},
                           2,
                           2};
    const ParsedArgs args = parseArgs(spec, argv);
    if (args.has("--help")) {
        std::fputs(spec.usage.c_str(), stdout);
        return ExitOk;
    }
    const std::string& out = args.positional[1];
    const std::string ext = fileExtension(out);
    if (ext != "tif" && ext != "tiff")
        throw UsageError(out + ": output must be a .tif file");
    const Micrograph image = readMicrograph(args.positional[0]);
    writeTiffFloat32(image, out);
    return ExitOk;
}

} // namespace motifscope::cli
