#include "python/src/inputs.h"

#include "core/learn/cluster_method_name.h"

#include <cmath>
#include <optional>
#include <set>

namespace motifscope::python {

namespace {

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

} // namespace

bool isPath(const py::handle& obj)
{
    return py::isinstance<py::str>(obj) || py::hasattr(obj, "__fspath__");
}

std::string pathText(const py::handle& obj)
{
    return py::str(py::module_::import("os").attr("fspath")(obj));
}

Micrograph readFrame(const std::string& path, int frame)
{
    py::gil_scoped_release release;
    return frame == 0 ? readMicrograph(path) : readMicrographFrame(path, frame);
}

ImageIn imageIn(const py::handle& obj, int frame)
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

} // namespace motifscope::python
