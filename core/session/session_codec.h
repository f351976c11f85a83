#pragma once
/** Internal to core/session: FNV-1a hashing, base64, and typed little-endian arrays inside JSON. */

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace motifscope::session_detail {

/** FNV-1a 64-bit hash, continuing from `hash` (start with kFnvOffset). */
inline constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
std::uint64_t fnv1a64(const void* data, std::size_t size, std::uint64_t hash = kFnvOffset);

/** 16 lower-case hex digits. */
std::string hex64(std::uint64_t value);

std::string base64Encode(std::string_view bytes);
/** Decodes strict base64 (padding required, no whitespace); false on any invalid input. */
bool base64Decode(std::string_view text, std::string& bytes);

/** {"dtype", "count", "fnv1a64", "base64"} holding the values as little-endian bytes. */
nlohmann::ordered_json encodeArray(const std::vector<double>& values);
nlohmann::ordered_json encodeArray(const std::vector<float>& values);
nlohmann::ordered_json encodeArray(const std::vector<std::int32_t>& values);
nlohmann::ordered_json encodeArray(const std::vector<std::uint8_t>& values);

/**
 * Decodes an array written by encodeArray, checking dtype, count (== expected when expected >= 0),
 * hash and length. On failure returns false and sets `problem` to a one-line description.
 */
bool decodeArray(const nlohmann::json& j, long long expected, std::vector<double>& out, std::string& problem);
bool decodeArray(const nlohmann::json& j, long long expected, std::vector<float>& out, std::string& problem);
bool decodeArray(const nlohmann::json& j, long long expected, std::vector<std::int32_t>& out, std::string& problem);
bool decodeArray(const nlohmann::json& j, long long expected, std::vector<std::uint8_t>& out, std::string& problem);

} // namespace motifscope::session_detail
