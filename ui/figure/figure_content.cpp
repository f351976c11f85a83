// Loading what a figure shows: an analysis folder (docs/CLI.md) or a session (docs/session-format.md).
#include "ui/figure/figure.h"

#include "core/io/readers.h"
#include "core/learn/motifs.h"
#include "core/session/session.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace motifscope {

namespace fs = std::filesystem;

namespace {

/** Most common motifs listed per hierarchy level. */
constexpr std::size_t kHierarchyEntriesPerLevel = 4;

std::string readText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path, "cannot open for reading");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool parseDouble(std::string_view field, double& value)
{
    while (!field.empty() && (field.front() == ' ' || field.front() == '"'))
        field.remove_prefix(1);
    while (!field.empty() && (field.back() == ' ' || field.back() == '"' || field.back() == '\r'))
        field.remove_suffix(1);
    const auto r = std::from_chars(field.data(), field.data() + field.size(), value);
    return r.ec == std::errc() && r.ptr == field.data() + field.size() && std::isfinite(value);
}

std::vector<std::string_view> splitCsv(std::string_view line)
{
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i)
        if (i == line.size() || line[i] == ',') {
            out.push_back(line.substr(start, i - start));
            start = i + 1;
        }
    return out;
}

/** columns.csv: x, y and (when present) motif. */
std::vector<FigureColumn> readColumnsCsv(const std::string& path)
{
    const std::string text = readText(path);
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line))
        throw IoError(path, "empty file (expected a header x,y,...)");
    const auto header = splitCsv(line);
    int ix = -1, iy = -1, im = -1;
    for (std::size_t i = 0; i < header.size(); ++i) {
        std::string name(header[i]);
        name.erase(std::remove_if(name.begin(), name.end(), [](char c) { return c == '\r' || c == ' ' || c == '"'; }),
                   name.end());
        if (name == "x")
            ix = int(i);
        else if (name == "y")
            iy = int(i);
        else if (name == "motif" || name == "label")
            im = int(i);
    }
    if (ix < 0 || iy < 0)
        throw IoError(path, "header has no x and y columns");
    std::vector<FigureColumn> columns;
    long long lineNo = 1;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line == "\r")
            continue;
        const auto fields = splitCsv(line);
        const std::size_t need = std::size_t(std::max({ix, iy, im})) + 1;
        FigureColumn c;
        double motif = -1;
        if (fields.size() < need || !parseDouble(fields[std::size_t(ix)], c.x) || !parseDouble(fields[std::size_t(iy)], c.y)
            || (im >= 0 && !parseDouble(fields[std::size_t(im)], motif)) || motif < -1 || motif > 1e6
            || motif != std::floor(motif))
            throw IoError(path, "line " + std::to_string(lineNo) + ": expected numbers x, y" + (im >= 0 ? ", motif" : ""));
        c.motif = int(motif);
        columns.push_back(c);
    }
    return columns;
}

/** motifs.json: id, count, colour, average {size, values}. */
std::vector<FigureMotif> readMotifsJson(const std::string& path)
{
    std::vector<FigureMotif> motifs;
    try {
        const nlohmann::json root = nlohmann::json::parse(readText(path));
        for (const nlohmann::json& m : root.at("motifs")) {
            FigureMotif f;
            f.id = m.at("id").get<int>();
            if (f.id < 0 || f.id > 1000000)
                throw IoError(path, "motif id " + std::to_string(f.id) + " out of range");
            f.name = m.contains("name") && m["name"].is_string() ? m["name"].get<std::string>() : "motif " + std::to_string(f.id);
            f.count = m.at("count").get<long long>();
            f.colour = m.contains("colour") ? m["colour"].get<std::string>() : motifColour(f.id);
            if (m.contains("average") && m["average"].is_object()) {
                const nlohmann::json& a = m["average"];
                const int size = a.at("size").get<int>();
                const auto& values = a.at("values");
                if (size > 0 && size <= 4096 && values.is_array() && values.size() == std::size_t(size) * std::size_t(size)) {
                    f.patchSize = size;
                    f.average.reserve(values.size());
                    for (const auto& v : values)
                        f.average.push_back(v.is_number() ? v.get<float>() : 0.0f);
                }
            }
            motifs.push_back(std::move(f));
        }
    } catch (const nlohmann::json::exception& e) {
        throw IoError(path, std::string("malformed motifs.json: ") + e.what());
    }
    return motifs;
}

