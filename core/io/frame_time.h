#pragma once
/**
 * When a frame of a series was taken. Readers that know it per frame (SER time tags, Velox start
 * time plus frame time) put it in the frame's metadata under kFrameDateTimeKey, which series.csv's
 * `time` column reads before any file-wide date.
 */

#include <string>

namespace motifscope {

inline constexpr const char* kFrameDateTimeKey = "Frame.DateTime";

/** "2026-12-06T23:42:08Z" (milliseconds added when not whole); empty for a non-finite or negative time. */
std::string utcDateTime(double unixSeconds);

/**
 * The seconds since 1970 of a UTC time as utcDateTime writes it ("2026-12-06T23:42:08Z", optional
 * fraction of a second); NaN for any other text (a local time without its "Z", a date alone).
 */
double utcSeconds(const std::string& dateTime);

} // namespace motifscope
