// Gatan DigitalMicrograph DM3 / DM4 reader: the tag tree is parsed here, bounds-checked throughout.
// Layout: header (version, size, byte order), then a tree of tag groups and tags. Structure
// (counts, lengths, type codes) is big-endian; data values use the byte order the header gives.
#include "io/byte_reader.h"
#include "io/readers.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace motifscope {

namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxTags = 1u << 20;

/** Simple tag value types (DM's encoding codes). */
std::size_t simpleSize(std::uint64_t type)
{
    switch (type) {
    case 2: case 4: return 2;           // int16, uint16
    case 3: case 5: case 6: return 4;   // int32, uint32, float32
    case 7: case 11: case 12: return 8; // float64, int64, uint64
    case 8: case 9: case 10: return 1;  // bool, char, octet
    default: return 0;
    }
}

/** One node of the tag tree. Groups have children; data tags keep where their values lie. */
struct DmTag
{
    std::string name;
    bool group = false;
    std::vector<std::unique_ptr<DmTag>> children;
    // Data tags: a simple value, or an array of simple elements.
    std::uint64_t type = 0;        ///< simple type of the value or of array elements (0 = struct/other)
    bool array = false;
    std::uint64_t count = 0;       ///< array length
    std::size_t offset = 0;        ///< where the value/array bytes start
    std::vector<std::uint64_t> structTypes; ///< field types when the tag is a struct

    const DmTag* child(const std::string& n) const
    {
        for (const auto& c : children)
            if (c->name == n)
                return c.get();
        return nullptr;
    }
};

class DmParser
{
public:
    DmParser(Bytes bytes, const std::string& name) : mIn(bytes, name) {}

    std::unique_ptr<DmTag> parse()
    {
        mVersion = mIn.read<std::uint32_t>(ByteOrder::Big, "version");
        if (mVersion != 3 && mVersion != 4)
            mIn.fail("not a DigitalMicrograph file (version " + std::to_string(mVersion) + "; 3 or 4 expected)");
        if (mVersion == 3)
            mIn.read<std::uint32_t>(ByteOrder::Big, "file size");
        else
            mIn.read<std::uint64_t>(ByteOrder::Big, "file size");
        const std::uint32_t order = mIn.read<std::uint32_t>(ByteOrder::Big, "byte order");
        if (order > 1)
            mIn.fail("invalid byte-order flag " + std::to_string(order));
        mData = order == 1 ? ByteOrder::Little : ByteOrder::Big;
        auto root = std::make_unique<DmTag>();
        root->group = true;
        parseGroup(*root, 0);
        return root;
    }

    ByteOrder dataOrder() const { return mData; }
    ByteReader& input() { return mIn; }
    std::uint32_t version() const { return mVersion; }

private:
    std::uint64_t readCount(const char* what)
    {
        return mVersion == 3 ? mIn.read<std::uint32_t>(ByteOrder::Big, what) : mIn.read<std::uint64_t>(ByteOrder::Big, what);
    }

    void parseGroup(DmTag& group, int depth)
    {
        if (depth > kMaxDepth)
            mIn.fail("tag groups nested deeper than " + std::to_string(kMaxDepth) + " (corrupt file)");
        mIn.take(2, "tag group header"); // sorted, open
        const std::uint64_t n = readCount("tag count");
        if (n > mIn.remaining())
            mIn.fail("tag group claims " + std::to_string(n) + " tags, more than the file can hold");
        for (std::uint64_t i = 0; i < n; ++i) {
            if (++mTagCount > kMaxTags)
                mIn.fail("more than " + std::to_string(kMaxTags) + " tags (corrupt file)");
            const std::uint8_t kind = *mIn.take(1, "tag kind");
            if (kind == 0)
                break; // end of file marker in some writers
            const std::uint16_t nameLength = mIn.read<std::uint16_t>(ByteOrder::Big, "tag name length");
            auto tag = std::make_unique<DmTag>();
            tag->name = mIn.readString(nameLength, "tag name");
            if (mVersion == 4)
                mIn.read<std::uint64_t>(ByteOrder::Big, "tag size");
            if (kind == 20) {
                tag->group = true;
                parseGroup(*tag, depth + 1);
            } else if (kind == 21) {
                parseData(*tag);
            } else {
                mIn.fail("unknown tag kind " + std::to_string(kind) + " at offset " + std::to_string(mIn.position() - 3));
            }
            group.children.push_back(std::move(tag));
        }
    }

