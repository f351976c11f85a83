// HyperSpy HDF5 reader (.hspy, .hdf5 from HyperSpy 1.x / 2.x, Atomap, TEMUL). The data array is
// in numpy order: navigation axes first, then the signal axes (y, x); `axis-N` describes array
// axis N. An image is a signal of two axes; one navigation axis makes a stack of frames.
#include "core/io/hyperspy_layout.h"

#include "core/io/readers.h"
#include "core/io/tiff_calibration.h"
#include "core/io/units.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace motifscope {

namespace {

using hdf5::MemoryFile;

constexpr std::size_t kMaxMetadataValue = 256;

/** One `axis-N` group's attributes (navigate: 1 navigation, 0 signal, -1 not stated). */
struct Axis
{
    int navigate = -1;
    double scale = std::nan("");
    std::string offset; ///< as written (metadata only)
    std::string units;
    std::string name;
};

/** A number written as attribute text; NaN when absent or not entirely a number. */
double number(const std::string& text)
{
    if (text.empty())
        return std::nan("");
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() ? value : std::nan("");
}

Axis readAxis(const MemoryFile& file, const std::string& experiment, std::size_t index)
{
    Axis axis;
    const std::string group = experiment + "/axis-" + std::to_string(index);
    if (!file.exists(group))
        return axis;
    const std::string navigate = file.attributeText(group, "navigate");
    if (navigate == "1" || navigate == "True" || navigate == "true")
        axis.navigate = 1;
    else if (navigate == "0" || navigate == "False" || navigate == "false")
        axis.navigate = 0;
    axis.scale = number(file.attributeText(group, "scale"));
    axis.offset = file.attributeText(group, "offset");
    axis.units = file.attributeText(group, "units");
    axis.name = file.attributeText(group, "name");
    return axis;
}

/** The first /Experiments/<title> group that holds a `data` dataset. */
std::string findExperiment(const MemoryFile& file)
{
    for (const auto& name : file.members("/Experiments")) {
        const std::string group = "/Experiments/" + name;
        if (file.exists(group + "/data"))
            return group;
    }
    return {};
}

std::string navigationAxes(std::size_t n)
{
    return std::to_string(n) + (n == 1 ? " navigation axis" : " navigation axes");
}

/**
 * Refuses every signal but an image (two signal axes, the last two array axes) over at most one
 * navigation axis. Which axes are the signal comes from the axes' `navigate` flags, or for files
 * without them from metadata/Signal/record_by ("spectrum": the last axis; otherwise the last two).
 */
void checkImageSignal(const MemoryFile& file, const std::vector<hsize_t>& shape, const std::vector<Axis>& axes,
                      const std::string& recordBy)
{
    const std::size_t rank = shape.size();
    const bool flagged = rank > 0 && std::all_of(axes.begin(), axes.end(), [](const Axis& a) { return a.navigate >= 0; });
    std::size_t signalAxes = std::min<std::size_t>(rank, recordBy == "spectrum" ? 1 : 2);
    if (flagged) {
        signalAxes = std::size_t(std::count_if(axes.begin(), axes.end(), [](const Axis& a) { return a.navigate == 0; }));
        for (std::size_t i = 0; i < rank; ++i)
            if ((axes[i].navigate == 1) != (i < rank - signalAxes))
                file.fail("the signal axes are not the last array axes (a transposed or unfolded signal), not an image");
    }
    const std::size_t navigation = rank - signalAxes;
    const std::string over = navigation > 0 ? " over " + navigationAxes(navigation) : "";
    if (signalAxes == 0)
        file.fail("a signal with no signal axis (" + std::to_string(rank) + "-D data of scalars), not an image");
    if (signalAxes == 1)
        file.fail("a 1-D signal (a spectrum or profile)" + over + ", not an image");
    if (signalAxes > 2)
        file.fail("a " + std::to_string(signalAxes) + "-D signal" + over + ", not an image");
    if (navigation > 1)
        file.fail(std::to_string(rank) + "-D data (images" + over + ", e.g. 4D-STEM), not an image or image stack");
    if (rank == 3 && shape[0] == 0)
        file.fail("image stack with zero frames");
}

void addMetadata(Micrograph& m, const std::string& key, const std::string& value)
{
    if (!value.empty())
        m.metadata["HyperSpy." + key] = value.substr(0, kMaxMetadataValue);
}

/** Length units MotifScope can show; other units (1/nm, eV, s ...) leave the image uncalibrated. */
bool isLengthUnit(const std::string& unit)
{
    return unit == "nm" || unit == "\u00b5m" || unit == "\u00c5" || unit == "pm" || unit == "mm" || unit == "m";
}

/**
 * Pixel size from the x and y axes' scales when both carry the same length unit. Axes with a scale
 * but no unit (Atomap writes its images so) are taken as nm and the assumption is noted in the
 * metadata; scale 1 without a unit is HyperSpy's default, so uncalibrated.
 */
void applyCalibration(const Axis& x, const Axis& y, Micrograph& m)
{
    for (const auto& [label, axis] : {std::pair{"x", &x}, std::pair{"y", &y}}) {
        addMetadata(m, std::string("axis.") + label + ".name", axis->name);
        addMetadata(m, std::string("axis.") + label + ".units", axis->units);
        if (!axis->offset.empty() && axis->offset != "0")
            addMetadata(m, std::string("axis.") + label + ".offset", axis->offset);
    }
    const double sx = std::abs(x.scale), sy = std::abs(y.scale);
    if (!(std::isfinite(sx) && std::isfinite(sy) && sx > 0.0 && sy > 0.0))
        return;
    std::string unit = normaliseLengthUnit(x.units);
    if (unit != normaliseLengthUnit(y.units))
        return;
    if (unit.empty()) {
        if (sx == 1.0 && sy == 1.0)
            return;
        unit = "nm";
        addMetadata(m, "UnitAssumed", "nm (the axes give a scale but no unit)");
    }
    if (unit == "m")
        m.calibration = calibrationFromMetres(sx, sy, m.width);
    else if (isLengthUnit(unit))
        m.calibration = {sx, sy, unit};
}

/** A few facts from the signal's metadata tree and the file's header. */
void readMetadata(const MemoryFile& file, const std::string& experiment, Micrograph& m)
{
    const std::string meta = experiment + "/metadata";
    addMetadata(m, "Experiment", experiment.substr(experiment.rfind('/') + 1));
    addMetadata(m, "FormatVersion", file.attributeText("/", "file_format_version"));
    const std::string package = file.attributeText(experiment, "package");
    if (!package.empty())
        addMetadata(m, "Writer", package + " " + file.attributeText(experiment, "package_version"));
    for (const char* key : {"title", "original_filename", "date", "time"})
        addMetadata(m, std::string("General.") + key, file.attributeText(meta + "/General", key));
    addMetadata(m, "Signal.signal_type", file.attributeText(meta + "/Signal", "signal_type"));
    for (const char* key : {"microscope", "beam_energy", "magnification", "camera_length"})
        addMetadata(m, std::string("TEM.") + key, file.attributeText(meta + "/Acquisition_instrument/TEM", key));
}

} // namespace

