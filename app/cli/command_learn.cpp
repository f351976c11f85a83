#include "app/cli/analysis_flags.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_progress.h"
#include "app/cli/commands.h"
#include "core/dictionary/dictionary_learn.h"
#include "core/io/frame_source.h"
#include "core/io/readers.h"
#include "core/util/threads.h"

#include <cstdio>
#include <stdexcept>

namespace motifscope::cli {

int runLearn(const Args& argv)
{
    const CommandSpec spec{"learn",
                           "usage: motifscope-cli learn IMAGE... --out DICT.motifdict [--classes auto|K]\n"
                           "         [--method segment|gmm|kmeans] [--n-max N] [--patch-size auto|PX]\n"
                           "         [--spacing auto|PX] [--seed S] [--threads N] [--progress]\n\n"
                           "Learns motifs from one or more micrographs (every page of a multi-page TIFF is a\n"
                           "frame) and writes a motif dictionary: feature settings, patch size in pixels and\n"
                           "calibrated units, one class model per motif, ids, names, colours, averages and\n"
                           "the hierarchy's route and names (docs/motif-dictionary.md). `classify` and\n"
                           "`watch` then give every frame the same motif ids. Frames at another pixel size\n"
                           "are resampled to the first image's.\n" +
                               std::string(kAnalysisFlagsHelp),
                           analysisValueOptions(),
                           {"--progress"},
                           1,
                           4096};
    const ParsedArgs args = parseArgs(spec, argv);
    if (args.has("--help")) {
        std::fputs(spec.usage.c_str(), stdout);
        return ExitOk;
    }
    const int threads = configureThreads(args);
    const ThreadLimit limit(threads);
    const std::string out = args.required("--out");
    DictionaryLearnParams params;
    params.analysis = analysisParamsFromArgs(args, threads);

    std::vector<Micrograph> images;
    std::vector<LearnFrame> frames;
    for (const std::string& path : args.positional) {
        // Every frame of a stack (TIFF pages, DM 3-D data, EMD, HyperSpy, SER), the file read once.
        const FrameSource source(path);
        images.push_back(source.frame(0));
        const int count = std::max(1, images.back().frames);
        requireFlagsFitImage(params.analysis, images.back().width, images.back().height);
        for (int index = 1; index < count; ++index)
            images.push_back(source.frame(index));
        for (int index = 0; index < count; ++index)
            frames.push_back({nullptr, count > 1 ? path + "#" + std::to_string(index) : path});
    }
    for (std::size_t f = 0; f < frames.size(); ++f)
        frames[f].image = &images[f];

    TerminalProgress bar(args.has("--progress"));
    MotifDictionary dictionary;
    try {
        dictionary = learnMotifDictionary(frames, params, bar.progress());
    } catch (const std::runtime_error& e) {
        throw InputError(args.positional[0] + (args.positional.size() > 1 ? " (and the other images)" : "") + ": " +
                         e.what());
    }
    writeMotifDictionary(dictionary, out);
    return ExitOk;
}

} // namespace motifscope::cli
