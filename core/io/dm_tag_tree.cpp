// DigitalMicrograph tag-tree parser. Every count read from the file is checked against the bytes
// that remain before anything is allocated or skipped, so corrupt files end in an IoError.
#include "core/io/dm_tag_tree.h"

#include "core/io/byte_reader.h"

#include <cmath>
#include <cstdio>

namespace motifscope {

std::size_t dmSimpleTypeSize(std::uint64_t type)
{
    switch (type) {
    case kDmInt16:
    case kDmUInt16:
        return 2;
    case kDmInt32:
    case kDmUInt32:
    case kDmFloat32:
        return 4;
    case kDmFloat64:
    case kDmInt64:
    case kDmUInt64:
        return 8;
    case kDmBool:
    case kDmChar:
    case kDmOctet:
        return 1;
    default:
        return 0;
    }
}

const DmTag* DmTag::child(std::string_view childName) const
{
    for (const DmTag& c : children)
        if (c.name == childName)
            return &c;
    return nullptr;
}

const DmTag* DmTag::find(std::string_view path) const
{
    const DmTag* node = this;
    while (node && !path.empty()) {
        const std::size_t dot = path.find('.');
        node = node->child(path.substr(0, dot));
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    }
    return node;
}

namespace {

std::string latin1ToUtf8(std::string_view in)
{
    std::string out;
    for (const char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out += ch;
        } else {
            out += char(0xC0 | (c >> 6));
            out += char(0x80 | (c & 0x3F));
        }
    }
    return out;
}

void appendUtf8(std::string& out, std::uint32_t c)
{
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xF0 | (c >> 18));
        out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
}

/** Reads the tag groups and data tags of one file; `mIn` walks the buffer. */
class TreeParser
{
public:
    TreeParser(ByteReader& in, int version) : mIn(in), mVersion(version) {}

    void group(DmTag& node, int depth)
    {
        if (depth > DmTagTree::kMaxDepth)
            mIn.fail("tag groups nested deeper than " + std::to_string(DmTagTree::kMaxDepth) +
                     " (corrupt file)");
        mIn.take(2, "tag group header"); // "sorted" and "open" flags, unused
        const std::uint64_t n = count("tag count");
        if (n > mIn.remaining() / 3) // every entry takes at least a kind byte and a name length
            mIn.fail("tag group '" + node.name + "' claims " + std::to_string(n) + " tags, more than the " +
                     std::to_string(mIn.remaining()) + " remaining bytes can hold");
        for (std::uint64_t i = 0; i < n; ++i) {
            if (++mTagCount > DmTagTree::kMaxTags)
                mIn.fail("more than " + std::to_string(DmTagTree::kMaxTags) + " tags (corrupt file)");
            const std::size_t entryOffset = mIn.position();
            const std::uint8_t kind = mIn.read<std::uint8_t>(ByteOrder::Big, "tag kind");
            const auto nameLength = mIn.read<std::uint16_t>(ByteOrder::Big, "tag name length");
            DmTag tag;
            tag.name = latin1ToUtf8(mIn.readString(nameLength, "tag name"));
            const std::uint64_t length =
                mVersion == 4 ? mIn.read<std::uint64_t>(ByteOrder::Big, "tag length") : 0;
            if (kind == 20) {
                tag.kind = DmTag::Kind::Group;
                group(tag, depth + 1);
            } else if (kind == 21) {
                dataTag(tag, length);
            } else {
                mIn.fail("unknown tag kind " + std::to_string(kind) + " at offset " +
                         std::to_string(entryOffset) + " (20 or 21 expected; corrupt file)");
            }
            node.children.push_back(std::move(tag));
        }
    }

private:
    std::uint64_t count(const char* what)
    {
        return mVersion == 3 ? mIn.read<std::uint32_t>(ByteOrder::Big, what)
                             : mIn.read<std::uint64_t>(ByteOrder::Big, what);
    }

    [[noreturn]] void failTag(const DmTag& tag, const std::string& problem)
    {
        mIn.fail("tag '" + tag.name + "' at offset " + std::to_string(mIn.position()) + ": " + problem);
    }

    /** count * size, refused unless that many bytes remain. */
    std::uint64_t bytesFor(const DmTag& tag, std::uint64_t n, std::uint64_t size)
    {
        if (size != 0 && n > mIn.remaining() / size)
            failTag(tag, std::to_string(n) + " values of " + std::to_string(size) +
                             " bytes do not fit in the " + std::to_string(mIn.remaining()) +
                             " bytes left (truncated or corrupt file)");
        return n * size;
    }

    /** Struct description at info[at] = 15: name length, field count, (name length, type) pairs. */
    std::uint64_t structFields(DmTag& tag, const std::vector<std::uint64_t>& info, std::size_t at,
                               std::size_t& end)
    {
        if (at + 3 > info.size())
            failTag(tag, "truncated struct description");
        const std::uint64_t fields = info[at + 2];
        if (fields == 0 || fields > (info.size() - at - 3) / 2)
            failTag(tag, "struct claims " + std::to_string(fields) + " fields in a description of " +
                             std::to_string(info.size()) + " entries");
        std::uint64_t size = 0;
        for (std::size_t f = 0; f < fields; ++f) {
            const std::uint64_t type = info[at + 4 + 2 * f];
            const std::size_t s = dmSimpleTypeSize(type);
            if (s == 0)
                return 0; // nested or unknown field type: not decoded
            size += s;
            tag.fieldTypes.push_back(std::uint32_t(type));
        }
        end = at + 3 + 2 * std::size_t(fields);
        return size;
    }