    void parseData(DmTag& tag)
    {
        if (mIn.readString(4, "tag marker") != "%%%%")
            mIn.fail("tag '" + tag.name + "' lacks its %%%% marker (corrupt file)");
        const std::uint64_t n = readCount("tag definition length");
        if (n == 0 || n > 4096)
            mIn.fail("tag '" + tag.name + "' has an invalid definition length " + std::to_string(n));
        std::vector<std::uint64_t> def(n);
        for (auto& d : def)
            d = readCount("tag definition");
        const std::uint64_t type = def[0];
        if (std::size_t size = simpleSize(type); size && n == 1) {
            tag.type = type;
            tag.offset = mIn.position();
            mIn.take(size, "tag value");
        } else if (type == 18 && n == 2) { // string of def[1] characters (UTF-16)
            mIn.take(checkedBytes(def[1], 2), "string tag");
        } else if (type == 15) {
            skipStruct(def, 0, tag);
        } else if (type == 20 && n >= 3) {
            parseArray(def, tag);
        } else {
            mIn.fail("tag '" + tag.name + "' has an unsupported type " + std::to_string(type));
        }
    }

    /** Bytes of a struct definition starting at def[at] = 15; returns its size and skips its data. */
    std::uint64_t structSize(const std::vector<std::uint64_t>& def, std::size_t at, std::size_t& end,
                             std::vector<std::uint64_t>* types)
    {
        if (at + 2 >= def.size())
            mIn.fail("truncated struct definition");
        const std::uint64_t fields = def[at + 2];
        if (fields > 1024 || at + 3 + 2 * fields > def.size())
            mIn.fail("invalid struct definition");
        std::uint64_t size = 0;
        for (std::uint64_t f = 0; f < fields; ++f) {
            const std::uint64_t t = def[at + 4 + 2 * f];
            const std::size_t s = simpleSize(t);
            if (!s)
                mIn.fail("struct field of unsupported type " + std::to_string(t));
            size += s;
            if (types)
                types->push_back(t);
        }
        end = std::size_t(at + 3 + 2 * fields);
        return size;
    }

    void skipStruct(const std::vector<std::uint64_t>& def, std::size_t at, DmTag& tag)
    {
        std::size_t end = 0;
        const std::uint64_t size = structSize(def, at, end, &tag.structTypes);
        tag.offset = mIn.position();
        mIn.take(size, "struct tag");
    }

    void parseArray(const std::vector<std::uint64_t>& def, DmTag& tag)
    {
        const std::uint64_t element = def[1];
        if (std::size_t size = simpleSize(element); size) {
            if (def.size() != 3)
                mIn.fail("invalid array definition in tag '" + tag.name + "'");
            tag.type = element;
            tag.array = true;
            tag.count = def[2];
            tag.offset = mIn.position();
            mIn.take(checkedBytes(tag.count, size), "array data");
        } else if (element == 15) {
            std::size_t end = 0;
            const std::uint64_t size = structSize(def, 1, end, nullptr);
            if (end >= def.size())
                mIn.fail("array of structs lacks its length");
            mIn.take(checkedBytes(def[end], size), "array of structs");
        } else {
            mIn.fail("array of unsupported type " + std::to_string(element) + " in tag '" + tag.name + "'");
        }
    }

    std::uint64_t checkedBytes(std::uint64_t count, std::uint64_t size)
    {
        if (size != 0 && count > mIn.remaining() / size)
            mIn.fail("file is truncated: an array of " + std::to_string(count) + " elements does not fit");
        return count * size;
    }

