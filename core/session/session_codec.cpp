#include "core/session/session_codec.h"

#include <array>
#include <bit>
#include <cstring>

namespace motifscope::session_detail {

std::uint64_t fnv1a64(const void* data, std::size_t size, std::uint64_t hash)
{
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= p[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::string hex64(std::uint64_t value)
{
    static const char digits[] = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4)
        s[std::size_t(i)] = digits[value & 0xf];
    return s;
}

namespace {

const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

std::size_t base64Length(std::size_t bytes)
{
    return (bytes + 2) / 3 * 4;
}

/** Element traits: dtype name and little-endian conversion through an unsigned integer of the same size. */
template <typename T> struct Element;
template <> struct Element<double>
{
    static constexpr const char* name = "float64";
    using Bits = std::uint64_t;
};
template <> struct Element<float>
{
    static constexpr const char* name = "float32";
    using Bits = std::uint32_t;
};
template <> struct Element<std::int32_t>
{
    static constexpr const char* name = "int32";
    using Bits = std::uint32_t;
};
template <> struct Element<std::uint8_t>
{
    static constexpr const char* name = "uint8";
    using Bits = std::uint8_t;
};

template <typename T> nlohmann::ordered_json encode(const std::vector<T>& values)
{
    using Bits = typename Element<T>::Bits;
    std::string bytes(values.size() * sizeof(T), '\0');
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::uint64_t bits = std::bit_cast<Bits>(values[i]);
        for (std::size_t b = 0; b < sizeof(T); ++b)
            bytes[i * sizeof(T) + b] = char((bits >> (8 * b)) & 0xff);
    }
    nlohmann::ordered_json j;
    j["dtype"] = Element<T>::name;
    j["count"] = values.size();
    j["fnv1a64"] = hex64(fnv1a64(bytes.data(), bytes.size()));
    j["base64"] = base64Encode(bytes);
    return j;
}

template <typename T>
bool decode(const nlohmann::json& j, long long expected, std::vector<T>& out, std::string& problem)
{
    using Bits = typename Element<T>::Bits;
    if (!j.is_object()) {
        problem = "is not an array object";
        return false;
    }
    const auto dtype = j.find("dtype");
    const auto count = j.find("count");
    const auto hash = j.find("fnv1a64");
    const auto data = j.find("base64");
    if (dtype == j.end() || count == j.end() || hash == j.end() || data == j.end() || !dtype->is_string()
        || !count->is_number_unsigned() || !hash->is_string() || !data->is_string()) {
        problem = "needs string dtype, unsigned count, string fnv1a64 and string base64";
        return false;
    }
    if (dtype->get<std::string>() != Element<T>::name) {
        problem = "has dtype '" + dtype->get<std::string>() + "', expected " + Element<T>::name;
        return false;
    }
    const std::uint64_t n = count->get<std::uint64_t>();
    if (expected >= 0 && n != std::uint64_t(expected)) {
        // The array's own count field against what the session needs (one value per column, say).
        problem = "declares " + std::to_string(n) + " values where the session needs " + std::to_string(expected);
        return false;
    }
    const std::string& text = data->get_ref<const std::string&>();
    // Checked before decoding: the base64 text must be exactly as long as count values need.
    if (n > (std::uint64_t(1) << 40) || text.size() != base64Length(std::size_t(n) * sizeof(T))) {
        problem = "count " + std::to_string(n) + " does not match the " + std::to_string(text.size())
            + " base64 characters";
        return false;
    }
    std::string bytes;
    if (!base64Decode(text, bytes) || bytes.size() != std::size_t(n) * sizeof(T)) {
        problem = "has invalid base64 data";
        return false;
    }
    if (hex64(fnv1a64(bytes.data(), bytes.size())) != hash->get<std::string>()) {
        problem = "fails its fnv1a64 check (damaged data)";
        return false;
    }
    out.assign(std::size_t(n), T{});
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint64_t bits = 0;
        for (std::size_t b = 0; b < sizeof(T); ++b)
            bits |= std::uint64_t(std::uint8_t(bytes[i * sizeof(T) + b])) << (8 * b);
        out[i] = std::bit_cast<T>(Bits(bits));
    }
    return true;
}

} // namespace

std::string base64Encode(std::string_view bytes)
{
    std::string out;
    out.reserve(base64Length(bytes.size()));
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = std::uint32_t(std::uint8_t(bytes[i])) << 16 | std::uint32_t(std::uint8_t(bytes[i + 1])) << 8
            | std::uint8_t(bytes[i + 2]);
        for (int s = 18; s >= 0; s -= 6)
            out.push_back(kAlphabet[(v >> s) & 63]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t v = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        if (rest == 2)
            v |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
        out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
        out.push_back('=');
    }
    return out;
}

bool base64Decode(std::string_view text, std::string& bytes)
{
    bytes.clear();
    if (text.size() % 4 != 0)
        return false;
    bytes.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        const int pad = last ? (text[i + 3] == '=') + (text[i + 2] == '=') : 0;
        if (pad == 1 && text[i + 2] == '=')
            return false;
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const int d = k >= 4 - pad ? 0 : base64Value(text[i + std::size_t(k)]);
            if (d < 0)
                return false;
            v = v << 6 | std::uint32_t(d);
        }
        bytes.push_back(char((v >> 16) & 0xff));
        if (pad < 2)
            bytes.push_back(char((v >> 8) & 0xff));
        if (pad < 1)
            bytes.push_back(char(v & 0xff));
    }
    return true;
}

nlohmann::ordered_json encodeArray(const std::vector<double>& values) { return encode(values); }
nlohmann::ordered_json encodeArray(const std::vector<float>& values) { return encode(values); }
nlohmann::ordered_json encodeArray(const std::vector<std::int32_t>& values) { return encode(values); }
nlohmann::ordered_json encodeArray(const std::vector<std::uint8_t>& values) { return encode(values); }

bool decodeArray(const nlohmann::json& j, long long expected, std::vector<double>& out, std::string& problem)
{
    return decode(j, expected, out, problem);
}
bool decodeArray(const nlohmann::json& j, long long expected, std::vector<float>& out, std::string& problem)
{
    return decode(j, expected, out, problem);
}
bool decodeArray(const nlohmann::json& j, long long expected, std::vector<std::int32_t>& out, std::string& problem)
{
    return decode(j, expected, out, problem);
}
bool decodeArray(const nlohmann::json& j, long long expected, std::vector<std::uint8_t>& out, std::string& problem)
{
    return decode(j, expected, out, problem);
}

} // namespace motifscope::session_detail