    /** Fills in the kind, types and size from the type description; false when it is not understood. */
    bool describe(DmTag& tag, const std::vector<std::uint64_t>& info)
    {
        const std::uint64_t type = info[0];
        const std::size_t n = info.size();
        std::size_t end = 0;
        if (const std::size_t size = dmSimpleTypeSize(type); size && n == 1) {
            tag.kind = DmTag::Kind::Value;
            tag.type = std::uint32_t(type);
            tag.byteSize = size;
        } else if (type == kDmString && n == 2) {
            tag.kind = DmTag::Kind::String;
            tag.count = info[1];
            tag.byteSize = bytesFor(tag, info[1], 2);
        } else if (type == kDmStruct) {
            const std::uint64_t size = structFields(tag, info, 0, end);
            if (size == 0 || end != n)
                return false;
            tag.kind = DmTag::Kind::Struct;
            tag.byteSize = size;
        } else if (type == kDmArray && n >= 3) {
            const std::uint64_t element = info[1];
            if (const std::size_t size = dmSimpleTypeSize(element); size && n == 3) {
                tag.kind = DmTag::Kind::Array;
                tag.type = std::uint32_t(element);
                tag.count = info[2];
                tag.byteSize = bytesFor(tag, info[2], size);
            } else if (element == kDmStruct) {
                const std::uint64_t size = structFields(tag, info, 1, end);
                if (size == 0 || end + 1 != n)
                    return false;
                tag.kind = DmTag::Kind::StructArray;
                tag.count = info[end];
                tag.byteSize = bytesFor(tag, info[end], size);
            } else if (element == kDmString && n == 4) { // array of strings of info[2] code units each
                tag.kind = DmTag::Kind::Opaque;
                tag.byteSize = bytesFor(tag, info[3], bytesFor(tag, info[2], 2));
            } else {
                return false;
            }
        } else {
            return false;
        }
        return true;
    }

    void dataTag(DmTag& tag, std::uint64_t length)
    {
        const std::size_t start = mIn.position();
        if (mVersion == 4 && length > mIn.remaining())
            failTag(tag, "declares " + std::to_string(length) + " bytes but only " +
                             std::to_string(mIn.remaining()) + " remain (truncated file)");
        if (mIn.readString(4, "tag marker") != "%%%%")
            failTag(tag, "the '%%%%' marker of a data tag is missing (corrupt file)");
        const std::uint64_t n = count("type description length");
        const std::size_t entrySize = mVersion == 3 ? 4 : 8;
        if (n == 0 || n > 4096 || n > mIn.remaining() / entrySize)
            failTag(tag, "invalid type description length " + std::to_string(n));
        std::vector<std::uint64_t> info(static_cast<std::size_t>(n));
        for (auto& entry : info)
            entry = count("type description");
        if (!describe(tag, info)) {
            // DM4 gives each tag's length, so a value of unknown type can be stepped over; DM3 cannot.
            const std::uint64_t used = mIn.position() - start;
            if (mVersion != 4 || length < used)
                failTag(tag, "unsupported value type " + std::to_string(info[0]) +
                                 (info.size() > 1 ? " of " + std::to_string(info[1]) : std::string()));
            tag.kind = DmTag::Kind::Opaque;
            tag.fieldTypes.clear();
            tag.byteSize = length - used;
        }
        tag.offset = mIn.position();
        mIn.take(tag.byteSize, "tag value");
    }

    ByteReader& mIn;
    int mVersion;
    std::size_t mTagCount = 0;
};

/** One simple value at `p` as text: integers exactly, floats with 10 significant digits. */
std::string formatValue(const std::uint8_t* p, std::uint32_t type, ByteOrder order, const std::string& file)
{
    ByteReader r(Bytes(p, dmSimpleTypeSize(type)), file);
    char buf[40];
    switch (type) {
    case kDmInt16:
        return std::to_string(r.read<std::int16_t>(order));
    case kDmInt32:
        return std::to_string(r.read<std::int32_t>(order));
    case kDmUInt16:
        return std::to_string(r.read<std::uint16_t>(order));
    case kDmUInt32:
        return std::to_string(r.read<std::uint32_t>(order));
    case kDmInt64:
        return std::to_string(r.read<std::int64_t>(order));
    case kDmUInt64:
        return std::to_string(r.read<std::uint64_t>(order));
    case kDmBool:
        return *p ? "true" : "false";
    case kDmChar:
    case kDmOctet:
        return std::to_string(unsigned(*p));
    case kDmFloat32:
        std::snprintf(buf, sizeof buf, "%.9g", double(r.read<float>(order)));
        return buf;
    case kDmFloat64:
        std::snprintf(buf, sizeof buf, "%.12g", r.read<double>(order));
        return buf;
    default:
        return {};
    }
}

} // namespace