    ByteReader mIn;
    std::uint32_t mVersion = 0;
    ByteOrder mData = ByteOrder::Little;
    std::size_t mTagCount = 0;
};

/** Value of a simple numeric tag as double. */
double tagNumber(ByteReader& in, const DmTag* tag, ByteOrder order, double fallback)
{
    if (!tag || tag->group || tag->array || !simpleSize(tag->type))
        return fallback;
    in.seek(tag->offset);
    switch (tag->type) {
    case 2: return in.read<std::int16_t>(order);
    case 3: return in.read<std::int32_t>(order);
    case 4: return in.read<std::uint16_t>(order);
    case 5: return in.read<std::uint32_t>(order);
    case 6: return in.read<float>(order);
    case 7: return in.read<double>(order);
    case 8: case 9: case 10: return *in.take(1);
    case 11: return double(in.read<std::int64_t>(order));
    case 12: return double(in.read<std::uint64_t>(order));
    default: return fallback;
    }
}

/** A UTF-16 array tag (units, titles) as UTF-8. */
std::string tagText(ByteReader& in, const DmTag* tag, ByteOrder order)
{
    if (!tag || !tag->array || (tag->type != 4 && tag->type != 2) || tag->count > 4096)
        return {};
    in.seek(tag->offset);
    std::string out;
    for (std::uint64_t i = 0; i < tag->count; ++i) {
        const unsigned c = in.read<std::uint16_t>(order);
        if (c == 0)
            break;
        if (c < 0x80) {
            out += char(c);
        } else if (c < 0x800) {
            out += char(0xC0 | (c >> 6));
            out += char(0x80 | (c & 0x3F));
        } else {
            out += char(0xE0 | (c >> 12));
            out += char(0x80 | ((c >> 6) & 0x3F));
            out += char(0x80 | (c & 0x3F));
        }
    }
    return out;
}

/** Gatan image data types MotifScope reads. Returns false for types refused. */
bool gatanPixelType(int code, PixelType& type)
{
    switch (code) {
    case 1: type = PixelType::Int16; return true;
    case 2: type = PixelType::Float32; return true;
    case 3: type = PixelType::Complex64; return true;
    case 6: type = PixelType::UInt8; return true;
    case 7: type = PixelType::Int32; return true;
    case 8: type = PixelType::RGBA8; return true; // 4-byte RGB
    case 9: type = PixelType::Int8; return true;
    case 10: type = PixelType::UInt16; return true;
    case 11: type = PixelType::UInt32; return true;
    case 12: type = PixelType::Float64; return true;
    case 13: type = PixelType::Complex128; return true;
    case 14: type = PixelType::Bool; return true;
    case 23: type = PixelType::RGBA8; return true;
    case 39: type = PixelType::Int64; return true;
    case 40: type = PixelType::UInt64; return true;
    default: return false;
    }
}

struct ImageEntry
{
    const DmTag* imageData = nullptr;
    const DmTag* imageTags = nullptr;
    std::vector<std::uint64_t> dims;
    std::uint64_t pixels = 0;
};

} // namespace

