#include "core/pipeline/analysis_output.h"

#include "core/io/file_util.h"
#include "core/io/micrograph.h"
#include "core/util/general_number.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace motifscope {

void appendNumber(std::string& out, double value, int precision)
{
    appendGeneral(out, value, precision);
}

void writeTextFile(const std::string& path, const std::string& text)
{
    writeFileAtomically(path, text);
}

void writeAnalysisColumnsCsv(const AnalysisResult& result, const ColumnLabels& labels, const std::string& path)
{
    const AtomColumns& columns = result.detection.columns;
    std::string text = "x,y,intensity,motif,confidence,width,background,residual,patch_inside,sigma_px,angle_deg,mirrored";
    for (const ExtraColumn& e : labels.extra)
        text += ',' + e.name;
    text += '\n';
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
        text += ',';
        appendNumber(text, c.positionSigma, 4);
        text += ',';
        if (i < labels.angleDeg.size() && std::isfinite(labels.angleDeg[i])) {
            appendNumber(text, labels.angleDeg[i], 5);
            text += ',';
            text += i < labels.mirrored.size() && labels.mirrored[i] ? '1' : '0';
        } else {
            text += ',';
        }
        for (const ExtraColumn& e : labels.extra)
            text += ',' + std::to_string(i < e.values.size() ? e.values[i] : -1);
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

void writeTimingsJson(const StageTimings& timings, std::size_t columns, int threads, const std::string& path)
{
    nlohmann::ordered_json stages = nlohmann::ordered_json::object();
    for (const char* stage : {"load", "detect", "refine", "features", "embed", "cluster", "hierarchy"}) {
        const auto it = timings.seconds.find(stage);
        stages[stage] = it == timings.seconds.end() ? 0.0 : it->second;
    }
    nlohmann::ordered_json doc;
    doc["stages"] = stages;
    doc["total"] = timings.total;
    doc["columns"] = columns;
    doc["threads"] = threads;
    doc["peak_rss_mb"] = peakResidentMemoryMiB();
    writeTextFile(path, doc.dump(2) + "\n");
}

void writeEmbeddingCsv(const AnalysisResult& result, const std::vector<int>& rows, const LearnResult& learned,
                       const std::string& path)
{
    std::string text = "x,y,e1,e2,motif\n";
    const AtomColumns& columns = result.detection.columns;
    const std::size_t n = std::min<std::size_t>(rows.size(), std::size_t(learned.embedding.rows()));
    text.reserve(n * 48);
    for (std::size_t r = 0; r < n; ++r) {
        const AtomColumn& c = columns[std::size_t(rows[r])];
        appendNumber(text, c.x, 8);
        text += ',';
        appendNumber(text, c.y, 8);
        text += ',';
        appendNumber(text, learned.embedding(Eigen::Index(r), 0));
        text += ',';
        appendNumber(text, learned.embedding(Eigen::Index(r), 1));
        text += ',';
        text += std::to_string(r < learned.labels.size() ? learned.labels[r] : -1);
        text += '\n';
    }
    writeTextFile(path, text);
}

void writeMotifsJson(const std::vector<Motif>& motifs, int patchSize, const ColumnLabels& labels,
                     const std::string& path)
{
    // Written by hand: nlohmann would print each float widened to double with 17 digits.
    long long unassigned = 0;
    for (int m : labels.motif)
        unassigned += m < 0 ? 1 : 0;
    std::string text = "{\n  \"patch_size\": " + std::to_string(patchSize) + ",\n  \"columns\": " +
                       std::to_string(labels.motif.size()) + ",\n  \"unassigned\": " + std::to_string(unassigned) +
                       ",\n  \"motifs\": [";
    for (std::size_t k = 0; k < motifs.size(); ++k) {
        const Motif& m = motifs[k];
        text += k ? ",\n    {" : "\n    {";
        text += "\"id\": " + std::to_string(m.id) + ", ";
        if (!m.name.empty())
            text += "\"name\": " + nlohmann::json(m.name).dump() + ", ";
        text += "\"count\": " + std::to_string(m.count) + ", \"fraction\": ";
        appendNumber(text, m.fraction, 6);
        text += ", \"colour\": \"" + m.colour + "\",\n     \"average\": {\"size\": " + std::to_string(m.patchSize) +
                ", \"values\": [";
        for (std::size_t p = 0; p < m.averagePatch.size(); ++p) {
            if (p)
                text += p % 16 == 0 ? ",\n       " : ", ";
            appendNumber(text, m.averagePatch[p], 6);
        }
        text += "]}}";
    }
    text += motifs.empty() ? "]\n}\n" : "\n  ]\n}\n";
    writeTextFile(path, text);
}

} // namespace motifscope