DmTagTree::DmTagTree(Bytes bytes, std::string fileName) : mBytes(bytes), mFile(std::move(fileName))
{
    ByteReader in(bytes, mFile);
    const auto version = in.read<std::uint32_t>(ByteOrder::Big, "DigitalMicrograph header");
    if (version != 3 && version != 4)
        in.fail("not a DM3/DM4 file: header version is " + std::to_string(version) + " (3 or 4 expected)");
    mVersion = int(version);
    if (mVersion == 3)
        in.read<std::uint32_t>(ByteOrder::Big, "DigitalMicrograph header");
    else
        in.read<std::uint64_t>(ByteOrder::Big, "DigitalMicrograph header");
    const auto order = in.read<std::uint32_t>(ByteOrder::Big, "DigitalMicrograph header");
    if (order > 1)
        in.fail("invalid byte-order flag " + std::to_string(order) + " in the header (0 or 1 expected)");
    mOrder = order == 1 ? ByteOrder::Little : ByteOrder::Big;
    TreeParser parser(in, mVersion);
    parser.group(mRoot, 0);
}

std::optional<double> DmTagTree::number(const DmTag* tag) const
{
    if (!tag || tag->kind != DmTag::Kind::Value)
        return std::nullopt;
    ByteReader r(valueBytes(*tag), mFile);
    switch (tag->type) {
    case kDmInt16:
        return r.read<std::int16_t>(mOrder);
    case kDmInt32:
        return r.read<std::int32_t>(mOrder);
    case kDmUInt16:
        return r.read<std::uint16_t>(mOrder);
    case kDmUInt32:
        return r.read<std::uint32_t>(mOrder);
    case kDmFloat32:
        return r.read<float>(mOrder);
    case kDmFloat64:
        return r.read<double>(mOrder);
    case kDmInt64:
        return double(r.read<std::int64_t>(mOrder));
    case kDmUInt64:
        return double(r.read<std::uint64_t>(mOrder));
    case kDmBool:
        return r.read<std::uint8_t>(mOrder) != 0 ? 1.0 : 0.0;
    case kDmChar:
        return r.read<std::int8_t>(mOrder);
    case kDmOctet:
        return r.read<std::uint8_t>(mOrder);
    default:
        return std::nullopt;
    }
}

std::string DmTagTree::text(const DmTag* tag) const
{
    if (!tag)
        return {};
    constexpr std::uint64_t kMaxUnits = 4096;
    const bool utf16 = tag->kind == DmTag::Kind::String ||
                       (tag->kind == DmTag::Kind::Array && (tag->type == kDmUInt16 || tag->type == kDmInt16));
    const bool bytes = tag->kind == DmTag::Kind::Array && (tag->type == kDmChar || tag->type == kDmOctet);
    if (!utf16 && !bytes)
        return {};
    const std::size_t units = static_cast<std::size_t>(std::min(tag->count, kMaxUnits));
    ByteReader r(valueBytes(*tag), mFile);
    std::string out;
    for (std::size_t i = 0; i < units; ++i) {
        std::uint32_t c = bytes ? r.read<std::uint8_t>(mOrder) : r.read<std::uint16_t>(mOrder);
        if (c == 0)
            break;
        if (utf16 && c >= 0xD800 && c < 0xDC00 && i + 1 < units) { // surrogate pair
            const std::uint32_t low = r.read<std::uint16_t>(mOrder);
            ++i;
            c = (low >= 0xDC00 && low < 0xE000) ? 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD;
        } else if (utf16 && c >= 0xD800 && c < 0xE000) {
            c = 0xFFFD;
        }
        appendUtf8(out, c);
    }
    return out;
}

std::optional<std::string> DmTagTree::display(const DmTag& tag) const
{
    const std::uint8_t* p = mBytes.data() + tag.offset;
    switch (tag.kind) {
    case DmTag::Kind::Value:
        return formatValue(p, tag.type, mOrder, mFile);
    case DmTag::Kind::String:
        return text(&tag);
    case DmTag::Kind::Array: {
        if (tag.type == kDmUInt16 || tag.type == kDmInt16) // DM's usual way to store text
            return text(&tag);
        if (tag.count > 16)
            return std::nullopt;
        std::string out = "(";
        for (std::uint64_t i = 0; i < tag.count; ++i)
            out += (i ? ", " : "") + formatValue(p + i * dmSimpleTypeSize(tag.type), tag.type, mOrder, mFile);
        return out + ")";
    }
    case DmTag::Kind::Struct: {
        std::string out = "(";
        for (std::size_t i = 0; i < tag.fieldTypes.size(); ++i) {
            out += (i ? ", " : "") + formatValue(p, tag.fieldTypes[i], mOrder, mFile);
            p += dmSimpleTypeSize(tag.fieldTypes[i]);
        }
        return out + ")";
    }
    default:
        return std::nullopt;
    }
}

} // namespace motifscope
