#pragma once
/** Command-line parsing for motifscope-cli: positional arguments and --flag [value] options. */

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace motifscope::cli {

/** Exit statuses fixed by docs/CLI.md. */
enum ExitCode
{
    ExitOk = 0,
    ExitUsage = 2,
    ExitInput = 3,
};

/** A usage error: wrong flags or arguments (exit status 2). */
class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/** An input error not tied to a file reader: bad value, unknown preset (exit status 3). */
class InputError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/** What one command accepts: options that take a value, and switches that do not. */
struct CommandSpec
{
    std::string name;
    std::string usage; ///< full --help text
    std::set<std::string> valueOptions;
    std::set<std::string> switches;
    int minPositional = 0;
    int maxPositional = 0;
};

class ParsedArgs
{
public:
    std::vector<std::string> positional;
    std::map<std::string, std::string> values;
    std::set<std::string> switches;

    bool has(const std::string& option) const { return values.count(option) || switches.count(option); }
    std::string value(const std::string& option, const std::string& fallback = {}) const;
    /** The option's value as an integer in [lo, hi]; throws UsageError naming the flag otherwise. */
    long long integer(const std::string& option, long long fallback, long long lo, long long hi) const;
    /** The option's value as a finite number; throws UsageError naming the flag otherwise. */
    double number(const std::string& option, double fallback) const;
    /** As number(), and it must be > 0. */
    double positiveNumber(const std::string& option, double fallback) const;
    /** The option's value, which must be present. */
    std::string required(const std::string& option) const;
};

/** Parses args (after the command name). Throws UsageError; "--help" is left in switches. */
ParsedArgs parseArgs(const CommandSpec& spec, const std::vector<std::string>& args);

/** Number of worker threads from --threads (0 = all cores); configures TBB for the process lifetime. */
int configureThreads(const ParsedArgs& args);

/**
 * Size-like flags bounded by the image they apply to (a spacing of 10^9 px would blur for minutes
 * at gigabytes): --spacing at most a third of the image's shorter side, --patch-size at most that
 * side. 0 (automatic) passes. Throws UsageError naming the flag, the value and the limit.
 */
void requireFitsImage(const char* flag, double pixels, double limit, int width, int height);

} // namespace motifscope::cli
