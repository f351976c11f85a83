#pragma once
/** A progress bar on stderr for --progress (only when stderr is a terminal). */

#include "core/util/progress.h"

#include <memory>

namespace motifscope::cli {

class TerminalProgress
{
public:
    explicit TerminalProgress(bool requested);
    ~TerminalProgress();
    /** The Progress to hand to core (nullptr when no bar is shown). */
    Progress* progress() { return mProgress.get(); }

private:
    std::unique_ptr<Progress> mProgress;
};

} // namespace motifscope::cli
