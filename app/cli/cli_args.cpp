#include <cstdio>
#include <cmath>
#include "app/cli/cli_args.h"

#include <charconv>
#include <cmath>
#include <thread>

namespace motifscope::cli {

std::string ParsedArgs::value(const std::string& option, const std::string& fallback) const
{
    const auto it = values.find(option);
    return it == values.end() ? fallback : it->second;
}

long long ParsedArgs::integer(const std::string& option, long long fallback, long long lo, long long hi) const
{
    const auto it = values.find(option);
    if (it == values.end())
        return fallback;
    long long v = 0;
    const std::string& s = it->second;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size())
        throw UsageError(option + ": expected an integer, got '" + s + "'");
    if (v < lo || v > hi)
        throw UsageError(option + ": " + s + " is out of range [" + std::to_string(lo) + ", "
                         + std::to_string(hi) + "]");
    return v;
}

double ParsedArgs::number(const std::string& option, double fallback) const
{
    const auto it = values.find(option);
    if (it == values.end())
        return fallback;
    double v = 0.0;
    const std::string& s = it->second;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
        throw UsageError(option + ": expected a number, got '" + s + "'");
    return v;
}

double ParsedArgs::positiveNumber(const std::string& option, double fallback) const
{
    const double v = number(option, fallback);
    if (values.count(option) && !(v > 0.0))
        throw UsageError(option + ": must be greater than zero");
    return v;
}

std::string ParsedArgs::required(const std::string& option) const
{
    const auto it = values.find(option);
    if (it == values.end())
        throw UsageError(option + " is required");
    return it->second;
}

ParsedArgs parseArgs(const CommandSpec& spec, const std::vector<std::string>& args)
{
    ParsedArgs parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            parsed.switches.insert("--help");
            return parsed;
        }
        if (a.size() > 2 && a.rfind("--", 0) == 0) {
            std::string name = a;
            std::string inlineValue;
            bool hasInline = false;
            if (const auto eq = a.find('='); eq != std::string::npos) {
                name = a.substr(0, eq);
                inlineValue = a.substr(eq + 1);
                hasInline = true;
            }
            if (spec.valueOptions.count(name)) {
                if (hasInline) {
                    parsed.values[name] = inlineValue;
                } else {
                    if (i + 1 >= args.size())
                        throw UsageError(name + " needs a value");
                    parsed.values[name] = args[++i];
                }
            } else if (spec.switches.count(name) && !hasInline) {
                parsed.switches.insert(name);
            } else {
                throw UsageError("unknown option " + name + " for '" + spec.name + "' (see --help)");
            }
            continue;
        }
        parsed.positional.push_back(a);
    }
    const int n = static_cast<int>(parsed.positional.size());
    if (n < spec.minPositional)
        throw UsageError("'" + spec.name + "' needs " + std::to_string(spec.minPositional)
                         + " argument(s) (see --help)");
    if (n > spec.maxPositional)
        throw UsageError("unexpected argument '" + parsed.positional[spec.maxPositional] + "' for '" + spec.name
                         + "'");
    return parsed;
}

int configureThreads(const ParsedArgs& args)
{
    const long long hw = std::max(1u, std::thread::hardware_concurrency());
    if (!args.has("--threads"))
        return static_cast<int>(hw);
    return static_cast<int>(args.integer("--threads", 0, 1, 1024)); // 1 .. 1024; leave it out for all cores
}

void requireFitsImage(const char* flag, double pixels, double limit, int width, int height)
{
    if (!(pixels > limit))
        return;
    char text[256];
    std::snprintf(text, sizeof text, "%s: %g px does not fit the %d x %d image (at most %g px)", flag, pixels, width,
                  height, std::floor(limit));
    throw UsageError(text);
}

} // namespace motifscope::cli
