#include "core/util/general_number.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace motifscope {

namespace {

/// Powers of ten exactly representable as doubles.
constexpr double kPowerOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int kExactPowers = 22;
/// The scaled value s < 10^precision carries one rounding, below s * 2^-53: a fraction within twice
/// that of one half may be a tie or on the wrong side of it, and is left to std::to_chars.
constexpr double kTieMarginPerUnit = 4.5e-16;
constexpr int kFastPrecision = 15;

void appendSlow(std::string& out, double value, int precision)
{
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, precision);
    out.append(buffer, ec == std::errc() ? end : buffer);
}

/** |value| * 10^power with one rounding, or NaN where the power is not exact. */
double scaled(double magnitude, int power)
{
    if (power > kExactPowers || power < -kExactPowers)
        return std::nan("");
    return power >= 0 ? magnitude * kPowerOfTen[power] : magnitude / kPowerOfTen[-power];
}

/** The digits of `digits` (exactly `count` of them), dropping trailing zeros from position `keep` on. */
int significantDigits(std::uint64_t digits, int count, char* text)
{
    for (int i = count - 1; i >= 0; --i, digits /= 10)
        text[i] = char('0' + digits % 10);
    int kept = count;
    while (kept > 1 && text[kept - 1] == '0')
        --kept;
    return kept;
}

} // namespace

void appendGeneral(std::string& out, double value, int precision)
{
    if (!std::isfinite(value) || value == 0.0 || precision < 1 || precision > kFastPrecision) {
        appendSlow(out, value, precision);
        return;
    }
    const double magnitude = std::fabs(value);
    // Decimal exponent: from the binary one, then corrected so that the scaled value has
    // `precision` digits before the point.
    std::uint64_t bits = 0;
    std::memcpy(&bits, &magnitude, sizeof bits);
    const int binary = int(bits >> 52) - 1023; // magnitude in [2^binary, 2^(binary + 1)) (normal numbers)
    int exponent = int(std::floor(binary * 0.30102999566398120));
    const double lowest = kPowerOfTen[precision - 1], beyond = kPowerOfTen[precision];
    double s = scaled(magnitude, precision - 1 - exponent);
    for (int tries = 0; tries < 2 && s == s && (s < lowest || s >= beyond); ++tries) {
        exponent += s < lowest ? -1 : 1;
        s = scaled(magnitude, precision - 1 - exponent);
    }
    if (!(s >= lowest && s < beyond)) {
        appendSlow(out, value, precision);
        return;
    }
    const auto whole = std::uint64_t(s); // s >= 1: truncation is the floor
    const double fraction = s - double(whole);
    if (std::fabs(fraction - 0.5) < beyond * kTieMarginPerUnit) {
        appendSlow(out, value, precision);
        return;
    }
    std::uint64_t digits = whole + (fraction > 0.5 ? 1 : 0);
    if (double(digits) >= beyond) { // 9.99..95 rounds up to 10.0..0
        digits /= 10;
        ++exponent;
    }
    char digitText[24];
    const int kept = significantDigits(digits, precision, digitText);
    char text[48];
    char* o = text;
    if (value < 0)
        *o++ = '-';
    if (exponent >= -4 && exponent < precision) {
        if (exponent >= 0) {
            o = std::copy_n(digitText, exponent + 1, o); // the whole part (its zeros included)
            if (kept > exponent + 1) {
                *o++ = '.';
                o = std::copy(digitText + exponent + 1, digitText + kept, o);
            }
        } else {
            *o++ = '0';
            *o++ = '.';
            o = std::fill_n(o, -exponent - 1, '0');
            o = std::copy_n(digitText, kept, o);
        }
    } else {
        *o++ = digitText[0];
        if (kept > 1) {
            *o++ = '.';
            o = std::copy(digitText + 1, digitText + kept, o);
        }
        *o++ = 'e';
        *o++ = exponent < 0 ? '-' : '+';
        const int e = std::abs(exponent);
        if (e >= 100)
            *o++ = char('0' + e / 100);
        *o++ = char('0' + e / 10 % 10);
        *o++ = char('0' + e % 10);
    }
    out.append(text, std::size_t(o - text));
}

} // namespace motifscope
