#include "io/file_util.h"

#include "io/micrograph.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace motifscope {

void removeStaleTemporaries(const std::string& path)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const std::string prefix = "." + target.filename().string() + ".tmp";
    std::error_code ec;
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
            continue;
        // ".NAME.tmpPID", or ".NAME.tmpPID.EXT" (writers that need the extension to pick a format).
        std::string digits = name.substr(prefix.size());
        const std::string extension = target.extension().string();
        if (!extension.empty() && digits.size() > extension.size()
            && digits.compare(digits.size() - extension.size(), extension.size(), extension) == 0)
            digits.resize(digits.size() - extension.size());
        if (digits.empty() || digits.size() > 9
            || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            continue;
        const long pid = std::stol(digits);
        if (pid > 0 && pid != long(::getpid()) && ::kill(pid_t(pid), 0) == -1 && errno == ESRCH) {
            std::error_code ignored;
            fs::remove(it->path(), ignored);
        }
    }
}

void writeAtomically(const std::string& path, const std::function<void(const std::string&)>& write)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    removeStaleTemporaries(path);
    const fs::path temp = target.parent_path()
        / (std::string(".") + target.filename().string() + ".tmp" + std::to_string(::getpid()));
    try {
        write(temp.string());
    } catch (...) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw;
    }
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw IoError(path, "cannot write: " + ec.message());
    }
}

void writeFileAtomically(const std::string& path, std::string_view bytes)
{
    writeAtomically(path, [&](const std::string& temp) {
        std::FILE* f = std::fopen(temp.c_str(), "wb");
        if (!f)
            throw IoError(path, "cannot open for writing");
        const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0;
        const bool closed = std::fclose(f) == 0;
        if (!ok || !closed)
            throw IoError(path, "write failed (disk full?)");
    });
}

std::string fileExtension(const std::string& path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    if (!ext.empty() && ext[0] == '.')
        ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

} // namespace motifscope
