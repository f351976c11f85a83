#include "core/io/frame_time.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>

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

double utcSeconds(const std::string& dateTime)
{
    constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, length = 0;
    double second = 0.0;
    char zone = 0;
    if (std::sscanf(dateTime.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf%c%n", &year, &month, &day, &hour, &minute, &second,
                    &zone, &length)
            != 7
        || zone != 'Z' || std::size_t(length) != dateTime.size())
        return kNone;
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || !(second >= 0.0)
        || second >= 61.0)
        return kNone;
    std::tm utc{};
    utc.tm_year = year - 1900;
    utc.tm_mon = month - 1;
    utc.tm_mday = day;
    utc.tm_hour = hour;
    utc.tm_min = minute;
    const std::time_t whole = timegm(&utc);
    return whole == std::time_t(-1) ? kNone : double(whole) + second;
}

} // namespace motifscope
