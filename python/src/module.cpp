/**
 * The Python module `motifscope` (docs/python.md): core's stages on NumPy arrays, micrographs read by
 * core's readers and HyperSpy signals, with the command line's defaults so the results equal
 * motifscope-cli's. Work runs without the GIL (released_work.h); results are NumPy arrays and dicts.
 */
#include "python/src/released_work.h"

#include "core/detect/column_detector.h"
#include "core/dictionary/dictionary_learn.h"
#include "core/dictionary/frame_classify.h"
#include "core/dictionary/motif_dictionary.h"
#include "core/dictionary/series.h"
#include "core/disorder/disorder.h"
#include "core/features/zernike_features.h"
#include "core/hierarchy/hierarchy.h"
#include "core/image/finite_image.h"
#include "core/io/readers.h"
#include "core/learn/cluster_method_name.h"
#include "core/pipeline/full_analysis.h"
#include "core/pipeline/motif_learning.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace py = pybind11;
using namespace py::literals;

namespace motifscope::python {
namespace {

// ---------------------------------------------------------------------------------------- inputs

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

bool isPath(const py::handle& obj)
{
    return py::isinstance<py::str>(obj) || py::hasattr(obj, "__fspath__");
}

std::string pathText(const py::handle& obj)
{
    return py::str(py::module_::import("os").attr("fspath")(obj));
}

/** A HyperSpy Signal2D's calibration (its signal axes' scale and units), without importing HyperSpy. */
Calibration signalCalibration(const py::handle& signal)
{
    Calibration c;
    const py::object axes = signal.attr("axes_manager").attr("signal_axes");
    if (py::len(axes) != 2)
        throw py::value_error("a HyperSpy signal with 2 signal dimensions is needed (Signal2D)");
    const std::string unit = py::str(axes[py::int_(0)].attr("units"));
    c.pixelSizeX = axes[py::int_(0)].attr("scale").cast<double>();
    c.pixelSizeY = axes[py::int_(1)].attr("scale").cast<double>();
    if (!unit.empty() && unit != "<undefined>" && unit != "<Undefined>")
        c.unit = unit;
    return c;
}

/** 2-D float32 pixels of an array-like; converted (one copy) only when not already C-ordered float32. */
void takeArray(ImageIn& in, const py::handle& data)
{
    auto array = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(data);
    if (!array)
        throw py::type_error("an image is a 2-D array, a path, a motifscope.Micrograph or a HyperSpy Signal2D");
    if (array.ndim() != 2)
        throw py::value_error("the image must be a 2-D array, not " + std::to_string(array.ndim()) + "-D");
    checkImageSize("image", array.shape(1), array.shape(0));
    in.height = int(array.shape(0));
    in.width = int(array.shape(1));
    in.pixels = array.data();
    in.keep = std::move(array);
}

/** Reads frame `frame` of a file without the GIL. */
Micrograph readFrame(const std::string& path, int frame)
{
    py::gil_scoped_release release;
    return frame == 0 ? readMicrograph(path) : readMicrographFrame(path, frame);
}

ImageIn imageIn(const py::handle& obj, int frame = 0)
{
    ImageIn in;
    if (py::isinstance<Micrograph>(obj)) {
        const Micrograph& m = obj.cast<const Micrograph&>();
        in.keep = py::reinterpret_borrow<py::object>(obj);
        in.pixels = m.pixels.data();
        in.width = m.width;
        in.height = m.height;
        in.calibration = m.calibration;
    } else if (isPath(obj)) {
        in.source = pathText(obj);
        in.owned = readFrame(in.source, frame);
        in.pixels = in.owned.pixels.data();
        in.width = in.owned.width;
        in.height = in.owned.height;
        in.calibration = in.owned.calibration;
    } else if (py::hasattr(obj, "axes_manager") && py::hasattr(obj, "data")) {
        in.calibration = signalCalibration(obj);
        takeArray(in, obj.attr("data"));
    } else {
        takeArray(in, obj);
    }
    return in;
}

/** The image as a Micrograph (for the stages that take one): the file's as read, else a copy. */
const Micrograph& micrographOf(ImageIn& in)
{
    if (in.owned.empty() && py::isinstance<Micrograph>(in.keep))
        return in.keep.cast<const Micrograph&>();
    if (in.owned.empty()) {
        in.owned.width = in.width;
        in.owned.height = in.height;
        in.owned.pixels.assign(in.pixels, in.pixels + std::size_t(in.width) * in.height);
        in.owned.calibration = in.calibration;
        in.owned.dtype = "float32";
        in.owned.format = "array";
    }
    return in.owned;
}

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

DetectionParams detectionParams(Options& o)
{
    DetectionParams p; // motifscope-cli detect's defaults
    p.period = o.get<double>("spacing", 0.0);
    p.threshold = o.get<double>("threshold", p.threshold);
    p.significance = o.get<double>("significance", 0.0);
    p.residualPasses = o.get<bool>("residual_passes", true);
    p.atomicContrastOnly = o.get<bool>("contrast_mask", true);
    p.jointFit = o.get<bool>("joint_fit", true);
    p.refine = o.get<bool>("refine", true);
    return p;
}

HierarchyRoute routeFrom(const std::string& name)
{
    if (name == "polygons")
        return HierarchyRoute::Polygons;
    if (name == "cells")
        return HierarchyRoute::Cells;
    if (name != "auto")
        throw py::value_error("route: must be auto, polygons or cells, not '" + name + "'");
    return HierarchyRoute::Automatic;
}

/** analyze's and learn's pipeline options with the command line's defaults (app/cli/analysis_flags.cpp). */
FullAnalysisParams fullParams(Options& o, int threads)
{
    FullAnalysisParams full;
    full.analysis.threads = threads;
    full.analysis.detection.period = o.get<double>("spacing", 0.0);
    full.analysis.features.nMax = o.get<int>("n_max", 10);
    if (full.analysis.features.nMax < 2 || full.analysis.features.nMax > 20)
        throw py::value_error("n_max: must be from 2 to 20");
    full.analysis.features.patchSize = o.get<int>("patch_size", 0);
    const int patch = full.analysis.features.patchSize;
    if (patch != 0 && (patch % 2 == 0 || patch < 5 || patch > 401))
        throw py::value_error("patch_size: must be None or an odd whole number of pixels from 5 to 401");
    const std::string method = o.get<std::string>("method", "segment");
    const std::optional<ClusterMethod> named = clusterMethodFromName(method);
    if (!named)
        throw py::value_error("method: must be segment, gmm or kmeans, not '" + method + "'");
    full.learn.method = *named;
    full.learn.classes = o.get<int>("classes", 0);
    if (full.learn.classes < 0 || full.learn.classes > 64)
        throw py::value_error("classes: must be None (automatic) or from 1 to 64");
    full.learn.seed = o.get<std::uint64_t>("seed", 1);
    full.route = routeFrom(o.get<std::string>("route", "auto"));
    full.refineClasses = o.get<bool>("refine_classes", true);
    return full;
}

/** Column positions (and motifs) from a dict of arrays (`x`, `y`, optional `motif`) or an N x 2 array. */
std::vector<Point2> pointsIn(const py::handle& columns, std::vector<int>* motif)
{
    std::vector<Point2> points;
    if (py::isinstance<py::dict>(columns) || py::hasattr(columns, "keys")) {
        const auto x = py::array_t<double, py::array::forcecast>::ensure(columns["x"]);
        const auto y = py::array_t<double, py::array::forcecast>::ensure(columns["y"]);
        if (!x || !y || x.ndim() != 1 || y.ndim() != 1 || x.size() != y.size())
            throw py::value_error("columns: 'x' and 'y' must be 1-D arrays of the same length");
        points.resize(std::size_t(x.size()));
        for (std::size_t i = 0; i < points.size(); ++i)
            points[i] = {x.at(py::ssize_t(i)), y.at(py::ssize_t(i))};
        if (motif && py::bool_(columns.attr("__contains__")("motif"))) {
            const auto m = py::array_t<int, py::array::forcecast>::ensure(columns["motif"]);
            if (!m || m.ndim() != 1 || m.size() != x.size())
                throw py::value_error("columns: 'motif' must be a 1-D array as long as 'x'");
            motif->assign(m.data(), m.data() + m.size());
        }
        return points;
    }
    const auto xy = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(columns);
    if (!xy || xy.ndim() != 2 || xy.shape(1) < 2)
        throw py::type_error("columns: a dict with 'x' and 'y' arrays, or an N x 2 array of positions");
    points.resize(std::size_t(xy.shape(0)));
    for (std::size_t i = 0; i < points.size(); ++i)
        points[i] = {xy.at(py::ssize_t(i), 0), xy.at(py::ssize_t(i), 1)};
    return points;
}

AtomColumns atomColumnsIn(const py::handle& columns)
{
    const std::vector<Point2> points = pointsIn(columns, nullptr);
    AtomColumns out(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        out[i].x = points[i].x;
        out[i].y = points[i].y;
    }
    return out;
}

// --------------------------------------------------------------------------------------- outputs

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

// ------------------------------------------------------------------------------------- functions

py::dict detect(const py::handle& image, const py::kwargs& kwargs)
{
    Options o(kwargs, "detect");
    const DetectionParams params = detectionParams(o);
    const int threads = o.get<int>("threads", 0);
    const py::object callback = o.callback();
    o.done();
    const ImageIn in = imageIn(image);
    const DetectionResult result = runOn(in, callback, threads, [&](Progress* progress) {
        const FloatImage pixels = withFiniteValues(in.pixels, in.width, in.height); // the one copy, as the CLI's
        return detectColumns(pixels, params, progress);
    });
    return detectedColumns(result.columns);
}

py::dict features(const py::handle& image, const py::handle& columns, const py::kwargs& kwargs)
{
    Options o(kwargs, "features");
    FeatureParams params;
    params.nMax = o.get<int>("n_max", 10);
    const int requested = o.get<int>("patch_size", 0);
    const int threads = o.get<int>("threads", 0);
    const py::object callback = o.callback();
    o.done();
    const AtomColumns atoms = atomColumnsIn(columns);
    const ImageIn in = imageIn(image);
    const int patch = featurePatchSize(requested, atoms);
    const FeatureSet set = runOn(in, callback, threads, [&](Progress* progress) {
        const FloatImage pixels = withFiniteValues(in.pixels, in.width, in.height);
        return computeFeatures(pixels, atoms, patch, params, progress);
    });
    const Eigen::Index rows = set.invariants.rows(), cols = set.invariants.cols();
    py::array_t<float> invariants({py::ssize_t(rows), py::ssize_t(cols)});
    Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(invariants.mutable_data(), rows,
                                                                                      cols) = set.invariants;
    return py::dict("invariants"_a = invariants,
                    "inside"_a = columnArray<bool>(set.inside.size(), [&](std::size_t i) { return set.inside[i] != 0; }),
                    "orientation"_a = columnArray<float>(set.orientation.size(), [&](std::size_t i) { return set.orientation[i]; }),
                    "patch_size"_a = patch);
}

py::dict analyze(const py::handle& image, const py::kwargs& kwargs)
{
    Options o(kwargs, "analyze");
    const int threads = o.get<int>("threads", 0);
    const FullAnalysisParams params = fullParams(o, threads);
    const py::object callback = o.callback();
    o.done();
    const ImageIn in = imageIn(image);
    struct Out
    {
        FullAnalysis analysis;
        std::string hierarchy, disorder;
    };
    const Out out = runOn(in, callback, threads, [&](Progress* progress) {
        const FloatImage pixels = withFiniteValues(in.pixels, in.width, in.height);
        Out r;
        r.analysis = runFullAnalysis(pixels, params, progress);
        r.hierarchy = hierarchyJsonText(r.analysis.hierarchy);
        r.disorder = disorder::disorderJsonText(measureAnalysisDisorder(r.analysis));
        return r;
    });
    const FullAnalysis& a = out.analysis;
    py::array_t<float> embedding({py::ssize_t(a.learned.embedding.rows()), py::ssize_t(2)});
    for (Eigen::Index r = 0; r < a.learned.embedding.rows(); ++r)
        for (int k = 0; k < 2; ++k)
            embedding.mutable_at(r, k) = a.learned.embedding(r, k);
    return py::dict("columns"_a = analysisColumns(a.base, a.labels), "motifs"_a = motifList(a.motifs),
                    "hierarchy"_a = jsonValue(out.hierarchy), "disorder"_a = jsonValue(out.disorder),
                    "embedding"_a = embedding, "learned_rows"_a = py::array(py::cast(a.learnedRows)),
                    "patch_size"_a = a.base.patchSize, "route_reason"_a = a.routeReason);
}

/** A motif dictionary and its class model (made once, used for every frame it classifies). */
struct Dictionary
{
    MotifDictionary dictionary;
    std::shared_ptr<const ClassModel> model;

