#include "core/io/hdf5_file.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <sstream>

namespace motifscope::hdf5 {

std::mutex& libraryMutex()
{
    static std::mutex mutex;
    return mutex;
}

MemoryFile::MemoryFile(std::span<const std::uint8_t> bytes, const std::string& fileName)
    : mBytes(bytes), mName(fileName)
{
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); // errors become IoError, not stderr noise
    if (bytes.empty())
        fail("file is empty");
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!fapl.valid() || H5Pset_fapl_core(fapl.id(), 1 << 16, 0) < 0
        || H5Pset_file_image(fapl.id(), const_cast<std::uint8_t*>(bytes.data()), bytes.size()) < 0)
        fail("cannot prepare the HDF5 file image");
    // With a file image the core driver never touches the disk; the name only labels the image.
    mFile = Handle(H5Fopen("motifscope-memory-image.h5", H5F_ACC_RDONLY, fapl.id()), H5Fclose);
    if (!mFile.valid())
        fail("not a readable HDF5 file (truncated or corrupt)");
}

bool MemoryFile::exists(const std::string& path) const
{
    if (path.empty() || path[0] != '/')
        return false;
    // Check every prefix: H5Lexists fails on a missing intermediate group. External links
    // (which would open other files on disk) are treated as missing.
    std::size_t pos = 0;
    do {
        pos = path.find('/', pos + 1);
        const std::string prefix = path.substr(0, pos);
        if (H5Lexists(id(), prefix.c_str(), H5P_DEFAULT) <= 0)
            return false;
        H5L_info_t info;
        if (H5Lget_info(id(), prefix.c_str(), &info, H5P_DEFAULT) < 0
            || (info.type != H5L_TYPE_HARD && info.type != H5L_TYPE_SOFT))
            return false;
    } while (pos != std::string::npos);
    return true;
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
        fail("cannot open dataset " + path + " (not a dataset, or corrupt)");
    return d;
}

