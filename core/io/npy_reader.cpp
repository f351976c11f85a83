// NumPy .npy (format versions 1.0, 2.0 and 3.0). The header is a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (512, 512), } and is parsed by a small bounded
// recursive-descent parser (never evaluated). Shapes: (h, w); (frames..., h, w) with the first frame
// read; (h, w, 3|4) of uint8 is taken as RGB(A). Fortran-ordered arrays are transposed back.
#include "core/io/byte_reader.h"
#include "core/io/half_float.h"
#include "core/io/readers.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <new>
#include <tuple>

namespace motifscope {

namespace {

constexpr std::uint32_t kMaxHeaderBytes = 1u << 20;

/** A value of the Python literal subset that .npy headers use. */
struct PyValue
{
    enum class Kind
    {
        String,
        Integer,
        Bool,
        None,
        Tuple,
        List,
        Dict
    };
    Kind kind = Kind::None;
    std::string text;
    long long integer = 0;
    bool boolean = false;
    std::vector<PyValue> items; ///< tuple / list elements; dict: key, value, key, value, ...
};

/** Parses one Python literal; every problem is an IoError naming the file. */
class LiteralParser
{
public:
    LiteralParser(const std::string& text, const std::string& fileName) : mText(text), mFile(fileName) {}

    PyValue parseTop()
    {
        PyValue v = value(0);
        skipSpace();
        if (mPos != mText.size())
            fail("unexpected text after the header dictionary");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const
    {
        throw IoError(mFile, "malformed .npy header: " + problem + " at character " + std::to_string(mPos));
    }

    void skipSpace()
    {
        while (mPos < mText.size() &&
               (mText[mPos] == ' ' || mText[mPos] == '\t' || mText[mPos] == '\n' || mText[mPos] == '\r'))
            ++mPos;
    }

    bool accept(char c)
    {
        skipSpace();
        if (mPos < mText.size() && mText[mPos] == c) {
            ++mPos;
            return true;
        }
        return false;
    }

    PyValue value(int depth)
    {
        if (depth > 16)
            fail("nesting too deep");
        skipSpace();
        if (mPos >= mText.size())
            fail("unexpected end");
        const char c = mText[mPos];
        if (c == '\'' || c == '"')
            return stringLiteral();
        if (c == '(' || c == '[' || c == '{')
            return sequence(depth);
        if (c == '-' || c == '+' || (c >= '0' && c <= '9'))
            return integerLiteral();
        for (const auto& [word, kind, flag] :
             {std::tuple{"True", PyValue::Kind::Bool, true}, std::tuple{"False", PyValue::Kind::Bool, false},
              std::tuple{"None", PyValue::Kind::None, false}}) {
            if (mText.compare(mPos, std::strlen(word), word) == 0) {
                mPos += std::strlen(word);
                PyValue v;
                v.kind = kind;
                v.boolean = flag;
                return v;
            }
        }
        fail(std::string("unexpected character '") + c + "'");
    }

    PyValue stringLiteral()
    {
        const char quote = mText[mPos++];
        PyValue v;
        v.kind = PyValue::Kind::String;
        while (mPos < mText.size() && mText[mPos] != quote) {
            if (mText[mPos] == '\\' && mPos + 1 < mText.size())
                ++mPos;
            v.text += mText[mPos++];
        }
        if (mPos >= mText.size())
            fail("unterminated string");
        ++mPos;
        return v;
    }

    PyValue integerLiteral()
    {
        PyValue v;
        v.kind = PyValue::Kind::Integer;
        bool negative = false;
        if (mText[mPos] == '-' || mText[mPos] == '+')
            negative = mText[mPos++] == '-';
        if (mPos >= mText.size() || mText[mPos] < '0' || mText[mPos] > '9')
            fail("expected a digit");
        while (mPos < mText.size() && mText[mPos] >= '0' && mText[mPos] <= '9') {
            if (v.integer > (LLONG_MAX - 9) / 10)
                fail("integer too large");
            v.integer = v.integer * 10 + (mText[mPos++] - '0');
        }
        if (mPos < mText.size() && (mText[mPos] == 'L' || mText[mPos] == 'l'))
            ++mPos; // Python 2 long suffix
        if (negative)
            v.integer = -v.integer;
        return v;
    }

    PyValue sequence(int depth)
    {
        const char open = mText[mPos++];
        const char close = open == '(' ? ')' : open == '[' ? ']' : '}';
        PyValue v;
        v.kind = open == '(' ? PyValue::Kind::Tuple : open == '[' ? PyValue::Kind::List : PyValue::Kind::Dict;
        while (!accept(close)) {
            if (v.items.size() > 4096)
                fail("too many elements");
            v.items.push_back(value(depth + 1));
            if (v.kind == PyValue::Kind::Dict) {
                if (!accept(':'))
                    fail("expected ':' in dictionary");
                v.items.push_back(value(depth + 1));
            }
            if (!accept(',')) {
                if (!accept(close))
                    fail(std::string("expected ',' or '") + close + "'");
                break;
            }
        }
        return v;
    }

    const std::string& mText;
    const std::string& mFile;
    std::size_t mPos = 0;
};

const PyValue* dictEntry(const PyValue& dict, const std::string& key)
{
    for (std::size_t i = 0; i + 1 < dict.items.size(); i += 2)
        if (dict.items[i].kind == PyValue::Kind::String && dict.items[i].text == key)
            return &dict.items[i + 1];
    return nullptr;
}

/** The element type of a simple numeric descr such as '<f4', '>i2', '|u1', '|b1'. */
struct ElementType
{
    PixelType type = PixelType::Float32;
    bool half = false;
    ByteOrder order = ByteOrder::Little;
    std::size_t bytes = 4;
    std::string name;
};

ElementType parseDescr(const std::string& descr, ByteReader& in)
{
    std::string d = descr;
    ElementType e;
    if (!d.empty() && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=')) {
        e.order = d[0] == '>' ? ByteOrder::Big : ByteOrder::Little;
        d.erase(0, 1);
    }
    const std::pair<const char*, PixelType> table[] = {
        {"b1", PixelType::Bool},      {"?", PixelType::Bool},        {"i1", PixelType::Int8},
        {"u1", PixelType::UInt8},     {"i2", PixelType::Int16},      {"u2", PixelType::UInt16},
        {"i4", PixelType::Int32},     {"u4", PixelType::UInt32},     {"i8", PixelType::Int64},
        {"u8", PixelType::UInt64},    {"f4", PixelType::Float32},    {"f8", PixelType::Float64},
        {"c8", PixelType::Complex64}, {"c16", PixelType::Complex128}};
    for (const auto& [code, type] : table) {
        if (d == code) {
            e.type = type;
            e.bytes = pixelTypeSize(type);
            e.name = pixelTypeName(type);
            return e;
        }
    }
    if (d == "f2") {
        e.half = true;
        e.bytes = 2;
        e.name = "float16";
        return e;
    }
    in.fail("unsupported dtype '" + descr + "' (only boolean, integer, float and complex arrays are images)");
}

} // namespace

Micrograph readNpy(Bytes bytes, const std::string& fileName)
{
    ByteReader in(bytes, fileName);
    try {
        if (in.readString(6, "magic") != "\x93NUMPY")
            in.fail("not a NumPy .npy file (bad magic)");
        const auto major = in.read<std::uint8_t>(ByteOrder::Little, "version");
        const auto minor = in.read<std::uint8_t>(ByteOrder::Little, "version");
        if (major < 1 || major > 3 || minor != 0)
            in.fail("unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor));
        const std::uint32_t headerLength = major == 1
                                               ? in.read<std::uint16_t>(ByteOrder::Little, "header length")
                                               : in.read<std::uint32_t>(ByteOrder::Little, "header length");
        if (headerLength > kMaxHeaderBytes)
            in.fail("implausible .npy header length " + std::to_string(headerLength));
        const std::string header = in.readString(headerLength, "header");
        const PyValue dict = LiteralParser(header, fileName).parseTop();
        if (dict.kind != PyValue::Kind::Dict)
            in.fail("malformed .npy header: not a dictionary");

        const PyValue* descr = dictEntry(dict, "descr");
        const PyValue* fortran = dictEntry(dict, "fortran_order");
        const PyValue* shape = dictEntry(dict, "shape");
        if (!descr || !fortran || !shape)
            in.fail("malformed .npy header: needs 'descr', 'fortran_order' and 'shape'");
        if (descr->kind != PyValue::Kind::String)
            in.fail("structured dtypes are not supported (only plain numeric arrays)");
        if (fortran->kind != PyValue::Kind::Bool || shape->kind != PyValue::Kind::Tuple)
            in.fail("malformed .npy header: 'fortran_order' must be True/False and 'shape' a tuple");
        const ElementType element = parseDescr(descr->text, in);

        std::vector<std::uint64_t> dims;
        for (const PyValue& d : shape->items) {
            if (d.kind != PyValue::Kind::Integer || d.integer < 0)
                in.fail("malformed .npy header: shape entries must be non-negative integers");
            dims.push_back(std::uint64_t(d.integer));
        }
        const std::size_t ndim = dims.size();
        if (ndim < 2)
            in.fail(std::to_string(ndim) + "-D array is not an image (need at least 2 dimensions)");
        std::uint64_t elements = 1;
        for (std::uint64_t d : dims) {
            if (d == 0)
                in.fail("empty array (a dimension is 0)");
            if (elements > (std::uint64_t(1) << 62) / d)
                in.fail("array is absurdly large");
            elements *= d;
        }
        if (elements > in.remaining() / element.bytes)
            in.fail("truncated array data: needs " + std::to_string(elements * element.bytes) +
                    " bytes at offset " + std::to_string(in.position()) + ", " +
                    std::to_string(in.remaining()) + " remain");
        const std::uint8_t* data = in.take(elements * element.bytes, "array data");

        // Axes of the image: (h, w, c) for uint8 RGB(A), else the last two; leading axes are frames.
        const bool colour =
            ndim == 3 && element.type == PixelType::UInt8 && !element.half && (dims[2] == 3 || dims[2] == 4);
        const std::size_t hAxis = colour ? 0 : ndim - 2;
        const std::size_t wAxis = colour ? 1 : ndim - 1;
        const std::uint64_t channels = colour ? dims[2] : 1;
        checkImageSize(fileName, (long long)dims[wAxis], (long long)dims[hAxis]);
        std::uint64_t frames = 1;
        for (std::size_t i = 0; i < hAxis; ++i)
            frames *= dims[i];

        Micrograph m;
        m.width = int(dims[wAxis]);
        m.height = int(dims[hAxis]);
        m.frames = int(std::min<std::uint64_t>(frames, INT_MAX));
        m.format = "NPY";
        const PixelType type = colour ? (channels == 4 ? PixelType::RGBA8 : PixelType::RGB8) : element.type;
        m.dtype = element.half ? "float16" : pixelTypeName(type);
        m.metadata["NPY.descr"] = descr->text;
        m.metadata["NPY.fortran_order"] = fortran->boolean ? "True" : "False";
        m.metadata["NPY.ndim"] = std::to_string(ndim);

        // The first frame as C-ordered bytes: direct for C order, gathered for Fortran order.
        std::vector<std::uint8_t> gathered;
        const std::uint8_t* frame = data;
        if (fortran->boolean) {
            std::vector<std::uint64_t> stride(ndim, 1); // in elements; the first axis varies fastest
            for (std::size_t i = 1; i < ndim; ++i)
                stride[i] = stride[i - 1] * dims[i - 1];
            const std::uint64_t cStride = colour ? stride[2] : 0;
            gathered.resize(m.pixelCount() * channels * element.bytes);
            std::uint8_t* out = gathered.data();
            for (std::uint64_t y = 0; y < dims[hAxis]; ++y)
                for (std::uint64_t x = 0; x < dims[wAxis]; ++x)
                    for (std::uint64_t c = 0; c < channels; ++c) {
                        const std::uint64_t index = y * stride[hAxis] + x * stride[wAxis] + c * cStride;
                        std::memcpy(out, data + index * element.bytes, element.bytes);
                        out += element.bytes;
                    }
            frame = gathered.data();
        }
        m.pixels.resize(m.pixelCount());
        if (element.half)
            convertHalves(frame, element.order == ByteOrder::Little, m.pixelCount(), m.pixels.data());
        else
            convertPixels(frame, type, element.order, m.pixelCount(), m.pixels.data());
        return m;
    } catch (const IoError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw IoError(fileName, "not enough memory to decode the array");
    } catch (const std::exception& e) {
        throw IoError(fileName, std::string("cannot read .npy: ") + e.what());
    }
}

} // namespace motifscope
