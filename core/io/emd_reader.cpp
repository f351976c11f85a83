// EMD reader: ThermoFisher Velox (/Data/Image/<id>/Data, JSON metadata) and Berkeley EMD
// (groups with emd_group_type = 1 holding `data` and dim vectors), through the HDF5 C library.
// The HDF5 entry for every layout: HyperSpy files decode here too (hyperspy_reader.cpp).
#include "core/io/hdf5_file.h"
#include "core/io/emd_decode.h"
#include "core/io/frame_time.h"
#include "core/io/hyperspy_layout.h"
#include "core/io/isolated_decode.h"
#include "core/io/readers.h"
#include "core/io/units.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace motifscope {

namespace {

using hdf5::MemoryFile;

constexpr std::size_t kMaxMetadataValue = 256;

/** A JSON value that Velox stores as a string ("5.3e-009") or a number. */
double jsonNumber(const nlohmann::json& j)
{
    try {
        if (j.is_number())
            return j.get<double>();
        if (j.is_string())
            return std::stod(j.get<std::string>());
    } catch (const std::exception&) {
    }
    return std::nan("");
}

/** Shape checks shared by both layouts: 2-D images or 3-D stacks only. */
void checkRank(const MemoryFile& file, const std::vector<hsize_t>& shape)
{
    if (shape.size() < 2)
        file.fail(std::to_string(shape.size()) + "-D data (a scalar, spectrum or profile), not an image");
    if (shape.size() > 3)
        file.fail(std::to_string(shape.size()) + "-D data, not an image or image stack");
    if (shape.size() == 3 && shape[2] == 0)
        file.fail("image stack with zero frames");
}

int frameCount(const std::vector<hsize_t>& shape)
{
    return shape.size() == 3 ? int(std::min<hsize_t>(shape[2], hsize_t(1) << 30)) : 1;
}

/** The hyperslab of frame `frame` along the stack's third axis; fails for a frame the file lacks. */
void selectFrame(const MemoryFile& file, const std::vector<hsize_t>& shape, int frame, std::vector<hsize_t>& start,
                 std::vector<hsize_t>& count)
{
    if (frame < 0 || frame >= frameCount(shape))
        file.fail("frame " + std::to_string(frame) + " does not exist (the file holds " +
                  std::to_string(frameCount(shape)) + ")");
    start.assign(shape.size(), 0);
    count = shape;
    if (count.size() == 3) {
        start[2] = hsize_t(frame);
        count[2] = 1;
    }
}

/** Velox: the acquisition's start (seconds since 1970) plus `frame` frame times, as kFrameDateTimeKey. */
void setVeloxFrameTime(Micrograph& m, int frame)
{
    const auto start = m.metadata.find("Velox.Acquisition.AcquisitionStartDatetime.DateTime");
    if (start == m.metadata.end())
        return;
    const double t0 = jsonNumber(nlohmann::json(start->second));
    double frameTime = 0.0;
    if (const auto it = m.metadata.find("Velox.Scan.FrameTime"); it != m.metadata.end())
        frameTime = jsonNumber(nlohmann::json(it->second));
    if (frame > 0 && !(std::isfinite(frameTime) && frameTime > 0.0))
        return; // a later frame's time is unknown without the frame time
    if (const std::string time = utcDateTime(t0 + frame * (frame > 0 ? frameTime : 0.0)); !time.empty())
        m.metadata[kFrameDateTimeKey] = time;
}

/** Calibration and a few instrument facts from the Velox JSON metadata (absent = uncalibrated). */
void readVeloxMetadata(const MemoryFile& file, const std::string& group, Micrograph& m)
{
    if (!file.exists(group + "/Metadata"))
        return;
    const hdf5::Handle meta = file.openDataset(group + "/Metadata");
    const std::string text = hdf5::readTextBlob(file, meta.id(), std::size_t(1) << 22);
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return;
    const nlohmann::json* result = nullptr;
    if (j.contains("BinaryResult") && j["BinaryResult"].is_object())
        result = &j["BinaryResult"];
    if (result && result->contains("PixelSize") && (*result)["PixelSize"].is_object()) {
        const auto& size = (*result)["PixelSize"];
        const double sx = size.contains("width") ? jsonNumber(size["width"]) : std::nan("");
        const double sy = size.contains("height") ? jsonNumber(size["height"]) : std::nan("");
        const auto unit = result->find("PixelUnitX");
        // Pixel sizes are in metres; other units (1/m for diffraction) stay uncalibrated.
        if (unit == result->end() || (unit->is_string() && unit->get<std::string>() == "m"))
            m.calibration = calibrationFromMetres(sx, sy, m.width);
    }
    for (const char* path : {"/BinaryResult/Detector", "/Optics/AccelerationVoltage", "/Optics/NominalMagnification",
                             "/Instrument/Manufacturer", "/Instrument/InstrumentModel", "/Instrument/InstrumentClass",
                             "/Instrument/InstrumentId", "/Acquisition/AcquisitionStartDatetime/DateTime",
                             "/Acquisition/SourceType", "/Scan/DwellTime", "/Scan/FrameTime", "/Scan/ScanRotation"}) {
        const nlohmann::json::json_pointer pointer(path);
        if (!j.contains(pointer))
            continue;
        const auto& value = j[pointer];
        std::string key = std::string("Velox") + path;
        std::replace(key.begin(), key.end(), '/', '.');
        if (value.is_string() && !value.get<std::string>().empty())
            m.metadata[key] = value.get<std::string>().substr(0, kMaxMetadataValue);
        else if (value.is_number())
            m.metadata[key] = value.dump();
    }
}

Micrograph readVelox(const MemoryFile& file, int frame)
{
    const auto images = file.members("/Data/Image");
    if (images.empty())
        file.fail("Velox file holds no image (only spectra or other data)");
    const std::string group = "/Data/Image/" + images.front();
    const hdf5::Handle data = file.openDataset(group + "/Data");
    const auto shape = hdf5::datasetShape(file, data.id());
    checkRank(file, shape);
    // Velox stores (rows, columns, frames).
    checkImageSize(file.name(), static_cast<long long>(std::min<hsize_t>(shape[1], hsize_t(1) << 40)),
                   static_cast<long long>(std::min<hsize_t>(shape[0], hsize_t(1) << 40)));
    Micrograph m;
    m.height = int(shape[0]);
    m.width = int(shape[1]);
    m.frames = frameCount(shape);
    std::vector<hsize_t> start, count;
    selectFrame(file, shape, frame, start, count);
    PixelType stored{};
    m.pixels = hdf5::readHyperslab(file, data.id(), start, count, stored);
    m.dtype = pixelTypeName(stored);
    m.format = "EMD-Velox";
    m.metadata["Velox.ImageGroup"] = images.front().substr(0, kMaxMetadataValue);
    m.metadata["Velox.ImageCount"] = std::to_string(images.size());
    readVeloxMetadata(file, group, m);
    setVeloxFrameTime(m, frame);
    return m;
}

/** Berkeley units are written like "[n_m]": brackets and underscores around the symbol. */
std::string berkeleyUnit(const std::string& units)
{
    std::string out;
    for (char c : units)
        if (c != '[' && c != ']' && c != '_' && c != ' ')
            out += c;
    if (out == "um" || out == "micron")
        return "\u00b5m";
    if (out == "A" || out == "Angstrom")
        return "\u00c5";
    return out;
}

/** The first group (under /data or /signals) marked emd_group_type = 1 that holds a `data` dataset. */
std::string findBerkeleyGroup(const MemoryFile& file)
{
    for (const char* root : {"/data", "/signals"})
        for (const auto& name : file.members(root)) {
            const std::string group = std::string(root) + "/" + name;
            if (file.attributeText(group, "emd_group_type") == "1" && file.exists(group + "/data"))
                return group;
        }
    return {};
}

/** Calibration from the spacing of dim1 (x) and dim2 (y) and the unit of dim1. */
void readBerkeleyCalibration(const MemoryFile& file, const std::string& group, Micrograph& m)
{
    double scale[2] = {0.0, 0.0};
    std::string units[2];
    for (int axis = 0; axis < 2; ++axis) {
        const std::string dim = group + "/dim" + std::to_string(axis + 1);
        if (!file.exists(dim))
            return;
        const hdf5::Handle vector = file.openDataset(dim);
        const std::vector<double> values = hdf5::readDoubles(vector.id(), 2);
        if (values.size() < 2)
            return;
        scale[axis] = values[1] - values[0];
        units[axis] = berkeleyUnit(file.attributeText(dim, "units"));
        const std::string name = file.attributeText(dim, "name");
        if (!name.empty())
            m.metadata["EMD.dim" + std::to_string(axis + 1) + ".name"] = name.substr(0, kMaxMetadataValue);
    }
    if (units[0].empty() || units[0] != units[1] || !std::isfinite(scale[0]) || !std::isfinite(scale[1])
        || scale[0] <= 0 || scale[1] <= 0)
        return;
    if (units[0] == "m")
        m.calibration = calibrationFromMetres(scale[0], scale[1], m.width);
    else
        m.calibration = {scale[0], scale[1], units[0].substr(0, 16)};
}

Micrograph readBerkeley(const MemoryFile& file, int frame)
{
    const std::string group = findBerkeleyGroup(file);
    if (group.empty())
        file.fail("no image found: neither a Velox /Data/Image group, an EMD data group (emd_group_type = 1) "
                  "nor a HyperSpy /Experiments signal");
    const hdf5::Handle data = file.openDataset(group + "/data");
    const auto shape = hdf5::datasetShape(file, data.id());
    checkRank(file, shape);
    // dim1 runs along x and dim2 along y, so pixel (x, y) is data[x][y] (as HyperSpy has it).
    checkImageSize(file.name(), static_cast<long long>(std::min<hsize_t>(shape[0], hsize_t(1) << 40)),
                   static_cast<long long>(std::min<hsize_t>(shape[1], hsize_t(1) << 40)));
    const int w = int(shape[0]), h = int(shape[1]);
    std::vector<hsize_t> start, count;
    selectFrame(file, shape, frame, start, count);
    PixelType stored{};
    const std::vector<float> columns = hdf5::readHyperslab(file, data.id(), start, count, stored);
    Micrograph m;
    m.width = w;
    m.height = h;
    m.frames = frameCount(shape);
    m.pixels.resize(std::size_t(w) * h);
    for (int x = 0; x < w; ++x)
        for (int y = 0; y < h; ++y)
            m.at(x, y) = columns[std::size_t(x) * h + y];
    m.dtype = pixelTypeName(stored);
    m.format = "EMD-Berkeley";
    m.metadata["EMD.Group"] = group.substr(0, kMaxMetadataValue);
    const std::string major = file.attributeText("/", "version_major");
    if (!major.empty())
        m.metadata["EMD.Version"] = (major + "." + file.attributeText("/", "version_minor")).substr(0, 32);
    for (const char* attribute : {"name", "voltage"}) {
        const std::string value = file.attributeText("/microscope", attribute);
        if (!value.empty())
            m.metadata[std::string("EMD.Microscope.") + attribute] = value.substr(0, kMaxMetadataValue);
    }
    const std::string material = file.attributeText("/sample", "material");
    if (!material.empty())
        m.metadata["EMD.Sample.material"] = material.substr(0, kMaxMetadataValue);
    readBerkeleyCalibration(file, group, m);
    return m;
}

/** The decoding itself; runs in the isolated child, which inherits the caller's HDF5 lock. */
Micrograph decodeEmd(Bytes bytes, const std::string& fileName, int frame)
{
    try {
        const MemoryFile file(bytes, fileName);
        if (file.exists("/Data/Image"))
            return readVelox(file, frame);
        if (findBerkeleyGroup(file).empty() && isHyperSpyFile(file))
            return readHyperSpy(file, frame);
        return readBerkeley(file, frame);
    } catch (const IoError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw IoError(fileName, "not enough memory to read the image");
    } catch (const std::exception& error) {
        throw IoError(fileName, std::string("cannot read the HDF5 file: ") + error.what());
    }
}

} // namespace

Micrograph decodeEmdInProcess(Bytes bytes, const std::string& fileName)
{
    const std::lock_guard lock(hdf5::libraryMutex());
    return decodeEmd(bytes, fileName, 0);
}

Micrograph readEmd(Bytes bytes, const std::string& fileName, int frame)
{
    // HDF5 1.10 can read freed memory and crash on damaged files, so it only ever runs in a child
    // process. The lock is held across the fork so no other thread is inside HDF5 at that moment.
    const std::lock_guard lock(hdf5::libraryMutex());
    return decodeInChildProcess([&] { return decodeEmd(bytes, fileName, frame); }, fileName);
}

} // namespace motifscope