bool isHyperSpyFile(const MemoryFile& file)
{
    return file.exists("/Experiments") || file.attributeText("/", "file_format") == "HyperSpy";
}

Micrograph readHyperSpy(const MemoryFile& file, int frame)
{
    const std::string experiment = findExperiment(file);
    if (experiment.empty())
        file.fail("HyperSpy file holds no signal (no /Experiments/<title>/data dataset)");
    const hdf5::Handle data = file.openDataset(experiment + "/data");
    const std::vector<hsize_t> shape = hdf5::datasetShape(file, data.id());
    std::vector<Axis> axes;
    for (std::size_t i = 0; i < shape.size(); ++i)
        axes.push_back(readAxis(file, experiment, i));
    checkImageSignal(file, shape, axes, file.attributeText(experiment + "/metadata/Signal", "record_by"));
    const std::size_t rank = shape.size();
    checkImageSize(file.name(), static_cast<long long>(std::min<hsize_t>(shape[rank - 1], hsize_t(1) << 40)),
                   static_cast<long long>(std::min<hsize_t>(shape[rank - 2], hsize_t(1) << 40)));
    Micrograph m;
    m.width = int(shape[rank - 1]);
    m.height = int(shape[rank - 2]);
    m.frames = rank == 3 ? int(std::min<hsize_t>(shape[0], hsize_t(1) << 30)) : 1;
    if (frame < 0 || frame >= m.frames)
        file.fail("frame " + std::to_string(frame) + " does not exist (the file holds " + std::to_string(m.frames) + ")");
    std::vector<hsize_t> start(rank, 0), count = shape;
    if (rank == 3) {
        start[0] = hsize_t(frame);
        count[0] = 1;
    }
    PixelType stored{};
    m.pixels = hdf5::readHyperslab(file, data.id(), start, count, stored);
    m.dtype = pixelTypeName(stored);
    m.format = "HyperSpy";
    readMetadata(file, experiment, m);
    applyCalibration(axes[rank - 1], axes[rank - 2], m);
    return m;
}

} // namespace motifscope
