#include "io/hdf5_file.h"

#include <algorithm>
#include <cstring>

namespace motifscope::hdf5 {

std::mutex& libraryMutex()
{
    static std::mutex mutex;
    return mutex;
}

MemoryFile::MemoryFile(std::span<const std::uint8_t> bytes, const std::string& fileName) : mName(fileName)
{
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); // errors become IoError, not stderr noise
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!fapl.valid() || H5Pset_fapl_core(fapl.id(), 1 << 16, 0) < 0
        || H5Pset_file_image(fapl.id(), const_cast<std::uint8_t*>(bytes.data()), bytes.size()) < 0)
        fail("cannot prepare the HDF5 file image");
    // The core driver refuses a name that exists on disk: the image gets a name of its own.
    mFile = Handle(H5Fopen("motifscope-memory-image.h5", H5F_ACC_RDONLY, fapl.id()), H5Fclose);
    if (!mFile.valid())
        fail("not a readable HDF5 file (truncated or corrupt)");
}

bool MemoryFile::exists(const std::string& path) const
{
    // Check every prefix: H5Lexists fails on a missing intermediate group.
    std::size_t pos = 0;
    while ((pos = path.find('/', pos + 1)) != std::string::npos)
        if (H5Lexists(id(), path.substr(0, pos).c_str(), H5P_DEFAULT) <= 0)
            return false;
    return H5Lexists(id(), path.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> MemoryFile::members(const std::string& group, std::size_t limit) const
{
    std::vector<std::string> names;
    if (!exists(group))
        return names;
    Handle g(H5Gopen2(id(), group.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g.valid())
        return names;
    H5G_info_t info;
    if (H5Gget_info(g.id(), &info) < 0)
        return names;
    for (hsize_t i = 0; i < info.nlinks && names.size() < limit; ++i) {
        char name[512];
        const ssize_t n = H5Lget_name_by_idx(g.id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT);
        if (n > 0 && std::size_t(n) < sizeof name)
            names.emplace_back(name, std::size_t(n));
    }
    return names;
}

Handle MemoryFile::openDataset(const std::string& path) const
{
    if (!exists(path))
        fail("missing dataset " + path);
    Handle d(H5Dopen2(id(), path.c_str(), H5P_DEFAULT), H5Dclose);
    if (!d.valid())
        fail("cannot open dataset " + path);
    return d;
}

std::string MemoryFile::attributeText(const std::string& object, const std::string& attribute) const
{
    if (!exists(object) && object != "/")
        return {};
    if (H5Aexists_by_name(id(), object.c_str(), attribute.c_str(), H5P_DEFAULT) <= 0)
        return {};
    Handle a(H5Aopen_by_name(id(), object.c_str(), attribute.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!a.valid())
        return {};
    Handle type(H5Aget_type(a.id()), H5Tclose);
    Handle space(H5Aget_space(a.id()), H5Sclose);
    if (!type.valid() || !space.valid() || H5Sget_simple_extent_npoints(space.id()) != 1)
        return {};
    const H5T_class_t cls = H5Tget_class(type.id());
    if (cls == H5T_INTEGER) {
        long long v = 0;
        if (H5Aread(a.id(), H5T_NATIVE_LLONG, &v) < 0)
            return {};
        return std::to_string(v);
    }
    if (cls != H5T_STRING)
        return {};
    if (H5Tis_variable_str(type.id()) > 0) {
        Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mem.id(), H5T_VARIABLE);
        H5Tset_cset(mem.id(), H5Tget_cset(type.id()));
        char* value = nullptr;
        if (H5Aread(a.id(), mem.id(), &value) < 0 || !value)
            return {};
        std::string out(value, strnlen(value, 4096));
        H5free_memory(value);
        return out;
    }
    const std::size_t size = H5Tget_size(type.id());
    if (size == 0 || size > 4096)
        return {};
    std::string out(size, '\0');
    if (H5Aread(a.id(), type.id(), out.data()) < 0)
        return {};
    out.resize(strnlen(out.c_str(), size));
    return out;
}

std::vector<hsize_t> datasetShape(const MemoryFile& file, hid_t dataset)
{
    Handle space(H5Dget_space(dataset), H5Sclose);
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.id()) : -1;
    if (rank < 0 || rank > 8)
        file.fail("dataset has an unreadable shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0)
        H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
    return dims;
}

PixelType datasetPixelType(const MemoryFile& file, hid_t dataset, hid_t& nativeType)
{
    Handle type(H5Dget_type(dataset), H5Tclose);
    if (!type.valid())
        file.fail("dataset has an unreadable data type");
    const H5T_class_t cls = H5Tget_class(type.id());
    const std::size_t size = H5Tget_size(type.id());
    if (cls == H5T_INTEGER) {
        const bool isSigned = H5Tget_sign(type.id()) == H5T_SGN_2;
        switch (size) {
        case 1: nativeType = isSigned ? H5T_NATIVE_INT8 : H5T_NATIVE_UINT8; return isSigned ? PixelType::Int8 : PixelType::UInt8;
        case 2: nativeType = isSigned ? H5T_NATIVE_INT16 : H5T_NATIVE_UINT16; return isSigned ? PixelType::Int16 : PixelType::UInt16;
        case 4: nativeType = isSigned ? H5T_NATIVE_INT32 : H5T_NATIVE_UINT32; return isSigned ? PixelType::Int32 : PixelType::UInt32;
        case 8: nativeType = isSigned ? H5T_NATIVE_INT64 : H5T_NATIVE_UINT64; return isSigned ? PixelType::Int64 : PixelType::UInt64;
        default: break;
        }
    } else if (cls == H5T_FLOAT) {
        if (size == 4) {
            nativeType = H5T_NATIVE_FLOAT;
            return PixelType::Float32;
        }
        if (size == 8) {
            nativeType = H5T_NATIVE_DOUBLE;
            return PixelType::Float64;
        }
    } else if (cls == H5T_ENUM && size == 1) { // h5py stores numpy bool as an 8-bit enum
        nativeType = H5T_NATIVE_UINT8;
        return PixelType::Bool;
    }
    file.fail("image data of an unsupported HDF5 type (class " + std::to_string(int(cls)) + ", " +
              std::to_string(size) + " bytes)");
}

std::vector<float> readHyperslab(const MemoryFile& file, hid_t dataset, const std::vector<hsize_t>& start,
                                 const std::vector<hsize_t>& count, PixelType& storedType)
{
    hid_t native = -1;
    storedType = datasetPixelType(file, dataset, native);
    std::size_t n = 1;
    for (hsize_t c : count)
        n *= std::size_t(c);
    Handle fileSpace(H5Dget_space(dataset), H5Sclose);
    Handle memSpace(H5Screate_simple(int(count.size()), count.data(), nullptr), H5Sclose);
    if (!fileSpace.valid() || !memSpace.valid()
        || H5Sselect_hyperslab(fileSpace.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr) < 0)
        file.fail("cannot select the image in the dataset");
    std::vector<std::uint8_t> raw(n * pixelTypeSize(storedType));
    if (H5Dread(dataset, native, memSpace.id(), fileSpace.id(), H5P_DEFAULT, raw.data()) < 0)
        file.fail("image data cannot be read (truncated or corrupt)");
    std::vector<float> out(n);
    convertPixels(raw.data(), storedType, hostByteOrder(), n, out.data());
    return out;
}

std::string readTextBlob(const MemoryFile& file, hid_t dataset, std::size_t limit)
{
    const std::vector<hsize_t> shape = datasetShape(file, dataset);
    if (shape.empty() || shape.size() > 2 || shape[0] == 0)
        return {};
    std::vector<hsize_t> start(shape.size(), 0), count = shape;
    count[0] = std::min<hsize_t>(shape[0], limit);
    if (count.size() == 2)
        count[1] = 1;
    Handle type(H5Dget_type(dataset), H5Tclose);
    if (!type.valid() || H5Tget_class(type.id()) != H5T_INTEGER || H5Tget_size(type.id()) != 1)
        return {};
    Handle fileSpace(H5Dget_space(dataset), H5Sclose);
    Handle memSpace(H5Screate_simple(int(count.size()), count.data(), nullptr), H5Sclose);
    if (H5Sselect_hyperslab(fileSpace.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr) < 0)
        return {};
    std::string text(static_cast<std::size_t>(count[0]), '\0');
    if (H5Dread(dataset, H5T_NATIVE_UCHAR, memSpace.id(), fileSpace.id(), H5P_DEFAULT, text.data()) < 0)
        return {};
    text.resize(strnlen(text.c_str(), text.size()));
    return text;
}

} // namespace motifscope::hdf5