    explicit Dictionary(MotifDictionary d) : dictionary(std::move(d)), model(std::make_shared<ClassModel>(dictionary)) {}
    static Dictionary load(const std::string& path)
    {
        MotifDictionary d;
        {
            py::gil_scoped_release release;
            d = readMotifDictionary(path);
        }
        try {
            return Dictionary(std::move(d));
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(path + ": " + e.what());
        }
    }
};

Dictionary dictionaryIn(const py::handle& obj)
{
    if (py::isinstance<Dictionary>(obj))
        return obj.cast<const Dictionary&>();
    if (isPath(obj))
        return Dictionary::load(pathText(obj));
    throw py::type_error("dictionary: a motifscope.Dictionary or the path of a .motifdict file");
}

Dictionary learn(const py::handle& images, const py::kwargs& kwargs)
{
    Options o(kwargs, "learn");
    const int threads = o.get<int>("threads", 0);
    DictionaryLearnParams params;
    params.analysis = fullParams(o, threads);
    const py::object callback = o.callback();
    o.done();
    // One image or a list of them; a TIFF stack's every frame, as `motifscope-cli learn` learns it.
    py::list items;
    if (py::isinstance<py::list>(images) || py::isinstance<py::tuple>(images))
        items = py::list(py::reinterpret_borrow<py::object>(images));
    else
        items.append(images);
    std::vector<ImageIn> inputs;
    std::vector<std::string> sources;
    for (std::size_t k = 0; k < items.size(); ++k) {
        ImageIn first = imageIn(items[k]);
        const std::string path = first.source;
        const int count = !path.empty() && first.owned.format == "TIFF" ? first.owned.frames : 1;
        inputs.push_back(std::move(first));
        for (int index = 1; index < count; ++index)
            inputs.push_back(imageIn(items[k], index));
        for (int index = 0; index < count; ++index)
            sources.push_back(path.empty() ? "array " + std::to_string(k)
                                           : count > 1 ? path + "#" + std::to_string(index) : path);
    }
    if (inputs.empty())
        throw py::value_error("learn: at least one image is needed");
    std::vector<LearnFrame> frames;
    for (std::size_t f = 0; f < inputs.size(); ++f)
        frames.push_back({&micrographOf(inputs[f]), sources[f]});
    ImageIn named; // errors name the first image (and the others) as the CLI does
    named.source = inputs[0].source.empty() ? "" : inputs[0].source + (items.size() > 1 ? " (and the other images)" : "");
    return Dictionary(runOn(named, callback, threads,
                            [&](Progress* progress) { return learnMotifDictionary(frames, params, progress); }));
}

py::dict classify(const py::handle& dictionaryObj, const py::handle& image, const py::kwargs& kwargs)
{
    Options o(kwargs, "classify");
    const Dictionary dict = dictionaryIn(dictionaryObj);
    ClassifyParams params; // classify's defaults: detect at the dictionary's spacing
    const double spacing = o.get<double>("spacing", 0.0);
    params.spacingFromDictionary = o.get<bool>("spacing_from_dictionary", spacing == 0.0);
    params.analysis.detection.period = spacing;
    const int index = o.get<int>("index", 0);
    const int threads = o.get<int>("threads", 0);
    params.analysis.threads = threads;
    const py::object callback = o.callback();
    std::string file = o.get<std::string>("file", "");
    o.done();
    ImageIn in = imageIn(image, index);
    if (file.empty())
        file = in.source;
    const Micrograph& frame = micrographOf(in);
    const int count = std::max(frame.frames, 1);
    if (count > 1)
        in.source += " (frame " + std::to_string(index) + ")";
    struct Out
    {
        FrameClassification frame;
        std::string hierarchy, disorder, row;
    };
    const Out out = runOn(in, callback, threads, [&](Progress* progress) {
        Out r;
        r.frame = classifyFrame(dict.dictionary, *dict.model, frame, params, progress);
        r.hierarchy = hierarchyJsonText(r.frame.hierarchy);
        r.disorder = disorder::disorderJsonText(r.frame.disorder);
        const std::string name = file.empty() ? "array" : file;
        r.row = seriesRow(dict.dictionary, frameStem(name, index, count), name, index, r.frame, frameTime(frame));
        return r;
    });
    std::string row = out.row;
    while (!row.empty() && (row.back() == '\n' || row.back() == '\r'))
        row.pop_back();
    return py::dict("columns"_a = analysisColumns(out.frame.base, out.frame.labels),
                    "motifs"_a = motifList(out.frame.motifs), "hierarchy"_a = jsonValue(out.hierarchy),
                    "disorder"_a = jsonValue(out.disorder), "novel"_a = out.frame.novelCount,
                    "scale"_a = out.frame.scale, "row"_a = row);
}

/** Column positions (and motifs) with the hierarchy `motifscope-cli hierarchy` builds of them. */
struct PointHierarchy
{
    std::vector<Point2> points;
    std::vector<int> motif;
    HierarchyResult result;
};

PointHierarchy hierarchyOf(const py::handle& columns, const py::kwargs& kwargs, const char* function)
{
    Options o(kwargs, function);
    const int threads = o.get<int>("threads", 0);
    const py::object callback = o.callback();
    HierarchyParams params;
    params.bondCutoff = o.get<double>("bond_cutoff", 0.0);
    const HierarchyRoute route = routeFrom(o.get<std::string>("route", "auto"));
    o.done();
    PointHierarchy h;
    h.points = pointsIn(columns, &h.motif);
    if (h.points.size() < 3)
        throw py::value_error("columns: needs at least 3 points, found " + std::to_string(h.points.size()));
    h.result = runReleased(callback, threads, [&](Progress* progress) {
        return buildHierarchy(h.points, h.motif.empty() ? nullptr : &h.motif, params, route, progress);
    });
    return h;
}

py::dict hierarchy(const py::handle& columns, const py::kwargs& kwargs)
{
    const PointHierarchy h = hierarchyOf(columns, kwargs, "hierarchy");
    py::dict d = jsonValue(hierarchyJsonText(h.result));
    d["column_motif"] = py::array(py::cast(h.result.columnMotif));
    return d;
}

py::dict disorderOf(const py::handle& columns, const py::kwargs& kwargs)
{
    const PointHierarchy h = hierarchyOf(columns, kwargs, "disorder");
    // As `motifscope-cli hierarchy` measures it: the level-1 motifs, no map (no motif continuity).
    disorder::DisorderInput measures;
    measures.points = &h.points;
    measures.columnMotif = &h.result.columnMotif;
    measures.hierarchy = &h.result;
    std::string text;
    {
        py::gil_scoped_release release;
        text = disorder::disorderJsonText(disorder::measureDisorder(measures));
    }
    return jsonValue(text);
}

py::array pixelView(const Micrograph& m, const py::object& owner)
{
    // A view of the micrograph's pixels, kept alive by the Python object that owns them (no copy).
    return py::array_t<float>({py::ssize_t(m.height), py::ssize_t(m.width)}, m.pixels.data(), owner);
}

} // namespace
} // namespace motifscope::python

