#pragma once
/** What the module hands back: columns as NumPy arrays named like the CLI's CSVs, motifs, JSON; work run without the GIL. */

#include "python/src/inputs.h"

#include "core/learn/motifs.h"
#include "core/pipeline/analysis_output.h"

namespace motifscope::python {

/** An n-element NumPy array of value(i). */
template <class T, class F>
py::array_t<T> columnArray(std::size_t n, F&& value)
{
    py::array_t<T> a(static_cast<py::ssize_t>(n));
    T* out = a.mutable_data();
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<T>(value(i));
    return a;
}

/** detect's columns, named as `motifscope-cli detect` names them in its CSV. */
py::dict detectedColumns(const AtomColumns& c);

/** An analysis folder's columns.csv as arrays (core/pipeline/analysis_output.cpp's columns, in its order). */
py::dict analysisColumns(const AnalysisResult& result, const ColumnLabels& labels);

/** JSON text (disorder.json, hierarchy.json) as Python objects. */
py::object jsonValue(const std::string& text);

/** Motifs as dicts: id, count, fraction, colour and the average patch when there is one. */
py::list motifList(const std::vector<Motif>& motifs);

/** A runtime_error of an image that cannot be analysed, with the file's name first as the CLI says it. */
[[noreturn]] void rethrowNamed(const std::string& source, const std::runtime_error& e);

/** `work` run without the GIL (runReleased), its runtime_errors named by the image's file as the CLI names them. */
template <class Work>
auto runOn(const ImageIn& in, const py::object& callback, int threads, Work&& work)
{
    try {
        return runReleased(callback, threads, std::forward<Work>(work));
    } catch (const Cancelled&) {
        throw;
    } catch (const IoError&) {
        throw;
    } catch (const std::invalid_argument&) {
        throw;
    } catch (const std::runtime_error& e) {
        rethrowNamed(in.source, e);
    }
}

} // namespace motifscope::python
