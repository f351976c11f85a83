// EMD reader: ThermoFisher Velox (/Data/Image/<id>/Data, JSON metadata) and Berkeley EMD
// (groups with emd_group_type = 1 holding `data` and dim vectors), through the HDF5 C library.
#include "io/hdf5_file.h"
#include "io/readers.h"
#include "io/units.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace motifscope {

namespace {

using hdf5::MemoryFile;

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

void readVeloxMetadata(const MemoryFile& file, const std::string& group, Micrograph& m)
{
    if (!file.exists(group + "/Metadata"))
        return;
    const hdf5::Handle meta = file.openDataset(group + "/Metadata");
    const std::string text = hdf5::readTextBlob(file, meta.id(), 1u << 22);
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return;
    try {
        const auto& result = j.at("BinaryResult");
        const double sx = jsonNumber(result.at("PixelSize").at("width"));
        const double sy = jsonNumber(result.at("PixelSize").at("height"));
        if (result.value("PixelUnitX", std::string("m")) == "m")
            m.calibration = calibrationFromMetres(sx, sy, m.width);
        m.metadata["Velox.Detector"] = result.value("Detector", std::string());
    } catch (const std::exception&) {
        // No calibration in this file: the image stays uncalibrated.
    }
    auto put = [&](const std::string& key, const nlohmann::json::json_pointer& ptr) {
        if (j.contains(ptr) && (j.at(ptr).is_string() || j.at(ptr).is_number()))
            m.metadata[key] = j.at(ptr).is_string() ? j.at(ptr).get<std::string>() : j.at(ptr).dump();
    };
    put("Velox.AccelerationVoltage", nlohmann::json::json_pointer("/Optics/AccelerationVoltage"));
    put("Velox.Instrument", nlohmann::json::json_pointer("/Instrument/InstrumentModel"));
    put("Velox.AcquisitionStart", nlohmann::json::json_pointer("/Acquisition/AcquisitionStartDatetime/DateTime"));
    put("Velox.DwellTime", nlohmann::json::json_pointer("/Scan/DwellTime"));
}

Micrograph readVelox(const MemoryFile& file)
{
    const auto images = file.members("/Data/Image");
    if (images.empty())
        file.fail("Velox file holds no image (only spectra or other data)");
    const std::string group = "/Data/Image/" + images.front();
    const hdf5::Handle data = file.openDataset(group + "/Data");
    const auto shape = hdf5::datasetShape(file, data.id());
    if (shape.size() < 2)
        file.fail("1-D data, not an image");
    if (shape.size() > 3)
        file.fail(std::to_string(shape.size()) + "-D data, not an image or image stack");
    // Velox stores (rows, columns, frames).
    checkImageSize(file.name(), static_cast<long long>(shape[1]), static_cast<long long>(shape[0]));
    Micrograph m;
    m.height = int(shape[0]);
    m.width = int(shape[1]);
    m.frames = shape.size() == 3 ? int(std::min<hsize_t>(shape[2], 1u << 30)) : 1;
    if (m.frames == 0)
        file.fail("image stack with zero frames");
    std::vector<hsize_t> start(shape.size(), 0), count = shape;
    if (count.size() == 3)
        count[2] = 1;
    PixelType stored{};
    m.pixels = hdf5::readHyperslab(file, data.id(), start, count, stored);
    m.dtype = pixelTypeName(stored);
    m.format = "EMD-Velox";
    if (images.size() > 1)
        m.metadata["Velox.ImageCount"] = std::to_string(images.size());
    readVeloxMetadata(file, group, m);
    return m;
}

/** Berkeley units are written like "[n_m]": brackets and underscores around the symbol. */
std::string berkeleyUnit(std::string units)
{
    std::string out;
    for (char c : units)
        if (c != '[' && c != ']' && c != '_')
            out += c;
    if (out == "um" || out == "micron")
        return "\u00b5m";
    if (out == "A")
        return "\u00c5";
    return out;
}

Micrograph readBerkeley(const MemoryFile& file)
{
    std::string group;
    for (const char* root : {"/data", "/signals"})
        for (const auto& name : file.members(root))
            if (group.empty() && file.attributeText(std::string(root) + "/" + name, "emd_group_type") == "1"
                && file.exists(std::string(root) + "/" + name + "/data"))
                group = std::string(root) + "/" + name;
    if (group.empty())
        file.fail("EMD file holds no data group (emd_group_type = 1)");
    const hdf5::Handle data = file.openDataset(group + "/data");
    const auto shape = hdf5::datasetShape(file, data.id());
    if (shape.size() < 2)
        file.fail("1-D data, not an image");
    if (shape.size() > 3)
        file.fail(std::to_string(shape.size()) + "-D data, not an image or image stack");
    // dim1 runs along x and dim2 along y: pixel (x, y) is data[x][y] (as the reference reader has it).
    checkImageSize(file.name(), static_cast<long long>(shape[0]), static_cast<long long>(shape[1]));
    const int w = int(shape[0]), h = int(shape[1]);
    std::vector<hsize_t> start(shape.size(), 0), count = shape;
    if (count.size() == 3)
        count[2] = 1;
    PixelType stored{};
    const std::vector<float> stack = hdf5::readHyperslab(file, data.id(), start, count, stored);
    Micrograph m;
    m.width = w;
    m.height = h;
    m.frames = shape.size() == 3 ? int(std::min<hsize_t>(shape[2], 1u << 30)) : 1;
    m.pixels.resize(std::size_t(w) * h);
    for (int x = 0; x < w; ++x)
        for (int y = 0; y < h; ++y)
            m.at(x, y) = stack[std::size_t(x) * h + y];
    m.dtype = pixelTypeName(stored);
    m.format = "EMD-Berkeley";

    // Calibration: spacing of the dim vectors and their units.
    double scale[2] = {1.0, 1.0};
    std::string unit;
    for (int axis = 0; axis < 2; ++axis) {
        const std::string dim = group + "/dim" + std::to_string(axis + 1);
        if (!file.exists(dim))
            continue;
        const hdf5::Handle vector = file.openDataset(dim);
        const auto dshape = hdf5::datasetShape(file, vector.id());
        if (dshape.size() != 1 || dshape[0] < 2)
            continue;
        PixelType t{};
        const auto values = hdf5::readHyperslab(file, vector.id(), {0}, {2}, t);
        scale[axis] = double(values[1]) - double(values[0]);
        if (axis == 0)
            unit = berkeleyUnit(file.attributeText(dim, "units"));
    }
    if (!unit.empty() && std::isfinite(scale[0]) && std::isfinite(scale[1]) && scale[0] > 0 && scale[1] > 0)
        m.calibration = {scale[0], scale[1], unit};
    return m;
}

} // namespace

Micrograph readEmd(Bytes bytes, const std::string& fileName)
{
    const std::lock_guard lock(hdf5::libraryMutex());
    try {
        const MemoryFile file(bytes, fileName);
        if (file.exists("/Data/Image"))
            return readVelox(file);
        return readBerkeley(file);
    } catch (const std::bad_alloc&) {
        throw IoError(fileName, "not enough memory to read the image");
    }
}

} // namespace motifscope
