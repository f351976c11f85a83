#pragma once
/** analyze's pipeline flags, shared by `analyze` and `learn` (which take the same ones). */

#include "app/cli/cli_args.h"
#include "core/pipeline/full_analysis.h"

#include <set>
#include <string>

namespace motifscope::cli {

/** The value options of analyze's pipeline (--classes, --method, --n-max, --patch-size, --spacing, --seed, --route, --refine-classes) and --out, --threads. */
std::set<std::string> analysisValueOptions();

/** The flags' help text lines (as analyze's --help gives them). */
extern const char* const kAnalysisFlagsHelp;

/** The pipeline settings from the flags; UsageError naming a bad flag. `threads` = configureThreads'. */
FullAnalysisParams analysisParamsFromArgs(const ParsedArgs& args, int threads);

/** --spacing and --patch-size checked against the image they apply to (requireFitsImage). */
void requireFlagsFitImage(const FullAnalysisParams& params, int width, int height);

/** "auto" (returns 0) or a positive number. */
double autoOrPositive(const ParsedArgs& args, const std::string& option);

} // namespace motifscope::cli
