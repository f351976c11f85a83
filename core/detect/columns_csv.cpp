#include "core/detect/columns_csv.h"

#include "core/io/file_util.h"
#include "core/io/micrograph.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <vector>

namespace motifscope {

void writeColumnsCsv(const AtomColumns& columns, const std::string& path)
{
    std::string text = "x,y,intensity,width,background,residual,refinement,sigma_px\n";
    text.reserve(columns.size() * 64);
    char line[256];
    for (const AtomColumn& c : columns) {
        const int n = std::snprintf(line, sizeof line, "%.4f,%.4f,%.6g,%.4f,%.6g,%.4f,%d,%.4g\n", c.x, c.y,
                                    c.intensity, c.width, c.background, c.residual, int(c.refinement),
                                    double(c.positionSigma));
        text.append(line, std::size_t(std::max(0, n)));
    }
    writeFileAtomically(path, text);
}

namespace {

std::vector<std::string> splitCsvLine(const std::string& line)
{
    std::vector<std::string> fields;
    std::string field;
    for (char ch : line) {
        if (ch == ',') {
            fields.push_back(field);
            field.clear();
        } else if (ch != '\r' && ch != '"' && ch != ' ') {
            field += ch;
        }
    }
    fields.push_back(field);
    return fields;
}

double parseNumber(const std::string& text, const std::string& path, int lineNumber)
{
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
        throw IoError(path, "line " + std::to_string(lineNumber) + ": '" + text + "' is not a finite number");
    return v;
}

} // namespace

AtomColumns readColumnsCsv(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw IoError(path, "cannot open for reading");
    std::string line;
    if (!std::getline(in, line))
        throw IoError(path, "file is empty");
    std::map<std::string, int> index;
    const auto header = splitCsvLine(line);
    for (int i = 0; i < int(header.size()); ++i)
        index[header[i]] = i;
    if (!index.count("x") || !index.count("y"))
        throw IoError(path, "header must name columns 'x' and 'y' (found: " + line + ")");
    auto column = [&](const char* name) { return index.count(name) ? index[name] : -1; };
    const int ix = column("x"), iy = column("y"), ii = column("intensity"), iw = column("width"),
              ib = column("background"), ir = column("residual"), is = column("sigma_px");
    AtomColumns columns;
    int lineNumber = 1;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty() || line == "\r")
            continue;
        const auto f = splitCsvLine(line);
        auto value = [&](int i) { return i >= 0 && i < int(f.size()) ? parseNumber(f[i], path, lineNumber) : 0.0; };
        if (std::max(ix, iy) >= int(f.size()))
            throw IoError(path, "line " + std::to_string(lineNumber) + ": missing x or y");
        AtomColumn c;
        c.x = value(ix);
        c.y = value(iy);
        c.intensity = float(value(ii));
        c.width = float(value(iw));
        c.background = float(value(ib));
        c.residual = float(value(ir));
        const double sigma = value(is);
        if (sigma < 0.0)
            throw IoError(path, "line " + std::to_string(lineNumber) + ": sigma_px is negative");
        c.positionSigma = float(sigma);
        columns.push_back(c);
        if (columns.size() > (std::size_t(1) << 26))
            throw IoError(path, "more columns than MotifScope accepts");
    }
    return columns;
}

} // namespace motifscope