PYBIND11_MODULE(motifscope, m)
{
    using namespace motifscope;
    using namespace motifscope::python;
    m.doc() = "MotifScope: atom columns, motifs, hierarchies and disorder in atomic-resolution micrographs "
              "(docs/python.md).";
    m.attr("__version__") = MOTIFSCOPE_VERSION;

    static py::exception<IoError> ioError(m, "IoError", PyExc_OSError);
    static py::exception<Cancelled> cancelled(m, "Cancelled", PyExc_RuntimeError);
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const IoError& e) {
            PyErr_SetString(ioError.ptr(), e.what());
        } catch (const Cancelled& e) {
            PyErr_SetString(cancelled.ptr(), e.what());
        }
    });

    py::class_<Micrograph>(m, "Micrograph", "A micrograph as read from a file: float32 pixels with calibration.")
        .def_property_readonly("data", [](py::object self) { return pixelView(self.cast<const Micrograph&>(), self); },
                               "The pixels, a 2-D float32 NumPy array (a view, not a copy).")
        .def_property_readonly("pixel_size", [](const Micrograph& g) { return g.calibration.pixelSizeX; },
                               "Size of one pixel along x in `unit` (1 when uncalibrated).")
        .def_property_readonly("pixel_size_y", [](const Micrograph& g) { return g.calibration.pixelSizeY; })
        .def_property_readonly("unit", [](const Micrograph& g) { return g.calibration.unit; },
                               "'nm', 'Å', ...; '' = uncalibrated (pixels).")
        .def_property_readonly("metadata", [](const Micrograph& g) { return g.metadata; })
        .def_property_readonly("dtype", [](const Micrograph& g) { return g.dtype; }, "The type stored in the file.")
        .def_property_readonly("format", [](const Micrograph& g) { return g.format; })
        .def_property_readonly("frames", [](const Micrograph& g) { return g.frames; })
        .def_property_readonly("width", [](const Micrograph& g) { return g.width; })
        .def_property_readonly("height", [](const Micrograph& g) { return g.height; })
        .def("__repr__", [](const Micrograph& g) {
            return "<motifscope.Micrograph " + std::to_string(g.width) + " x " + std::to_string(g.height) + " " +
                   g.format + (g.calibration.unit.empty() ? "" : ", " + std::to_string(g.calibration.pixelSizeX) + " " +
                                                                      g.calibration.unit + "/px") + ">";
        });

    py::class_<Dictionary>(m, "Dictionary", "A motif dictionary (.motifdict): classifies new frames the same way.")
        .def(py::init([](const py::object& path) { return Dictionary::load(pathText(path)); }), py::arg("path"))
        .def("save", [](const Dictionary& d, const py::object& path) {
            const std::string p = pathText(path);
            py::gil_scoped_release release;
            writeMotifDictionary(d.dictionary, p);
        }, py::arg("path"))
        .def_property_readonly("motifs", [](const Dictionary& d) {
            py::list out;
            for (const DictionaryMotif& mo : d.dictionary.motifs)
                out.append(py::dict("id"_a = mo.id, "name"_a = mo.name, "colour"_a = mo.colour, "count"_a = mo.count,
                                    "fraction"_a = mo.fraction));
            return out;
        })
        .def_property_readonly("patch_size", [](const Dictionary& d) { return d.dictionary.patchSize; })
        .def_property_readonly("pixel_size", [](const Dictionary& d) { return d.dictionary.pixelSize; })
        .def_property_readonly("unit", [](const Dictionary& d) { return d.dictionary.unit; })
        .def_property_readonly("column_spacing", [](const Dictionary& d) { return d.dictionary.columnSpacing; })
        .def_property_readonly("sources", [](const Dictionary& d) { return d.dictionary.sources; })
        .def("series_header", [](const Dictionary& d) {
            std::string h = seriesHeader(d.dictionary);
            while (!h.empty() && h.back() == '\n')
                h.pop_back();
            return h;
        }, "series.csv's header line for frames classified with this dictionary.");

    m.def("read", [](const py::object& path, int frame) { return readFrame(pathText(path), frame); }, py::arg("path"),
          py::arg("frame") = 0, "Reads frame `frame` of a micrograph file (every format motifscope-cli reads).");
    m.def("detect", &detect, py::arg("image"),
          "Atom columns: a dict of arrays x, y, intensity, width, background, residual, refinement, sigma_px.\n"
          "Options: spacing, threshold, significance, residual_passes, contrast_mask, joint_fit, refine,\n"
          "threads, progress (callable(fraction, stage)).");
    m.def("features", &features, py::arg("image"), py::arg("columns"),
          "Rotation-invariant Zernike features of the columns' patches. Options: n_max, patch_size, threads, progress.");
    m.def("analyze", &analyze, py::arg("image"),
          "The whole pipeline as motifscope-cli analyze: columns (columns.csv's), motifs, hierarchy, disorder.\n"
          "Options: classes, method, n_max, patch_size, spacing, seed, route, refine_classes, threads, progress.");
    m.def("learn", &learn, py::arg("images"),
          "Learns a motif dictionary from one image or a list (as motifscope-cli learn). Options as analyze's.");
    m.def("load_dictionary", [](const py::object& path) { return Dictionary::load(pathText(path)); }, py::arg("path"));
    m.def("classify", &classify, py::arg("dictionary"), py::arg("image"),
          "Classifies one frame with a dictionary, as motifscope-cli classify: columns, motifs, hierarchy, disorder\n"
          "and `row`, the frame's series.csv row. Options: spacing, index (frame of a file), file, threads, progress.");
    m.def("hierarchy", &hierarchy, py::arg("columns"),
          "The hierarchy of column positions (dict with x, y, optional motif; or N x 2), as hierarchy.json.\n"
          "Options: route, bond_cutoff, threads, progress.");
    m.def("disorder", &disorderOf, py::arg("columns"),
          "disorder.json's measures of column positions (and motifs), as motifscope-cli hierarchy writes them.");
}
