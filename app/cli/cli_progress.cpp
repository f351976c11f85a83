#include "app/cli/cli_progress.h"

#include <cstdio>
#include <unistd.h>

namespace motifscope::cli {

TerminalProgress::TerminalProgress(bool requested)
{
    if (!requested || !::isatty(STDERR_FILENO))
        return;
    mProgress = std::make_unique<Progress>([](double fraction, const std::string& stage) {
        const int width = 30;
        const int filled = int(fraction * width + 0.5);
        std::fprintf(stderr, "\r[%-*.*s] %3d%% %-24.24s", width, filled, "##############################",
                     int(fraction * 100 + 0.5), stage.c_str());
        std::fflush(stderr);
    });
}

TerminalProgress::~TerminalProgress()
{
    if (mProgress)
        std::fputs("\n", stderr);
}

} // namespace motifscope::cli
