// motifscope-cli: headless MotifScope. The contract is docs/CLI.md (shared/docs/CLI.md).
#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/io/micrograph.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <map>

namespace motifscope::cli {
int runRender(const Args& args); // command_render.cpp
}

namespace {

using namespace motifscope::cli;

const char* kUsage =
    "usage: motifscope-cli COMMAND [ARGS] [--help]\n"
    "\n"
    "Unsupervised learning of motifs in atomic-resolution micrographs.\n"
    "\n"
    "commands:\n"
    "  info FILE                 image size, type, calibration and statistics as JSON\n"
    "  convert IN OUT.tif        write the image as a 32-bit float TIFF, values unchanged\n"
    "  synth --preset NAME ...   synthetic HAADF-STEM micrograph with known truth\n"
    "  detect IMAGE --out CSV    atom columns refined to sub-pixel precision\n"
    "  analyze IMAGE --out DIR   the whole pipeline: columns, features, motifs, hierarchy\n"
    "  hierarchy POINTS.csv --out DIR\n"
    "                            the motif hierarchy from column positions alone\n"
    "  learn IMAGE... --out DICT.motifdict\n"
    "                            learn motifs once: a motif dictionary for classify and watch\n"
    "  classify DICT IMAGE... --out DIR\n"
    "                            every frame with the dictionary's motifs, and series.csv\n"
    "  watch FOLDER --dictionary DICT --out DIR [--once]\n"
    "                            classify each micrograph that appears in FOLDER\n"
    "  merge-series PART... --out DIR\n"
    "                            join classify folders (e.g. one frame each) into one series\n"
    "  render DIR|SESSION --out FIGURE.(png|svg|pdf)\n"
    "                            an annotated publication figure\n"
    "\n"
    "Exit status: 0 success, 2 usage error, 3 input error.\n";

void printError(const std::string& message)
{
    std::fprintf(stderr, "motifscope-cli: error: %s\n", message.c_str());
}

} // namespace

int main(int argc, char** argv)
{
    const std::map<std::string, int (*)(const Args&)> commands = {
        {"info", &runInfo},
        {"convert", &runConvert},
        {"synth", &runSynth},
        {"detect", &runDetect},
        {"analyze", &runAnalyze},
        {"hierarchy", &runHierarchy},
        {"learn", &runLearn},
        {"classify", &runClassify},
        {"watch", &runWatch},
        {"merge-series", &runMergeSeries},
        {"render", &runRender},
    };
    if (argc < 2) {
        std::fputs(kUsage, stderr);
        return ExitUsage;
    }
    const std::string command = argv[1];
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(kUsage, stdout);
        return ExitOk;
    }
    if (command == "--version") {
        std::printf("motifscope-cli %s\n", MOTIFSCOPE_VERSION);
        return ExitOk;
    }
    const auto it = commands.find(command);
    if (it == commands.end()) {
        printError("unknown command '" + command + "' (see motifscope-cli --help)");
        return ExitUsage;
    }
    const Args args(argv + 2, argv + argc);
    try {
        return it->second(args);
    } catch (const UsageError& e) {
        printError(e.what());
        return ExitUsage;
    } catch (const motifscope::IoError& e) {
        printError(e.what());
        return ExitInput;
    } catch (const InputError& e) {
        printError(e.what());
        return ExitInput;
    } catch (const std::bad_alloc&) {
        printError("out of memory");
        return ExitInput;
    } catch (const std::exception& e) {
        printError(e.what());
        return ExitInput;
    }
}
