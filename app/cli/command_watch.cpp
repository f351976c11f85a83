#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/series_runner.h"
#include "core/io/file_util.h"
#include "core/io/micrograph.h"
#include "core/util/progress.h"
#include "core/util/threads.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

namespace motifscope::cli {

namespace {

namespace fs = std::filesystem;

volatile std::sig_atomic_t gStop = 0;
Progress* gWork = nullptr; ///< the frame in progress, cancelled by a signal (an atomic store)

void onSignal(int)
{
    gStop = 1;
    if (gWork)
        gWork->cancel();
}

/** A micrograph by its extension (the readers sniff the content; this only keeps other files out). */
bool micrographName(const fs::path& path)
{
    static const std::set<std::string> extensions = {"tif", "tiff", "dm3", "dm4", "emd", "ser", "mrc",
                                                     "npy", "png", "jpg", "jpeg", "bmp"};
    const std::string name = path.filename().string();
    return !name.empty() && name[0] != '.' && extensions.count(fileExtension(name));
}

/** What a poll sees of a file: when size and modification time hold across two polls, it is complete. */
struct Seen
{
    std::uintmax_t size = 0;
    fs::file_time_type modified;
    bool operator==(const Seen&) const = default;
};

std::map<std::string, Seen> listMicrographs(const std::string& folder)
{
    std::map<std::string, Seen> out;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(folder, ec)) {
        std::error_code fe;
        if (!e.is_regular_file(fe) || !micrographName(e.path()))
            continue;
        Seen s{e.file_size(fe), e.last_write_time(fe)};
        if (!fe && s.size > 0)
            out[e.path().string()] = s;
    }
    if (ec)
        throw InputError(folder + ": cannot list the folder (" + ec.message() + ")");
    return out;
}

/** Sleeps `seconds` in short steps, returning early on a signal. */
void pause(double seconds)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!gStop && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

} // namespace

int runWatch(const Args& argv)
{
    std::set<std::string> options = seriesValueOptions();
    options.insert({"--dictionary", "--interval"});
    const CommandSpec spec{"watch",
                           "usage: motifscope-cli watch FOLDER --dictionary DICT.motifdict --out DIR [--once]\n"
                           "         [--interval S] [--spacing dictionary|auto|PX] [--threads N] [--timings]\n\n"
                           "Next to the microscope: classifies each micrograph that appears in FOLDER as\n"
                           "`classify` does, once it is complete (the same size and time in two polls,\n"
                           "--interval seconds apart, default 0.1), and appends its row to DIR/series.csv\n"
                           "(rewritten atomically). Frames already in series.csv are skipped, so a restart\n"
                           "resumes. --once processes what is there and exits; otherwise it runs until\n"
                           "SIGINT/SIGTERM and then exits 0 with nothing half-written. A file that cannot\n"
                           "be read is reported on stderr and tried again when it changes.\n",
                           options,
                           {"--once", "--timings"},
                           1,
                           1};
    const ParsedArgs args = parseArgs(spec, argv);
    if (args.has("--help")) {
        std::fputs(spec.usage.c_str(), stdout);
        return ExitOk;
    }
    const std::string folder = args.positional[0];
    const double interval = args.positiveNumber("--interval", 0.1);
    if (interval > 3600.0)
        throw UsageError("--interval: at most 3600 seconds");
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw InputError(folder + ": not a folder");
    const int threads = configureThreads(args);
    const ThreadLimit limit(threads);
    SeriesRunner runner(args.required("--dictionary"), args.required("--out"), args, threads);

    Progress work;
    gWork = &work;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::set<std::string> done;             ///< files whose frames are all in series.csv
    std::map<std::string, Seen> failed;     ///< files that could not be read, as they were then
    std::map<std::string, Seen> last = listMicrographs(folder);
    const bool once = args.has("--once");
    while (!gStop) {
        pause(interval);
        if (gStop)
            break;
        const std::map<std::string, Seen> now = listMicrographs(folder);
        std::vector<std::pair<Seen, std::string>> complete;
        for (const auto& [file, seen] : now) {
            const auto before = last.find(file);
            const auto fail = failed.find(file);
            if (!done.count(file) && before != last.end() && before->second == seen &&
                (fail == failed.end() || !(fail->second == seen)))
                complete.push_back({seen, file});
        }
        std::sort(complete.begin(), complete.end(), [](const auto& a, const auto& b) {
            return a.first.modified != b.first.modified ? a.first.modified < b.first.modified : a.second < b.second;
        });
        for (const auto& [seen, file] : complete) {
            if (gStop)
                break;
            try {
                runner.classifyFile(file, &work);
                done.insert(file);
            } catch (const OperationCancelled&) {
                break;
            } catch (const std::exception& e) {
                failed[file] = seen;
                std::fprintf(stderr, "motifscope-cli: warning: %s\n", e.what());
            }
        }
        last = now;
        if (once)
            break;
    }
    gWork = nullptr;
    return ExitOk;
}

} // namespace motifscope::cli
