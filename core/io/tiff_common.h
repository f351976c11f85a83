#pragma once
/** libtiff plumbing shared by the TIFF reader and writer: per-handle error capture and unit names. */

#include <tiffio.h>

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <string>

namespace motifscope::tiffsupport {

/** Collects libtiff's messages for one open handle, so errors end up in the IoError text. */
struct MessageCollector
{
    std::string firstError;
    std::string lastWarning;
};

inline std::string formatMessage(const char* module, const char* fmt, va_list ap)
{
    char text[512];
    std::vsnprintf(text, sizeof text, fmt, ap);
    std::string message(text);
    for (char& c : message)
        if (c == '\n' || c == '\r')
            c = ' ';
    (void)module;
    return message;
}

inline int collectError(TIFF*, void* user, const char* module, const char* fmt, va_list ap)
{
    auto* collector = static_cast<MessageCollector*>(user);
    if (collector && collector->firstError.empty())
        collector->firstError = formatMessage(module, fmt, ap);
    return 1; // handled: libtiff must not also print to stderr
}

inline int collectWarning(TIFF*, void* user, const char* module, const char* fmt, va_list ap)
{
    if (auto* collector = static_cast<MessageCollector*>(user))
        collector->lastWarning = formatMessage(module, fmt, ap);
    return 1;
}

/** Silences libtiff's process-wide handlers once (messages that bypass the per-handle ones). */
inline void silenceGlobalHandlers()
{
    static std::once_flag once;
    std::call_once(once, [] {
        TIFFSetErrorHandler(nullptr);
        TIFFSetWarningHandler(nullptr);
    });
}

/** TIFFOpenOptions routed to `collector`; frees itself. */
class OpenOptions
{
public:
    explicit OpenOptions(MessageCollector& collector) : mOptions(TIFFOpenOptionsAlloc())
    {
        silenceGlobalHandlers();
        if (mOptions) {
            TIFFOpenOptionsSetErrorHandlerExtR(mOptions, collectError, &collector);
            TIFFOpenOptionsSetWarningHandlerExtR(mOptions, collectWarning, &collector);
            // No single libtiff allocation may exceed 2 GiB (decoded strips of bombs, absurd tags).
            TIFFOpenOptionsSetMaxSingleMemAlloc(mOptions, tmsize_t(1) << 31);
        }
    }
    ~OpenOptions()
    {
        if (mOptions)
            TIFFOpenOptionsFree(mOptions);
    }
    OpenOptions(const OpenOptions&) = delete;
    OpenOptions& operator=(const OpenOptions&) = delete;
    TIFFOpenOptions* get() const { return mOptions; }

private:
    TIFFOpenOptions* mOptions;
};

/** Closes a TIFF handle when it goes out of scope. */
struct TiffCloser
{
    void operator()(TIFF* tif) const
    {
        if (tif)
            TIFFClose(tif);
    }
};

} // namespace motifscope::tiffsupport
