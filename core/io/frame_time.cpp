#include "core/io/frame_time.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace motifscope {

std::string utcDateTime(double unixSeconds)
{
    // Up to the year 9999: beyond that a time stamp is garbage, not a date.
    if (!std::isfinite(unixSeconds) || unixSeconds < 0.0 || unixSeconds > 253402300799.0)
        return {};
    const double whole = std::floor(unixSeconds);
    const auto seconds = static_cast<std::time_t>(whole);
    std::tm utc{};
    if (!gmtime_r(&seconds, &utc))
        return {};
    char text[40];
    const int ms = int(std::lround((unixSeconds - whole) * 1000.0));
    if (ms > 0 && ms < 1000)
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                      utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, ms);
    else
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                      utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    return text;
}

} // namespace motifscope
