#include "core/hierarchy/hierarchy.h"
#include "core/io/file_util.h"
#include "core/io/micrograph.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace motifscope {

std::string hierarchyJsonText(const HierarchyResult& result)
{
    // ordered_json keeps the keys in the order of docs/CLI.md.
    nlohmann::ordered_json root;
    root["route"] = result.route;
    nlohmann::ordered_json levels = nlohmann::ordered_json::array();
    for (const HierarchyLevel& level : result.levels) {
        nlohmann::ordered_json l;
        l["level"] = level.level;
        nlohmann::ordered_json motifs = nlohmann::ordered_json::array();
        for (const MotifNode& m : level.motifs) {
            nlohmann::ordered_json j;
            j["id"] = m.id;
            j["name"] = m.name;
            j["members"] = m.members;
            j["count"] = m.count;
            j["fraction"] = m.fraction;
            if (result.route == "polygons" && level.level == 1)
                j["at_edge"] = m.atEdge; // rings sharing a bond with the outside of the point set (counted too)
            j["children"] = m.children;
            j["parents"] = m.parents;
            j["canonical"] = m.canonical;
            motifs.push_back(std::move(j));
        }
        l["motifs"] = std::move(motifs);
        levels.push_back(std::move(l));
    }
    root["levels"] = std::move(levels);
    if (result.route == "polygons") {
        root["bond_cutoff"] = result.bondCutoff;
    } else {
        const LatticeCells& c = result.cells;
        root["lattice"] = {{"a1", {c.a1x, c.a1y}}, {"a2", {c.a2x, c.a2y}}, {"origin", {c.originX, c.originY}},
                           {"symmetry", c.symmetry}, {"pristine", c.pristine}};
    }
    return root.dump(2) + "\n";
}

void writeHierarchyJson(const HierarchyResult& result, const std::string& path)
{
    writeFileAtomically(path, hierarchyJsonText(result));
}

void writeHierarchyColumnsCsv(const std::vector<Point2>& points, const std::vector<int>* motifLabels,
                              const HierarchyResult& result, const std::string& path)
{
    std::vector<int> coordination(points.size(), 0);
    for (const auto& [a, b] : result.bonds) {
        ++coordination[std::size_t(a)];
        ++coordination[std::size_t(b)];
    }
    std::string text = motifLabels ? "x,y,motif,coordination,input_motif\n" : "x,y,motif,coordination\n";
    char line[160];
    for (std::size_t i = 0; i < points.size(); ++i) {
        const int motif = i < result.columnMotif.size() ? result.columnMotif[i] : -1;
        int n = std::snprintf(line, sizeof line, "%.4f,%.4f,%d,%d", points[i].x, points[i].y, motif, coordination[i]);
        text.append(line, std::size_t(std::max(0, n)));
        if (motifLabels) {
            n = std::snprintf(line, sizeof line, ",%d", (*motifLabels)[i]);
            text.append(line, std::size_t(std::max(0, n)));
        }
        text += '\n';
    }
    writeFileAtomically(path, text);
}

namespace {

std::vector<std::string> splitFields(const std::string& line)
{
    std::vector<std::string> fields(1);
    for (char ch : line) {
        if (ch == ',')
            fields.emplace_back();
        else if (ch != '\r' && ch != '"' && ch != ' ' && ch != '\t')
            fields.back() += ch;
    }
    return fields;
}

double parseNumber(const std::string& text, const std::string& path, int lineNumber)
{
    double v = 0.0;
    const char* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
    const auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
        throw IoError(path, "line " + std::to_string(lineNumber) + ": '" + text + "' is not a finite number");
    return v;
}

} // namespace

PointSet readPointsCsv(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path, "cannot open the file");
    std::string line;
    int lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") != std::string::npos)
            break;
    }
    if (lineNumber == 0 || line.find_first_not_of(" \t\r") == std::string::npos)
        throw IoError(path, "empty file: expected a header with x and y");
    if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
        line.erase(0, 3);
    const std::vector<std::string> header = splitFields(line);
    int ix = -1, iy = -1, im = -1;
    for (std::size_t k = 0; k < header.size(); ++k) {
        std::string h = header[k];
        for (char& ch : h)
            ch = char(std::tolower(static_cast<unsigned char>(ch)));
        if (h == "x" && ix < 0)
            ix = int(k);
        else if (h == "y" && iy < 0)
            iy = int(k);
        else if ((h == "motif" || h == "label") && im < 0)
            im = int(k);
    }
    if (ix < 0 || iy < 0)
        throw IoError(path, "line " + std::to_string(lineNumber) + ": header has no x and y columns");
    PointSet set;
    const std::size_t needed = std::size_t(std::max({ix, iy, im})) + 1;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const std::vector<std::string> f = splitFields(line);
        if (f.size() < needed)
            throw IoError(path, "line " + std::to_string(lineNumber) + ": expected at least " +
                                    std::to_string(needed) + " fields, found " + std::to_string(f.size()));
        set.points.push_back({parseNumber(f[std::size_t(ix)], path, lineNumber),
                              parseNumber(f[std::size_t(iy)], path, lineNumber)});
        if (im >= 0) {
            const double m = parseNumber(f[std::size_t(im)], path, lineNumber);
            if (m != std::floor(m) || std::fabs(m) > 1e9)
                throw IoError(path, "line " + std::to_string(lineNumber) + ": motif '" + f[std::size_t(im)] +
                                        "' is not an integer");
            set.labels.push_back(int(m));
        }
    }
    return set;
}

} // namespace motifscope
