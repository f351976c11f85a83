// PNG through libpng's classic API from memory. libpng reports errors by longjmp: the decoding
// state lives on the heap behind a pointer set before setjmp, and nothing with a destructor is
// made between setjmp and the calls that may jump.
#include "core/io/raster_decode.h"

#include <png.h>

#include <csetjmp>
#include <cstring>
#include <memory>

namespace motifscope {

namespace {

struct PngInput
{
    Bytes bytes;
    std::size_t offset = 0;
    char message[256] = {};
};

void readFromMemory(png_structp png, png_bytep out, png_size_t length)
{
    auto* in = static_cast<PngInput*>(png_get_io_ptr(png));
    if (in->offset + length > in->bytes.size())
        png_error(png, "the file ends inside the image data (truncated)");
    std::memcpy(out, in->bytes.data() + in->offset, length);
    in->offset += length;
}

void onError(png_structp png, png_const_charp message)
{
    auto* in = static_cast<PngInput*>(png_get_error_ptr(png));
    std::snprintf(in->message, sizeof in->message, "%s", message);
    png_longjmp(png, 1);
}

void onWarning(png_structp, png_const_charp) {}

struct PngState
{
    PngInput input;
    png_structp png = nullptr;
    png_infop info = nullptr;
    DecodedRaster out;
    std::vector<png_bytep> rows;
    ~PngState() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

/** Reads into state->out; false with state->input.message on a libpng error. */
bool readPng(PngState* state)
{
    png_structp png = state->png;
    png_infop info = state->info;
    if (setjmp(png_jmpbuf(png)))
        return false;
    png_set_read_fn(png, &state->input, readFromMemory);
    png_read_info(png, info);
    const int colour = png_get_color_type(png, info);
    const int depth = png_get_bit_depth(png, info);
    const bool transparency = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    DecodedRaster& out = state->out;
    out.width = int(png_get_image_width(png, info));
    out.height = int(png_get_image_height(png, info));
    out.fileChannels = colour == PNG_COLOR_TYPE_GRAY ? 1
                       : colour == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                       : colour == PNG_COLOR_TYPE_PALETTE ? (transparency ? 4 : 3)
                       : colour == PNG_COLOR_TYPE_RGB ? 3 : 4;
    // Palettes to R G B, grey below 8 bits to 8, alpha dropped, 16-bit samples in host order.
    if (colour == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (colour == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    png_set_strip_alpha(png);
    if (depth == 16)
        png_set_swap(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    out.channels = int(png_get_channels(png, info));
    out.bits = png_get_bit_depth(png, info) == 16 ? 16 : 8;
    const std::size_t rowBytes = png_get_rowbytes(png, info);
    const std::size_t samples = std::size_t(out.width) * std::size_t(out.height) * std::size_t(out.channels);
    state->rows.resize(std::size_t(out.height));
    png_bytep base = nullptr;
    if (out.bits == 16) {
        out.words.resize(samples);
        base = reinterpret_cast<png_bytep>(out.words.data());
    } else {
        out.bytes.resize(samples);
        base = out.bytes.data();
    }
    if (rowBytes * std::size_t(out.height) != samples * std::size_t(out.bits / 8))
        png_error(png, "unexpected row layout after decoding");
    for (int y = 0; y < out.height; ++y)
        state->rows[std::size_t(y)] = base + std::size_t(y) * rowBytes;
    png_read_image(png, state->rows.data());
    png_read_end(png, nullptr); // up to IEND: a file cut anywhere is refused, not read as complete
    return true;
}

} // namespace

DecodedRaster decodePng(Bytes bytes, const std::string& fileName)
{
    const auto state = std::make_unique<PngState>();
    state->input.bytes = bytes;
    state->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state->input, onError, onWarning);
    if (state->png)
        state->info = png_create_info_struct(state->png);
    if (!state->png || !state->info)
        throw IoError(fileName, "not enough memory to decode the PNG image");
    // Ancillary chunks with bad checksums are warnings, as in most viewers; critical ones are errors.
    png_set_crc_action(state->png, PNG_CRC_DEFAULT, PNG_CRC_WARN_DISCARD);
    if (!readPng(state.get()))
        throw IoError(fileName, std::string("cannot decode PNG data: ") + state->input.message);
    return std::move(state->out);
}

} // namespace motifscope
