// Gatan DigitalMicrograph DM3 / DM4 reader: finds the image in the tag tree (dm_tag_tree.h),
// converts its pixels to float32 and reads the calibration and a selection of instrument metadata.
//
// Which image: DigitalMicrograph stores a display thumbnail (an RGBA picture, often larger than a
// small data image) in ImageList next to the data, and names it in Thumbnails[].ImageIndex. The
// thumbnails are set aside, and the largest remaining entry with two or more dimensions is read.
#include "core/io/dm_tag_tree.h"
#include "core/io/readers.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <set>

namespace motifscope {

namespace {

constexpr std::size_t kMaxMetadata = 300;
constexpr std::size_t kMaxMetadataPerGroup = 100;
constexpr std::size_t kMaxValueLength = 256;
constexpr int kThumbnailDataType = 23;

/** Component type of the RGB(A) data types that PixelType does not cover. */
enum class Component
{
    UInt8,
    UInt16,
    Float32,
    Float64
};

/** How one Gatan image DataType is stored and turned into float32. */
struct ImageType
{
    enum class Layout
    {
        Plain,   ///< a PixelType convertPixels handles (modulus for complex)
        RgbWord, ///< one 32-bit word per pixel, 0xAARRGGBB in the file's byte order
        Rgb,     ///< `channels` separate components (R, G, B[, A]) of `component` type
    };
    Layout layout = Layout::Plain;
    PixelType pixelType = PixelType::Float32;
    int channels = 0;
    Component component = Component::UInt8;
    std::string dtype;
    std::size_t bytesPerPixel = 0;
};

ImageType plainType(PixelType type)
{
    return {ImageType::Layout::Plain, type, 0, Component::UInt8, pixelTypeName(type), pixelTypeSize(type)};
}

ImageType rgbType(int channels, Component component, const char* dtype)
{
    static constexpr std::size_t kSize[] = {1, 2, 4, 8};
    return {ImageType::Layout::Rgb,
            PixelType::Float32,
            channels,
            component,
            dtype,
            std::size_t(channels) * kSize[int(component)]};
}

/**
 * Gatan image DataType codes: 1 int16, 2 float32, 3 complex64, 5 packed complex, 6 uint8, 7 int32,
 * 8 RGB (32-bit), 9 int8, 10 uint16, 11 uint32, 12 float64, 13 complex128, 14 binary, 15-19 RGB of
 * uint8/uint16/float32/float64, 20-26 RGBA likewise (23 is the thumbnails' type), 27/28 packed
 * complex in DM 2 and later, and 64-bit integers as 35/36 (DM SDK) or 39/40 (later versions).
 */
ImageType gatanImageType(int code, const std::string& file)
{
    switch (code) {
    case 1:
        return plainType(PixelType::Int16);
    case 2:
        return plainType(PixelType::Float32);
    case 3:
        return plainType(PixelType::Complex64);
    case 6:
        return plainType(PixelType::UInt8);
    case 7:
        return plainType(PixelType::Int32);
    case 9:
        return plainType(PixelType::Int8);
    case 10:
        return plainType(PixelType::UInt16);
    case 11:
        return plainType(PixelType::UInt32);
    case 12:
        return plainType(PixelType::Float64);
    case 13:
        return plainType(PixelType::Complex128);
    case 14:
        return plainType(PixelType::Bool);
    case 35:
    case 39:
        return plainType(PixelType::Int64);
    case 36:
    case 40:
        return plainType(PixelType::UInt64);
    case 8:
    case 20:
    case 21:
    case 22:
    case 23:
        return {ImageType::Layout::RgbWord, PixelType::Float32, 4, Component::UInt8, "rgba8", 4};
    case 15:
    case 16:
        return rgbType(3, Component::UInt8, "rgb8");
    case 17:
        return rgbType(3, Component::UInt16, "rgb16");
    case 18:
        return rgbType(3, Component::Float32, "rgb_float32");
    case 19:
        return rgbType(3, Component::Float64, "rgb_float64");
    case 24:
        return rgbType(4, Component::UInt16, "rgba16");
    case 25:
        return rgbType(4, Component::Float32, "rgba_float32");
    case 26:
        return rgbType(4, Component::Float64, "rgba_float64");
    case 5:
    case 27:
    case 28:
        throw IoError(file, "Gatan data type " + std::to_string(code) +
                                " (packed complex: the half-plane FFT of a real image) is not supported");
    default:
        throw IoError(file, "unsupported Gatan image data type " + std::to_string(code));
    }
}

template <typename T> double load(const std::uint8_t* p, bool swap)
{
    std::uint8_t b[sizeof(T)];
    std::memcpy(b, p, sizeof(T));
    if (swap)
        std::reverse(b, b + sizeof(T));
    T value;
    std::memcpy(&value, b, sizeof(T));
    return double(value);
}

double loadComponent(const std::uint8_t* p, Component c, bool swap)
{
    switch (c) {
    case Component::UInt8:
        return *p;
    case Component::UInt16:
        return load<std::uint16_t>(p, swap);
    case Component::Float32:
        return load<float>(p, swap);
    case Component::Float64:
        return load<double>(p, swap);
    }
    return 0.0;
}

/** RGB(A) pixels to Rec. 601 luma 0.299 R + 0.587 G + 0.114 B (the rule convertPixels uses). */
void convertRgb(const std::uint8_t* src, const ImageType& t, ByteOrder order, std::size_t count, float* dst)
{
    const bool swap = order != hostByteOrder();
    const std::size_t step = t.bytesPerPixel / std::size_t(t.channels);
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint8_t* p = src + i * t.bytesPerPixel;
        double r = 0.0, g = 0.0, b = 0.0;
        if (t.layout == ImageType::Layout::RgbWord) {
            const auto word = std::uint32_t(load<std::uint32_t>(p, swap));
            r = (word >> 16) & 0xFF;
            g = (word >> 8) & 0xFF;
            b = word & 0xFF;
        } else {
            r = loadComponent(p, t.component, swap);
            g = loadComponent(p + step, t.component, swap);
            b = loadComponent(p + 2 * step, t.component, swap);
        }
        dst[i] = float(0.299 * r + 0.587 * g + 0.114 * b);
    }
}

/** One ImageList entry that holds image data. */
struct ImageEntry
{
    std::size_t index = 0;
    const DmTag* entry = nullptr;
    const DmTag* imageData = nullptr;
    const DmTag* data = nullptr;
    std::vector<std::uint64_t> dims;
    std::uint64_t elements = 1; ///< product of the dimensions, saturated
    int dataType = -1;
};

std::vector<ImageEntry> imageEntries(const DmTagTree& tree, const DmTag& list)
{
    std::vector<ImageEntry> out;
    for (std::size_t i = 0; i < list.children.size(); ++i) {
        ImageEntry e;
        e.index = i;
        e.entry = &list.children[i];
        e.imageData = e.entry->child("ImageData");
        e.data = e.imageData ? e.imageData->child("Data") : nullptr;
        const DmTag* dimensions = e.imageData ? e.imageData->child("Dimensions") : nullptr;
        if (!e.data || !dimensions || !dimensions->children.size() ||
            (e.data->kind != DmTag::Kind::Array && e.data->kind != DmTag::Kind::StructArray))
            continue;
        for (const DmTag& d : dimensions->children) {
            const std::optional<double> v = tree.number(&d);
            if (!v || !(*v >= 0.0) || *v != std::floor(*v) || *v > 9.0e15 || e.dims.size() >= 16)
                throw IoError(tree.fileName(),
                              "ImageList entry " + std::to_string(i) + " has an invalid dimension");
            e.dims.push_back(std::uint64_t(*v));
            const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
            e.elements = (e.dims.back() != 0 && e.elements > limit / e.dims.back())
                             ? limit
                             : e.elements * e.dims.back();
        }
        const double code = tree.number(e.imageData->child("DataType")).value_or(-1.0);
        e.dataType = code >= 0.0 && code <= 1000.0 && code == std::floor(code) ? int(code) : -1;
        out.push_back(std::move(e));
    }
    return out;
}

/** The entry to read: not a thumbnail, two or more dimensions preferred, then the most elements. */
ImageEntry chooseImage(const DmTagTree& tree, std::vector<ImageEntry> entries)
{
    std::set<double> thumbnails;
    const DmTag* thumbs = tree.root().child("Thumbnails");
    if (thumbs)
        for (const DmTag& t : thumbs->children)
            if (const auto index = tree.number(t.child("ImageIndex")))
                thumbnails.insert(*index);
    std::vector<ImageEntry> rest;
    for (const ImageEntry& e : entries)
        if (!thumbnails.count(double(e.index)))
            rest.push_back(e);
    // Without a Thumbnails list, a leading RGBA entry followed by others is taken for the thumbnail.
    if (!thumbs && rest.size() >= 2 && rest.front().index == 0 && rest.front().dataType == kThumbnailDataType)
        rest.erase(rest.begin());
    if (rest.empty())
        rest = std::move(entries);
    const auto rank = [](const ImageEntry& e) { return std::make_pair(e.dims.size() >= 2, e.elements); };
    return *std::max_element(rest.begin(), rest.end(),
                             [&](const ImageEntry& a, const ImageEntry& b) { return rank(a) < rank(b); });
}

/** Scale and unit of the x and y axes; uncalibrated unless both carry the same non-empty unit. */
Calibration readCalibration(const DmTagTree& tree, const DmTag& imageData, Micrograph& m)
{
    const DmTag* axes = imageData.find("Calibrations.Dimension");
    const DmTag* x = axes ? axes->at(0) : nullptr;
    const DmTag* y = axes ? axes->at(1) : nullptr;
    if (!x || !y)
        return {};
    const double sx = std::abs(tree.number(x->child("Scale")).value_or(0.0));
    const double sy = std::abs(tree.number(y->child("Scale")).value_or(0.0));
    const std::string ux = tree.text(x->child("Units"));
    const std::string uy = tree.text(y->child("Units"));
    if (ux != uy) {
        m.metadata["DM.UnitsX"] = ux;
        m.metadata["DM.UnitsY"] = uy;
        return {};
    }
    if (ux.empty() || !std::isfinite(sx) || !std::isfinite(sy) || sx <= 0.0 || sy <= 0.0)
        return {};
    return {sx, sy, ux};
}

void flattenTags(const DmTagTree& tree, const DmTag& group, const std::string& prefix, int depth,
                 std::size_t budget, std::map<std::string, std::string>& out)
{
    for (std::size_t i = 0; i < group.children.size() && budget > 0 && out.size() < kMaxMetadata; ++i) {
        const DmTag& tag = group.children[i];
        const std::string key =
            prefix + "." + (tag.name.empty() ? std::to_string(i) : tag.name.substr(0, 64));
        const std::size_t before = out.size();
        if (tag.kind == DmTag::Kind::Group) {
            if (depth < 4)
                flattenTags(tree, tag, key, depth + 1, budget, out);
        } else if (const std::optional<std::string> value = tree.display(tag)) {
            out[key] = value->substr(0, kMaxValueLength);
        }
        budget -= std::min(budget, out.size() - before);
    }
}

void readMetadata(const DmTagTree& tree, const ImageEntry& image, std::size_t entryCount, Micrograph& m)
{
    m.metadata["DM.Version"] = std::to_string(tree.version());
    m.metadata["DM.ByteOrder"] = tree.byteOrder() == ByteOrder::Little ? "little-endian" : "big-endian";
    m.metadata["DM.DataType"] = std::to_string(image.dataType);
    m.metadata["DM.ImageIndex"] = std::to_string(image.index);
    m.metadata["DM.ImageCount"] = std::to_string(entryCount);
    if (const std::string name = tree.text(image.entry->child("Name")); !name.empty())
        m.metadata["DM.Name"] = name.substr(0, kMaxValueLength);
    const DmTag* tags = image.entry->child("ImageTags");
    if (!tags)
        return;
    for (const char* group : {"Microscope Info", "Session Info", "Meta Data", "DataBar", "Acquisition",
                              "DigiScan", "GMS Version"})
        if (const DmTag* g = tags->child(group); g && g->kind == DmTag::Kind::Group)
            flattenTags(tree, *g, group, 1, kMaxMetadataPerGroup, m.metadata);
}

Micrograph decodeDm(Bytes bytes, const std::string& fileName, int frame)
{
    const DmTagTree tree(bytes, fileName);
    const DmTag* list = tree.root().child("ImageList");
    if (!list || list->kind != DmTag::Kind::Group)
        throw IoError(fileName, "no ImageList tag group: the file holds no image");
    std::vector<ImageEntry> entries = imageEntries(tree, *list);
    if (entries.empty())
        throw IoError(fileName, "no ImageList entry holds image data and dimensions");
    const ImageEntry image = chooseImage(tree, std::move(entries));

    std::vector<std::uint64_t> dims = image.dims;
    while (dims.size() > 3 && dims.back() == 1)
        dims.pop_back();
    if (dims.size() == 1)
        throw IoError(fileName, "1-D spectrum, not an image (" + std::to_string(dims[0]) + " channels)");
    if (dims.size() > 3)
        throw IoError(fileName, std::to_string(dims.size()) + "-D data (e.g. 4D-STEM) is not supported");
    if (std::find(dims.begin(), dims.end(), 0) != dims.end())
        throw IoError(fileName, "empty image: a dimension is 0");
    checkImageSize(fileName, static_cast<long long>(dims[0]), static_cast<long long>(dims[1])); // each < 9e15
    const std::uint64_t frames = dims.size() == 3 ? dims[2] : 1;

    if (image.dataType < 0)
        throw IoError(fileName, "the image has no valid DataType tag");
    const ImageType type = gatanImageType(image.dataType, fileName);
    if (const auto depth = tree.number(image.imageData->child("PixelDepth"));
        depth && *depth != double(type.bytesPerPixel))
        throw IoError(fileName, "Gatan data type " + std::to_string(image.dataType) + " has " +
                                    std::to_string(type.bytesPerPixel) +
                                    " bytes per pixel but PixelDepth says " + std::to_string(*depth) +
                                    " (corrupt file)");
    const std::uint64_t framePixels = dims[0] * dims[1];
    const std::uint64_t frameBytes = framePixels * type.bytesPerPixel;
    const std::uint64_t available = image.data->byteSize;
    if (frames > available / frameBytes)
        throw IoError(fileName, "image data too short: the Data array holds " + std::to_string(available) +
                                    " bytes but " + std::to_string(frames) + " frame(s) of " +
                                    std::to_string(dims[0]) + " x " + std::to_string(dims[1]) + " " +
                                    type.dtype + " need " + std::to_string(frameBytes) + " bytes each");

    if (frame < 0 || std::uint64_t(frame) >= frames)
        throw IoError(fileName, "frame " + std::to_string(frame) + " does not exist (the file holds " +
                                    std::to_string(frames) + ")");

    Micrograph m;
    m.width = int(dims[0]);
    m.height = int(dims[1]);
    m.frames = int(std::min<std::uint64_t>(frames, std::numeric_limits<int>::max()));
    m.dtype = type.dtype;
    m.format = tree.version() == 3 ? "DM3" : "DM4";
    m.pixels.resize(static_cast<std::size_t>(framePixels));
    const std::uint8_t* src = tree.valueBytes(*image.data).data() + std::uint64_t(frame) * frameBytes;
    if (type.layout == ImageType::Layout::Plain)
        convertPixels(src, type.pixelType, tree.byteOrder(), m.pixels.size(), m.pixels.data());
    else
        convertRgb(src, type, tree.byteOrder(), m.pixels.size(), m.pixels.data());

    m.calibration = readCalibration(tree, *image.imageData, m);
    readMetadata(tree, image, list->children.size(), m);
    return m;
}

} // namespace

Micrograph readDm(Bytes bytes, const std::string& fileName, int frame)
{
    try {
        return decodeDm(bytes, fileName, frame);
    } catch (const IoError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw IoError(fileName, "not enough memory to read the DigitalMicrograph file");
    } catch (const std::exception& e) {
        throw IoError(fileName,
                      std::string("unexpected failure reading the DigitalMicrograph file: ") + e.what());
    }
}

} // namespace motifscope
