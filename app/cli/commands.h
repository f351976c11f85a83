#pragma once
/** The motifscope-cli commands. Each takes the arguments after its name and returns an exit status. */

#include <string>
#include <vector>

namespace motifscope::cli {

using Args = std::vector<std::string>;

int runInfo(const Args& args);
int runConvert(const Args& args);
int runSynth(const Args& args);
int runDetect(const Args& args);
int runAnalyze(const Args& args);
int runHierarchy(const Args& args);
int runLearn(const Args& args);
int runClassify(const Args& args);
int runWatch(const Args& args);
int runMergeSeries(const Args& args);

} // namespace motifscope::cli
