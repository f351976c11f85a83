#include "core/io/tiff_calibration.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>

namespace motifscope {

namespace {

bool validUtf8(const std::string& s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        int extra = 0;
        if (c < 0x80)
            extra = 0;
        else if ((c & 0xe0) == 0xc0 && c >= 0xc2)
            extra = 1;
        else if ((c & 0xf0) == 0xe0)
            extra = 2;
        else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
            extra = 3;
        else
            return false;
        if (i + std::size_t(extra) >= s.size() && extra > 0)
            return false;
        for (int k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(s[i + std::size_t(k)]) & 0xc0) != 0x80)
                return false;
        i += std::size_t(extra) + 1;
    }
    return true;
}

void appendUtf8(std::string& out, unsigned codePoint)
{
    if (codePoint < 0x80) {
        out += char(codePoint);
    } else if (codePoint < 0x800) {
        out += char(0xc0 | (codePoint >> 6));
        out += char(0x80 | (codePoint & 0x3f));
    } else {
        out += char(0xe0 | (codePoint >> 12));
        out += char(0x80 | ((codePoint >> 6) & 0x3f));
        out += char(0x80 | (codePoint & 0x3f));
    }
}

/** Decodes ImageJ's \uXXXX escapes ("\u00B5m") into UTF-8. */
std::string decodeEscapes(const std::string& text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 5 < text.size() && (text[i + 1] == 'u' || text[i + 1] == 'U') &&
            std::all_of(text.begin() + std::ptrdiff_t(i) + 2, text.begin() + std::ptrdiff_t(i) + 6,
                        [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; })) {
            appendUtf8(out, unsigned(std::strtoul(text.substr(i + 2, 4).c_str(), nullptr, 16)));
            i += 5;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string trim(const std::string& s)
{
    const auto begin = s.find_first_not_of(" \t\r\n\"'");
    if (begin == std::string::npos)
        return {};
    const auto end = s.find_last_not_of(" \t\r\n\"'");
    return s.substr(begin, end - begin + 1);
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool positiveFinite(double v)
{
    return std::isfinite(v) && v > 0.0;
}

/** Parses "key=value" lines of an ImageJ description (bounded). */
std::map<std::string, std::string> imagejProperties(const std::string& description)
{
    std::map<std::string, std::string> properties;
    std::size_t start = 0;
    while (start < description.size() && properties.size() < 64) {
        std::size_t end = description.find('\n', start);
        if (end == std::string::npos)
            end = description.size();
        const std::string line = description.substr(start, end - start);
        const auto eq = line.find('=');
        if (eq != std::string::npos && eq > 0)
            properties[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
        start = end + 1;
    }
    return properties;
}

bool parseDouble(const std::string& text, double& value)
{
    char* end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return end != text.c_str() && positiveFinite(value);
}

bool fromDigitalMicrograph(const TiffTags& tags, Micrograph& m)
{
    const std::string unitX = normaliseLengthUnit(latin1ToUtf8(tags.dmUnitX));
    if (unitX.empty() || !positiveFinite(tags.dmScaleX))
        return false;
    m.calibration.unit = unitX;
    m.calibration.pixelSizeX = tags.dmScaleX;
    m.calibration.pixelSizeY = positiveFinite(tags.dmScaleY) ? tags.dmScaleY : tags.dmScaleX;
    m.metadata["DigitalMicrograph.ScaleX"] = std::to_string(tags.dmScaleX);
    m.metadata["DigitalMicrograph.UnitX"] = unitX;
    return true;
}

bool fromImageJ(const std::map<std::string, std::string>& properties, const TiffTags& tags, Micrograph& m)
{
    const auto unitEntry = properties.find("unit");
    if (unitEntry == properties.end())
        return false;
    const std::string unit = normaliseLengthUnit(latin1ToUtf8(decodeEscapes(unitEntry->second)));
    if (unit.empty())
        return false;
    double sizeX = positiveFinite(tags.xResolution) ? 1.0 / tags.xResolution : 1.0;
    double sizeY = positiveFinite(tags.yResolution) ? 1.0 / tags.yResolution : sizeX;
    // TIFF rationals reach us through libtiff as float; MotifScope's own keys keep the exact value.
    double exact = 0.0;
    if (const auto it = properties.find(kExactPixelWidthKey);
        it != properties.end() && parseDouble(it->second, exact))
        sizeX = exact;
    if (const auto it = properties.find(kExactPixelHeightKey);
        it != properties.end() && parseDouble(it->second, exact))
        sizeY = exact;
    m.calibration = {sizeX, sizeY, unit};
    return true;
}

bool fromCentimetreResolution(const TiffTags& tags, Micrograph& m)
{
    if (tags.resolutionUnit != 3 || !positiveFinite(tags.xResolution))
        return false;
    const double micronsX = 1.0e4 / tags.xResolution;
    if (!(micronsX <= 10.0))
        return false; // a print resolution (e.g. 72 dpi = 28.35 px/cm), not a microscope pixel
    const double micronsY = positiveFinite(tags.yResolution) ? 1.0e4 / tags.yResolution : micronsX;
    if (micronsX < 0.1)
        m.calibration = {micronsX * 1.0e3, micronsY * 1.0e3, "nm"};
    else
        m.calibration = {micronsX, micronsY, "µm"};
    return true;
}

} // namespace

std::string latin1ToUtf8(const std::string& text)
{
    if (validUtf8(text))
        return text;
    std::string out;
    for (char c : text)
        appendUtf8(out, static_cast<unsigned char>(c));
    return out;
}

std::string normaliseLengthUnit(const std::string& unit)
{
    const std::string u = trim(unit);
    const std::string l = lower(u);
    if (l.empty() || l == "pixel" || l == "pixels" || l == "px")
        return {};
    if (l == "nm" || l == "nanometer" || l == "nanometers" || l == "nanometre" || l == "nanometres")
        return "nm";
    if (l == "µm" || l == "\xce\xbcm" || l == "um" || l == "micron" || l == "microns" || l == "micrometer" ||
        l == "micrometers" || l == "micrometre" || l == "micrometres")
        return "µm";
    if (l == "å" || u == "Å" || u == "\xe2\x84\xab" || l == "a" || l == "ang" || l == "angstrom" ||
        l == "angstroms" || l == "\xc3\xa5ngstr\xc3\xb6m")
        return "Å";
    return u;
}

std::string imagejUnitText(const std::string& unit)
{
    if (unit == "µm")
        return "micron";
    std::string out;
    for (std::size_t i = 0; i < unit.size();) {
        const unsigned char c = static_cast<unsigned char>(unit[i]);
        if (c < 0x80) {
            out += char(c);
            ++i;
            continue;
        }
        // Decode one UTF-8 sequence (the unit is valid UTF-8 by the Micrograph contract).
        unsigned codePoint = 0;
        std::size_t length = 1;
        if ((c & 0xe0) == 0xc0) {
            codePoint = c & 0x1f;
            length = 2;
        } else if ((c & 0xf0) == 0xe0) {
            codePoint = c & 0x0f;
            length = 3;
        } else {
            codePoint = '?';
        }
        for (std::size_t k = 1; k < length && i + k < unit.size(); ++k)
            codePoint = (codePoint << 6) | (static_cast<unsigned char>(unit[i + k]) & 0x3f);
        static const char* hex = "0123456789ABCDEF";
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4)
            out += hex[(codePoint >> shift) & 0xf];
        i += length;
    }
    return out;
}

int applyTiffCalibration(const TiffTags& tags, Micrograph& m)
{
    int images = 0;
    std::map<std::string, std::string> imagej;
    if (!tags.description.empty()) {
        m.metadata["TIFF.ImageDescription"] = latin1ToUtf8(tags.description.substr(0, 1024));
        if (tags.description.rfind("ImageJ=", 0) == 0) {
            imagej = imagejProperties(tags.description);
            for (const auto& [key, value] : imagej)
                m.metadata["ImageJ." + latin1ToUtf8(key)] = latin1ToUtf8(value.substr(0, 256));
            if (const auto it = imagej.find("images"); it != imagej.end())
                images = int(std::clamp(std::strtol(it->second.c_str(), nullptr, 10), 0L, 1L << 30));
        }
    }
    m.calibration = {};
    if (!fromDigitalMicrograph(tags, m) && !(imagej.size() > 0 && fromImageJ(imagej, tags, m)))
        fromCentimetreResolution(tags, m);
    return images;
}

} // namespace motifscope
