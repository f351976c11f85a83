#pragma once

#include <string>

namespace motifscope {

/**
 * Appends `value` as printf("%.<precision>g") prints it in the C locale (the same text as
 * std::to_chars with chars_format::general): correctly rounded to `precision` significant digits,
 * trailing zeros dropped, exponent form below 1e-4 and from 10^precision. Precision 1 to 15.
 * Most values take a fast path (one scaling by a power of ten); those within a hair of a rounding
 * tie, and zeros, non-finite and extreme values, go through std::to_chars.
 */
void appendGeneral(std::string& out, double value, int precision);

} // namespace motifscope