/** hierarchy.json: the most common motifs of each level. */
void readHierarchyJson(const std::string& path, FigureContent& content)
{
    try {
        const nlohmann::json root = nlohmann::json::parse(readText(path));
        content.hierarchyRoute = root.value("route", std::string());
        for (const nlohmann::json& level : root.at("levels")) {
            const int n = level.at("level").get<int>();
            std::size_t listed = 0;
            for (const nlohmann::json& m : level.at("motifs")) {
                if (listed++ == kHierarchyEntriesPerLevel)
                    break;
                content.hierarchy.push_back({n, m.at("name").get<std::string>(), m.at("count").get<long long>(),
                                             m.value("fraction", 0.0)});
            }
        }
    } catch (const nlohmann::json::exception& e) {
        throw IoError(path, std::string("malformed hierarchy.json: ") + e.what());
    }
}

/** Frame and calibration from the micrograph, or from the columns' extent when there is none. */
void finishFrame(FigureContent& c, const std::string& imagePath, const std::string& source)
{
    if (!imagePath.empty()) {
        c.image = readMicrograph(imagePath);
        c.width = c.image.width;
        c.height = c.image.height;
        c.calibration = c.image.calibration;
        return;
    }
    double maxX = 0, maxY = 0, minX = 0, minY = 0;
    for (const FigureColumn& col : c.columns) {
        maxX = std::max(maxX, col.x);
        maxY = std::max(maxY, col.y);
        minX = std::min(minX, col.x);
        minY = std::min(minY, col.y);
    }
    if (minX < 0 || minY < 0 || maxX > double(kMaxSide) || maxY > double(kMaxSide))
        throw IoError(source, "column positions lie outside any plausible image frame");
    c.width = std::max(1, int(std::ceil(maxX)) + 1);
    c.height = std::max(1, int(std::ceil(maxY)) + 1);
}

} // namespace

FigureContent loadAnalysisFolder(const std::string& dir, const std::string& imagePath)
{
    if (!fs::is_directory(dir))
        throw IoError(dir, "not an analysis folder");
    const fs::path d(dir);
    FigureContent c;
    if (!fs::exists(d / "columns.csv"))
        throw IoError(dir, "not an analysis folder (no columns.csv)");
    c.columns = readColumnsCsv((d / "columns.csv").string());
    if (fs::exists(d / "motifs.json"))
        c.motifs = readMotifsJson((d / "motifs.json").string());
    if (fs::exists(d / "hierarchy.json"))
        readHierarchyJson((d / "hierarchy.json").string(), c);
    finishFrame(c, imagePath, (d / "columns.csv").string());
    if (imagePath.empty())
        c.warning = "the analysis folder does not name its micrograph: pass --image IMAGE to draw it under the columns";
    return c;
}

FigureContent loadSessionFigure(const std::string& sessionPath, const std::string& imagePath)
{
    const Session s = loadSession(sessionPath);
    FigureContent c;
    for (std::size_t i = 0; i < s.columns.size(); ++i)
        c.columns.push_back({s.columns.columns[i].x, s.columns.columns[i].y, s.columns.classOf(i)});
    for (const SessionMotif& m : s.motifs)
        c.motifs.push_back({m.id, m.name.empty() ? "motif " + std::to_string(m.id) : m.name,
                            m.colour.empty() ? motifColour(m.id) : m.colour, m.count, m.patchSize, m.averagePatch});
    if (s.hierarchy.present) {
        c.hierarchyRoute = s.hierarchy.route;
        for (const HierarchyLevel& level : s.hierarchy.levels)
            for (std::size_t i = 0; i < level.motifs.size() && i < kHierarchyEntriesPerLevel; ++i)
                c.hierarchy.push_back({level.level, level.motifs[i].name, level.motifs[i].count, level.motifs[i].fraction});
    }
    const std::string image = imagePath.empty() ? resolveSessionImage(s, sessionPath) : imagePath;
    finishFrame(c, image, sessionPath);
    if (image.empty()) {
        c.width = std::max(c.width, s.image.width);
        c.height = std::max(c.height, s.image.height);
        c.calibration = s.image.calibration;
        c.warning = "the session's micrograph was not found (" + s.image.path + "): columns drawn on white";
    } else if (imagePath.empty()) {
        c.calibration = c.image.calibration = s.image.calibration; // the scale in effect when saved (Set Scale)
    }
    if (!image.empty() && imagePath.empty() && !s.image.fnv1a64.empty()) {
        const std::string mismatch = imageMismatch(s.image, image);
        if (!mismatch.empty())
            c.warning = image + ": " + mismatch;
    }
    return c;
}

bool figureFormatFor(const std::string& path, FigureFormat& format)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    if (ext == ".png")
        format = FigureFormat::Png;
    else if (ext == ".svg")
        format = FigureFormat::Svg;
    else if (ext == ".pdf")
        format = FigureFormat::Pdf;
    else
        return false;
    return true;
}

} // namespace motifscope
