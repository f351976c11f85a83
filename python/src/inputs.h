#pragma once
/** What the module takes in: images (arrays, paths, Micrographs, HyperSpy signals), keyword options and columns. */

#include "python/src/released_work.h"

#include "core/detect/column_detector.h"
#include "core/hierarchy/hierarchy.h"
#include "core/io/readers.h"
#include "core/pipeline/full_analysis.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <string>
#include <vector>

namespace motifscope::python {

namespace py = pybind11;

/** An image handed in: pixels (borrowed from `keep` or owned by `owned`) with its calibration. */
struct ImageIn
{
    py::object keep;          ///< the array or Micrograph the pixels belong to
    Micrograph owned;         ///< pixels read here (a path) or copied (classify, learn need a Micrograph)
    const float* pixels = nullptr;
    int width = 0;
    int height = 0;
    Calibration calibration;
    std::string source;       ///< the path, "" for in-memory data (prefixes error messages like the CLI)
};

/** A str or an os.PathLike (what `read` and the image arguments take as a file). */
bool isPath(const py::handle& obj);

/** os.fspath of it, as text. */
std::string pathText(const py::handle& obj);

/** Reads frame `frame` of a file without the GIL. */
Micrograph readFrame(const std::string& path, int frame);

/**
 * The image in `obj`: a path (frame `frame` read), a Micrograph, a HyperSpy Signal2D (its data and
 * signal axes) or an array-like (borrowed when already C-ordered float32).
 */
ImageIn imageIn(const py::handle& obj, int frame = 0);

/** The image as a Micrograph (for the stages that take one): the file's as read, else a copy. */
const Micrograph& micrographOf(ImageIn& in);

/** Keyword options of one call: each read once; a name no option has is a TypeError (a misspelling). */
class Options
{
public:
    Options(const py::kwargs& kwargs, const char* function) : mFunction(function)
    {
        for (const auto& [key, value] : kwargs)
            mValues[py::str(key)] = py::reinterpret_borrow<py::object>(value);
    }
    template <class T>
    T get(const std::string& name, T fallback)
    {
        const auto it = mValues.find(name);
        if (it == mValues.end())
            return fallback;
        py::object v = it->second;
        mValues.erase(it);
        return v.is_none() ? fallback : v.cast<T>();
    }
    py::object callback() { return get<py::object>("progress", py::none()); }
    /** Throws TypeError naming the first option not read. */
    void done() const
    {
        if (!mValues.empty())
            throw py::type_error(mFunction + "() got an unexpected keyword argument '" + mValues.begin()->first + "'");
    }

private:
    std::string mFunction;
    std::map<std::string, py::object> mValues;
};

/** detect's options with `motifscope-cli detect`'s defaults. */
DetectionParams detectionParams(Options& o);

/** "auto", "polygons" or "cells"; ValueError otherwise. */
HierarchyRoute routeFrom(const std::string& name);

/** analyze's and learn's pipeline options with the command line's defaults (app/cli/analysis_flags.cpp). */
FullAnalysisParams fullParams(Options& o, int threads);

/** Column positions (and motifs) from a dict of arrays (`x`, `y`, optional `motif`) or an N x 2 array. */
std::vector<Point2> pointsIn(const py::handle& columns, std::vector<int>* motif);

/** Columns (x, y) as pointsIn reads them, for the stages that take AtomColumns. */
AtomColumns atomColumnsIn(const py::handle& columns);

} // namespace motifscope::python
