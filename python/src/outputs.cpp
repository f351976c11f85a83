#include "python/src/outputs.h"

#include <cmath>

namespace motifscope::python {

using namespace py::literals;

/** detect's columns, named as `motifscope-cli detect` names them in its CSV. */
py::dict detectedColumns(const AtomColumns& c)
{
    const std::size_t n = c.size();
    py::dict d;
    d["x"] = columnArray<double>(n, [&](std::size_t i) { return c[i].x; });
    d["y"] = columnArray<double>(n, [&](std::size_t i) { return c[i].y; });
    d["intensity"] = columnArray<float>(n, [&](std::size_t i) { return c[i].intensity; });
    d["width"] = columnArray<float>(n, [&](std::size_t i) { return c[i].width; });
    d["background"] = columnArray<float>(n, [&](std::size_t i) { return c[i].background; });
    d["residual"] = columnArray<float>(n, [&](std::size_t i) { return c[i].residual; });
    d["refinement"] = columnArray<std::uint8_t>(n, [&](std::size_t i) { return int(c[i].refinement); });
    d["sigma_px"] = columnArray<float>(n, [&](std::size_t i) { return c[i].positionSigma; });
    return d;
}

/** An analysis folder's columns.csv as arrays (core/pipeline/analysis_output.cpp's columns, in its order). */
py::dict analysisColumns(const AnalysisResult& result, const ColumnLabels& labels)
{
    const AtomColumns& c = result.detection.columns;
    const std::size_t n = c.size();
    const auto at = [](const auto& v, std::size_t i, auto fallback) {
        return i < v.size() ? v[i] : decltype(v[i] + fallback)(fallback);
    };
    py::dict d;
    d["x"] = columnArray<double>(n, [&](std::size_t i) { return c[i].x; });
    d["y"] = columnArray<double>(n, [&](std::size_t i) { return c[i].y; });
    d["intensity"] = columnArray<float>(n, [&](std::size_t i) { return c[i].intensity; });
    d["motif"] = columnArray<int>(n, [&](std::size_t i) { return at(labels.motif, i, -1); });
    d["confidence"] = columnArray<float>(n, [&](std::size_t i) { return at(labels.confidence, i, 0.0f); });
    d["width"] = columnArray<float>(n, [&](std::size_t i) { return c[i].width; });
    d["background"] = columnArray<float>(n, [&](std::size_t i) { return c[i].background; });
    d["residual"] = columnArray<float>(n, [&](std::size_t i) { return c[i].residual; });
    d["patch_inside"] = columnArray<bool>(n, [&](std::size_t i) { return at(result.features.inside, i, 0) != 0; });
    d["sigma_px"] = columnArray<float>(n, [&](std::size_t i) { return c[i].positionSigma; });
    d["angle_deg"] = columnArray<float>(n, [&](std::size_t i) { return at(labels.angleDeg, i, NAN); });
    d["mirrored"] = columnArray<bool>(n, [&](std::size_t i) { return at(labels.mirrored, i, 0) != 0; });
    for (const ExtraColumn& e : labels.extra)
        d[py::str(e.name)] = columnArray<int>(n, [&](std::size_t i) { return at(e.values, i, -1); });
    return d;
}

py::object jsonValue(const std::string& text)
{
    return py::module_::import("json").attr("loads")(text);
}

py::list motifList(const std::vector<Motif>& motifs)
{
    py::list out;
    for (const Motif& m : motifs) {
        py::dict d("id"_a = m.id, "count"_a = m.count, "fraction"_a = m.fraction, "colour"_a = m.colour);
        if (m.patchSize > 0 && m.averagePatch.size() == std::size_t(m.patchSize) * m.patchSize) {
            py::array_t<float> average({m.patchSize, m.patchSize});
            std::copy(m.averagePatch.begin(), m.averagePatch.end(), average.mutable_data());
            d["average"] = average;
        }
        out.append(d);
    }
    return out;
}

/** A runtime_error of an image that cannot be analysed, with the file's name first as the CLI says it. */
[[noreturn]] void rethrowNamed(const std::string& source, const std::runtime_error& e)
{
    if (source.empty())
        throw;
    throw std::runtime_error(source + ": " + e.what());
}

} // namespace motifscope::python
