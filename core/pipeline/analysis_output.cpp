#include "pipeline/analysis_output.h"

#include "io/file_util.h"
#include "io/micrograph.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>

namespace motifscope {

void appendNumber(std::string& out, double value, int precision)
{
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, precision);
    out.append(buffer, ec == std::errc() ? end : buffer);
}

void writeTextFile(const std::string& path, const std::string& text)
{
    writeFileAtomically(path, text);
}

void writeAnalysisColumnsCsv(const AnalysisResult& result, const ColumnLabels& labels, const std::string& path)
{
    const AtomColumns& columns = result.detection.columns;
    std::string text = "x,y,intensity,motif,confidence,width,background,residual,patch_inside\n";
    text.reserve(columns.size() * 64);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const AtomColumn& c = columns[i];
        appendNumber(text, c.x, 8);
        text += ',';
        appendNumber(text, c.y, 8);
        text += ',';
        appendNumber(text, c.intensity);
        text += ',';
        text += std::to_string(i < labels.motif.size() ? labels.motif[i] : -1);
        text += ',';
        appendNumber(text, i < labels.confidence.size() ? labels.confidence[i] : 0.0, 4);
        text += ',';
        appendNumber(text, c.width, 4);
        text += ',';
        appendNumber(text, c.background);
        text += ',';
        appendNumber(text, c.residual, 4);
        text += ',';
        text += i < result.features.inside.size() && result.features.inside[i] ? '1' : '0';
        text += '\n';
    }
    writeTextFile(path, text);
}

void writeFeaturesCsv(const AnalysisResult& result, const std::string& path)
{
    const auto& f = result.features.invariants;
    std::string text = "x,y";
    for (Eigen::Index j = 0; j < f.cols(); ++j)
        text += ",z" + std::to_string(j);
    text += '\n';
    text.reserve(std::size_t(f.rows()) * std::size_t(f.cols() + 2) * 12);
    const AtomColumns& columns = result.detection.columns;
    for (Eigen::Index i = 0; i < f.rows(); ++i) {
        appendNumber(text, columns[std::size_t(i)].x, 8);
        text += ',';
        appendNumber(text, columns[std::size_t(i)].y, 8);
        for (Eigen::Index j = 0; j < f.cols(); ++j) {
            text += ',';
            appendNumber(text, f(i, j));
        }
        text += '\n';
    }
    writeTextFile(path, text);
}

void writeTimingsJson(const AnalysisResult& result, int threads, const std::string& path)
{
    nlohmann::ordered_json stages = nlohmann::ordered_json::object();
    for (const char* stage : {"load", "detect", "refine", "features", "embed", "cluster", "hierarchy"}) {
        const auto it = result.timings.seconds.find(stage);
        stages[stage] = it == result.timings.seconds.end() ? 0.0 : it->second;
    }
    nlohmann::ordered_json doc;
    doc["stages"] = stages;
    doc["total"] = result.timings.total;
    doc["columns"] = result.detection.columns.size();
    doc["threads"] = threads;
    doc["peak_rss_mb"] = peakResidentMemoryMiB();
    writeTextFile(path, doc.dump(2) + "\n");
}

} // namespace motifscope
