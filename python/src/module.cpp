/**
 * The Python module `motifscope` (docs/python.md): core's stages on NumPy arrays, micrographs read by
 * core's readers and HyperSpy signals, with the command line's defaults so the results equal
 * motifscope-cli's. Work runs without the GIL (released_work.h); results are NumPy arrays and dicts.
 */
#include "python/src/inputs.h"
#include "python/src/outputs.h"
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
