#pragma once
/**
 * The tag tree of a Gatan DigitalMicrograph DM3 / DM4 file, parsed from memory with every size and
 * offset checked against the buffer. Layout: a header (version, root length, byte-order flag), then
 * nested tag groups holding named data tags. Structure (counts, lengths, type codes) is big-endian,
 * 4-byte in DM3 and 8-byte in DM4; data values use the byte order the header flag gives.
 */

#include "core/io/pixel_types.h"
#include "core/io/readers.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motifscope {

/** DigitalMicrograph's codes for the type of a tag value (not to be confused with image DataType). */
enum DmValueType : std::uint32_t
{
    kDmInt16 = 2,
    kDmInt32 = 3,
    kDmUInt16 = 4,
    kDmUInt32 = 5,
    kDmFloat32 = 6,
    kDmFloat64 = 7,
    kDmBool = 8,
    kDmChar = 9,
    kDmOctet = 10,
    kDmInt64 = 11,
    kDmUInt64 = 12,
    kDmStruct = 15,
    kDmString = 18,
    kDmArray = 20,
};

/** Bytes of one value of a simple (numeric, bool, char) tag type; 0 for anything else. */
std::size_t dmSimpleTypeSize(std::uint64_t type);

/** One node of the tag tree: a group with children, or a data tag that knows where its bytes lie. */
struct DmTag
{
    enum class Kind
    {
        Group,       ///< children, named or unnamed (list-like groups such as ImageList)
        Value,       ///< one simple value of `type`
        Array,       ///< `count` simple values of `type`
        Struct,      ///< one struct of `fieldTypes`
        StructArray, ///< `count` structs of `fieldTypes`
        String,      ///< `count` UTF-16 code units
        Opaque,      ///< a value MotifScope does not decode (e.g. an array of strings); skipped
    };

    std::string name; ///< UTF-8 (converted from the Latin-1 DM writes; "" for list entries)
    Kind kind = Kind::Group;
    std::vector<DmTag> children;
    std::uint32_t type = 0;                ///< simple type of the value or of array elements
    std::vector<std::uint32_t> fieldTypes; ///< simple types of struct fields
    std::uint64_t count = 0;               ///< array elements or string code units
    std::uint64_t byteSize = 0;            ///< bytes of the value in the file
    std::size_t offset = 0;                ///< file offset of the value's first byte

    /** First child called `childName`, or nullptr. */
    const DmTag* child(std::string_view childName) const;
    /** Child number `index` (for unnamed list entries), or nullptr. */
    const DmTag* at(std::size_t index) const { return index < children.size() ? &children[index] : nullptr; }
    /** Follows a path of child names separated by '.', e.g. "ImageData.Calibrations". */
    const DmTag* find(std::string_view path) const;
};

/** A parsed DM3 / DM4 file: the tag tree plus typed access to the values it points at. */
class DmTagTree
{
public:
    static constexpr int kMaxDepth = 64;
    static constexpr std::size_t kMaxTags = 200000;

    /** Parses the whole tag tree; throws IoError naming `fileName` on anything malformed. */
    DmTagTree(Bytes bytes, std::string fileName);

    int version() const { return mVersion; }
    ByteOrder byteOrder() const { return mOrder; }
    const DmTag& root() const { return mRoot; }
    const std::string& fileName() const { return mFile; }

    /** Numeric value of a simple tag (bools and chars as numbers); nullopt for groups, arrays, ... */
    std::optional<double> number(const DmTag* tag) const;
    /** Text of a string tag or a 16-bit array (DM stores text as UTF-16), as UTF-8; "" otherwise. */
    std::string text(const DmTag* tag) const;
    /** A short human-readable rendering of any data tag for metadata; nullopt when not worth showing. */
    std::optional<std::string> display(const DmTag& tag) const;
    /** The raw bytes of an array or struct-array tag (validated at parse time). */
    Bytes valueBytes(const DmTag& tag) const { return mBytes.subspan(tag.offset, tag.byteSize); }

private:
    Bytes mBytes;
    std::string mFile;
    int mVersion = 0;
    ByteOrder mOrder = ByteOrder::Little;
    DmTag mRoot;
};

} // namespace motifscope