Micrograph readDm(Bytes bytes, const std::string& fileName)
{
    DmParser parser(bytes, fileName);
    const std::unique_ptr<DmTag> root = parser.parse();
    ByteReader& in = parser.input();
    const ByteOrder order = parser.dataOrder();

    const DmTag* list = root->child("ImageList");
    if (!list)
        throw IoError(fileName, "no ImageList: the file holds no image");
    // DigitalMicrograph writes the display thumbnail (often an RGB picture larger than a small data
    // image) as the first ImageList entry: with two or more entries it is skipped, and the largest
    // of the rest is the image.
    ImageEntry best;
    const std::size_t first = list->children.size() >= 2 ? 1 : 0;
    for (std::size_t e = first; e < list->children.size(); ++e) {
        const auto& entry = list->children[e];
        const DmTag* data = entry->child("ImageData");
        const DmTag* dimensions = data ? data->child("Dimensions") : nullptr;
        if (!data || !dimensions || !data->child("Data"))
            continue;
        ImageEntry candidate{data, entry->child("ImageTags"), {}, 1};
        for (const auto& d : dimensions->children) {
            const double v = tagNumber(in, d.get(), order, -1);
            if (!(v >= 0) || v > 1e12)
                throw IoError(fileName, "invalid image dimension");
            candidate.dims.push_back(std::uint64_t(v));
        }
        if (candidate.dims.size() < 2)
            candidate.pixels = candidate.dims.empty() ? 0 : candidate.dims[0];
        else
            candidate.pixels = candidate.dims[0] * candidate.dims[1];
        if (!best.imageData || candidate.pixels > best.pixels)
            best = candidate;
    }
    if (!best.imageData)
        throw IoError(fileName, "no image data found in the ImageList");
    if (best.dims.size() < 2)
        throw IoError(fileName, "1-D data (a spectrum), not an image");
    if (best.dims.size() > 3)
        throw IoError(fileName, std::to_string(best.dims.size()) + "-D data (spectrum image?), not an image or stack");
    checkImageSize(fileName, static_cast<long long>(best.dims[0]), static_cast<long long>(best.dims[1]));
    const std::uint64_t frames = best.dims.size() == 3 ? best.dims[2] : 1;
    if (frames == 0)
        throw IoError(fileName, "image stack with zero frames");

    const int code = int(tagNumber(in, best.imageData->child("DataType"), order, -1));
    PixelType type{};
    if (code == 5)
        throw IoError(fileName, "packed complex data (FFT of a real image) is not supported");
    if (!gatanPixelType(code, type))
        throw IoError(fileName, "unsupported Gatan data type " + std::to_string(code));

    const DmTag* data = best.imageData->child("Data");
    if (!data->array)
        throw IoError(fileName, "image Data tag is not an array");
    const std::uint64_t available = data->count * simpleSize(data->type);
    const std::uint64_t framePixels = best.dims[0] * best.dims[1];
    const std::uint64_t needed = framePixels * pixelTypeSize(type);
    if (available < needed)
        throw IoError(fileName, "image data holds " + std::to_string(available) + " bytes, but a " +
                                    std::to_string(best.dims[0]) + " x " + std::to_string(best.dims[1]) + " " +
                                    pixelTypeName(type) + " image needs " + std::to_string(needed));

    Micrograph m;
    m.width = int(best.dims[0]);
    m.height = int(best.dims[1]);
    m.frames = int(std::min<std::uint64_t>(frames, 1u << 30));
    m.dtype = pixelTypeName(type);
    m.format = parser.version() == 3 ? "DM3" : "DM4";
    m.pixels.resize(framePixels);
    in.seek(data->offset);
    convertPixels(in.take(needed, "image data"), type, order, framePixels, m.pixels.data());

    // Calibration: ImageData.Calibrations.Dimension[0..1].{Scale, Units}.
    const DmTag* calibrations = best.imageData->child("Calibrations");
    const DmTag* dims = calibrations ? calibrations->child("Dimension") : nullptr;
    if (dims && dims->children.size() >= 2) {
        const double sx = tagNumber(in, dims->children[0]->child("Scale"), order, 1.0);
        const double sy = tagNumber(in, dims->children[1]->child("Scale"), order, 1.0);
        const std::string unit = tagText(in, dims->children[0]->child("Units"), order);
        if (!unit.empty() && std::isfinite(sx) && std::isfinite(sy) && sx > 0 && sy > 0)
            m.calibration = {sx, sy, unit};
    }
    // A few instrument facts, when present.
    if (best.imageTags) {
        if (const DmTag* mic = best.imageTags->child("Microscope Info")) {
            for (const char* key : {"Voltage", "Indicated Magnification", "Actual Magnification", "STEM Camera Length"}) {
                const double v = tagNumber(in, mic->child(key), order, std::nan(""));
                if (std::isfinite(v))
                    m.metadata[std::string("Microscope Info.") + key] = std::to_string(v);
            }
        }
    }
    return m;
}

} // namespace motifscope