std::string MemoryFile::attributeText(const std::string& object, const std::string& attribute) const
{
    if (object != "/" && !exists(object))
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
    if (cls == H5T_ENUM && H5Tget_size(type.id()) == 1) {
        // h5py's bool: an 8-bit enum FALSE = 0, TRUE = 1, read as its stored byte with the file's
        // own type (no conversion). Not H5Tget_native_type: HDF5 1.10 frees a pointer it did not
        // allocate there on a damaged enum (found by fuzz_emd).
        std::int8_t v = 0;
        if (H5Aread(a.id(), type.id(), &v) < 0)
            return {};
        return std::to_string(int(v));
    }
    if (cls == H5T_INTEGER) {
        long long v = 0;
        if (H5Aread(a.id(), H5T_NATIVE_LLONG, &v) < 0)
            return {};
        return std::to_string(v);
    }
    if (cls == H5T_FLOAT) {
        double v = 0;
        if (H5Aread(a.id(), H5T_NATIVE_DOUBLE, &v) < 0)
            return {};
        std::ostringstream text;
        text.precision(15);
        text << v;
        return text.str();
    }
    if (cls != H5T_STRING)
        return {};
    if (H5Tis_variable_str(type.id()) > 0) {
        if (!variableLengthAttributeIsSafe(mBytes, attribute))
            return {};
        Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
        if (!mem.valid() || H5Tset_size(mem.id(), H5T_VARIABLE) < 0
            || H5Tset_cset(mem.id(), H5Tget_cset(type.id())) < 0)
            return {};
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


namespace {

std::uint64_t littleEndian(const std::uint8_t* p, std::size_t n)
{
    std::uint64_t v = 0;
    for (std::size_t i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

/** One parsed global heap collection: its address (from the base) and object sizes by index. */
struct HeapCollection
{
    std::uint64_t address = 0;
    std::vector<std::int64_t> objectSize; // -1: no such object
};

/** Parses the collection at `at` the way HDF5 does, refusing anything HDF5 would misread. */
bool parseCollection(std::span<const std::uint8_t> bytes, std::size_t at, std::size_t lengthSize,
                     HeapCollection& heap)
{
    const std::size_t headerSize = 8 + lengthSize;
    if (bytes.size() - at < headerSize || bytes[at + 4] != 1)
        return false;
    const std::uint64_t collectionSize = littleEndian(&bytes[at + 8], lengthSize);
    if (collectionSize < headerSize || collectionSize > bytes.size() - at)
        return false;
    const std::size_t end = at + std::size_t(collectionSize);
    const std::size_t objectHeader = 8 + lengthSize;
    std::size_t p = at + headerSize;
    while (p < end && end - p >= objectHeader) {
        const std::size_t index = std::size_t(littleEndian(&bytes[p], 2));
        const std::uint64_t size = littleEndian(&bytes[p + 8], lengthSize);
        std::uint64_t need;
        if (index == 0) { // free space: its size covers its own header
            need = size;
            if (need < objectHeader)
                return false; // a zero size makes HDF5 loop forever
        } else {
            if (size > end - p)
                return false;
            need = objectHeader + ((size + 7) & ~std::uint64_t(7));
            if (heap.objectSize.size() <= index)
                heap.objectSize.resize(index + 1, -1);
            if (heap.objectSize[index] >= 0)
                return false;
            heap.objectSize[index] = std::int64_t(size);
        }
        if (need > end - p)
            return false;
        p += std::size_t(need);
    }
    return true;
}

} // namespace

bool variableLengthAttributeIsSafe(std::span<const std::uint8_t> bytes, const std::string& attribute)
{
    constexpr std::uint64_t kMaxAttributeString = 1 << 16;
    // Superblock (at 0 or after a user block of 512, 1024, ... bytes): sizes of offsets and lengths.
    static const std::uint8_t signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    std::size_t base = 0;
    while (base + 16 <= bytes.size() && std::memcmp(&bytes[base], signature, 8) != 0)
        base = base == 0 ? 512 : base * 2;
    if (base + 16 > bytes.size() || attribute.empty())
        return false;
    const int version = bytes[base + 8];
    const std::size_t offsetSize = version >= 2 ? bytes[base + 9] : bytes[base + 13];
    const std::size_t lengthSize = version >= 2 ? bytes[base + 10] : bytes[base + 14];
    if ((offsetSize != 4 && offsetSize != 8) || (lengthSize != 4 && lengthSize != 8))
        return false;

    // Calls check(offset) for every occurrence of `pattern` (n bytes) until it returns false.
    auto everyOccurrence = [&](const std::uint8_t* pattern, std::size_t n, const auto& check) {
        const std::boyer_moore_horspool_searcher searcher(pattern, pattern + n);
        for (auto it = bytes.begin(); (it = std::search(it, bytes.end(), searcher)) != bytes.end(); ++it)
            if (!check(std::size_t(it - bytes.begin())))
                return false;
        return true;
    };
    std::vector<HeapCollection> heaps;
    static const std::uint8_t magic[4] = {'G', 'C', 'O', 'L'};
    const bool collectionsSound = everyOccurrence(magic, 4, [&](std::size_t at) {
        HeapCollection heap;
        heap.address = std::uint64_t(at - base);
        if (at < base || heaps.size() >= 1000 || !parseCollection(bytes, at, lengthSize, heap))
            return false;
        heaps.push_back(std::move(heap));
        return true;
    });
    if (!collectionsSound)
        return false;

    // Every attribute message carrying this name (NUL-terminated, after an 8-byte v1/v2 or
    // 9-byte v3 message header): its data, a heap reference (length u32, collection address,
    // object index u32), must name an existing object no larger than the string, and the string
    // must be of a sensible length.
    const std::string name = attribute + '\0';
    return everyOccurrence(reinterpret_cast<const std::uint8_t*>(name.data()), name.size(), [&](std::size_t at) {
        for (std::size_t headerSize : {std::size_t(8), std::size_t(9)}) {
            if (at < headerSize)
                continue;
            const std::size_t header = at - headerSize;
            const int messageVersion = bytes[header];
            if ((headerSize == 8) != (messageVersion == 1 || messageVersion == 2) || (headerSize == 9 && messageVersion != 3))
                continue;
            const std::uint64_t sizes[3] = {littleEndian(&bytes[header + 2], 2), littleEndian(&bytes[header + 4], 2),
                                            littleEndian(&bytes[header + 6], 2)};
            if (sizes[0] < name.size())
                continue; // not an attribute message holding this name
            auto field = [&](std::uint64_t size) { return messageVersion == 1 ? (size + 7) & ~std::uint64_t(7) : size; };
            const std::uint64_t type = at + field(sizes[0]);
            const std::uint64_t data = type + field(sizes[1]) + field(sizes[2]);
            if (type > bytes.size() || bytes.size() - type < 16 || (bytes[type] & 0x0f) != 9)
                continue; // not a variable-length type: the heap is not involved
            if (sizes[1] < 16 || data > bytes.size() || bytes.size() - data < 8 + offsetSize)
                return false;
            // The element type of the sequence (its size at byte 12 of the type) sets the buffer
            // HDF5 allocates: length x element size.
            const std::uint64_t elementSize = littleEndian(&bytes[type + 12], 4);
            const std::uint64_t length = littleEndian(&bytes[data], 4);
            const std::uint64_t address = littleEndian(&bytes[data + 4], offsetSize);
            const std::uint64_t index = littleEndian(&bytes[data + 4 + offsetSize], 4);
            if (elementSize != 1 || littleEndian(&bytes[type + 4], 4) != 8 + offsetSize || length > kMaxAttributeString)
                return false; // damaged type, or HDF5 would allocate and clear `length` bytes first
            for (const HeapCollection& heap : heaps)
                if (heap.address == address
                    && (index >= heap.objectSize.size() || heap.objectSize[index] < 0
                        || std::uint64_t(heap.objectSize[index]) > length))
                    return false;
        }
        return true;
    });
}

std::vector<hsize_t> datasetShape(const MemoryFile& file, hid_t dataset)
{
    Handle space(H5Dget_space(dataset), H5Sclose);
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.id()) : -1;
    if (rank < 0 || rank > 8)
        file.fail("dataset has an unreadable shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0 && H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr) < 0)
        file.fail("dataset has an unreadable shape");
    return dims;
}

namespace {

/** A native compound {real, imaginary} matching a file compound of two equal floats, or invalid. */
Handle complexMemoryType(hid_t fileType, std::size_t& partSize)
{
    if (H5Tget_nmembers(fileType) != 2)
        return {};
    std::string names[2];
    partSize = 0;
    for (unsigned i = 0; i < 2; ++i) {
        Handle member(H5Tget_member_type(fileType, i), H5Tclose);
        if (!member.valid() || H5Tget_class(member.id()) != H5T_FLOAT)
            return {};
        const std::size_t size = H5Tget_size(member.id());
        if ((size != 4 && size != 8) || (partSize != 0 && size != partSize))
            return {};
        partSize = size;
        char* name = H5Tget_member_name(fileType, i);
        if (!name)
            return {};
        names[i] = name;
        H5free_memory(name);
    }
    Handle mem(H5Tcreate(H5T_COMPOUND, 2 * partSize), H5Tclose);
    const hid_t part = partSize == 4 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
    if (!mem.valid() || names[0] == names[1] || H5Tinsert(mem.id(), names[0].c_str(), 0, part) < 0
        || H5Tinsert(mem.id(), names[1].c_str(), partSize, part) < 0)
        return {};
    return mem;
}

/** True for a 16-bit float laid out as IEEE binary16 (numpy float16): 1 sign, 5 exponent, 10 mantissa bits. */
bool isIeeeHalf(hid_t type)
{
    std::size_t signPos = 0, exponentPos = 0, exponentSize = 0, mantissaPos = 0, mantissaSize = 0;
    return H5Tget_fields(type, &signPos, &exponentPos, &exponentSize, &mantissaPos, &mantissaSize) >= 0
           && signPos == 15 && exponentPos == 10 && exponentSize == 5 && mantissaPos == 0 && mantissaSize == 10
           && H5Tget_ebias(type) == 15 && H5Tget_offset(type) == 0 && H5Tget_precision(type) == 16;
}

} // namespace

PixelType datasetPixelType(const MemoryFile& file, hid_t dataset, Handle& memoryType)
{
    Handle type(H5Dget_type(dataset), H5Tclose);
    if (!type.valid())
        file.fail("dataset has an unreadable data type");
    const H5T_class_t cls = H5Tget_class(type.id());
    const std::size_t size = H5Tget_size(type.id());
    auto predefined = [&](hid_t native, PixelType pixelType) {
        memoryType = Handle(native, nullptr); // library-owned, never closed
        return pixelType;
    };
    if (cls == H5T_INTEGER) {
        const bool isSigned = H5Tget_sign(type.id()) == H5T_SGN_2;
        switch (size) {
        case 1: return isSigned ? predefined(H5T_NATIVE_INT8, PixelType::Int8) : predefined(H5T_NATIVE_UINT8, PixelType::UInt8);
        case 2: return isSigned ? predefined(H5T_NATIVE_INT16, PixelType::Int16) : predefined(H5T_NATIVE_UINT16, PixelType::UInt16);
        case 4: return isSigned ? predefined(H5T_NATIVE_INT32, PixelType::Int32) : predefined(H5T_NATIVE_UINT32, PixelType::UInt32);
        case 8: return isSigned ? predefined(H5T_NATIVE_INT64, PixelType::Int64) : predefined(H5T_NATIVE_UINT64, PixelType::UInt64);
        default: break;
        }
    } else if (cls == H5T_FLOAT) {
        if (size == 4)
            return predefined(H5T_NATIVE_FLOAT, PixelType::Float32);
        if (size == 8)
            return predefined(H5T_NATIVE_DOUBLE, PixelType::Float64);
        if (size == 2 && isIeeeHalf(type.id())) {
            // HDF5 1.10 has no native half: read the stored bits in the host's byte order.
            memoryType = Handle(H5Tcopy(type.id()), H5Tclose);
            if (memoryType.valid()
                && H5Tset_order(memoryType.id(), hostByteOrder() == ByteOrder::Little ? H5T_ORDER_LE : H5T_ORDER_BE) >= 0)
                return PixelType::Float16;
        }
    } else if (cls == H5T_ENUM && size == 1 && H5Tget_nmembers(type.id()) <= 2) {
        // h5py stores numpy bool as an 8-bit enum FALSE = 0, TRUE = 1; read its raw bytes with a
        // copy of the file's type (no conversion; see attributeText on H5Tget_native_type).
        memoryType = Handle(H5Tcopy(type.id()), H5Tclose);
        if (memoryType.valid())
            return PixelType::Bool;
    } else if (cls == H5T_COMPOUND) {
        std::size_t part = 0;
        memoryType = complexMemoryType(type.id(), part);
        if (memoryType.valid())
            return part == 4 ? PixelType::Complex64 : PixelType::Complex128;
        file.fail("image data is a compound type that is not a complex number (" + std::to_string(size) +
                  " bytes); only numeric images are supported");
    }
    static const char* const classNames[] = {"integer", "float",    "time",  "string", "bitfield", "opaque",
                                             "compound", "reference", "enum", "variable-length", "array"};
    const std::string className = cls >= 0 && cls <= H5T_ARRAY ? classNames[cls] : "unknown";
    file.fail("image data of an unsupported HDF5 type (" + className + ", " + std::to_string(size) + " bytes)");
}

namespace {

/**
 * Allocation guard, file-size aware: the pixels must come from bytes stored in this file. The
 * dataset's stored size (as its layout declares it, at most the file's size) must hold the selection
 * uncompressed for contiguous data; compressed chunks may expand by deflate's limit (~1032:1), and
 * neither a chunk nor the float image may exceed that expansion of what is stored. Unwritten
 * datasets (all fill value) are refused.
 */
void checkStorageHolds(const MemoryFile& file, hid_t dataset, std::uint64_t rawBytes, std::uint64_t floatBytes)
{
    constexpr std::uint64_t kMaxExpansion = 1100;
    constexpr std::uint64_t kAlwaysAllowed = std::uint64_t(16) << 20;
    const std::uint64_t declared = H5Dget_storage_size(dataset);
    const std::uint64_t stored = std::min<std::uint64_t>(declared, file.size());
    if (stored == 0)
        file.fail("image dataset holds no stored data (never written)");
    auto refuse = [&](const std::string& what, std::uint64_t bytes) {
        file.fail(what + " of " + std::to_string(bytes) + " bytes cannot come from the " + std::to_string(stored)
                  + " bytes stored for it (corrupt)");
    };
    Handle plist(H5Dget_create_plist(dataset), H5Pclose);
    const H5D_layout_t layout = plist.valid() ? H5Pget_layout(plist.id()) : H5D_LAYOUT_ERROR;
    if (layout == H5D_CONTIGUOUS || layout == H5D_COMPACT) {
        if (rawBytes > stored)
            refuse("image", rawBytes);
        return;
    }
    if (layout != H5D_CHUNKED)
        file.fail("image dataset has an unsupported storage layout");
    hsize_t chunk[H5S_MAX_RANK];
    const int rank = H5Pget_chunk(plist.id(), H5S_MAX_RANK, chunk);
    Handle type(H5Dget_type(dataset), H5Tclose);
    std::uint64_t chunkBytes = type.valid() ? H5Tget_size(type.id()) : 0;
    for (int i = 0; i < rank; ++i)
        chunkBytes = chunk[i] != 0 && chunkBytes > (std::uint64_t(1) << 62) / chunk[i] ? std::uint64_t(1) << 62
                                                                                      : chunkBytes * chunk[i];
    if (rank <= 0 || chunkBytes == 0)
        file.fail("image dataset has an unreadable chunk shape");
    const std::uint64_t allowed = std::max(kAlwaysAllowed, kMaxExpansion * stored);
    if (chunkBytes > allowed)
        refuse("a chunk", chunkBytes);
    if (std::max(rawBytes, floatBytes) > allowed)
        refuse("image", std::max(rawBytes, floatBytes));
}

} // namespace

std::vector<float> readHyperslab(const MemoryFile& file, hid_t dataset, const std::vector<hsize_t>& start,
                                 const std::vector<hsize_t>& count, PixelType& storedType)
{
    Handle memoryType;
    storedType = datasetPixelType(file, dataset, memoryType);
    std::size_t n = 1;
    for (hsize_t c : count) {
        if (c == 0 || c > kMaxPixels || n > kMaxPixels / c)
            file.fail("selection of " + std::to_string(c) + " values along an axis is too large or empty");
        n *= std::size_t(c);
    }
    Handle fileSpace(H5Dget_space(dataset), H5Sclose);
    Handle memSpace(H5Screate_simple(int(count.size()), count.data(), nullptr), H5Sclose);
    if (!fileSpace.valid() || !memSpace.valid()
        || H5Sselect_hyperslab(fileSpace.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr) < 0
        || H5Sselect_valid(fileSpace.id()) <= 0)
        file.fail("cannot select the image in the dataset");
    checkStorageHolds(file, dataset, std::uint64_t(n) * pixelTypeSize(storedType), std::uint64_t(n) * sizeof(float));
    std::vector<std::uint8_t> raw(n * pixelTypeSize(storedType));
    if (H5Dread(dataset, memoryType.id(), memSpace.id(), fileSpace.id(), H5P_DEFAULT, raw.data()) < 0)
        file.fail("image data cannot be read (truncated, corrupt or compressed with an unavailable filter)");
    std::vector<float> out(n);
    convertPixels(raw.data(), storedType, hostByteOrder(), n, out.data());
    return out;
}

std::vector<double> readDoubles(hid_t dataset, std::size_t maxCount)
{
    Handle type(H5Dget_type(dataset), H5Tclose);
    Handle fileSpace(H5Dget_space(dataset), H5Sclose);
    if (!type.valid() || !fileSpace.valid() || H5Sget_simple_extent_ndims(fileSpace.id()) != 1)
        return {};
    const H5T_class_t cls = H5Tget_class(type.id());
    if ((cls != H5T_INTEGER && cls != H5T_FLOAT) || H5Tget_size(type.id()) > 8)
        return {}; // a damaged size would make HDF5 allocate its conversion buffer from it
    hsize_t length = 0;
    if (H5Sget_simple_extent_dims(fileSpace.id(), &length, nullptr) < 0 || length == 0)
        return {};
    const hsize_t start = 0, count = std::min<hsize_t>(length, maxCount);
    Handle memSpace(H5Screate_simple(1, &count, nullptr), H5Sclose);
    if (!memSpace.valid() || H5Sselect_hyperslab(fileSpace.id(), H5S_SELECT_SET, &start, nullptr, &count, nullptr) < 0)
        return {};
    std::vector<double> values(static_cast<std::size_t>(count));
    if (H5Dread(dataset, H5T_NATIVE_DOUBLE, memSpace.id(), fileSpace.id(), H5P_DEFAULT, values.data()) < 0)
        return {};
    return values;
}

std::string readTextBlob(const MemoryFile& file, hid_t dataset, std::size_t limit)
{
    const std::vector<hsize_t> shape = datasetShape(file, dataset);
    if (shape.empty() || shape.size() > 2 || shape[0] == 0 || (shape.size() == 2 && shape[1] == 0))
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
    if (!fileSpace.valid() || !memSpace.valid()
        || H5Sselect_hyperslab(fileSpace.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr) < 0)
        return {};
    std::string text(static_cast<std::size_t>(count[0]), '\0');
    if (H5Dread(dataset, H5T_NATIVE_UCHAR, memSpace.id(), fileSpace.id(), H5P_DEFAULT, text.data()) < 0)
        return {};
    text.resize(strnlen(text.c_str(), text.size()));
    return text;
}

} // namespace motifscope::hdf5
