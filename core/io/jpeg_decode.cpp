// JPEG through libjpeg from memory. libjpeg reports errors through its error manager: ours
// longjmps back to a setjmp in a function that holds nothing with a destructor across it.
#include "core/io/raster_decode.h"

#include <cstdio>
#include <csetjmp>
// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>

#include <memory>

namespace motifscope {

namespace {

struct JpegErrors
{
    jpeg_error_mgr manager;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX] = {};
};

void onError(j_common_ptr info)
{
    auto* errors = reinterpret_cast<JpegErrors*>(info->err);
    info->err->format_message(info, errors->message);
    std::longjmp(errors->jump, 1);
}

void onMessage(j_common_ptr, int) {} // warnings (corrupt but decodable data) are not fatal

struct JpegState
{
    jpeg_decompress_struct info{};
    JpegErrors errors;
    bool created = false;
    DecodedRaster out;
    const char* unsupported = nullptr;
    ~JpegState()
    {
        if (created)
            jpeg_destroy_decompress(&info);
    }
};

/** Reads into state->out; false with state->errors.message (or state->unsupported) on failure. */
bool readJpeg(JpegState* state, Bytes bytes)
{
    jpeg_decompress_struct* info = &state->info;
    if (setjmp(state->errors.jump))
        return false;
    jpeg_create_decompress(info);
    state->created = true;
    jpeg_mem_src(info, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(info, TRUE);
    const J_COLOR_SPACE space = info->jpeg_color_space;
    if (space == JCS_CMYK || space == JCS_YCCK) {
        state->unsupported = "CMYK JPEG is not supported (save the micrograph as greyscale or RGB)";
        return false;
    }
    const bool grey = space == JCS_GRAYSCALE;
    info->out_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(info);
    DecodedRaster& out = state->out;
    out.width = int(info->output_width);
    out.height = int(info->output_height);
    out.channels = int(info->output_components);
    out.fileChannels = out.channels;
    out.bits = 8;
    const std::size_t stride = std::size_t(out.width) * std::size_t(out.channels);
    out.bytes.resize(stride * std::size_t(out.height));
    while (info->output_scanline < info->output_height) {
        JSAMPROW row = out.bytes.data() + std::size_t(info->output_scanline) * stride;
        jpeg_read_scanlines(info, &row, 1);
    }
    jpeg_finish_decompress(info);
    return true;
}

} // namespace

DecodedRaster decodeJpeg(Bytes bytes, const std::string& fileName)
{
    const auto state = std::make_unique<JpegState>();
    state->info.err = jpeg_std_error(&state->errors.manager);
    state->errors.manager.error_exit = onError;
    state->errors.manager.emit_message = onMessage;
    if (!readJpeg(state.get(), bytes)) {
        if (state->unsupported)
            throw IoError(fileName, state->unsupported);
        throw IoError(fileName, std::string("cannot decode JPEG data: ") + state->errors.message);
    }
    return std::move(state->out);
}

} // namespace motifscope
